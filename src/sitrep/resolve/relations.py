"""The actor network: events between two actors become weighted, dated edges.

An event of a listed PLOVER type with both an initiator (actor1) and a target (actor2) states a
relation from the first to the second: ``extract/data/relation_kinds.json`` maps ASSAULT to
``hostile``, AID to ``allied``, CONSULT to ``negotiates``, ACCUSE to ``accuses`` and so on. One
edge per (source, target, kind) sums its events: ``weight`` is how many events state it,
``first``/``last`` bound their dates, and ``evidence`` keeps the first few statements (earliest
first), so an edge can always be traced back to the words that make it.

The store keeps one row per stated event (``relation_events``) and derives each edge from all its
rows, so edges grow as documents arrive and come out the same whatever order they arrived in
(:func:`store_relations`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Mapping

from ..errors import ModelError
from ..ids import stable_id
from ..model import RELATION_KINDS, Event, Mention, Relation

__all__ = ["RelationRules", "rebuild_relations", "relation_id", "relation_rules", "relations_from_events",
           "store_relations"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class RelationRules:
    kinds: Mapping[str, str]  # PLOVER type -> relation kind
    excluded_modalities: frozenset[str]
    evidence_cap: int


@lru_cache(maxsize=1)
def relation_rules() -> RelationRules:
    path = resources.files("sitrep.extract").joinpath("data", "relation_kinds.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kinds = {str(k): str(v) for k, v in data["kinds"].items()}
        unknown = sorted(set(kinds.values()) - set(RELATION_KINDS))
        if unknown:
            raise ValueError(f"unknown relation kind(s) {', '.join(unknown)}; use {', '.join(RELATION_KINDS)}")
        return RelationRules(kinds=kinds, excluded_modalities=frozenset(data["excluded_modalities"]),
                             evidence_cap=int(data["evidence_cap"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read the relation kinds ({exc})") from exc


def relation_id(source: str, target: str, kind: str) -> str:
    return stable_id("relation", source, target, kind)


def _event_day(event: Event, dates: Mapping[str, object] | None) -> str | None:
    """The event's own day when the text dates it to one; else its document's date, if given."""
    start = event.date.start
    if start and _ISO_DAY.fullmatch(start):
        return start
    if dates is not None:
        when = dates.get(event.doc)
        if isinstance(when, date):
            return when.isoformat()
        if isinstance(when, str) and _ISO_DAY.fullmatch(when):
            return when
    return None


def _statement_order(item: tuple[str | None, Event]) -> tuple:
    day, event = item
    return (day is None, day or "", event.doc, event.evidence.start, event.id)


def relation_statements(events: Iterable[Event], *, dates: Mapping[str, object] | None = None,
                        rules_: RelationRules | None = None) -> Iterator[tuple[str, str, str, str | None, Event]]:
    """``(source, target, kind, day, event)`` for every event that states a relation."""
    r = rules_ or relation_rules()
    for event in events:
        kind = r.kinds.get(event.type)
        if kind is None or event.modality in r.excluded_modalities:
            continue
        if not event.actor1 or not event.actor2 or event.actor1 == event.actor2:
            continue
        yield event.actor1, event.actor2, kind, _event_day(event, dates), event


def relations_from_events(events: Iterable[Event], *, dates: Mapping[str, object] | None = None,
                          rules_: RelationRules | None = None) -> Iterator[Relation]:
    """One :class:`~sitrep.model.Relation` per (source, target, kind) the events state.

    ``dates`` maps a document id to its publication date (a ``date`` or ISO text); it dates the
    events whose text gives no day. Edges come sorted by (source, target, kind); each keeps every
    event id and the evidence of its earliest ``evidence_cap`` statements.

    >>> from sitrep import analyze  # doctest: +SKIP
    >>> situation = analyze(["report.txt"])  # doctest: +SKIP
    >>> dates = {d.id: d.published for d in situation.documents}  # doctest: +SKIP
    >>> edges = list(relations_from_events(situation.events, dates=dates))  # doctest: +SKIP
    """
    r = rules_ or relation_rules()
    grouped: dict[tuple[str, str, str], list[tuple[str | None, Event]]] = {}
    seen: set[str] = set()
    for source, target, kind, day, event in relation_statements(events, dates=dates, rules_=r):
        if event.id in seen:
            continue
        seen.add(event.id)
        grouped.setdefault((source, target, kind), []).append((day, event))
    for (source, target, kind), items in sorted(grouped.items()):
        items.sort(key=_statement_order)
        days = [d for d, _ in items if d is not None]
        yield Relation(
            id=relation_id(source, target, kind), source=source, target=target, kind=kind, weight=len(items),
            first=min(days) if days else None, last=max(days) if days else None,
            events=tuple(e.id for _, e in items),
            evidence=tuple(e.evidence for _, e in items[: r.evidence_cap]),
        )


# --- the store side ------------------------------------------------------------------------------

_STATEMENT_COLUMNS = {
    "relation_id": "VARCHAR", "event_id": "VARCHAR", "kind": "VARCHAR", "source_id": "VARCHAR", "target_id": "VARCHAR", "doc": "VARCHAR", "day": "VARCHAR", "start": "INTEGER",
    "end": "INTEGER", "raw_start": "INTEGER", "raw_end": "INTEGER", "text": "VARCHAR",
}


def store_relations(con, events: Iterable[Event], *, dates: Mapping[str, object] | None = None) -> list[str]:
    """Add the relations ``events`` state to the store, inside the caller's transaction.

    Each statement is a ``relation_events`` row (keyed by relation and event, so a repeat adds
    nothing); every edge they touch is then recomputed from all its rows. Returns the edge ids
    written.
    """
    from ..store.store import _insert_json  # one JSON array per statement (see there)

    r = relation_rules()
    rows = []
    for source, target, kind, day, event in relation_statements(events, dates=dates, rules_=r):
        m = event.evidence
        rows.append({"relation_id": relation_id(source, target, kind), "event_id": event.id, "kind": kind,
                     "source_id": source, "target_id": target, "doc": event.doc, "day": day, "start": m.start,
                     "end": m.end, "raw_start": m.raw_start, "raw_end": m.raw_end, "text": m.text})
    if not rows:
        return []
    edges = sorted({row["relation_id"] for row in rows})
    _insert_json(con, "relation_events", _STATEMENT_COLUMNS, rows, "ON CONFLICT DO NOTHING")
    rebuild_relations(con, edges)
    return edges


def rebuild_relations(con, relation_ids: Iterable[str] | None = None) -> None:
    """Recompute edges (all with None) from their ``relation_events`` rows."""
    r = relation_rules()
    if relation_ids is None:
        con.execute("DELETE FROM relations")
        where, params = "", []
    else:
        ids = json.dumps(sorted(set(relation_ids)))
        con.execute("DELETE FROM relations WHERE id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [ids])
        where, params = "WHERE relation_id IN (SELECT unnest(from_json($1, '[\"VARCHAR\"]')))", [ids]
    # the evidence kept is the earliest statements, in the order relations_from_events sorts them
    con.execute(f"""
INSERT INTO relations (id, kind, source_id, target_id, weight, first, last, evidence)
SELECT relation_id, any_value(kind), any_value(source_id), any_value(target_id), count(*), min(day), max(day),
       to_json(list({{'doc': doc, 'start': start, 'end': "end", 'text': text, 'raw_start': raw_start,
                      'raw_end': raw_end}} ORDER BY day IS NULL, day, doc, start, event_id)[1:{r.evidence_cap}])
FROM relation_events {where}
GROUP BY relation_id""", params)


def mention_of(d: Mapping[str, object]) -> Mention:
    return Mention(d["doc"], d["start"], d["end"], d["text"], d.get("raw_start"), d.get("raw_end"))
