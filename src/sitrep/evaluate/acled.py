"""ACLED benchmark: each row's ``notes`` is one document, published on its ``event_date``.

We read the note with the full pipeline, pick its primary event (the ASSAULT event with most
arguments, the first on ties; else the event with most arguments) and score it against ACLED's
coding:

- ``location@25km``: the event's place lies within 25 km of ACLED's latitude/longitude;
- ``fatalities``: :func:`~sitrep.extract.quantities.acled_fatalities` equals ACLED's figure;
- ``dyad``: the event's {actor1, actor2} equals ACLED's, in either order, through our mapping
  table ``data/acled_actor_map.tsv`` (an unidentified ACLED actor is our null); an ACLED actor the
  table does not map matches an actor only our NER found under the same name (:func:`gold_slot`,
  since 2026-12-07);
- ``sub_event``: :func:`~sitrep.extract.event_types.acled_battle_subtype` of the note (with
  ``SITREP_EVENT_ABLATE=subevent``: the main event's sub-type from the trigger lexicon).

Splits by ``event_date``: dev = 2017-09, test = 2017-10, train = every other month. Tune on dev
and train only.
"""

from __future__ import annotations

import csv
import functools
import re
from datetime import date
from pathlib import Path
from typing import Iterator

from ..errors import EvaluationError, ModelError
from ..extract.events import distance_km

SPLITS = ("dev", "test", "train")
_MAP = Path(__file__).with_name("data") / "acled_actor_map.tsv"
_REQUIRED = ("event_date", "notes", "actor1", "actor2", "latitude", "longitude", "fatalities", "sub_event_type")


def split_of(event_date: str) -> str:
    if event_date.startswith("2017-09"):
        return "dev"
    if event_date.startswith("2017-10"):
        return "test"
    return "train"


@functools.lru_cache(maxsize=1)
def actor_map() -> tuple[tuple[str, frozenset[str]], ...]:
    """(ACLED name prefix, accepted keys) pairs, longest prefix first."""
    rows = []
    try:
        lines = _MAP.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"{_MAP}: cannot read the ACLED actor map ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("acled_name\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ModelError(f"{_MAP}:{n}: expected 2 tab-separated columns, got {len(parts)}")
        rows.append((parts[0].strip(), frozenset(k.strip() for k in parts[1].split(",") if k.strip())))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def gold_actor(name: str) -> frozenset[str] | None:
    """Our keys for an ACLED actor name: None for no identified actor, an empty set when unmapped."""
    name = name.strip()
    if not name:
        return None
    rows = actor_map()
    for prefix, keys in rows:
        if not prefix.startswith("*") and name.startswith(prefix):
            return keys or None
    for pattern, keys in rows:  # "*Tribal Militia (Syria)": ACLED names these by tribe or town
        if pattern.startswith("*") and name.endswith(pattern[1:]):
            return keys or None
    return frozenset()


def acled_name(name: str) -> str:
    """An ACLED actor name reduced for comparison with a name our NER found: no "LAS: " acronym,
    no "(Syria)" or "(2000-)" qualifier, lowercase, hyphens and runs of spaces as one space."""
    name = re.sub(r"^[A-Za-z]{2,6}:\s+", "", name.strip())
    name = re.sub(r"\s*\([^)]*\)", "", name)
    return _plain(name)


def _plain(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip().lower())
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", name).strip()


def gold_slot(name: str) -> frozenset[str] | None:
    """:func:`gold_actor`, except that an actor our table does not map is matched by name: an
    actor only our NER knows ("ner:ORG:hamza brigade") with the same name is that actor."""
    keys = gold_actor(name)
    return frozenset({"name:" + acled_name(name)}) if keys == frozenset() else keys


def _dyad_match(gold: tuple, ours: tuple) -> bool:
    def slot(g, o) -> bool:
        if g is None or o is None:
            return g is None and o is None
        return o in g or (o.startswith("ner:") and "name:" + _plain(o.split(":", 2)[2]) in g)

    (g1, g2), (o1, o2) = gold, ours
    return (slot(g1, o1) and slot(g2, o2)) or (slot(g1, o2) and slot(g2, o1))


def primary_event(events):
    """The note's main event: the ASSAULT event with most arguments, then the one with fewest
    arguments guessed by the nearest-actor fallback (2026-12-07, a scoring change: "Russian
    warplanes carried out strikes ... as clashes took place between regime and IS forces" is
    the clashes), first on ties."""
    if not events:
        return None
    pool = [e for e in events if e.type == "ASSAULT"] or list(events)

    def args(e) -> int:
        return (e.actor1 is not None) + (e.actor2 is not None) + (e.place is not None)

    return max(enumerate(pool), key=lambda ie: (args(ie[1]), -ie[1].rule.count(":fallback"), -ie[0]))[1]


