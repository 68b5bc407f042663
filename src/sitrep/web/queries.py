"""What ``sitrep serve`` reads from the store, one page's worth at a time.

Every statement here is a constant: filters are written once with named parameters that switch
themselves off when empty (``$actor IS NULL OR …``), so no request can change the SQL text, only
the values bound to it. Pages read what they show (a page of rows, the counts for those rows, one
document's evidence) rather than the whole situation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping

from ..store import Store

_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """The PLOVER event types: the only values the ``type`` filter accepts."""
    text = resources.files("sitrep.extract").joinpath("data", "plover_types.json").read_text(encoding="utf-8")
    return tuple(sorted(json.loads(text)["types"]))


def like_pattern(text: str) -> str:
    """``%text%`` for ILIKE … ESCAPE '\\', with the user's own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class Filters:
    """The corpus filters, already validated by the request layer."""

    q: str | None = None
    actor: str | None = None
    place: str | None = None
    type: str | None = None
    publisher: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def params(self) -> dict[str, Any]:
        return {
            "q": like_pattern(self.q) if self.q else None,
            "actor": self.actor or None,
            "actor_like": like_pattern(self.actor) if self.actor else None,
            "place": self.place or None,
            "place_like": like_pattern(self.place) if self.place else None,
            "type": self.type or None,
            "publisher": self.publisher or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.q, self.actor, self.place, self.type, self.publisher,
                                                 self.date_from, self.date_to))


# Documents that mention an actor/place whose id is the filter, or whose name contains it.
_ACTOR_DOCS = """(SELECT m.doc FROM mentions m JOIN actors a ON a.id = m.entity_id
     WHERE m.kind = 'actor' AND (a.id = $actor::VARCHAR OR a.name ILIKE $actor_like::VARCHAR ESCAPE '\\'))"""
_PLACE_DOCS = """(SELECT m.doc FROM mentions m JOIN places p ON p.id = m.entity_id
     WHERE m.kind = 'place' AND (p.id = $place::VARCHAR OR p.name ILIKE $place_like::VARCHAR ESCAPE '\\'))"""

_DOC_WHERE = f"""
WHERE ($q::VARCHAR IS NULL OR d.title ILIKE $q ESCAPE '\\' OR d.text ILIKE $q ESCAPE '\\')
  AND ($publisher::VARCHAR IS NULL OR d.source = $publisher)
  AND ($date_from::DATE IS NULL OR d.published >= $date_from)
  AND ($date_to::DATE IS NULL OR d.published <= $date_to)
  AND ($actor::VARCHAR IS NULL OR d.id IN {_ACTOR_DOCS})
  AND ($place::VARCHAR IS NULL OR d.id IN {_PLACE_DOCS})
  AND ($type::VARCHAR IS NULL OR d.id IN (SELECT doc FROM events WHERE type = $type))
"""

DOCUMENTS_PAGE = f"""
SELECT d.id, d.title, d.source, d.published, d.status, d.error, d.chars
FROM documents d {_DOC_WHERE}
ORDER BY d.published DESC NULLS LAST, d.id
LIMIT $limit OFFSET $offset
"""

DOCUMENTS_TOTAL = f"""
SELECT count(*) AS total FROM documents d {_DOC_WHERE}
"""

DOCUMENT_IDS = f"""
SELECT d.id FROM documents d {_DOC_WHERE}
ORDER BY d.published DESC NULLS LAST, d.id
LIMIT $limit
"""

# Per-document counts for the rows of one page.
DOCUMENT_COUNTS = """
WITH ids AS (SELECT unnest($ids::VARCHAR[]) AS id)
SELECT ids.id,
  (SELECT count(*) FROM mentions m WHERE m.doc = ids.id AND m.kind = 'actor') AS actor_mentions,
  (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.doc = ids.id AND m.kind = 'actor') AS actors,
  (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.doc = ids.id AND m.kind = 'place') AS places,
  (SELECT count(*) FROM events e WHERE e.doc = ids.id) AS events,
  (SELECT count(*) FROM claims c WHERE c.doc = ids.id) AS claims,
  (SELECT count(*) FROM techniques t WHERE t.doc = ids.id) AS techniques
FROM ids
"""

TOP_ACTORS = f"""
SELECT a.id, a.name, a.type, count(*) AS n
FROM mentions m JOIN actors a ON a.id = m.entity_id
WHERE m.kind = 'actor' AND m.doc IN (SELECT d.id FROM documents d {_DOC_WHERE})
GROUP BY a.id, a.name, a.type ORDER BY n DESC, a.name LIMIT 12
"""

