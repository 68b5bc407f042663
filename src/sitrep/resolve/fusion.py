"""Cross-document event fusion: reports of one real event, from many documents, become one cluster.

Two events from different documents are *linked* when nothing about them disagrees and enough
agrees (the rules are in ``extract/data/fusion_rules.json``; docs/store.md explains them):

- their types are the same, or in one compatible group (ASSAULT ~ COERCE);
- their date windows overlap: a day ±1, a week as resolved; an unknown (or yearless) date uses
  the publication window (the 2 days up to ``published``); month and year dates never link;
- their places are the same, or within a distance set by the coarser place's feature (village
  10 km, city 25 km, admin1 100 km); a country-level place only asks for the same country and
  never pins an event down, not even the same country twice;
- their targets (actor2) are the same actor, or one is the other's ancestor; null fits anything.

And they must share anchors: a known date and a place within distance; or, without a place, both
dated to the day with compatible initiators and targets both stated; an unknown date needs the same
place id (finer than a country), the same initiator and the exact type. Initiators (actor1) that
differ do not split an event pinned down to the same day, place and type: that is a *disputed*
attribution, kept as a conflict.

Where chains form, links are stricter: two day-dated reports of *different* days (within the
day slack) link only on the same place id and a shared stated actor (the same initiator or the
same target), and a week-dated report links only on the same place id and initiator. Daily reports
of shelling in one besieged city otherwise chained weeks of fighting into one cluster.

A cluster is a connected component of links. Components do not depend on the order events arrive
in, so fusing batch by batch (as :meth:`Store.save` does) builds the same clusters as fusing the
corpus at once, and a cluster's id is derived from its smallest member event id. Candidates are
found through an index of blocks (place id, grid cell, initiator family; see ``_blocks``) that
covers every way ``linked`` can say yes, so the links are those of an all-pairs comparison. The
price of single linkage is chaining (A~B and B~C put A with C although A and C may not link);
the stricter rules above keep it down without giving up order independence, which a split of
wide components after the fact would need stored component memberships to keep.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ModelError
from ..ids import stable_id
from .merge import actor_id

__all__ = ["FusionEvent", "FusionReport", "Rules", "cluster_id", "fuse_events", "linked", "rules", "summarize"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LABEL_CHARS = 160
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(frozen=True, slots=True)
class Rules:
    distance_km: Mapping[str, float]
    country_level: frozenset[str]
    groups: Mapping[str, str]  # event type -> its compatibility group
    background_precisions: frozenset[str]
    excluded_modalities: frozenset[str]
    denying_modalities: frozenset[str]
    day_slack_days: int
    unknown_date_window_days: int
    unknown_date_needs_initiator: bool  # False: an unknown initiator on either side also fits
    unknown_date_needs_same_type: bool  # True: the exact type, not only its compatible group
    next_day_needs_initiator: bool  # two days a slack apart link only with the same initiator
    next_day_needs_shared_actor: bool  # ... only with the same initiator or the same target, both stated
    next_day_needs_same_place: bool  # ... only on the same place id, not merely one within distance
    week_needs_same_place_and_initiator: bool  # a week-dated report links only on both

    def group(self, event_type: str) -> str:
        return self.groups.get(event_type, event_type)

    def types_like(self, types: Iterable[str]) -> set[str]:
        types = set(types)  # read twice below: a generator would be empty the second time
        wanted = {self.group(t) for t in types}
        return types | {t for t, g in self.groups.items() if g in wanted}


@lru_cache(maxsize=1)
def rules() -> Rules:
    path = resources.files("sitrep.extract").joinpath("data", "fusion_rules.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        groups = {}
        for members in data["compatible_types"]:
            for t in members:
                groups[t] = min(members)
        return Rules(
            distance_km={k: float(v) for k, v in data["distance_km"].items()},
            country_level=frozenset(data["country_level"]),
            groups=groups,
            background_precisions=frozenset(data["background_precisions"]),
            excluded_modalities=frozenset(data["excluded_modalities"]),
            denying_modalities=frozenset(data["denying_modalities"]),
            day_slack_days=int(data["day_slack_days"]),
            unknown_date_window_days=int(data["unknown_date_window_days"]),
            unknown_date_needs_initiator=bool(data["unknown_date_needs_initiator"]),
            unknown_date_needs_same_type=bool(data["unknown_date_needs_same_type"]),
            next_day_needs_initiator=bool(data["next_day_needs_initiator"]),
            next_day_needs_shared_actor=bool(data["next_day_needs_shared_actor"]),
            next_day_needs_same_place=bool(data["next_day_needs_same_place"]),
            week_needs_same_place_and_initiator=bool(data["week_needs_same_place_and_initiator"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read the fusion rules ({exc})") from exc


@dataclass(frozen=True, slots=True)
class FusionEvent:
    """What fusion needs to know of one stored event (with its place and its document)."""

    id: str
    doc: str
    type: str
    lo: int  # date window, as date ordinals, inclusive
    hi: int
    dated: bool  # False: the window is the publication window of an unknown date
    date_start: str | None = None
    date_end: str | None = None
    precision: str = "unknown"
    modality: str = "asserted"
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    country: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    publisher: str | None = None
    published: date | None = None
    evidence: str | None = None  # the clause that states it


def _km(a: FusionEvent, b: FusionEvent) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_ANCHOR, _FITS, _CONFLICT = 2, 1, 0


def _place_relation(a: FusionEvent, b: FusionEvent, r: Rules) -> int | None:
    """_ANCHOR: near enough to pin the event; _FITS: no contradiction; _CONFLICT; None: unknown."""
    if a.place is None or b.place is None:
        return None
    if a.feature in r.country_level or b.feature in r.country_level:
        # a country never pins an event down, not even the same one: "in Syria" is every report
        if a.place == b.place:
            return _FITS
        if a.country and b.country:
            return _FITS if a.country == b.country else _CONFLICT
        return None
    if a.place == b.place:
        return _ANCHOR
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        if a.country and b.country and a.country != b.country:
            return _CONFLICT
        return None
    limit = max(r.distance_km.get(a.feature or "other", r.distance_km["other"]),
                r.distance_km.get(b.feature or "other", r.distance_km["other"]))
    return _ANCHOR if _km(a, b) <= limit else _CONFLICT


def _actors_fit(x: str | None, y: str | None, ancestors: Mapping[str, tuple[str, ...]]) -> bool | None:
    """True: the same actor, or one is the other's ancestor; False: different; None: one unknown."""
    if x is None or y is None:
        return None
    return x == y or x in ancestors.get(y, ()) or y in ancestors.get(x, ())


