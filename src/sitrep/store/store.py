"""The situation store: one DuckDB file holding documents, their evidence and the entities in them.

Documents are keyed by id (the content hash unless the input named one) and also by the hash of
their text, so the same article seen twice is stored once. Actors and places are global rows keyed
by their stable ids, upserted so that an entity met in a thousand documents is one row; each
sighting is a row of ``mentions``. :meth:`Store.save` writes whole documents per transaction, so a
process killed at any moment leaves only complete documents behind.

DuckDB lets one process write, or many read. A second process that finds the file locked gets a
:class:`~sitrep.errors.StoreError` saying the store is busy, never a half-written view.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import duckdb

from ..errors import StoreError
from ..ids import content_id
from ..ids import stable_id
from ..model import (Actor, Claim, Document, Event, EventDate, Mention, Place, PlaceRef, Quantity, Situation,
                     TechniqueSpan)
from ..resolve.merge import actor_id, place_id

__all__ = ["MEMORY", "PROVENANCE", "QueryResult", "SaveReport", "Store", "latest_version", "open_store"]

MEMORY = ":memory:"

# Columns that record which run wrote a row and when. They are the only difference between a store
# built in one run and the same store built by a run that was killed and started again.
PROVENANCE = {"documents": ("run_id", "added_at"), "schema_version": ("applied_at",)}

_MIGRATION_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    """The numbered SQL files under ``store/migrations``, in order; numbering has no gaps."""
    folder = resources.files("sitrep.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError(f"{folder}: migrations must be numbered 0001, 0002, … without gaps; reinstall sitrep")
    return tuple(found)


def latest_version() -> int:
    return migrations()[-1].version


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a query with their column names."""

    columns: tuple[str, ...]
    rows: list[tuple]
    types: tuple[str, ...] = ()  # DuckDB type names, e.g. VARCHAR, JSON, DATE

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(slots=True)
class SaveReport:
    """What :meth:`Store.save` did with each result it was given."""

    added: list[str] = field(default_factory=list)  # stored with status ok
    failed: list[Document] = field(default_factory=list)  # stored with status error
    duplicates: list[str] = field(default_factory=list)  # id or text already stored: left out
    replaced: list[str] = field(default_factory=list)  # an earlier failure of the same id, overwritten


