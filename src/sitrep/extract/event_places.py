"""Which place of a sentence an event happened at.

Each place mention of the event's sentence is a candidate, described by a few features read on
the dependency parse: how many steps it hangs from the trigger's clause, the preposition that
governs it ("in", "near", "from" ...), whether it comes before the trigger, how far it lies,
what kind of place it is, whether it names the area around another place ("X village in Hama")
or is a wire-story dateline ("BEIRUT —", "DAMASCUS, Syria (AP) —"). A linear model over those
features, learned on the train split of the event_location corpus (``sitrep eval
event-location``; weights and provenance in ``data/event_place_model.json``), ranks them.

Then the map's needs: a dateline is never the event's place when the sentence names another;
a chosen place without coordinates, or resolved implausibly far from the places of the rest of
the document (another country), yields to the resolved place the text says contains it. A
sentence without places takes the nearest place of the next (else the previous) sentence: ACLED
notes often say where in a following sentence ("... Clashes took place near X.").

``SITREP_EVENT_PLACE=rules`` switches the learned ranking off (the earlier fewest-hops rule), for
ablations (docs/events.md).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from ..model import PlaceRef
from .focus import Focus

DATA_DIR = Path(__file__).with_name("data")
_MODEL = DATA_DIR / "event_place_model.json"
_CUES = DATA_DIR / "event_place_cues.json"
KINDS = ("settlement", "district", "province", "country", "line", "unknown")


@dataclass(frozen=True, slots=True)
class PlaceCues:
    preps: tuple
    kind_of: dict
    dateline_marks: frozenset
    place_nouns: frozenset
    region_words: frozenset


@functools.lru_cache(maxsize=1)
def cues() -> PlaceCues:
    try:
        data = json.loads(_CUES.read_text(encoding="utf-8"))
        kind_of = {f: k for k in KINDS[:-1] for f in data[k]}
        return PlaceCues(tuple(data["preps"]), kind_of, frozenset(data["dateline_marks"]),
                         frozenset(data["place_nouns"]), frozenset(data["region_words"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{_CUES}: cannot read the event place cues ({exc})") from exc


def feature_names() -> tuple[str, ...]:
    c = cues()
    return (
        "attached", "hops", "distance", "before", "same_clause",
        *(f"prep:{p}" for p in c.preps), "prep:other", "prep:none",
        *(f"kind:{k}" for k in KINDS),
        "contains_other", "contained_by_other", "qualifier", "dateline", "in_subject", "only_place",
    )


@functools.lru_cache(maxsize=1)
def model() -> dict[str, float]:
    try:
        data = json.loads(_MODEL.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"{_MODEL}: cannot read the event place model ({exc}); reinstall sitrep") from exc
    unknown = set(weights) - set(feature_names())
    if unknown:
        raise ModelError(f"{_MODEL}: weights for unknown features {sorted(unknown)}; retrain it")
    return weights


def hops(tok, anchors, sent, limit: int = 8) -> int | None:
    """Dependency steps from ``tok`` up to one of the anchors, within the sentence."""
    targets = {a.i for a in anchors}
    cur = tok
    for n in range(limit):
        if cur.i in targets:
            return n
        if cur.head.i == cur.i or not (sent.start <= cur.head.i < sent.end):
            return None
        cur = cur.head
    return None


def _governing_prep(tok, place_tokens: set[int]) -> str | None:
    """The preposition a place phrase hangs from: "in" of "in the village of Maadan"."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj" and cur.head.dep_ in ("prep", "agent", "dative"):
            prep = cur.head
            # "the village of X", "the outskirts of X": the phrase's own preposition counts
            if prep.lower_ == "of" and prep.head.lower_ in cues().place_nouns and prep.head.i not in place_tokens:
                cur = prep.head
                continue
            return prep.lower_
        if cur.dep_ in ("compound", "amod", "appos", "nmod") and cur.head.i != cur.i:
            cur = cur.head
            continue
        return None
    return None


