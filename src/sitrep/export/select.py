"""Which documents an export covers: ``--since/--until/--actor/--place/--bbox``.

The selection is a temporary table, ``export_docs(id)``, on the store's connection (read-only
stores allow temporary tables); every exporter joins its rows to it. All values travel as bound
parameters: nothing a user types becomes SQL text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError

__all__ = ["Filters", "parse_bbox", "select_documents", "SELECTED"]

SELECTED = "export_docs"  # the temporary table holding the selected document ids


@dataclass(frozen=True, slots=True)
class Filters:
    """Keep documents published in [since, until], mentioning ``actor`` and ``place`` (an id, key,
    name or alias), and mentioning a place inside ``bbox`` (min lon, min lat, max lon, max lat)."""

    since: date | None = None
    until: date | None = None
    actor: str | None = None
    place: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.since, self.until, self.actor, self.place, self.bbox))


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"minlon,minlat,maxlon,maxlat"`` as four floats; a box across the antimeridian has minlon > maxlon."""
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ConfigError(f"--bbox {text!r}: give four numbers, minlon,minlat,maxlon,maxlat, e.g. 35.7,32.3,42.4,37.3")
    minlon, minlat, maxlon, maxlat = values
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        raise ConfigError(f"--bbox {text!r}: longitudes must lie in [-180, 180], latitudes in [-90, 90], minlat <= maxlat")
    return values


def in_bbox_sql(lon: str, lat: str) -> str:
    """A condition on columns ``lon``/``lat`` with parameters $minlon, $minlat, $maxlon, $maxlat."""
    return (f"({lat} BETWEEN $minlat AND $maxlat AND CASE WHEN $minlon <= $maxlon "
            f"THEN {lon} BETWEEN $minlon AND $maxlon ELSE ({lon} >= $minlon OR {lon} <= $maxlon) END)")


def bbox_params(bbox) -> dict:
    return dict(zip(("minlon", "minlat", "maxlon", "maxlat"), bbox))


_ACTOR_MATCH = (
    "SELECT id FROM actors WHERE id = $actor OR key = $actor OR lower(name) = lower($actor) "
    "OR list_contains(list_transform(aliases, x -> lower(x)), lower($actor))"
)
_PLACE_MATCH = (
    "SELECT id FROM places WHERE id = $place OR key = $place OR lower(name) = lower($place)"
)


def select_documents(con, filters: Filters) -> int:
    """Fill ``export_docs`` with the analysed documents ``filters`` keep; returns how many.

    Raises ConfigError when ``--actor`` or ``--place`` names nothing in the store (a typo would
    otherwise export an empty file without a word)."""
    where = ["d.status = 'ok'"]
    params: dict = {}
    if filters.since is not None:
        where.append("d.published >= $since")
        params["since"] = filters.since
    if filters.until is not None:
        where.append("d.published <= $until")
        params["until"] = filters.until
    for kind, value, match in (("actor", filters.actor, _ACTOR_MATCH), ("place", filters.place, _PLACE_MATCH)):
        if value is None:
            continue
        if not con.execute(f"SELECT count(*) FROM ({match})", {kind: value}).fetchone()[0]:
            raise ConfigError(f"--{kind} {value!r}: no {kind} with this id, key or name in the store; "
                              f"list them with: sitrep query --db STORE \"SELECT id, name FROM {kind}s\"")
        where.append(f"d.id IN (SELECT doc FROM mentions WHERE kind = '{kind}' AND entity_id IN ({match}))")
        params[kind] = value
    if filters.bbox is not None:
        where.append("d.id IN (SELECT m.doc FROM mentions m JOIN places p ON p.id = m.entity_id "
                     f"WHERE m.kind = 'place' AND {in_bbox_sql('p.lon', 'p.lat')})")
        params.update(bbox_params(filters.bbox))
    con.execute(f"DROP TABLE IF EXISTS temp.{SELECTED}")
    con.execute(f"CREATE TEMP TABLE {SELECTED} AS SELECT d.id FROM documents d WHERE {' AND '.join(where)}", params)
    return con.execute(f"SELECT count(*) FROM {SELECTED}").fetchone()[0]