def open_store(path: str | os.PathLike[str], *, read_only: bool = False) -> "Store":
    """Open (creating and migrating when writable) the store at ``path``; ``":memory:"`` for a scratch one.

    >>> with open_store("corpus.duckdb", read_only=True) as store:  # doctest: +SKIP
    ...     store.query("SELECT name, count(*) FROM actors JOIN mentions ON id = entity_id GROUP BY 1")
    """
    name = os.fspath(path)
    if name == MEMORY:
        if read_only:
            raise StoreError(":memory:: an in-memory store starts empty, so it cannot be opened read-only")
    else:
        file = Path(name)
        if file.is_dir():
            raise StoreError(f"{name}: is a folder; give a store file inside it, e.g. {file / 'sitrep.duckdb'}")
        if read_only and not file.exists():
            raise StoreError(f"{name}: no store here; make one with `sitrep batch INPUT... --db {name}`")
        if not read_only:
            file.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(name, read_only=read_only)
    except duckdb.Error as exc:
        raise _open_error(name, exc, read_only) from None
    store = Store(con, name, read_only=read_only)
    try:
        store._migrate()
    except BaseException:
        con.close()
        raise
    return store


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _open_error(name: str, exc: duckdb.Error, read_only: bool) -> StoreError:
    message = str(exc)
    if "Could not set lock" in message or "Conflicting lock" in message:
        match = _LOCK_PID.search(message)
        pid = f"pid {match[1]}" if match else "another process"
        if read_only:
            return StoreError(
                f"{name}: store is busy: a batch is writing to it ({pid}); "
                "retry when it finishes, or query a copy"
            )
        return StoreError(
            f"{name}: store is busy: another process has it open ({pid}), a batch or a query; "
            "retry when it finishes"
        )
    if "not a valid DuckDB database" in message or "database file" in message.lower():
        return StoreError(f"{name}: not a sitrep store ({_first_line(exc)})")
    return StoreError(f"{name}: cannot open the store: {_first_line(exc)}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --- bulk writing ---------------------------------------------------------------------------------
# DuckDB binds Python parameters slowly (~0.1 ms each), so rows travel as one JSON array per table
# and statement; DuckDB parses it natively, about 10 µs a row.

_DOC_COLUMNS = {
    "id": "VARCHAR", "content_hash": "VARCHAR", "source": "VARCHAR", "title": "VARCHAR",
    "published": "DATE", "status": "VARCHAR", "error": "VARCHAR", "text": "VARCHAR", "raw": "VARCHAR",
    "chars": "INTEGER", "run_id": "VARCHAR", "added_at": "TIMESTAMP",
}
_MENTION_COLUMNS = {
    "kind": "VARCHAR", "entity_id": "VARCHAR", "doc": "VARCHAR", "start": "INTEGER", "end": "INTEGER",
    "raw_start": "INTEGER", "raw_end": "INTEGER", "text": "VARCHAR", "qualifier": "VARCHAR",
    "via": "VARCHAR", "confidence": "DOUBLE",
}
_ACTOR_COLUMNS = {
    "id": "VARCHAR", "key": "VARCHAR", "name": "VARCHAR", "type": "VARCHAR", "country": "VARCHAR",
    "codes": "JSON", "parent_key": "VARCHAR", "aliases": ["VARCHAR"], "first_doc": "VARCHAR",
    "first_start": "INTEGER",
}
_PLACE_COLUMNS = {
    "id": "VARCHAR", "key": "VARCHAR", "name": "VARCHAR", "feature": "VARCHAR", "lat": "DOUBLE",
    "lon": "DOUBLE", "geonames_id": "BIGINT", "country": "VARCHAR", "admin1": "VARCHAR",
    "confidence": "DOUBLE", "first_doc": "VARCHAR", "first_start": "INTEGER",
}

_EVENT_COLUMNS = {
    "id": "VARCHAR", "doc": "VARCHAR", "type": "VARCHAR", "mode": "VARCHAR", "code": "VARCHAR",
    "start": "INTEGER", "end": "INTEGER", "raw_start": "INTEGER", "raw_end": "INTEGER", "text": "VARCHAR",
    "date_start": "VARCHAR", "date_end": "VARCHAR", "date_precision": "VARCHAR", "date_text": "VARCHAR",
    "modality": "VARCHAR", "place_id": "VARCHAR", "confidence": "DOUBLE", "attrs": "JSON", "seq": "INTEGER",
}
_EVENT_ACTOR_COLUMNS = {"event_id": "VARCHAR", "actor_id": "VARCHAR", "role": "VARCHAR"}
_QUANTITY_COLUMNS = {
    "owner_kind": "VARCHAR", "owner_id": "VARCHAR", "doc": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR",
    "approx": "VARCHAR", "text": "VARCHAR", "start": "INTEGER", "end": "INTEGER", "raw_start": "INTEGER",
    "raw_end": "INTEGER",
}
# Event fields without a column of their own travel in ``attrs``; exporters and the web app read
# them from there (sitrep.export.events, sitrep.web.queries). ``attrs.quantities`` keeps each
# Quantity whole (its span's own text and order); the quantities table repeats them for SQL.
_EVENT_ATTRS = (
    "acled_event_type", "acled_sub_event_type", "actor1", "actor2", "associated_actors", "place_qualifier",
    "fatalities", "fatalities_qualifier", "fatalities_side", "source", "rule",
)
_EVENT_ROLES = (("actor1", "source"), ("actor2", "target"))
_CLAIM_COLUMNS = {
    "id": "VARCHAR", "doc": "VARCHAR", "text": "VARCHAR", "kind": "VARCHAR", "speaker": "VARCHAR",
    "speaker_text": "VARCHAR", "cue": "VARCHAR", "certainty": "VARCHAR", "checkworthiness": "DOUBLE",
    "events": ["VARCHAR"], "start": "INTEGER", "end": "INTEGER", "raw_start": "INTEGER", "raw_end": "INTEGER",
    "attrs": "JSON",
}
_TECHNIQUE_COLUMNS = {
    "id": "VARCHAR", "doc": "VARCHAR", "technique": "VARCHAR", "start": "INTEGER", "end": "INTEGER",
    "raw_start": "INTEGER", "raw_end": "INTEGER", "text": "VARCHAR", "confidence": "DOUBLE", "attrs": "JSON",
}


def technique_id(span: TechniqueSpan) -> str:
    return stable_id("technique", span.doc, span.start, span.end, span.technique)


def _claim_row(claim: Claim) -> dict[str, Any]:
    m = claim.evidence
    attrs = {"evidence": _mention_json(m), "certainty_cues": [_mention_json(c) for c in claim.certainty_cues]}
    if claim.cue_mention is not None:
        attrs["cue_mention"] = _mention_json(claim.cue_mention)
    return {
        "id": claim.id, "doc": claim.doc, "text": claim.text, "kind": claim.kind, "speaker": claim.speaker,
        "speaker_text": claim.speaker_text, "cue": claim.cue, "certainty": claim.certainty,
        "checkworthiness": float(claim.checkworthiness), "events": list(claim.events), "start": m.start,
        "end": m.end, "raw_start": m.raw_start, "raw_end": m.raw_end, "attrs": attrs,
    }


def _claim_from_row(row: tuple) -> Claim:
    (ident, doc, text, kind, speaker, speaker_text, cue, certainty, checkworthiness, events, attrs) = row
    attrs = json.loads(attrs) if isinstance(attrs, str) else dict(attrs or {})
    return Claim(
        id=ident, doc=doc, text=text, evidence=_mention_from_json(attrs["evidence"]), kind=kind, speaker=speaker,
        speaker_text=speaker_text, cue=cue,
        cue_mention=_mention_from_json(attrs["cue_mention"]) if attrs.get("cue_mention") else None,
        certainty=certainty, certainty_cues=tuple(_mention_from_json(c) for c in attrs.get("certainty_cues") or ()),
        checkworthiness=checkworthiness, events=tuple(events or ()),
    )


def _technique_row(span: TechniqueSpan) -> dict[str, Any]:
    return {
        "id": technique_id(span), "doc": span.doc, "technique": span.technique, "start": span.start,
        "end": span.end, "raw_start": span.raw_start, "raw_end": span.raw_end, "text": span.text,
        "confidence": float(span.score), "attrs": None,
    }


def _mention_json(m: Mention) -> dict[str, Any]:
    out = {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text, "raw_start": m.raw_start, "raw_end": m.raw_end}
    if m.qualifier is not None:
        out["qualifier"] = m.qualifier
    return out


def _mention_from_json(d: Mapping[str, Any]) -> Mention:
    return Mention(d["doc"], d["start"], d["end"], d["text"], d.get("raw_start"), d.get("raw_end"), d.get("qualifier"))


def _event_rows(event: Event, seq: int) -> tuple[dict, list[dict], list[dict]]:
    """The events row of an Event, its event_actors rows and its quantities rows."""
    attrs: dict[str, Any] = {name: getattr(event, name) for name in _EVENT_ATTRS}
    attrs["associated_actors"] = list(event.associated_actors)
    attrs["evidence"] = _mention_json(event.evidence)
    attrs["quantities"] = [
        {"value": q.value, "unit": q.unit, "approx": q.approx, "text": q.text,
         "mention": _mention_json(q.mention) if q.mention is not None else None}
        for q in event.quantities
    ]
    if event.trigger.qualifier is not None:
        attrs["trigger_qualifier"] = event.trigger.qualifier
    t = event.trigger
    row = {
        "id": event.id, "doc": event.doc, "type": event.type, "mode": event.mode, "code": None,
        "start": t.start, "end": t.end, "raw_start": t.raw_start, "raw_end": t.raw_end, "text": t.text,
        "date_start": event.date.start, "date_end": event.date.end, "date_precision": event.date.precision,
        "date_text": event.date.text, "modality": event.modality, "place_id": event.place, "confidence": None,
        "attrs": attrs, "seq": seq,
    }
    roles = {(getattr(event, field_), role) for field_, role in _EVENT_ROLES if getattr(event, field_)}
    roles |= {(a, "other") for a in event.associated_actors if a}
    actor_rows = [{"event_id": event.id, "actor_id": a, "role": r} for a, r in sorted(roles)]
    quantity_rows = []
    for q in event.quantities:
        m = q.mention
        quantity_rows.append({
            "owner_kind": "event", "owner_id": event.id, "doc": event.doc, "value": float(q.value), "unit": q.unit,
            "approx": q.approx, "text": q.text, "start": m.start if m else None, "end": m.end if m else None,
            "raw_start": m.raw_start if m else None, "raw_end": m.raw_end if m else None,
        })
    return row, actor_rows, quantity_rows


def _event_from_row(row: tuple) -> Event | None:
    """The Event of a row :meth:`Store.save` wrote; None for rows other writers made without the
    model's evidence (they stay readable with SQL, but are no model events)."""
    (ident, doc, type_, mode, start, end, raw_start, raw_end, text, d_start, d_end, precision, d_text,
     modality, place, attrs) = row
    attrs = json.loads(attrs) if isinstance(attrs, str) else dict(attrs or {})
    if start is None or end is None or not isinstance(attrs.get("evidence"), Mapping):
        return None
    quantities = tuple(
        Quantity(q["value"], q["unit"], q.get("approx"), q.get("text", ""),
                 _mention_from_json(q["mention"]) if q.get("mention") else None)
        for q in attrs.get("quantities") or ()
    )
    return Event(
        id=ident, doc=doc, type=type_, mode=mode,
        evidence=_mention_from_json(attrs["evidence"]),
        trigger=Mention(doc, start, end, text, raw_start, raw_end, attrs.get("trigger_qualifier")),
        acled_event_type=attrs.get("acled_event_type"), acled_sub_event_type=attrs.get("acled_sub_event_type"),
        actor1=attrs.get("actor1"), actor2=attrs.get("actor2"),
        associated_actors=tuple(attrs.get("associated_actors") or ()),
        place=place, place_qualifier=attrs.get("place_qualifier"),
        date=EventDate(d_start, d_end, precision, d_text),
        fatalities=attrs.get("fatalities"), fatalities_qualifier=attrs.get("fatalities_qualifier"),
        fatalities_side=attrs.get("fatalities_side"), quantities=quantities, modality=modality,
        source=attrs.get("source"), rule=attrs.get("rule") or "",
    )


# A stored entity takes its attributes from its earliest mention (smallest doc id, then offset),
# whatever order the documents arrive in, so runs that were killed and resumed, or run with many
# workers, build the same rows. Registry descriptions (parents never mentioned) rank last.
_NEW_WINS = (
    "(excluded.first_doc IS NOT NULL AND ({t}.first_doc IS NULL OR excluded.first_doc < {t}.first_doc"
    " OR (excluded.first_doc = {t}.first_doc AND excluded.first_start < {t}.first_start)))"
)


def _q(name: str) -> str:
    return f'"{name}"'


def _upsert_clause(table: str, columns: Mapping[str, Any], special: Mapping[str, str]) -> str:
    wins = _NEW_WINS.format(t=table)
    sets = []
    for name in columns:
        if name == "id":
            continue
        if name in special:
            sets.append(f"{_q(name)} = {special[name]}")
        else:
            sets.append(f"{_q(name)} = CASE WHEN {wins} THEN excluded.{_q(name)} ELSE {table}.{_q(name)} END")
    return "ON CONFLICT (id) DO UPDATE SET " + ", ".join(sets)


_ACTOR_UPSERT = _upsert_clause(
    "actors", _ACTOR_COLUMNS, {"aliases": "list_sort(list_distinct(list_concat(actors.aliases, excluded.aliases)))"}
)
_PLACE_UPSERT = _upsert_clause("places", _PLACE_COLUMNS, {"confidence": "greatest(places.confidence, excluded.confidence)"})


def _literals(values: Iterable[str]) -> str:
    """SQL string literals (quotes doubled: DuckDB has no backslash escapes in plain strings)."""
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _insert_json(con, table: str, columns: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], tail: str = "") -> None:
    if not rows:
        return
    payload = json.dumps([{k: _clean(row.get(k)) for k in columns} for row in rows], ensure_ascii=False, allow_nan=False)
    shape = json.dumps([dict(columns)]).replace("'", "''")
    names = ", ".join(_q(c) for c in columns)
    con.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM "
        f"(SELECT unnest(from_json($1::JSON, '{shape}'), recursive := true)) {tail}",
        [payload],
    )


