"""GeoJSON (RFC 7946): the places and events of a store, as Point features with properties.

Places carry how often the selected documents mention them; events (when the store has any) carry
their type, date, actors, fatalities and evidence, placed at their place's coordinates. Features
without coordinates are left out: a GIS cannot draw them. Features are written one at a time, so a
large store does not sit in memory as one JSON tree.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from importlib import resources
from typing import IO, Any, Iterator

from .events import has_events, read_events
from .select import SELECTED, bbox_params, in_bbox_sql

__all__ = ["geojson_schema", "validate_geojson", "write_geojson"]


@functools.lru_cache(maxsize=1)
def geojson_schema() -> dict[str, Any]:
    return json.loads(resources.files("sitrep.export").joinpath("data/geojson.schema.json").read_text("utf-8"))


def validate_geojson(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` is a FeatureCollection of Point features."""
    import jsonschema

    jsonschema.Draft202012Validator(geojson_schema()).validate(data)


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def place_features(con, *, bbox=None) -> Iterator[dict[str, Any]]:
    where, params = "", {}
    if bbox is not None:
        where = " AND " + in_bbox_sql("p.lon", "p.lat")
        params = bbox_params(bbox)
    # the selection is a temporary table, seen only by this connection (a cursor is another one);
    # the rows stream from it, so no other query may run on it until they are read
    cursor = con.execute(
        "SELECT p.id, p.name, p.feature, p.country, p.admin1, p.geonames_id, p.confidence, p.lon, p.lat, "
        "count(*) AS mentions, count(DISTINCT m.doc) AS documents, "
        "min(d.published) AS first_published, max(d.published) AS last_published "
        f"FROM mentions m JOIN {SELECTED} s ON s.id = m.doc JOIN places p ON p.id = m.entity_id "
        "JOIN documents d ON d.id = m.doc "
        f"WHERE m.kind = 'place' AND p.lat IS NOT NULL AND p.lon IS NOT NULL{where} "
        "GROUP BY ALL ORDER BY mentions DESC, p.name, p.id",
        params,
    )
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(1000):
        for row in rows:
            record = dict(zip(names, row))
            lon, lat = record.pop("lon"), record.pop("lat")
            properties = {"kind": "place", **{k: _plain(v) for k, v in record.items()}}
            yield {"type": "Feature", "id": record["id"], "geometry": _point(lon, lat), "properties": properties}


def _actor_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT id, name FROM actors").fetchall())


def event_features(con, *, bbox=None) -> Iterator[dict[str, Any]]:
    if not has_events(con):
        return
    names = _actor_names(con)
    for event in read_events(con, bbox=bbox, located_only=True):
        lon, lat = event.pop("place_lon"), event.pop("place_lat")
        properties: dict[str, Any] = {"kind": "event"}
        for key, value in event.items():
            if key == "attrs":
                continue
            properties[key] = _plain(value)
        properties["actor1_name"] = names.get(event["actor1"])
        properties["actor2_name"] = names.get(event["actor2"])
        properties["associated_actor_names"] = [names.get(a, a) for a in event["associated_actors"]]
        if event["attrs"]:
            properties["attrs"] = event["attrs"]
        yield {"type": "Feature", "id": event["id"], "geometry": _point(lon, lat), "properties": properties}


def write_geojson(con, out: IO[str], *, bbox=None) -> dict[str, int]:
    """Write the FeatureCollection of the selected documents to ``out``; returns feature counts."""
    counts = {"places": 0, "events": 0}
    out.write('{"type": "FeatureCollection", "features": [')
    first = True
    for kind, features in (("places", place_features(con, bbox=bbox)), ("events", event_features(con, bbox=bbox))):
        for feature in features:
            out.write(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False, allow_nan=False, default=str))
            first = False
            counts[kind] += 1
    out.write("\n]}\n")
    return counts
