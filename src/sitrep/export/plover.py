"""PLOVER JSON records: one event per line, in the field names of the PLOVER manual.

The manual (draft 2.0, chapter 6) names the fields with spaces ("event loc", "text info"); we
write them with underscores, as JSON keys usually are, and one record per line (JSON Lines, the
format the manual suggests). The mapping from the situation model, documented in docs/events.md:

- ``id`` = our event id; ``date``/``enddate`` = the event's dates when the day is known, else the
  document's publication date (null when neither is known: the manual requires a date, we never
  invent one); ``date_precision`` (ours) says which;
- ``actor``/``recipient`` = actor1 (with the associated actors of the initiating side left out:
  ACLED's ``assoc_actor_1`` is not PLOVER's) and actor2, as entity objects: ``code`` the actor's
  3-letter country, ``sector`` its PLOVER sector code, ``entity_text`` the words of the text,
  ``identifier_id``/``identifier_text`` our actor id and canonical name (the manual suggests
  Wikidata ids, which our registry does not carry);
- ``event`` = [type], ``mode`` = [mode] where the manual defines one, ``quad_code`` from
  ``data/plover_quad.tsv`` (manual Table 7.2);
- ``event_loc`` = the event's place as the manual's location object (Table 6.6), ``resolution``
  from ``data/plover_resolution.tsv``; ``qualifier`` (ours) keeps "near", "west of";
- ``event_text`` = [the trigger word], ``text`` = the evidence span, ``text_info`` its offsets
  in the normalised document text; ``cite_info`` names the document, ``size.dead`` the
  fatalities; ``modality``, ``reported_by`` and ``acled_*`` are our own fields.

Every record validates against ``data/plover.schema.json`` (:func:`validate_plover`).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import IO, Any, Iterable, Iterator, Mapping

from .. import __version__
from ..errors import InputError, ModelError
from ..model import Actor, Situation
from .acled import _table
from .situation_events import situation_events

__all__ = ["CODEBOOK", "plover_records", "plover_schema", "read_plover", "validate_plover", "write_plover_situation"]

CODEBOOK = "PLOVER manual draft 2.0 (2024-02-04)"


@functools.lru_cache(maxsize=1)
def plover_schema() -> dict:
    path = resources.files("sitrep.export").joinpath("data/plover.schema.json")
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the PLOVER record schema ({exc}); reinstall sitrep") from exc


@functools.lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = plover_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate_plover(record: Mapping[str, Any]) -> list[str]:
    """The schema violations of one record (empty when it is a valid PLOVER record)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
            for e in _validator().iter_errors(record)]


def _entity(actor_id: str, actors: Mapping[str, Actor], doc: str) -> dict[str, Any]:
    actor = actors.get(actor_id)
    if actor is None:
        return {"entity_text": "", "identifier_id": actor_id}
    out: dict[str, Any] = {
        "entity_text": next((m.text for m in actor.mentions if m.doc == doc), actor.name),
        "identifier_id": actor.id,
        "identifier_text": actor.name,
    }
    if actor.country and len(actor.country) == 3 and actor.country.isalpha():
        out["code"] = actor.country.upper()
    sector = (actor.codes or {}).get("plover")
    if sector and sector.isalpha() and len(sector) in (3, 6):
        out["sector"] = sector.upper()
    return out


def _location(event: dict[str, Any]) -> dict[str, Any] | None:
    if event["place_name"] is None:
        return None
    loc: dict[str, Any] = {"resolved_place": event["place_name"]}
    text = (event.get("attrs") or {}).get("place_text")
    if text:
        loc["extracted_place"] = text
    if event.get("place_geonames_id") is not None:
        loc["geonameid"] = int(event["place_geonames_id"])
    if event["place_lat"] is not None and event["place_lon"] is not None:
        loc["lat"], loc["lon"] = float(event["place_lat"]), float(event["place_lon"])
    if event["place_admin1"]:
        loc["province"] = event["place_admin1"]
    if event["place_country"] and len(event["place_country"]) == 3:
        loc["country_code"] = event["place_country"]
    resolution = _table("plover_resolution.tsv").get(event["place_feature"] or "")
    if resolution:
        loc["resolution"] = int(resolution)
    if event["place_qualifier"]:
        loc["qualifier"] = event["place_qualifier"]
    return loc