def _rank_before(a: tuple | None, b: tuple | None) -> bool:
    return a is not None and (b is None or a < b)


def _actor_row(ref: Any, rank: tuple[str, int] | None) -> dict[str, Any]:
    """A row from an ActorRef, or from a registry entry (which names its parent ``parent``)."""
    parent = ref.parent_key if hasattr(ref, "parent_key") else getattr(ref, "parent", None)
    return {
        "id": actor_id(ref.key), "key": ref.key, "name": ref.name, "type": ref.type, "country": ref.country,
        "codes": dict(sorted((ref.codes or {}).items())),
        "parent_key": parent, "aliases": sorted(set(ref.aliases or ())),
        "first_doc": rank[0] if rank else None, "first_start": rank[1] if rank else None,
    }


def _place_row(ref: PlaceRef, rank: tuple[str, int]) -> dict[str, Any]:
    return {
        "id": place_id(ref.key), "key": ref.key, "name": ref.name, "feature": ref.feature, "lat": ref.lat,
        "lon": ref.lon, "geonames_id": ref.geonames_id, "country": ref.country, "admin1": ref.admin1,
        "confidence": float(ref.confidence or 0.0), "first_doc": rank[0], "first_start": rank[1],
    }


def _merge_into(rows: dict[str, dict], row: dict, union: str | None = None, best: str | None = None) -> None:
    """Fold ``row`` into ``rows`` by id with the same rule the upsert applies in SQL."""
    old = rows.get(row["id"])
    if old is None:
        rows[row["id"]] = row
        return
    new_rank = (row["first_doc"], row["first_start"]) if row["first_doc"] is not None else None
    old_rank = (old["first_doc"], old["first_start"]) if old["first_doc"] is not None else None
    merged = dict(row) if _rank_before(new_rank, old_rank) else dict(old)
    if union:
        merged[union] = sorted(set(old[union]) | set(row[union]))
    if best:
        merged[best] = max(old[best], row[best])
    rows[row["id"]] = merged


