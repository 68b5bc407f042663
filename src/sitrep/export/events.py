"""Events of the selected documents, read from the store in one flat shape for the exporters.

The events table keeps the model's core fields as columns and the rest in ``attrs`` (JSON); a
later migration may promote a field to a column. Each field is read from its column when the
table has one, else from ``attrs``; actors come from ``event_actors`` when neither names them.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from .select import SELECTED, bbox_params, in_bbox_sql

__all__ = ["EVENT_FIELDS", "has_events", "read_events"]

EVENT_FIELDS = (
    "id", "doc", "type", "mode", "code", "acled_event_type", "acled_sub_event_type", "actor1", "actor2",
    "associated_actors", "place_id", "place_qualifier", "date_start", "date_end", "date_precision", "date_text",
    "modality", "fatalities", "fatalities_qualifier", "source", "text", "confidence",
)


def has_events(con) -> bool:
    return con.execute(f"SELECT count(*) FROM events WHERE doc IN (SELECT id FROM {SELECTED})").fetchone()[0] > 0


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
    ).fetchall()]


def read_events(con, *, bbox=None, located_only: bool = False) -> Iterator[dict[str, Any]]:
    """Events of the selected documents in (published, doc, start, id) order, with their place's
    name, coordinates, feature, country and admin1, and the document's published date and source."""
    columns = _columns(con, "events")
    roles: dict[str, dict[str, list[str]]] = {}
    for event_id, actor, role in con.execute(
        "SELECT ea.event_id, ea.actor_id, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id "
        f"WHERE e.doc IN (SELECT id FROM {SELECTED}) ORDER BY ea.event_id, ea.role, ea.actor_id"
    ).fetchall():
        roles.setdefault(event_id, {}).setdefault(role, []).append(actor)
    where = [f"e.doc IN (SELECT id FROM {SELECTED})"]
    params: dict = {}
    if located_only or bbox is not None:
        where.append("p.lat IS NOT NULL AND p.lon IS NOT NULL")
    if bbox is not None:
        where.append(in_bbox_sql("p.lon", "p.lat"))
        params.update(bbox_params(bbox))
    # the selection is a temporary table, seen only by this connection (a cursor is another one);
    # the rows stream from it, so no other query may run on it until they are read
    cursor = con.execute(
        "SELECT e.*, p.name AS place_name, p.lat AS place_lat, p.lon AS place_lon, p.feature AS place_feature, "
        "p.country AS place_country, p.admin1 AS place_admin1, d.published AS published, d.source AS document_source "
        "FROM events e JOIN documents d ON d.id = e.doc LEFT JOIN places p ON p.id = e.place_id "
        f"WHERE {' AND '.join(where)} ORDER BY d.published NULLS LAST, e.doc, e.start NULLS LAST, e.id",
        params,
    )
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(1000):
        for row in rows:
            yield _flatten(dict(zip(names, row)), columns, roles)


def _flatten(row: dict[str, Any], columns: list[str], roles: dict) -> dict[str, Any]:
    attrs = row.get("attrs")
    attrs = json.loads(attrs) if isinstance(attrs, str) else (attrs or {})
    out: dict[str, Any] = {}
    for name in EVENT_FIELDS:
        if name in columns:
            out[name] = row[name]
        else:
            out[name] = attrs.get("place" if name == "place_id" else name)
    by_role = roles.get(row["id"], {})
    if out["actor1"] is None and by_role.get("source"):
        out["actor1"] = by_role["source"][0]
    if out["actor2"] is None and by_role.get("target"):
        out["actor2"] = by_role["target"][0]
    if not out["associated_actors"]:
        named = {out["actor1"], out["actor2"]}
        out["associated_actors"] = [a for role in ("source", "target", "other") for a in by_role.get(role, ())
                                    if a not in named]
    out["associated_actors"] = list(out["associated_actors"] or ())
    for key in ("place_name", "place_lat", "place_lon", "place_feature", "place_country", "place_admin1",
                "published", "document_source"):
        out[key] = row[key]
    out["attrs"] = {k: v for k, v in attrs.items() if k not in out}
    return out
