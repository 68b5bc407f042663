"""ACLED-style CSV: one row per event that ACLED would code, in ACLED's column names.

Only events with an ACLED event type are written (the model leaves it null where ACLED would not
code the event). Dates, actors' ``inter`` codes and precisions follow the ACLED codebook through
the small tables in ``export/data/``. A store without events gives the header alone.

:func:`acled_rows` builds the rows from flat event dicts, whether read from a store
(:func:`write_acled`) or from an in-memory situation model (:func:`write_acled_situation`).
"""

from __future__ import annotations

import csv
import functools
from datetime import date
from importlib import resources
from typing import IO, Any, Iterable, Iterator, Mapping

from ..errors import InputError, ModelError
from ..model import Situation
from .events import has_events, read_events
from .situation_events import situation_events

__all__ = ["ACLED_COLUMNS", "acled_rows", "read_acled", "write_acled", "write_acled_situation"]

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


def acled_rows(events: Iterable[dict[str, Any]], actors: Mapping[str, tuple[str, str | None]]) -> Iterator[list]:
    """ACLED rows (in ``ACLED_COLUMNS`` order) of the ACLED-codable ones among flat event dicts.

    ``events`` have the shape of :func:`sitrep.export.events.read_events`; ``actors`` maps an actor
    id to its (name, type). The one row builder behind both the store and the Situation export.
    """
    inter = _table("acled_inter.tsv")

    def name(ident):
        return actors.get(ident, (ident or "", None))[0]

    def code(ident):
        return inter.get(actors.get(ident, ("", None))[1] or "", "")

    for event in events:
        if not event["acled_event_type"]:
            continue
        when, time_precision = _date(event)
        fatalities = event["fatalities"]
        yield [
            event["id"], when, event["acled_event_type"], event["acled_sub_event_type"] or "",
            name(event["actor1"]), "; ".join(name(a) for a in event["associated_actors"]), name(event["actor2"]),
            code(event["actor1"]), code(event["actor2"]),
            event["place_name"] or "", _coord(event["place_lat"]), _coord(event["place_lon"]), _geo_precision(event),
            time_precision, event["document_source"] or "", " ".join(_notes(event).split()),
            int(fatalities) if fatalities is not None else 0,
        ]


def _notes(event: dict[str, Any]) -> str:
    """ACLED's notes: the event's evidence sentence where kept, else the stored text."""
    evidence = (event.get("attrs") or {}).get("evidence")
    if isinstance(evidence, Mapping) and evidence.get("text"):
        return str(evidence["text"])
    return event["text"] or ""


def _write(out: IO[str], rows: Iterable[list]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_acled(con, out: IO[str]) -> int:
    """Write the selected documents' ACLED-codable events to ``out``; returns the rows written."""
    if not has_events(con):
        return _write(out, ())
    actors = {i: (name, type_) for i, name, type_ in con.execute("SELECT id, name, type FROM actors").fetchall()}
    return _write(out, acled_rows(read_events(con), actors))


def write_acled_situation(situation: Situation, out: IO[str]) -> int:
    """Write a situation model's ACLED-codable events to ``out``; returns the rows written."""
    actors = {a.id: (a.name, a.type) for a in situation.actors}
    return _write(out, acled_rows(situation_events(situation), actors))


def _coord(value) -> str:
    return "" if value is None else f"{value:.4f}"


def read_acled(fh: IO[str], *, name: str = "<acled csv>") -> list[dict[str, str]]:
    """Parse an ACLED CSV we wrote back into rows, checking ACLED's columns and value types."""
    reader = csv.DictReader(fh)
    if tuple(reader.fieldnames or ()) != ACLED_COLUMNS:
        raise InputError(name, f"not an ACLED CSV (columns {reader.fieldnames!r})")
    rows = []
    for n, row in enumerate(reader, 2):
        try:
            if row["event_date"]:  # empty only when neither the event nor its document is dated
                date.fromisoformat(row["event_date"])
            int(row["fatalities"])
            for col in ("latitude", "longitude"):
                if row[col]:
                    float(row[col])
        except ValueError as exc:
            raise InputError(f"{name}:{n}", f"bad ACLED value ({exc})") from None
        if row["time_precision"] not in ("1", "2", "3") or row["geo_precision"] not in ("", "1", "2", "3"):
            raise InputError(f"{name}:{n}", "precision codes must be 1, 2 or 3")
        rows.append(row)
    return rows