def _mention_row(kind: str, entity: str, m: Mention, via: str | None, confidence: float | None) -> dict[str, Any]:
    return {
        "kind": kind, "entity_id": entity, "doc": m.doc, "start": m.start, "end": m.end,
        "raw_start": m.raw_start, "raw_end": m.raw_end, "text": m.text, "qualifier": m.qualifier,
        "via": via, "confidence": confidence,
    }


class Store:
    """An open situation store. Use :func:`open_store`; close it (or use ``with``) when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, *, read_only: bool = False):
        self._con = con
        self.path = path
        self.read_only = read_only

    # --- lifecycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "writable"
        return f"<Store {self.path} ({mode})>"

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"{self.path}: the store is closed; open it again with open_store()")
        return self._con

    @property
    def schema_version(self) -> int:
        return self._current_version()

    def _current_version(self) -> int:
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "schema_version" not in tables:
            if tables - {"schema_version"}:
                raise StoreError(f"{self.path}: not a sitrep store (a DuckDB database without a schema_version table)")
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self._current_version()
        latest = latest_version()
        if current > latest:
            from .. import __version__

            raise StoreError(
                f"{self.path}: store has schema version {current}, newer than this sitrep "
                f"({__version__}, schema {latest}) knows; upgrade sitrep"
            )
        if current == latest:
            return
        if self.read_only:
            raise StoreError(
                f"{self.path}: store has schema version {current}, this sitrep needs {latest}; "
                "open it once for writing (any `sitrep batch ... --db` run) to migrate it"
            )
        for migration in migrations()[current:]:
            with self._transaction(self.con, f"migration {migration.version:04d}_{migration.name} failed") as con:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
                )
                for statement in con.extract_statements(migration.sql):
                    con.execute(statement)
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [migration.version, migration.name, _now()])

    @contextmanager
    def _transaction(self, con, what: str):
        """One all-or-nothing transaction: roll back on any error, and turn DuckDB's errors into a
        one-line StoreError saying ``what`` failed."""
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"{self.path}: {what}: {_first_line(exc)}") from None
            raise

    # --- reading -----------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> QueryResult:
        """Run ``sql`` and return all its rows with their column names."""
        columns, types, rows = self.iter_query(sql, params)
        return QueryResult(columns, list(rows), types)

    def iter_query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None, *, chunk: int = 1000
    ) -> tuple[tuple[str, ...], tuple[str, ...], Iterator[tuple]]:
        """Like :meth:`query`, as ``(columns, types, rows)`` with the rows streamed ``chunk`` at a time."""
        cursor = self.con.cursor()
        try:
            cursor.execute(sql, params if params is not None else [])
        except duckdb.Error as exc:
            cursor.close()
            hint = " (the store is open read-only)" if self.read_only and "read-only" in str(exc) else ""
            raise StoreError(f"{self.path}: query failed: {_first_line(exc)}{hint}") from None
        columns = tuple(d[0] for d in cursor.description or ())
        types = tuple(str(d[1]) for d in cursor.description or ())

        def rows() -> Iterator[tuple]:
            try:
                while True:
                    batch = cursor.fetchmany(chunk)
                    if not batch:
                        return
                    yield from batch
            finally:
                cursor.close()

        return columns, types, rows()

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries."""
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]
        return {t: self.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    def snapshot(self) -> dict[str, list[str]]:
        """Every table's rows, sorted, without ``runs`` and the columns that say which run wrote a
        row: two stores with equal snapshots hold the same situation, however they were made
        (resumed after a kill, local or Dask, any number of workers)."""
        out = {}
        for table in self.counts():
            if table == "runs":
                continue
            columns = [c for c in self.query(f'SELECT * FROM "{table}" LIMIT 0').columns
                       if c not in PROVENANCE.get(table, ())]
            names = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(map(repr, self.query(f'SELECT {names} FROM "{table}"').rows))
        return out

    def known(self, doc_id: str, text_hash: str | None = None) -> bool:
        """Whether a document with this id, or with this text, is stored and was analysed."""
        return bool(self.known_among([(doc_id, text_hash)]))

    def known_among(self, keys: Sequence[tuple[str, str | None]]) -> set[str]:
        """Of ``(doc_id, text_hash)`` pairs, the ids whose document or text is stored and analysed."""
        if not keys:
            return set()
        found: set[str] = set()
        by_hash: dict[str, list[str]] = {}
        for doc_id, text_hash in keys:
            if text_hash:
                by_hash.setdefault(text_hash, []).append(doc_id)
        ids = sorted({k[0] for k in keys})
        # literal IN lists let DuckDB use the indexes; a bound list parameter makes it scan
        sql = f"SELECT id, content_hash FROM documents WHERE status = 'ok' AND id IN ({_literals(ids)})"
        if by_hash:
            sql += (" UNION ALL SELECT id, content_hash FROM documents WHERE status = 'ok' "
                    f"AND content_hash IN ({_literals(sorted(by_hash))})")
        for ident, text_hash in self.con.execute(sql).fetchall():
            found.add(ident)
            found.update(by_hash.get(text_hash, ()))
        return found & {k[0] for k in keys}

    def situation(self, doc_ids: Iterable[str] | None = None) -> Situation:
        """Rebuild the situation model of the stored documents (all, or those in ``doc_ids``).

        Entities come with the mentions found in the selected documents; with ``doc_ids`` only the
        entities mentioned there (and the parents of those actors) are included.
        """
        con = self.con
        selected = None if doc_ids is None else sorted(set(doc_ids))
        where = "" if selected is None else "WHERE doc IN (SELECT unnest($1::VARCHAR[]))"
        params = [] if selected is None else [selected]

        doc_where = "" if selected is None else "WHERE id IN (SELECT unnest($1::VARCHAR[]))"
        documents = tuple(
            Document(id=r[0], source=r[1], text=r[2], title=r[3], published=r[4], status=r[5], error=r[6],
                     raw=r[7] if r[7] is not None else r[2])
            for r in con.execute(
                "SELECT id, source, text, title, published, status, error, raw FROM documents "
                f"{doc_where} ORDER BY published NULLS LAST, id",
                params,
            ).fetchall()
        )

        mentions: dict[str, set[Mention]] = {}
        confidence: dict[str, float] = {}
        for kind, entity, doc, start, end, raw_start, raw_end, text, qualifier, conf in con.execute(
            'SELECT kind, entity_id, doc, start, "end", raw_start, raw_end, text, qualifier, confidence '
            f"FROM mentions {where}",
            params,
        ).fetchall():
            mentions.setdefault(entity, set()).add(Mention(doc, start, end, text, raw_start, raw_end, qualifier))
            if kind == "place" and conf is not None:
                confidence[entity] = max(confidence.get(entity, conf), conf)

        from ..resolve.relations import relations_from_events

        events = tuple(self._events(documents, where, params))
        return Situation(
            documents=documents,
            actors=tuple(self._actors(mentions, whole=selected is None)),
            places=tuple(self._places(mentions, confidence, whole=selected is None)),
            events=events,
            claims=tuple(_claim_from_row(r) for r in con.execute(
                "SELECT id, doc, text, kind, speaker, speaker_text, cue, certainty, checkworthiness, events, attrs "
                f'FROM claims {where} ORDER BY doc, start, "end", id', params).fetchall()),
            techniques=tuple(TechniqueSpan(*r) for r in con.execute(
                'SELECT doc, start, "end", raw_start, raw_end, text, technique, confidence '
                f'FROM techniques {where} ORDER BY doc, start, "end", technique', params).fetchall()),
            # the relations these documents state, as the pipeline derives them for one run
            relations=tuple(relations_from_events(events, dates={d.id: d.published for d in documents})),
        )

    def _events(self, documents: Sequence[Document], where: str, params: list) -> list[Event]:
        """Events in the order the pipeline made them: document by document, each in its own order."""
        by_doc: dict[str, list[Event]] = {}
        for row in self.con.execute(
            'SELECT id, doc, type, mode, start, "end", raw_start, raw_end, text, date_start, date_end, '
            f"date_precision, date_text, modality, place_id, attrs FROM events {where} ORDER BY doc, seq, id",
            params,
        ).fetchall():
            event = _event_from_row(row)
            if event is not None:
                by_doc.setdefault(row[1], []).append(event)
        return [e for d in documents for e in by_doc.get(d.id, ())]

    def fuse(self, doc_ids: Iterable[str] | None = None) -> "FusionReport":
        """Cluster the events of some stored documents (all with None) into ``event_clusters``.

        :meth:`save` already does this for what it stores; call it for stores filled with
        ``fuse=False``. Joining clusters is idempotent: fusing a document twice changes nothing.
        """
        from ..resolve.fusion import fuse_events

        con = self._writable()
        sql = "SELECT id FROM events" + ("" if doc_ids is None else " WHERE doc IN (SELECT unnest($1::VARCHAR[]))")
        ids = [r[0] for r in con.execute(sql + " ORDER BY id", [] if doc_ids is None else [sorted(set(doc_ids))]).fetchall()]
        with self._transaction(con, "cannot fuse events"):
            report = fuse_events(con, ids)
        return report

    def _actors(self, mentions: dict[str, set[Mention]], *, whole: bool) -> list[Actor]:
        rows = {
            r[0]: r
            for r in self.con.execute(
                "SELECT id, key, name, type, country, codes, parent_key, aliases FROM actors"
                + ("" if whole else " WHERE id IN (SELECT unnest($1::VARCHAR[]))"),
                [] if whole else [sorted(mentions)],
            ).fetchall()
        }
        if not whole:
            pending = [r[6] for r in rows.values() if r[6]]
            while pending:  # parents are part of an actor's description even when never mentioned
                wanted = sorted({actor_id(k) for k in pending} - rows.keys())
                pending = []
                for r in self.con.execute(
                    "SELECT id, key, name, type, country, codes, parent_key, aliases FROM actors "
                    "WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                    [wanted],
                ).fetchall() if wanted else ():
                    rows[r[0]] = r
                    if r[6]:
                        pending.append(r[6])
        actors = []
        for ident, key, name, type_, country, codes, parent_key, aliases in rows.values():
            found = sorted(mentions.get(ident, ()), key=lambda m: (m.doc, m.start, m.end))
            surfaces = {m.text for m in found if m.text != name}
            parent = actor_id(parent_key) if parent_key else None
            actors.append(
                Actor(
                    id=ident, name=name, type=type_, country=country, codes=json.loads(codes) if codes else {},
                    aliases=tuple(sorted(set(aliases or ()) | surfaces)),
                    parent=parent if parent in rows else None,
                    mentions=tuple(found),
                )
            )
        actors.sort(key=lambda a: (-len(a.mentions), a.name, a.id))
        return actors

    def _places(self, mentions: dict[str, set[Mention]], confidence: dict[str, float], *, whole: bool) -> list[Place]:
        places = []
        for ident, name, feature, lat, lon, geonames_id, country, admin1, stored in self.con.execute(
            "SELECT id, name, feature, lat, lon, geonames_id, country, admin1, confidence FROM places"
            + ("" if whole else " WHERE id IN (SELECT unnest($1::VARCHAR[]))"),
            [] if whole else [sorted(mentions)],
        ).fetchall():
            found = sorted(mentions.get(ident, ()), key=lambda m: (m.doc, m.start, m.end))
            places.append(
                Place(
                    id=ident, name=name, feature=feature, lat=lat, lon=lon, geonames_id=geonames_id,
                    country=country, admin1=admin1, confidence=round(confidence.get(ident, stored), 3),
                    mentions=tuple(found),
                )
            )
        places.sort(key=lambda p: (-len(p.mentions), p.name, p.id))
        return places

    # --- writing -----------------------------------------------------------------------------------

    def _writable(self) -> duckdb.DuckDBPyConnection:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only; open it with open_store(path) to write")
        return self.con

    def save(
        self,
        results: Iterable[Any],
        *,
        run_id: str | None = None,
        parents: Iterable[Any] = (),
        run_counts: Mapping[str, int] | None = None,
        events: bool = True,
        fuse: bool = True,
    ) -> SaveReport:
        """Store :class:`~sitrep.pipeline.DocResult`\\ s in ONE transaction: all of them or none.

        A document whose id or text is already stored (analysed) is left out; an earlier failure
        with the same id is replaced. ``parents`` are registry entries of parent actors (``key``,
        ``name``, ``type``, ``country``, ``codes``, ``aliases``, ``parent``), stored without
        mentions so every ``parent`` resolves. ``run_counts`` are the run's counters before
        this save; with this save's outcomes added they are written to the run's row in the same
        transaction, so a killed run's row is right up to its last whole document.

        With ``events`` (the default) the results' events are stored too, with their actors and
        quantities and the actor relations they state (:mod:`sitrep.resolve.relations`); with
        ``fuse`` (the default) they then join the event clusters (:mod:`sitrep.resolve.fusion`) in
        the same transaction, so a killed run never leaves stored events unfused. Claims and
        technique spans the results carry are stored whatever ``events`` says.
        """
        con = self._writable()
        results = list(results)
        report = SaveReport()
        if not results:
            return report
        hashes = [content_id(r.document.text) if r.document.ok else None for r in results]
        ids = [r.document.id for r in results]
        stored_ok_ids: set[str] = set()
        stored_error_ids: set[str] = set()
        stored_hashes: set[str] = set()
        if results:
            sql = f"SELECT id, status, content_hash FROM documents WHERE id IN ({_literals(sorted(set(ids)))})"
            if any(hashes):
                sql += (" UNION ALL SELECT id, status, content_hash FROM documents WHERE status = 'ok' "
                        f"AND content_hash IN ({_literals(sorted({h for h in hashes if h}))})")
            for ident, status, text_hash in con.execute(sql).fetchall():
                if status == "ok":
                    stored_ok_ids.add(ident)
                    stored_hashes.add(text_hash)
                else:
                    stored_error_ids.add(ident)

        added_at = _now()
        doc_rows, mention_rows, replace = [], [], []
        event_rows, event_actor_rows, quantity_rows = [], [], []
        claim_rows: dict[str, dict] = {}
        technique_rows: dict[str, dict] = {}
        saved_events: list[Event] = []
        published: dict[str, Any] = {}
        event_ids: set[str] = set()
        actors: dict[str, dict] = {}
        places: dict[str, dict] = {}
        taken: set[str] = set()
        for result, text_hash in zip(results, hashes):
            doc = result.document
            if doc.id in taken or doc.id in stored_ok_ids or (text_hash is not None and text_hash in stored_hashes):
                report.duplicates.append(doc.id)
                continue
            taken.add(doc.id)
            if doc.id in stored_error_ids:
                replace.append(doc.id)
                report.replaced.append(doc.id)
            if doc.ok:
                stored_hashes.add(text_hash)
                report.added.append(doc.id)
            else:
                report.failed.append(doc)
            doc_rows.append({
                "id": doc.id, "content_hash": text_hash, "source": doc.source, "title": doc.title,
                "published": doc.published, "status": doc.status, "error": doc.error, "text": doc.text,
                "raw": doc.raw if doc.raw and doc.raw != doc.text else None, "chars": len(doc.text),
                "run_id": run_id or "", "added_at": added_at,
            })
            if not doc.ok:
                continue
            seen: set[tuple] = set()
            for ref in result.actors:
                ident = actor_id(ref.key)
                if ("actor", ident, ref.mention) not in seen:
                    seen.add(("actor", ident, ref.mention))
                    mention_rows.append(_mention_row("actor", ident, ref.mention, ref.via, None))
                _merge_into(actors, _actor_row(ref, (ref.mention.doc, ref.mention.start)), union="aliases")
            for ref in result.places:
                ident = place_id(ref.key)
                if ("place", ident, ref.mention) not in seen:
                    seen.add(("place", ident, ref.mention))
                    mention_rows.append(_mention_row("place", ident, ref.mention, ref.via, float(ref.confidence or 0.0)))
                _merge_into(places, _place_row(ref, (ref.mention.doc, ref.mention.start)), best="confidence")
            for seq, event in enumerate(result.events if events else ()):
                if event.id in event_ids:
                    continue  # ids hash the document, trigger and type: a repeat is the same event
                event_ids.add(event.id)
                saved_events.append(event)
                row, actor_rows, q_rows = _event_rows(event, seq)
                event_rows.append(row)
                event_actor_rows.extend(actor_rows)
                quantity_rows.extend(q_rows)
            published[doc.id] = doc.published
            # getattr: results of pipelines older than claims and techniques have no such fields
            for claim in getattr(result, "claims", ()) or ():
                claim_rows.setdefault(claim.id, _claim_row(claim))
            for span in getattr(result, "techniques", ()) or ():
                row = _technique_row(span)
                technique_rows.setdefault(row["id"], row)
        for ref in parents:
            _merge_into(actors, _actor_row(ref, None), union="aliases")

        with self._transaction(con, f"cannot save documents {ids[0]}…"):
            if replace:
                con.execute("DELETE FROM mentions WHERE doc IN (SELECT unnest($1::VARCHAR[]))", [replace])
                _delete_events(con, replace)
                for table in ("claims", "techniques"):
                    con.execute(f"DELETE FROM {table} WHERE doc IN (SELECT unnest($1::VARCHAR[]))", [replace])
                con.execute("DELETE FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[]))", [replace])
            _insert_json(con, "documents", _DOC_COLUMNS, doc_rows)
            _insert_json(con, "mentions", _MENTION_COLUMNS, mention_rows)
            _insert_json(con, "actors", _ACTOR_COLUMNS, list(actors.values()), _ACTOR_UPSERT)
            _insert_json(con, "places", _PLACE_COLUMNS, list(places.values()), _PLACE_UPSERT)
            _insert_json(con, "events", _EVENT_COLUMNS, event_rows)
            _insert_json(con, "event_actors", _EVENT_ACTOR_COLUMNS, event_actor_rows)
            _insert_json(con, "quantities", _QUANTITY_COLUMNS, quantity_rows)
            _insert_json(con, "claims", _CLAIM_COLUMNS, list(claim_rows.values()))
            _insert_json(con, "techniques", _TECHNIQUE_COLUMNS, list(technique_rows.values()))
            if saved_events:
                from ..resolve.relations import store_relations

                store_relations(con, saved_events, dates=published)
            if fuse and event_rows:
                from ..resolve.fusion import fuse_events

                fuse_events(con, sorted(event_ids))
            if run_id and run_counts is not None:
                totals = dict(run_counts)
                for key, outcome in (("added", report.added), ("failed", report.failed), ("skipped", report.duplicates)):
                    totals[key] = totals.get(key, 0) + len(outcome)
                _update_counts(con, run_id, totals)
        return report

    # --- runs --------------------------------------------------------------------------------------

    def begin_run(
        self, *, inputs: Sequence[str], params: Mapping[str, Any], engine: str = "local", workers: int = 1
    ) -> str:
        """Record the start of a batch run; returns its id. Runs a killed process left behind are
        marked ``killed`` first (this process holds the only write lock, so none of them is live)."""
        from .. import __version__

        con = self._writable()
        con.execute(
            "UPDATE runs SET status = 'killed', error = 'the process ended without finishing the run' "
            "WHERE status = 'running'"
        )
        run_id = f"run-{uuid.uuid4().hex[:16]}"
        con.execute(
            "INSERT INTO runs (id, started_at, status, sitrep_version, schema_version, engine, workers, inputs, params, pid) "
            "VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            [run_id, _now(), __version__, latest_version(), engine, workers, list(inputs),
             json.dumps(dict(params), sort_keys=True, default=str), os.getpid()],
        )
        return run_id

    def finish_run(
        self, run_id: str, *, status: str, counts: Mapping[str, int], seconds: float, error: str | None = None
    ) -> None:
        with self._transaction(self._writable(), f"cannot finish run {run_id}") as con:
            _update_counts(con, run_id, counts)
            con.execute(
                "UPDATE runs SET status = ?, finished_at = ?, seconds = ?, error = ? WHERE id = ?",
                [status, _now(), round(seconds, 3), error, run_id],
            )


RUN_COUNTERS = ("seen", "added", "failed", "skipped")


def _delete_events(con, doc_ids: Sequence[str]) -> None:
    """Remove the events of some documents with their actors, quantities and cluster memberships."""
    ids = "SELECT id FROM events WHERE doc IN (SELECT unnest($1::VARCHAR[]))"
    con.execute(f"DELETE FROM event_cluster_members WHERE event_id IN ({ids})", [list(doc_ids)])
    con.execute(f"DELETE FROM event_actors WHERE event_id IN ({ids})", [list(doc_ids)])
    con.execute("DELETE FROM quantities WHERE owner_kind = 'event' AND doc IN (SELECT unnest($1::VARCHAR[]))",
                [list(doc_ids)])
    con.execute("DELETE FROM events WHERE doc IN (SELECT unnest($1::VARCHAR[]))", [list(doc_ids)])


def _update_counts(con, run_id: str, counts: Mapping[str, int]) -> None:
    con.execute(
        "UPDATE runs SET seen = ?, added = ?, failed = ?, skipped = ? WHERE id = ?",
        [int(counts.get(k, 0)) for k in RUN_COUNTERS] + [run_id],
    )