TOP_PLACES = f"""
SELECT p.id, p.name, p.feature, count(*) AS n
FROM mentions m JOIN places p ON p.id = m.entity_id
WHERE m.kind = 'place' AND m.doc IN (SELECT d.id FROM documents d {_DOC_WHERE})
GROUP BY p.id, p.name, p.feature ORDER BY n DESC, p.name LIMIT 12
"""

STORED_EVENT_TYPES = """
SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY type
"""

PUBLISHERS = """
SELECT source, count(*) AS n FROM documents GROUP BY source ORDER BY n DESC, source LIMIT 200
"""

TOTALS = """
SELECT (SELECT count(*) FROM documents) AS documents,
       (SELECT count(*) FROM documents WHERE status = 'error') AS failed,
       (SELECT count(*) FROM actors WHERE first_doc IS NOT NULL) AS actors,
       (SELECT count(*) FROM places) AS places,
       (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM event_clusters) AS clusters,
       (SELECT count(*) FROM techniques) AS techniques
"""

# An event's date counts where it is a full ISO date; otherwise its document's publication date.
_EVENT_DAY = "coalesce(TRY_CAST(e.date_start AS DATE), d.published)"
_EVENT_WHERE = f"""
WHERE ($q::VARCHAR IS NULL OR e.text ILIKE $q ESCAPE '\\' OR d.title ILIKE $q ESCAPE '\\')
  AND ($publisher::VARCHAR IS NULL OR d.source = $publisher)
  AND ($date_from::DATE IS NULL OR {_EVENT_DAY} >= $date_from)
  AND ($date_to::DATE IS NULL OR {_EVENT_DAY} <= $date_to)
  AND ($actor::VARCHAR IS NULL OR e.id IN (SELECT ea.event_id FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
       WHERE a.id = $actor::VARCHAR OR a.name ILIKE $actor_like::VARCHAR ESCAPE '\\'))
  AND ($place::VARCHAR IS NULL OR e.place_id = $place::VARCHAR OR p.name ILIKE $place_like::VARCHAR ESCAPE '\\')
  AND ($type::VARCHAR IS NULL OR e.type = $type)
"""

EVENTS_PAGE = f"""
SELECT e.id, e.doc, e.type, e.mode, e.start, e."end", e.text, e.date_start, e.date_end, e.date_precision,
       substr(d.text, greatest(e.start - 90, 0) + 1, e.start - greatest(e.start - 90, 0)) AS before,
       substr(d.text, e."end" + 1, 90) AS after,
       e.date_text, e.modality, e.place_id, p.name AS place_name, d.title, d.source, d.published
FROM events e JOIN documents d ON d.id = e.doc LEFT JOIN places p ON p.id = e.place_id
{_EVENT_WHERE}
ORDER BY {_EVENT_DAY} DESC NULLS LAST, e.doc, e.start
LIMIT $limit OFFSET $offset
"""

EVENTS_TOTAL = f"""
SELECT count(*) AS total
FROM events e JOIN documents d ON d.id = e.doc LEFT JOIN places p ON p.id = e.place_id
{_EVENT_WHERE}
"""

EVENT_ACTORS = """
SELECT ea.event_id, ea.role, a.id, a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
WHERE ea.event_id IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY ea.event_id, CASE ea.role WHEN 'source' THEN 0 WHEN 'target' THEN 1 ELSE 2 END, a.name
"""

EVENT_QUANTITIES = """
SELECT q.owner_id, q.value, q.unit, q.approx, q.text, q.doc, q.start, q."end"
FROM quantities q WHERE q.owner_kind = 'event' AND q.owner_id IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY q.owner_id, q.start
"""

_CLUSTER_WHERE = f"""
WHERE ($q::VARCHAR IS NULL OR c.label ILIKE $q ESCAPE '\\')
  AND ($type::VARCHAR IS NULL OR c.type = $type)
  AND ($place::VARCHAR IS NULL OR c.place_id = $place::VARCHAR OR p.name ILIKE $place_like::VARCHAR ESCAPE '\\')
  AND ($date_from::DATE IS NULL OR TRY_CAST(c.date_start AS DATE) >= $date_from)
  AND ($date_to::DATE IS NULL OR TRY_CAST(c.date_start AS DATE) <= $date_to)
  AND ($actor::VARCHAR IS NULL OR c.id IN (SELECT cm.cluster_id FROM event_cluster_members cm
       JOIN event_actors ea ON ea.event_id = cm.event_id JOIN actors a ON a.id = ea.actor_id
       WHERE a.id = $actor::VARCHAR OR a.name ILIKE $actor_like::VARCHAR ESCAPE '\\'))
  AND ($publisher::VARCHAR IS NULL OR c.id IN (SELECT cm.cluster_id FROM event_cluster_members cm
       JOIN events e ON e.id = cm.event_id JOIN documents d ON d.id = e.doc WHERE d.source = $publisher))
"""