def linked(a: FusionEvent, b: FusionEvent, *, ancestors: Mapping[str, tuple[str, ...]] | None = None,
           rules_: Rules | None = None) -> bool:
    """Whether two events from different documents can be reports of one real event (symmetric)."""
    r = rules_ or rules()
    anc = ancestors or {}
    if a.doc == b.doc or r.group(a.type) != r.group(b.type):
        return False
    if a.modality in r.excluded_modalities or b.modality in r.excluded_modalities:
        return False
    if a.hi < b.lo or b.hi < a.lo:
        return False
    if any(e.dated and e.precision in r.background_precisions for e in (a, b)):
        return False  # "in 2016", "last month": background to a story, not an event one can pin
    place = _place_relation(a, b, r)
    targets = _actors_fit(a.actor2, b.actor2, anc)
    if place == _CONFLICT or targets is False:
        return False
    initiators = _actors_fit(a.actor1, b.actor1, anc)
    same_place = place == _ANCHOR and a.place == b.place
    if not (a.dated and b.dated):
        if r.unknown_date_needs_same_type and a.type != b.type:
            return False
        wanted = initiators is True if r.unknown_date_needs_initiator else initiators is not False
        return same_place and wanted
    both_days = a.precision == "day" and b.precision == "day"
    if both_days and a.date_start != b.date_start:
        # within the slack but not the same day: a daily toll in one city is many events, and
        # these links are what chained a besieged city's weeks into one cluster
        if r.next_day_needs_initiator and initiators is not True:
            return False
        if r.next_day_needs_shared_actor and initiators is not True and targets is not True:
            return False
        if r.next_day_needs_same_place and not same_place:
            return False
    if not both_days and r.week_needs_same_place_and_initiator and not (same_place and initiators is True):
        return False  # a week-long window overlaps every daily report of a town: a hub for chains
    if initiators is False:
        return place == _ANCHOR and a.type == b.type and both_days
    if place == _ANCHOR:
        return True
    return both_days and initiators is True and targets is True


