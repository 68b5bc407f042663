"""The resumable batch: stream a corpus through the pipeline into a situation store.

Each transaction holds whole documents (up to ``commit_every`` of them), so a run killed at any
moment, ``kill -9`` included, leaves only complete documents; started again, it skips what is
stored (by id and by text hash) and ends with the store an uninterrupted run would have made.
Nothing holds the corpus: documents stream from the inputs through the engine to the store.

Engines turn documents into results, in input order. ``local`` runs the pipeline in this process
(``workers=1``) or in a pool of worker processes; ``dask`` on a Dask cluster (``scheduler``), or on
a LocalCluster of ``workers`` processes. An engine takes the documents, the worker count and its
keyword options (``engine_options``).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import ConfigError
from ..ids import content_id
from ..model import Document
from .csvinput import TABLE_SUFFIXES, Fields, check_columns, read_table
from .store import Store, open_store

__all__ = ["BatchReport", "ENGINES", "run_batch"]

# One analysed document with the registry entries of its actors' parents (see Store.save).
Analysed = tuple[object, tuple]
Engine = Callable[[Iterable[Document], int], Iterator[Analysed]]

MAX_LISTED_FAILURES = 20
_CHECK_CHUNK = 64


@dataclass
class BatchReport:
    """What a run did. ``failures`` lists the first failed documents (all are in the store)."""

    run_id: str
    db: str
    status: str = "running"
    seen: int = 0
    added: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    failures: list[Document] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"seen": self.seen, "added": self.added, "failed": self.failed, "skipped": self.skipped}

    @property
    def docs_per_second(self) -> float:
        return self.seen / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (
            f"{self.db}: {self.seen} documents in {self.seconds:.1f}s ({self.docs_per_second:.1f}/s): "
            f"{self.added} added, {self.skipped} already stored, {self.failed} failed"
        )


# --- engines -------------------------------------------------------------------------------------


def _parents(result, lookup) -> tuple:
    """Registry entries of the parent chain of every actor in ``result`` (as build_situation finds them)."""
    if lookup is None:
        return ()
    found: dict[str, object] = {}
    pending = [r.parent_key for r in result.actors if r.parent_key]
    while pending:
        key = pending.pop()
        if key in found:
            continue
        entry = lookup(key)
        if entry is None:
            continue
        found[key] = entry
        parent = getattr(entry, "parent", None)
        if parent:
            pending.append(parent)
    return tuple(found[k] for k in sorted(found))


def _analyse(documents: Iterable[Document], resources) -> Iterator[Analysed]:
    from ..pipeline import process

    # the same lookup build_situation gives merge_actors: key -> registry entry
    registry = resources.registry
    lookup = registry.get if registry is not None else None
    for result in process(documents, resources=resources):
        yield result, _parents(result, lookup)


_WORKER_RESOURCES = None


def _init_worker() -> None:
    global _WORKER_RESOURCES
    from ..pipeline import Resources

    _WORKER_RESOURCES = Resources.load()


def _analyse_chunk(documents: list[Document]) -> list[Analysed]:
    return list(_analyse(documents, _WORKER_RESOURCES))


def local_engine(documents: Iterable[Document], workers: int) -> Iterator[Analysed]:
    """Analyse in this process, or in ``workers`` processes (each loads the models once)."""
    documents = iter(documents)
    first = next(documents, None)
    if first is None:  # everything was stored already: no need to load the models
        return
    documents = itertools.chain([first], documents)
    if workers <= 1:
        from ..pipeline import Resources

        yield from _analyse(documents, Resources.load())
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .. import settings

    chunk = settings.get("SITREP_BATCH_SIZE")
    # spawn, not fork: the parent holds a DuckDB connection and its threads
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker) as pool:
        pending: deque = deque()
        chunks = iter(lambda: list(itertools.islice(documents, chunk)), [])
        for part in chunks:
            pending.append(pool.submit(_analyse_chunk, part))
            while len(pending) >= 2 * workers:  # a bounded window keeps memory flat and order kept
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def dask_engine(documents: Iterable[Document], workers: int, *, scheduler: str | None = None) -> Iterator[Analysed]:
    """Analyse on a Dask cluster (sitrep.engines.dask); imported only when chosen."""
    from ..engines.dask import dask_engine as run

    return run(documents, workers, scheduler=scheduler)


ENGINES: dict[str, Engine] = {"local": local_engine, "dask": dask_engine}


# --- inputs --------------------------------------------------------------------------------------


def _is_table(name: str, fields: Fields) -> bool:
    suffix = Path(name).suffix.lower()
    return suffix in TABLE_SUFFIXES or (suffix == ".jsonl" and fields.renamed)


def check_inputs(inputs: Sequence[str], fields: Fields) -> None:
    """Fail before the run starts when a table lacks a chosen column (a usage error)."""
    for name in inputs:
        if Path(name).suffix.lower() in TABLE_SUFFIXES and Path(name).is_file():
            check_columns(name, fields)


def read_documents(inputs: Sequence[str], *, fields: Fields, published: date | None) -> Iterator[Document]:
    """Stream the documents of every input: tables here, everything else through sitrep.ingest."""
    from ..ingest import read_inputs

    for is_table, group in itertools.groupby(inputs, key=lambda name: _is_table(name, fields)):
        names = list(group)
        if is_table:
            for name in names:
                if Path(name).is_file():
                    yield from read_table(name, fields, published=published)
                else:
                    yield from read_inputs([name], published=published)  # its error names the file
        else:
            yield from read_inputs(names, published=published)


def estimate_total(inputs: Sequence[str], fields: Fields) -> int | None:
    """A quick count of the documents ahead, for the progress bar's ETA (None: unknown)."""
    import csv

    from ..ingest import SUFFIXES

    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                         and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.suffix.lower() in TABLE_SUFFIXES:
            try:
                with path.open(encoding=fields.encoding, errors="replace", newline="") as fh:
                    total += max(sum(1 for _ in csv.reader(fh, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")) - 1, 0)
            except (OSError, csv.Error):
                return None
        elif path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                return None
        else:
            total += 1
    return total


# --- the run -------------------------------------------------------------------------------------


class _Progress:
    """A tqdm bar (documents/s, ETA) on an interactive stderr; nothing otherwise."""

    def __init__(self, enabled: bool, total: int | None):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="batch", unit="doc", file=sys.stderr, dynamic_ncols=True,
                            smoothing=0.1)

    def advance(self, report: BatchReport, n: int = 1) -> None:
        if self.bar is not None and n:
            self.bar.set_postfix(added=report.added, skipped=report.skipped, failed=report.failed, refresh=False)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(
    inputs: Sequence[str],
    *,
    db: str | os.PathLike[str] | Store,
    workers: int = 1,
    engine: str = "local",
    published: date | None = None,
    fields: Fields | None = None,
    commit_every: int = 64,
    commit_seconds: float = 2.0,
    progress: bool | None = None,
    analyse: Callable[[Iterable[Document]], Iterator[object]] | None = None,
    engine_options: dict | None = None,
) -> BatchReport:
    """Analyse ``inputs`` into the store ``db``; documents already stored are skipped.

    ``analyse`` replaces the engine with any function from documents to
    :class:`~sitrep.pipeline.DocResult`\\ s in input order (for custom pipelines and tests).
    ``progress`` defaults to showing a bar when stderr is a terminal. ``engine_options`` go to the
    engine as keywords, e.g. ``{"scheduler": "tcp://10.0.0.5:8786"}`` for ``engine="dask"``.

    >>> report = run_batch(["corpus.jsonl"], db="corpus.duckdb")  # doctest: +SKIP
    >>> report.summary()  # doctest: +SKIP
    """
    fields = fields or Fields()
    inputs = [os.fspath(i) for i in inputs]
    if not inputs:
        raise ConfigError("give at least one INPUT: a file, a directory, a .jsonl or .csv corpus")
    if engine not in ENGINES:
        raise ConfigError(f"--engine {engine!r} is not available; choose one of: {', '.join(ENGINES)}")
    if workers < 1:
        raise ConfigError(f"--workers {workers} must be at least 1")
    if commit_every < 1:
        raise ConfigError(f"--commit-every {commit_every} must be at least 1")
    check_inputs(inputs, fields)

    store = db if isinstance(db, Store) else open_store(db)
    try:
        return _run(store, inputs, workers=workers, engine=engine, published=published, fields=fields,
                    commit_every=commit_every, commit_seconds=commit_seconds, progress=progress, analyse=analyse,
                    engine_options=dict(engine_options or {}))
    finally:
        if not isinstance(db, Store):
            store.close()


def _run(store: Store, inputs, *, workers, engine, published, fields, commit_every, commit_seconds, progress, analyse,
         engine_options):
    params = {
        "published": published.isoformat() if published else None,
        "fields": {k: v for k, v in asdict(fields).items() if v is not None},
        "commit_every": commit_every,
        "analyse": getattr(analyse, "__qualname__", None) if analyse else None,
        **({"engine_options": engine_options} if engine_options else {}),
    }
    run_id = store.begin_run(inputs=inputs, params=params, engine=engine, workers=workers)
    report = BatchReport(run_id=run_id, db=store.path)
    started = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Progress(show, estimate_total(inputs, fields) if show else None)
    buffer: list = []
    parents: list = []
    last_commit = time.monotonic()

    def fresh(documents: Iterable[Document]) -> Iterator[Document]:
        # checked against the store a chunk at a time: one indexed query per chunk, not per document
        documents = iter(documents)
        while chunk := list(itertools.islice(documents, _CHECK_CHUNK)):
            report.seen += len(chunk)
            known = store.known_among([(d.id, content_id(d.text)) for d in chunk if d.ok])
            for doc in chunk:
                if doc.ok and doc.id in known:
                    report.skipped += 1
                    bar.advance(report)
                else:
                    yield doc

    def flush() -> None:
        nonlocal last_commit
        saved = store.save(buffer, run_id=run_id, parents=parents, run_counts=report.counts)
        report.added += len(saved.added)
        report.failed += len(saved.failed)
        report.skipped += len(saved.duplicates)
        for doc in saved.failed:
            if len(report.failures) < MAX_LISTED_FAILURES:
                report.failures.append(doc)
        bar.advance(report, len(buffer))
        buffer.clear()
        parents.clear()
        last_commit = time.monotonic()

    documents = fresh(read_documents(inputs, fields=fields, published=published))
    if analyse is not None:
        stream = ((result, ()) for result in analyse(documents))
    else:
        stream = ENGINES[engine](documents, workers, **engine_options)
    try:
        for result, result_parents in stream:
            buffer.append(result)
            parents.extend(result_parents)
            if len(buffer) >= commit_every or time.monotonic() - last_commit >= commit_seconds:
                flush()
        if buffer:
            flush()
    except KeyboardInterrupt:
        if buffer:
            flush()  # analysed documents are whole: keep them
        _finish(store, report, "interrupted", started, "interrupted by the user")
        raise
    except BaseException as exc:
        _finish(store, report, "failed", started, f"{type(exc).__name__}: {exc}".splitlines()[0])
        raise
    finally:
        bar.close()
        if hasattr(stream, "close"):
            stream.close()  # stops the engine's workers now, not when the generator is collected
    _finish(store, report, "finished", started, None)
    return report


def _finish(store: Store, report: BatchReport, status: str, started: float, error: str | None) -> None:
    report.status = status
    report.seconds = time.monotonic() - started
    try:
        store.finish_run(report.run_id, status=status, counts=report.counts, seconds=report.seconds, error=error)
    except Exception:
        if status == "finished":
            raise
        # the store itself may be what failed: the original error matters more than this one
