"""ACLED-style CSV: one row per event that ACLED would code, in ACLED's column names.

Only events with an ACLED event type are written (the model leaves it null where ACLED would not
code the event). Dates, actors' ``inter`` codes and precisions follow the ACLED codebook through
the small tables in ``export/data/``. A store without events gives the header alone.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import IO, Any

from ..errors import ModelError
from .events import has_events, read_events

__all__ = ["ACLED_COLUMNS", "write_acled"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "inter1", "inter2", "location", "latitude", "longitude", "geo_precision", "time_precision", "source",
    "notes", "fatalities",
)


@functools.lru_cache(maxsize=8)
def _table(name: str) -> dict[str, str]:
    """A two-column TSV from export/data (``#`` lines are comments)."""
    path = resources.files("sitrep.export").joinpath(f"data/{name}")
    out = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ModelError(f"{path}:{number}: expected two tab-separated columns; reinstall sitrep")
        out[parts[0]] = parts[1]
    return out


def _date(event: dict[str, Any]) -> tuple[str, str]:
    """ACLED's event_date (ISO) and time_precision: the event's own date, else the publication date."""
    precision = _table("acled_time_precision.tsv")
    start = event["date_start"]
    if start and not start.startswith("--"):
        return str(start)[:10], precision.get(event["date_precision"] or "unknown", "3")
    published = event["published"]
    return (published.isoformat() if published else ""), precision["unknown"]


def _geo_precision(event: dict[str, Any]) -> str:
    if event["place_feature"] is None:
        return ""
    level = int(_table("acled_geo_precision.tsv").get(event["place_feature"], "2"))
    if event["place_qualifier"]:  # "near", "west of": ACLED codes the surroundings of a town as 2
        level = max(level, 2)
    return str(level)


def write_acled(con, out: IO[str]) -> int:
    """Write the selected documents' ACLED-codable events to ``out``; returns the rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    if not has_events(con):
        return 0
    actors = {i: (name, type_) for i, name, type_ in con.execute("SELECT id, name, type FROM actors").fetchall()}
    inter = _table("acled_inter.tsv")

    def name(ident):
        return actors.get(ident, (ident or "", None))[0]

    def code(ident):
        return inter.get(actors.get(ident, ("", None))[1] or "", "")

    rows = 0
    for event in read_events(con):
        if not event["acled_event_type"]:
            continue
        when, time_precision = _date(event)
        fatalities = event["fatalities"]
        writer.writerow([
            event["id"], when, event["acled_event_type"], event["acled_sub_event_type"] or "",
            name(event["actor1"]), "; ".join(name(a) for a in event["associated_actors"]), name(event["actor2"]),
            code(event["actor1"]), code(event["actor2"]),
            event["place_name"] or "", _coord(event["place_lat"]), _coord(event["place_lon"]), _geo_precision(event),
            time_precision, event["document_source"] or "", " ".join((event["text"] or "").split()),
            int(fatalities) if fatalities is not None else 0,
        ])
        rows += 1
    return rows


def _coord(value) -> str:
    return "" if value is None else f"{value:.4f}"