def cluster_id(member_ids: Iterable[str]) -> str:
    return stable_id("cluster", min(member_ids))


# --- summaries -----------------------------------------------------------------------------------


def _majority(values: Iterable[Any], rank=lambda v: (v,)) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], *rank(v)))


def _report(e: FusionEvent) -> dict[str, Any]:
    return {"event": e.id, "doc": e.doc, "publisher": e.publisher,
            "published": e.published.isoformat() if e.published else None}


def _report_order(e: FusionEvent) -> tuple:
    return (e.published is None, e.published or date.min, e.doc, e.id)


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    id: str
    type: str
    date_start: str | None
    date_end: str | None
    date_precision: str
    place: str | None
    actor1: str | None
    actor2: str | None
    attrs: dict[str, Any]
    label: str = ""
    scores: dict[str, float] = field(default_factory=dict)


def summarize(members: Sequence[FusionEvent], *, ancestors: Mapping[str, tuple[str, ...]] | None = None,
              rules_: Rules | None = None) -> ClusterSummary:
    """Consensus (majority) fields of a cluster and its conflicts, each source's figure kept."""
    r = rules_ or rules()
    anc = ancestors or {}
    members = sorted(members, key=lambda e: e.id)
    feature_rank = {f: d for f, d in r.distance_km.items()}
    type_ = _majority((e.type for e in members), lambda v: (v,))
    when = _majority(((e.date_start, e.date_end, e.precision) for e in members if e.dated),
                     lambda v: (_PRECISION_ORDER.get(v[2], 9), v[0] or "", v[1] or ""))
    features = {e.place: e.feature for e in members if e.place}
    place = _majority((e.place for e in members),
                      lambda v: (feature_rank.get(features.get(v) or "", math.inf), v))
    actor1 = _majority(e.actor1 for e in members)
    actor2 = _majority(e.actor2 for e in members)

    earliest = min(members, key=_report_order)
    # The label is the earliest report's own words: names in the actors and places tables come
    # from their earliest mention and may change as documents arrive; a member's text does not.
    words = " ".join((earliest.evidence or "").split())
    label = words if len(words) <= _LABEL_CHARS else words[: _LABEL_CHARS - 1].rstrip() + "…"
    attrs: dict[str, Any] = {
        "members": len(members),
        "documents": len({e.doc for e in members}),
        "sources": len({e.publisher for e in members if e.publisher is not None}),
        "publishers": sorted({e.publisher for e in members if e.publisher is not None}),
        "earliest_report": _report(earliest),
        "actor1": actor1,
        "actor2": actor2,
        "conflicts": {},
    }
    figures = sorted((e for e in members if e.fatalities is not None), key=_report_order)
    if figures:
        values = [e.fatalities for e in figures]
        attrs["fatalities"] = {
            "min": min(values), "max": max(values),
            "reports": [{**_report(e), "value": e.fatalities, "qualifier": e.fatalities_qualifier} for e in figures],
        }
        if len(set(values)) > 1:
            attrs["conflicts"]["fatalities"] = attrs["fatalities"]
    blamed = sorted({e.actor1 for e in members if e.actor1})
    if any(_actors_fit(x, y, anc) is False for i, x in enumerate(blamed) for y in blamed[i + 1:]):
        attrs["conflicts"]["actor1"] = [
            {"actor": a, "reports": [_report(e) for e in sorted(members, key=_report_order) if e.actor1 == a]}
            for a in blamed
        ]
    denying = [e for e in sorted(members, key=_report_order) if e.modality in r.denying_modalities]
    affirming = [e for e in sorted(members, key=_report_order) if e.modality not in r.denying_modalities]
    if denying and affirming:
        attrs["conflicts"]["modality"] = {
            "affirmed": [{**_report(e), "modality": e.modality} for e in affirming],
            "denied": [{**_report(e), "modality": e.modality} for e in denying],
        }

    scores = {}
    for e in members:
        stated = [(e.type, type_)]
        if e.dated:
            stated.append(((e.date_start, e.date_end, e.precision), when))
        for mine, consensus in ((e.place, place), (e.actor1, actor1), (e.actor2, actor2)):
            if mine is not None:
                stated.append((mine, consensus))
        scores[e.id] = round(sum(m == c for m, c in stated) / len(stated), 3)
    return ClusterSummary(
        id=cluster_id(e.id for e in members), type=type_,
        date_start=when[0] if when else None, date_end=when[1] if when else None,
        date_precision=when[2] if when else "unknown", place=place, actor1=actor1, actor2=actor2,
        attrs=attrs, label=label, scores=scores,
    )