CLUSTERS_PAGE = f"""
SELECT c.id, c.type, c.label, c.date_start, c.date_end, c.date_precision, c.place_id, p.name AS place_name,
       (SELECT count(*) FROM event_cluster_members cm WHERE cm.cluster_id = c.id) AS members,
       (SELECT count(DISTINCT e.doc) FROM event_cluster_members cm JOIN events e ON e.id = cm.event_id
        WHERE cm.cluster_id = c.id) AS documents
FROM event_clusters c LEFT JOIN places p ON p.id = c.place_id
{_CLUSTER_WHERE}
ORDER BY TRY_CAST(c.date_start AS DATE) DESC NULLS LAST, c.id
LIMIT $limit OFFSET $offset
"""

CLUSTERS_TOTAL = f"""
SELECT count(*) AS total FROM event_clusters c LEFT JOIN places p ON p.id = c.place_id
{_CLUSTER_WHERE}
"""

CLUSTER = """
SELECT c.id, c.type, c.label, c.date_start, c.date_end, c.date_precision, c.place_id, p.name AS place_name, c.attrs
FROM event_clusters c LEFT JOIN places p ON p.id = c.place_id WHERE c.id = $id
"""

CLUSTER_MEMBERS = """
SELECT e.id, e.doc, e.type, e.mode, e.start, e."end", e.text, e.date_start, e.date_end, e.date_precision,
       substr(d.text, greatest(e.start - 90, 0) + 1, e.start - greatest(e.start - 90, 0)) AS before,
       substr(d.text, e."end" + 1, 90) AS after,
       e.date_text, e.modality, e.place_id, p.name AS place_name, d.title, d.source, d.published, cm.score
FROM event_cluster_members cm JOIN events e ON e.id = cm.event_id JOIN documents d ON d.id = e.doc
LEFT JOIN places p ON p.id = e.place_id
WHERE cm.cluster_id = $id
ORDER BY d.published NULLS LAST, d.source, e.doc, e.start
"""

EXISTING_DOCUMENTS = """
SELECT id FROM documents WHERE id IN (SELECT unnest($ids::VARCHAR[])) ORDER BY id
"""

DOCUMENT = """
SELECT id, title, source, published, status, error, chars, text FROM documents WHERE id = $id
"""

DOCUMENT_TECHNIQUES = """
SELECT id, technique, start, "end", text, confidence FROM techniques WHERE doc = $id ORDER BY start, "end"
"""

DOCUMENT_CLUSTERS = """
SELECT DISTINCT c.id, c.label, c.type FROM event_cluster_members cm JOIN events e ON e.id = cm.event_id
JOIN event_clusters c ON c.id = cm.cluster_id WHERE e.doc = $id ORDER BY c.id
"""

SITUATION_EVENTS = """
SELECT e.id, e.doc, e.type, e.mode, e.code, e.start, e."end", e.raw_start, e.raw_end, e.text,
       e.date_start, e.date_end, e.date_precision, e.date_text, e.modality, e.place_id, e.confidence, e.attrs
FROM events e WHERE e.doc IN (SELECT unnest($ids::VARCHAR[])) ORDER BY e.doc, e.start
"""

SITUATION_CLAIMS = """
SELECT id, doc, text, kind, speaker, speaker_text, cue, certainty, checkworthiness, events,
       start, "end", raw_start, raw_end, attrs
FROM claims WHERE doc IN (SELECT unnest($ids::VARCHAR[])) ORDER BY doc, start
"""

SITUATION_TECHNIQUES = """
SELECT id, doc, technique, start, "end", text, confidence FROM techniques
WHERE doc IN (SELECT unnest($ids::VARCHAR[])) ORDER BY doc, start
"""

# The statements of these documents behind each edge of the actor network (docs/store.md).
SITUATION_RELATIONS = """
SELECT relation_id AS id, source_id, target_id, kind, event_id, doc, day, start, "end", raw_start, raw_end, text
FROM relation_events WHERE doc IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY relation_id, day IS NULL, day, doc, start, event_id
"""

EXTRA_PLACES = """
SELECT id, name, feature, lat, lon, geonames_id, country, admin1, confidence FROM places
WHERE id IN (SELECT unnest($ids::VARCHAR[]))
"""


def records(store: Store, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    return store.query(sql, dict(params)).records()


def _attrs(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _mention(doc: str, start: Any, end: Any, text: Any, raw_start: Any = None, raw_end: Any = None) -> dict | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return {"doc": doc, "start": start, "end": end, "text": text or "", "raw_start": raw_start, "raw_end": raw_end}


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text or ""))