def _dates(event: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """(date, enddate, precision): the event's own day-or-coarser date with a year, else the
    publication day (precision ``unknown``), else none."""
    start, end = event["date_start"], event["date_end"]
    if start and not str(start).startswith("--"):
        end = str(end)[:10] if end and not str(end).startswith("--") and str(end)[:10] != str(start)[:10] else None
        return str(start)[:10], end, event["date_precision"] or "unknown"
    published = event["published"]
    return (published.isoformat() if published else None), None, "unknown"


def plover_records(events: Iterable[dict[str, Any]], actors: Mapping[str, Actor]) -> Iterator[dict[str, Any]]:
    """PLOVER records of flat event dicts (the shape of :func:`sitrep.export.events.read_events`)."""
    quads = _table("plover_quad.tsv")
    coder = f"sitrep {__version__}"
    for event in events:
        when, until, precision = _dates(event)
        rec: dict[str, Any] = {"id": event["id"], "has_event": True, "date": when}
        if until:
            rec["enddate"] = until
        doc = event["doc"]
        rec["actor"] = [_entity(event["actor1"], actors, doc)] if event["actor1"] else []
        rec["recipient"] = [_entity(event["actor2"], actors, doc)] if event["actor2"] else []
        rec["event"] = [event["type"]]
        if event["mode"]:
            rec["mode"] = [event["mode"]]
        if event["type"] in quads:
            rec["quad_code"] = int(quads[event["type"]])
        loc = _location(event)
        if loc is not None:
            rec["event_loc"] = loc
        if event["text"]:
            rec["event_text"] = [event["text"]]
        evidence = (event.get("attrs") or {}).get("evidence")
        if isinstance(evidence, Mapping):
            rec["text"] = evidence["text"]
            rec["text_info"] = {"start": evidence["start"], "end": evidence["end"]}
        cite = {"citation": doc, "coder": coder, "codebook": CODEBOOK}
        if event["document_source"]:
            cite["corpus"] = event["document_source"]
        if event.get("document_title"):
            cite["title"] = event["document_title"]
        rec["cite_info"] = cite
        if event["fatalities"] is not None:
            rec["size"] = {"dead": int(event["fatalities"])}
        rec["coder"] = coder
        rec["modality"] = event["modality"] or "asserted"
        rec["date_precision"] = precision
        if event["source"]:
            rec["reported_by"] = event["source"]
        for key in ("acled_event_type", "acled_sub_event_type"):
            if event[key]:
                rec[key] = event[key]
        yield rec


def write_plover_situation(situation: Situation, out: IO[str]) -> int:
    """Write a situation model's events as PLOVER JSON Lines; returns the records written.
    Each record is checked against the schema first (ModelError names the violation)."""
    actors = {a.id: a for a in situation.actors}
    n = 0
    for rec in plover_records(situation_events(situation), actors):
        errors = validate_plover(rec)
        if errors:
            raise ModelError(f"plover.schema.json: event {rec['id']} does not validate ({errors[0]})")
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def read_plover(fh: IO[str], *, name: str = "<plover jsonl>") -> list[dict[str, Any]]:
    """Parse PLOVER JSON Lines back, checking each record against the schema."""
    records = []
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{name}:{n}", f"not JSON ({exc})") from None
        errors = validate_plover(rec) if isinstance(rec, dict) else ["(record): not an object"]
        if errors:
            raise InputError(f"{name}:{n}", f"not a PLOVER record ({errors[0]})")
        records.append(rec)
    return records