# --- the store side ----------------------------------------------------------------------------------


@dataclass(slots=True)
class FusionReport:
    events: int = 0  # events considered
    links: int = 0  # new links found
    written: list[str] = field(default_factory=list)  # clusters (re)written
    removed: list[str] = field(default_factory=list)  # clusters merged into others


_CLUSTER_COLUMNS = {
    "id": "VARCHAR", "type": "VARCHAR", "date_start": "VARCHAR", "date_end": "VARCHAR", "date_precision": "VARCHAR",
    "place_id": "VARCHAR", "label": "VARCHAR", "attrs": "VARCHAR",
}
_MEMBER_COLUMNS = {"cluster_id": "VARCHAR", "event_id": "VARCHAR", "score": "DOUBLE"}


def _select(r: Rules, where: str) -> str:
    """Stored events as FusionEvent columns; the date window is computed here, once, for all callers.

    Dates leave DuckDB as day numbers (``date.toordinal``) and ISO text: converting DATE values to
    Python objects costs a failed ``import`` per value in DuckDB's client when pandas is absent.
    """
    iso = "CASE WHEN regexp_full_match(coalesce({c}, ''), '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN TRY_CAST({c} AS DATE) END"
    slack = f"CASE WHEN date_precision = 'day' THEN {r.day_slack_days} ELSE 0 END"
    excluded = ", ".join("'" + m.replace("'", "''") + "'" for m in sorted(r.excluded_modalities)) or "''"
    ordinal = "(date_diff('day', DATE '0001-01-01', {c}) + 1)"
    return f"""
SELECT * FROM (
  SELECT id, doc, type,
         {ordinal.format(c=f"CASE WHEN ds IS NULL THEN published - {r.unknown_date_window_days} ELSE least(ds, de) - {slack} END")} AS lo,
         {ordinal.format(c=f"CASE WHEN ds IS NULL THEN published ELSE greatest(ds, de) + {slack} END")} AS hi,
         ds IS NOT NULL AS dated, date_start, date_end, date_precision, modality, place_id, lat, lon, feature,
         place_country, actor1, actor2, fatalities, fatalities_qualifier, publisher, CAST(published AS VARCHAR),
         evidence
  FROM (
    SELECT e.id, e.doc, e.type, e.date_start, e.date_end, e.date_precision, e.modality, e.place_id,
           p.lat, p.lon, p.feature, p.country AS place_country,
           json_extract_string(e.attrs, '$.actor1') AS actor1, json_extract_string(e.attrs, '$.actor2') AS actor2,
           TRY_CAST(json_extract_string(e.attrs, '$.fatalities') AS BIGINT) AS fatalities,
           json_extract_string(e.attrs, '$.fatalities_qualifier') AS fatalities_qualifier,
           d.source AS publisher, d.published, json_extract_string(e.attrs, '$.evidence.text') AS evidence,
           {iso.format(c="e.date_start")} AS ds,
           coalesce({iso.format(c="e.date_end")}, {iso.format(c="e.date_start")}) AS de
    FROM events e JOIN documents d ON d.id = e.doc LEFT JOIN places p ON p.id = e.place_id
    WHERE e.modality NOT IN ({excluded})
  )
) WHERE lo IS NOT NULL AND ({where})"""