def is_dateline(doc, span) -> bool:
    """ "BEIRUT —", "DAMASCUS, Syria (AP) —": a place opening the text or a line, then a dash."""
    start = span.start
    if start > 0 and "\n" not in doc[start - 1].whitespace_ + doc[start - 1].text:
        return False
    marks = cues().dateline_marks
    for t in doc[span.end: min(len(doc), span.end + 8)]:
        if t.text in marks or t.text.startswith(("—", "–")):
            return t.text != "(" or any(u.text in ("—", "–", "-", "--") for u in doc[t.i: t.i + 6])
        if t.is_punct and t.text not in (",", ")", "."):
            return False
        if "\n" in t.whitespace_:
            return False
    return False


@dataclass
class Candidate:
    head: int
    ref: PlaceRef
    features: dict
    score: float = 0.0


def candidates(doc, sent, trigger_head: int, anchors: list, place_heads, place_spans: dict) -> list[Candidate]:
    """The places of ``sent`` with their features."""
    c = cues()
    in_sent = [(h, r) for h, r in place_heads if sent.start <= h < sent.end]
    if not in_sent:
        return []
    place_tokens = {i for h, _ in in_sent for i in place_spans.get(h, range(h, h + 1))}
    trig = doc[trigger_head]
    clause = trig
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    clause_tokens = {t.i for t in clause.subtree}
    subjects = {t.i for a in anchors for ch in a.children if ch.dep_ in ("nsubj", "nsubjpass") for t in ch.subtree}
    out = []
    for head, ref in in_sent:
        tok = doc[head]
        h = hops(tok, anchors, sent)
        f = dict.fromkeys(feature_names(), 0.0)
        f["attached"] = 1.0 if h is not None else 0.0
        f["hops"] = (h if h is not None else 8) / 8.0
        f["distance"] = min(abs(head - trigger_head), 40) / 40.0
        f["before"] = 1.0 if head < trigger_head else 0.0
        f["same_clause"] = 1.0 if head in clause_tokens else 0.0
        prep = _governing_prep(tok, place_tokens)
        f[f"prep:{prep}" if prep in c.preps else ("prep:none" if prep is None else "prep:other")] = 1.0
        kind = c.kind_of.get(ref.feature, "unknown") if ref.lat is not None else "unknown"
        f[f"kind:{kind}"] = 1.0
        # "X village in Hama": X hangs from another place through a preposition, or holds one
        f["contained_by_other"] = 1.0 if any(
            ch.dep_ == "prep" and any(g.i in place_tokens and g.i != head for g in ch.subtree)
            for ch in tok.children) else 0.0
        up = tok.head
        f["contains_other"] = 1.0 if (tok.dep_ == "pobj" and up.dep_ == "prep"
                                      and up.head.i in place_tokens and up.head.i != head) else 0.0
        f["qualifier"] = 1.0 if ref.mention.qualifier else 0.0
        span = place_spans.get(head)
        f["dateline"] = 1.0 if span is not None and is_dateline(doc, doc[span.start:span.stop]) else 0.0
        f["in_subject"] = 1.0 if head in subjects else 0.0
        f["only_place"] = 1.0 if len(in_sent) == 1 else 0.0
        out.append(Candidate(head, ref, f))
    return out


def score(cands: list[Candidate]) -> None:
    w = model()
    for cand in cands:
        cand.score = sum(w.get(k, 0.0) * v for k, v in cand.features.items() if v)


def kind(cand: "Candidate") -> str:
    return next((k for k in KINDS if cand.features.get(f"kind:{k}")), "unknown")


# Farther than this from the middle of the document's places, a place of no known country is
# taken for a misresolved name (a Syrian camp "Thunderbolt" read as a village in the USA).
_FAR_KM = 800.0


def implausible(ref: PlaceRef, focus: Focus | None) -> bool:
    """A resolution to another country than the document's ("Mreiyeh" read as Jerusalem in a
    note on Deir ez-Zor): the name was not found where it lies, so its coordinates mislead."""
    if ref.lat is None or focus is None:
        return False
    if ref.country is not None:
        return ref.country != focus.country
    return focus.lat is not None and distance_km(ref.lat, ref.lon, focus.lat, focus.lon) > _FAR_KM


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