def read_rows(csv_path: Path, *, split: str, limit: int | None = None) -> Iterator[dict]:
    if split not in SPLITS:
        raise EvaluationError(f"{csv_path}: unknown split {split!r}; use one of {', '.join(SPLITS)}")
    try:
        fh = open(csv_path, newline="", encoding="utf-8")
    except OSError as exc:
        raise EvaluationError(f"{csv_path}: cannot open ({exc}); point --data at shared/eval/acled/*.csv") from None
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise EvaluationError(f"{csv_path}: not an ACLED export (missing columns: {', '.join(missing)})")
        n = 0
        for row in reader:
            if split_of(row["event_date"]) != split or not row["notes"].strip():
                continue
            yield row
            n += 1
            if limit is not None and n >= limit:
                return


def evaluate_acled(csv_path: Path | str, *, split: str = "dev", limit: int | None = None,
                   resources=None, errors: list | None = None) -> dict:
    """Score location@25km, fatalities, actor dyad and sub-event type on one split.

    With ``errors`` (a list), each row that misses the location, the dyad or the fatalities is
    appended to it as a dict (event date, the metrics missed, ACLED's actors and their mapped keys,
    our actor keys, every actor we found, our event's place, ACLED's and our fatalities, the note)
    so that misses can be read and grouped.
    """
    from .. import nlp as nlp_module
    from ..extract.event_types import acled_battle_subtype
    from ..extract.quantities import acled_fatalities
    from ..ingest import documents_from_records
    from ..pipeline import Resources, _extract
    from ..resolve.merge import actor_id, place_id

    from ..extract.events import ablation_setting

    no_model = "subevent" in ablation_setting()
    csv_path = Path(csv_path)
    rows = list(read_rows(csv_path, split=split, limit=limit))
    if not rows:
        raise EvaluationError(f"{csv_path}: no rows in split {split!r}")
    res = resources or Resources.load()
    records = []
    for row in rows:
        try:
            published = date.fromisoformat(row["event_date"])
        except ValueError:
            raise EvaluationError(f"{csv_path}: event_date {row['event_date']!r} is not YYYY-MM-DD") from None
        records.append((row, next(iter(documents_from_records([{"text": row["notes"]}],
                                                              source=str(csv_path), published=published)))))
    hits = {"location@25km": 0, "fatalities": 0, "dyad": 0, "sub_event": 0}
    located = with_event = 0
    stream = ((doc.text, doc) for _, doc in records)
    for (row, _), (spacy_doc, document) in zip(records, nlp_module.pipe(stream, nlp=res.nlp)):
        result = _extract(spacy_doc, document, res)
        event = primary_event(result.events)
        keys = {actor_id(a.key): a.key for a in result.actors}
        coords = {place_id(p.key): (p.lat, p.lon) for p in result.places}
        names = {place_id(p.key): p.name for p in result.places}
        fatalities = (int(float(row["fatalities"] or 0)), acled_fatalities(spacy_doc, document))
        fatal_miss = [] if fatalities[0] == fatalities[1] else ["fatalities"]
        hits["fatalities"] += not fatal_miss
        if no_model:  # the ablation: the sub-type the trigger lexicon gives the main event
            if event is not None and event.acled_sub_event_type == row["sub_event_type"]:
                hits["sub_event"] += 1
        elif acled_battle_subtype(row["notes"])[0] == row["sub_event_type"]:
            hits["sub_event"] += 1
        if event is None:
            if errors is not None:
                errors.append({"date": row["event_date"], "missed": ["location@25km", "dyad", *fatal_miss],
                               "acled": (row["actor1"], row["actor2"]), "ours": None, "fatalities": fatalities,
                               "found": sorted(a.key for a in result.actors), "notes": row["notes"]})
            continue
        with_event += 1
        missed = list(fatal_miss)
        lat, lon = coords.get(event.place, (None, None))
        if lat is not None and lon is not None:
            located += 1
        if lat is not None and lon is not None and distance_km(lat, lon, float(row["latitude"]), float(row["longitude"])) <= 25.0:
            hits["location@25km"] += 1
        else:
            missed.append("location@25km")
        gold = (gold_slot(row["actor1"]), gold_slot(row["actor2"]))
        ours = (keys.get(event.actor1), keys.get(event.actor2))
        if _dyad_match(gold, ours):
            hits["dyad"] += 1
        else:
            missed.append("dyad")
        if errors is not None and missed:
            errors.append({"date": row["event_date"], "missed": missed, "acled": (row["actor1"], row["actor2"]),
                           "gold": tuple(sorted(g) if g is not None else None for g in gold),
                           "ours": ours, "found": sorted(a.key for a in result.actors),
                           "place": names.get(event.place), "fatalities": fatalities, "notes": row["notes"]})
    n = len(rows)
    return {
        "split": split,
        "rows": n,
        **{k: round(v / n, 4) for k, v in hits.items()},
        "with_event": round(with_event / n, 4),
        "located": round(located / n, 4),
        # places from SITREP_GAZETTEER_EXTRA: location scores depend on them
        "user_places": res.gazetteer.user_places,
    }