def _strs(values: Iterable[str]) -> str:
    """A list of strings as ONE query parameter (a JSON array): DuckDB's client binds a Python
    list element by element, trying to import pandas for each one when it is not installed."""
    return json.dumps(list(values))


def _load(con, r: Rules, where: str, params: Sequence[Any]) -> list[FusionEvent]:
    out = []
    for (ident, doc, type_, lo, hi, dated, d_start, d_end, precision, modality, place, lat, lon, feature, country,
         actor1, actor2, fatalities, f_qual, publisher, published, evidence) in con.execute(_select(r, where), list(params)).fetchall():
        out.append(FusionEvent(
            id=ident, doc=doc, type=type_, lo=lo, hi=hi, dated=bool(dated),
            date_start=d_start, date_end=d_end, precision=precision, modality=modality, place=place, lat=lat,
            lon=lon, feature=feature, country=country, actor1=actor1, actor2=actor2, fatalities=fatalities,
            fatalities_qualifier=f_qual, publisher=publisher,
            published=date.fromisoformat(published) if published else None, evidence=evidence,
        ))
    return out


def _ancestors(con) -> dict[str, tuple[str, ...]]:
    parent = {ident: actor_id(key) for ident, key in
              con.execute("SELECT id, parent_key FROM actors WHERE parent_key IS NOT NULL").fetchall()}
    out = {}
    for ident in parent:
        chain, seen, cur = [], {ident}, parent.get(ident)
        while cur is not None and cur not in seen:
            chain.append(cur)
            seen.add(cur)
            cur = parent.get(cur)
        out[ident] = tuple(chain)
    return out


# --- candidate search ------------------------------------------------------------------------------
# ``linked`` says yes only in three ways: the same place id; places within distance (an anchor,
# which needs coordinates and a place finer than a country); or two day-precision reports with
# compatible initiators. Each event is filed under blocks that cover those ways, so a new event is
# compared only with events in its blocks and date window, and the links found are exactly those
# an all-pairs comparison would find: clusters stay the same whatever the order or batching.

_CELL_DEG = 1.0  # grid cells of one degree; a probe covers every cell within the longest distance
_KM_PER_DEG = 111.32


def _cell(lat: float, lon: float) -> str:
    return f"{math.floor(lat / _CELL_DEG)}:{math.floor(lon / _CELL_DEG)}"


def _gridded(e: FusionEvent, r: Rules) -> bool:
    return e.lat is not None and e.lon is not None and e.place is not None and e.feature not in r.country_level