def situation_payload(store: Store, doc_ids: Iterable[str]) -> dict[str, Any]:
    """The situation model of some documents, in the shape ``report.js`` draws.

    Documents, actors and places come from :meth:`Store.situation`; the later stages' tables
    (events, claims, techniques, relations) are read for the same documents and turned into the
    model's records, so the views light up as those tables fill.
    """
    ids = sorted(set(doc_ids))
    data = store.situation(ids).to_dict()
    params = {"ids": ids}
    roles: dict[str, dict[str, list[str]]] = {}
    events = records(store, SITUATION_EVENTS, params)
    if events:
        for row in records(store, EVENT_ACTORS, {"ids": [e["id"] for e in events]}):
            roles.setdefault(row["event_id"], {}).setdefault(row["role"], []).append(row["id"])
    quantities: dict[str, list[dict]] = {}
    if events:
        for row in records(store, EVENT_QUANTITIES, {"ids": [e["id"] for e in events]}):
            quantities.setdefault(row["owner_id"], []).append(row)
    out_events = []
    for e in events:
        attrs = _attrs(e["attrs"])
        trigger = _mention(e["doc"], e["start"], e["end"], e["text"], e["raw_start"], e["raw_end"])
        ev = attrs.get("evidence")
        evidence = (_mention(e["doc"], ev.get("start"), ev.get("end"), ev.get("text"))
                    if isinstance(ev, Mapping) else None) or trigger
        who = roles.get(e["id"], {})
        deaths = [q["value"] for q in quantities.get(e["id"], ()) if q["unit"] in ("killed", "dead", "deaths", "people killed")]
        out_events.append({
            "id": e["id"], "doc": e["doc"], "type": e["type"], "mode": e["mode"], "code": e["code"],
            "acled_event_type": attrs.get("acled_event_type"),
            "actor1": (who.get("source") or [None])[0], "actor2": (who.get("target") or [None])[0],
            "associated_actors": who.get("other", []), "place": e["place_id"],
            "date": {"start": e["date_start"], "end": e["date_end"], "precision": e["date_precision"], "text": e["date_text"]},
            "fatalities": attrs.get("fatalities", min(deaths) if deaths else None),
            "modality": e["modality"], "confidence": e["confidence"], "trigger": trigger, "evidence": evidence,
        })
    data["events"] = out_events

    claims = []
    for c in records(store, SITUATION_CLAIMS, params):
        attrs = _attrs(c["attrs"])
        events_of = list(c["events"] or [])
        claims.append({
            "id": c["id"], "doc": c["doc"], "text": c["text"], "kind": c["kind"], "speaker": c["speaker"],
            "speaker_text": c["speaker_text"], "cue": c["cue"], "certainty": c["certainty"],
            "checkworthiness": c["checkworthiness"], "events": events_of, "event": events_of[0] if events_of else None,
            "cue_mention": attrs.get("cue_mention"), "certainty_cues": attrs.get("certainty_cues") or [],
            "evidence": _mention(c["doc"], c["start"], c["end"], (attrs.get("evidence") or {}).get("text", c["text"]),
                                 c["raw_start"], c["raw_end"]),
        })
    data["claims"] = claims
    data["techniques"] = [
        {"id": t["id"], "doc": t["doc"], "start": t["start"], "end": t["end"], "text": t["text"],
         "technique": t["technique"], "score": t["confidence"]}
        for t in records(store, SITUATION_TECHNIQUES, params)
    ]
    # Relations: one edge per (source, target, kind), weighted by the events of these documents
    # that state it, with the earliest few statements as evidence (sitrep.resolve.relations).
    from ..resolve.relations import relation_rules

    cap = relation_rules().evidence_cap
    edges: dict[str, dict[str, Any]] = {}
    for r in records(store, SITUATION_RELATIONS, params):
        edge = edges.setdefault(r["id"], {"id": r["id"], "source": r["source_id"], "target": r["target_id"],
                                          "kind": r["kind"], "weight": 0, "first": None, "last": None,
                                          "events": [], "evidence": []})
        edge["weight"] += 1
        edge["events"].append(r["event_id"])
        if r["day"]:
            edge["first"] = min(edge["first"] or r["day"], r["day"])
            edge["last"] = max(edge["last"] or r["day"], r["day"])
        m = _mention(r["doc"], r["start"], r["end"], r["text"], r["raw_start"], r["raw_end"])
        if m and len(edge["evidence"]) < cap:
            edge["evidence"].append(m)
    data["relations"] = list(edges.values())

    # An event's place is drawn even where no mention of it survived in these documents.
    known = {p["id"] for p in data["places"]}
    missing = sorted({e["place"] for e in out_events if e["place"] and e["place"] not in known})
    if missing:
        for p in records(store, EXTRA_PLACES, {"ids": missing}):
            data["places"].append({**p, "mentions": []})
    return data