def _cells_near(e: FusionEvent, r: Rules) -> list[str]:
    """The grid cells holding every point within the longest linking distance of ``e``'s place."""
    if not _gridded(e, r):
        return []
    reach = max(r.distance_km.values())
    lat_steps = math.ceil(reach / (_KM_PER_DEG * _CELL_DEG)) + 1
    widest_lat = min(89.0, abs(e.lat) + lat_steps * _CELL_DEG)
    lon_steps = math.ceil(reach / (_KM_PER_DEG * _CELL_DEG * math.cos(math.radians(widest_lat)))) + 1
    i, j = math.floor(e.lat / _CELL_DEG), math.floor(e.lon / _CELL_DEG)
    return [f"{i + di}:{j + dj}" for di in range(-lat_steps, lat_steps + 1) for dj in range(-lon_steps, lon_steps + 1)]


def _root(actor: str, ancestors: Mapping[str, tuple[str, ...]]) -> str:
    chain = ancestors.get(actor, ())
    return chain[-1] if chain else actor


def _family(actor: str, ancestors: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every actor sharing ``actor``'s root: a superset of those ``_actors_fit`` accepts."""
    root = _root(actor, ancestors)
    return {root} | {a for a, chain in ancestors.items() if chain and chain[-1] == root}


def _blocks(e: FusionEvent, r: Rules, ancestors: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Where an event is filed in the index."""
    out = []
    if e.place:
        out.append("p:" + e.place)
    if _gridded(e, r):
        out.append("c:" + _cell(e.lat, e.lon))
    if e.dated and e.precision == "day" and e.actor1:
        out.append("a:" + _root(e.actor1, ancestors))
    return out


def _probes(e: FusionEvent, r: Rules, ancestors: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Where to look for the events ``e`` can link to."""
    out = []
    if e.place:
        out.append("p:" + e.place)
    out.extend("c:" + c for c in _cells_near(e, r))
    if e.dated and e.precision == "day" and e.actor1:
        out.append("a:" + _root(e.actor1, ancestors))
    return out


def fuse_events(con, event_ids: Sequence[str]) -> FusionReport:
    """Let stored events join (or form, or merge) clusters, inside the caller's transaction.

    Only the given events are compared, against every stored event whose date window overlaps
    theirs; clusters they touch are merged and rewritten, the rest of the corpus is left alone.
    """
    r = rules()
    report = FusionReport()

    def linkable(e: FusionEvent) -> bool:
        return not (e.dated and e.precision in r.background_precisions)

    new = [e for e in _load(con, r, "id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [_strs(event_ids)]) if linkable(e)]
    report.events = len(new)
    if not new:
        return report
    ancestors = _ancestors(con)
    lo, hi = min(e.lo for e in new), max(e.hi for e in new)
    types = sorted(r.types_like(e.type for e in new))
    # Only events that share a block with a new one can link to it (see _blocks), so the pool is
    # loaded by block: the same place, a nearby grid cell, or a related initiator of a dated event.
    places = sorted({e.place for e in new if e.place})
    cells = sorted({c for e in new for c in _cells_near(e, r)})
    kin = sorted({a for e in new if e.actor1 and e.precision == "day"
                  for a in _family(e.actor1, ancestors)})
    cell_sql = "(lat IS NOT NULL AND lon IS NOT NULL AND list_contains(from_json($5, '[\"VARCHAR\"]'), " \
               f"CAST(CAST(floor(lat / {_CELL_DEG}) AS BIGINT) AS VARCHAR) || ':' || CAST(CAST(floor(lon / {_CELL_DEG}) AS BIGINT) AS VARCHAR)))"
    pool = {e.id: e for e in _load(
        con, r,
        "hi >= $1 AND lo <= $2 AND type IN (SELECT unnest(from_json($3, '[\"VARCHAR\"]'))) AND ("
        "place_id IN (SELECT unnest(from_json($4, '[\"VARCHAR\"]'))) OR " + cell_sql + " OR "
        "(date_precision = 'day' AND actor1 IN (SELECT unnest(from_json($6, '[\"VARCHAR\"]')))))",
        [lo, hi, _strs(types), _strs(places), _strs(cells), _strs(kin)]) if linkable(e)}
    pool.update((e.id, e) for e in new)

    index: dict[tuple[str, str], list[FusionEvent]] = {}
    for e in sorted(pool.values(), key=lambda e: (e.lo, e.id)):
        for block in _blocks(e, r, ancestors):
            index.setdefault((r.group(e.type), block), []).append(e)
    starts = {k: [e.lo for e in events] for k, events in index.items()}
    widest = {k: max(e.hi - e.lo for e in events) for k, events in index.items()}
    fresh = {e.id for e in new}
    edges: list[tuple[str, str]] = []
    for x in sorted(new, key=lambda e: e.id):
        group = r.group(x.type)
        seen: set[str] = set()
        for block in _probes(x, r, ancestors):
            key = (group, block)
            events = index.get(key)
            if not events:
                continue
            begins = starts[key]
            for y in events[bisect_left(begins, x.lo - widest[key]): bisect_right(begins, x.hi)]:
                if y.id in seen or y.hi < x.lo or y.doc == x.doc or (y.id in fresh and y.id <= x.id):
                    continue
                seen.add(y.id)
                if linked(x, y, ancestors=ancestors, rules_=r):
                    edges.append((x.id, y.id))
    report.links = len(edges)

    touched = sorted(fresh | {y for _, y in edges})
    old_members: dict[str, list[str]] = {}
    for cid, eid in con.execute(
        "SELECT cluster_id, event_id FROM event_cluster_members WHERE cluster_id IN "
        "(SELECT cluster_id FROM event_cluster_members WHERE event_id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]'))))",
        [_strs(touched)],
    ).fetchall():
        old_members.setdefault(cid, []).append(eid)
    if not edges:
        return report  # nothing new links: existing clusters (with any of these events) stand as they are

    parent: dict[str, str] = {}

    def find(v: str) -> str:
        parent.setdefault(v, v)
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for members in old_members.values():
        for m in members[1:]:
            union(members[0], m)
    for a, b in edges:
        union(a, b)
    components: dict[str, set[str]] = {}
    for v in list(parent):
        components.setdefault(find(v), set()).add(v)
    cluster_of = {eid: cid for cid, members in old_members.items() for eid in members}

    changed = []
    for members in components.values():
        before = {cluster_of[m] for m in members if m in cluster_of}
        if len(before) == 1 and set(old_members[next(iter(before))]) == members:
            continue  # the links found were already inside one cluster
        changed.append((members, before))
    if not changed:
        return report

    wanted = sorted({m for members, _ in changed for m in members} - pool.keys())
    if wanted:
        pool.update((e.id, e) for e in _load(con, r, "id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [_strs(wanted)]))
    summaries = [summarize([pool[m] for m in members if m in pool], ancestors=ancestors, rules_=r)
                 for members, _ in changed]
    stale = sorted({c for _, before in changed for c in before})
    if stale:
        con.execute("DELETE FROM event_cluster_members WHERE cluster_id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [_strs(stale)])
        con.execute("DELETE FROM event_clusters WHERE id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [_strs(stale)])
    from ..store.store import _insert_json  # one JSON array per table: binding rows one by one is slow

    cluster_rows, member_rows = [], []
    for s in sorted(summaries, key=lambda s: s.id):
        cluster_rows.append({"id": s.id, "type": s.type, "date_start": s.date_start, "date_end": s.date_end,
                             "date_precision": s.date_precision, "place_id": s.place, "label": s.label,
                             "attrs": json.dumps(s.attrs, sort_keys=True, ensure_ascii=False)})
        member_rows.extend({"cluster_id": s.id, "event_id": eid, "score": score} for eid, score in sorted(s.scores.items()))
    _insert_json(con, "event_clusters", _CLUSTER_COLUMNS, cluster_rows)
    _insert_json(con, "event_cluster_members", _MEMBER_COLUMNS, member_rows)
    report.written = [row["id"] for row in cluster_rows]
    report.removed = sorted(set(stale) - set(report.written))
    return report

