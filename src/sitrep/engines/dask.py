"""The Dask engine: analyse a batch on a Dask cluster, one writer in this process.

Documents go to the workers in chunks of ``SITREP_BATCH_SIZE``, at most ``2 x`` the cluster's
threads at a time, so neither this process nor the cluster ever holds more than a window of the
corpus. Results come back as chunks finish and leave in input order, which keeps the store the same
whatever the engine. Each worker process loads the models once (the first chunk it gets) and keeps
them for the life of the process.

Workers need sitrep and its models installed, the same version as this process: chunks name
``sitrep.engines.dask.analyse_chunk``, which each worker imports.
"""

from __future__ import annotations

import functools
import itertools
import logging
from typing import Callable, Iterable, Iterator, TypeVar

from ..errors import ConfigError
from ..model import Document

__all__ = ["analyse_chunk", "dask_engine", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

# How long to wait for a scheduler to answer, and for --workers workers to join it.
CONNECT_SECONDS = 30
WORKERS_SECONDS = 120


@functools.lru_cache(maxsize=1)
def _resources():
    from ..pipeline import Resources

    return Resources.load()


def analyse_chunk(documents: list[Document]) -> list:
    """Run on a worker: the pipeline over ``documents``, with the models this process loaded once."""
    from ..store.batch import _analyse

    return list(_analyse(documents, _resources()))


_END = object()


def ordered_map(client, fn: Callable[[T], R], items: Iterable[T], *, window: int) -> Iterator[R]:
    """``fn`` over ``items`` on the cluster, yielded in input order, with at most ``window`` items
    submitted and not yet yielded (memory is bounded on both sides)."""
    from distributed import as_completed

    if window < 1:
        raise ValueError("window must be at least 1")
    items = iter(items)
    pending = as_completed()
    done: dict[int, object] = {}
    index = {}  # future key -> position
    submitted = next_out = 0
    exhausted = False
    while True:
        while not exhausted and submitted - next_out < window:
            item = next(items, _END)
            if item is _END:
                exhausted = True
                break
            # pure=False: chunks are never the same task twice, and hashing documents costs time
            future = client.submit(fn, item, pure=False, retries=2)
            index[future.key] = submitted
            pending.add(future)
            submitted += 1
        if next_out == submitted:
            return
        while next_out not in done:
            future = next(pending)
            done[index.pop(future.key)] = future.result()  # a failed task raises here, with its error
            future.release()
        yield done.pop(next_out)
        next_out += 1



def _connect(scheduler: str | None, workers: int):
    """A client on ``scheduler``, or on a LocalCluster of ``workers`` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(f"--engine dask needs dask[distributed] installed ({exc}); pip install 'sitrep[dask]'") from None
    if scheduler is None:
        import dask

        # Dask's workers trim freed memory back to the OS eagerly (MALLOC_TRIM_THRESHOLD_=64 KiB);
        # spaCy allocates and frees per document, and that trimming cost ~12 ms of system time a
        # document here (FA-KES, 1 worker). Workers of our own cluster keep glibc's default.
        environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                   if k != "MALLOC_TRIM_THRESHOLD_"}
        # processes, not threads: spaCy holds the GIL; spawn (distributed's default) keeps this
        # process's DuckDB connection out of the workers
        with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
        return Client(cluster), cluster
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"--scheduler {scheduler}: cannot connect ({str(exc).splitlines()[0]}); "
                          "start one with `dask scheduler` and give its tcp://HOST:PORT") from None
    try:
        client.wait_for_workers(workers, timeout=WORKERS_SECONDS)
    except TimeoutError:
        found = len(client.scheduler_info(n_workers=-1)["workers"])
        client.close()
        raise ConfigError(f"--scheduler {scheduler}: {found} of --workers {workers} workers joined within "
                          f"{WORKERS_SECONDS}s; start more with `dask worker {scheduler}` or lower --workers") from None
    return client, None


def _threads(client) -> int:
    return max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info(n_workers=-1)["workers"].values()))


def dask_engine(documents: Iterable[Document], workers: int, *, scheduler: str | None = None) -> Iterator:
    """Analyse ``documents`` on Dask: a cluster at ``scheduler``, else a LocalCluster of ``workers``
    processes. Yields ``(DocResult, parent entries)`` in input order, like the local engine."""
    from .. import settings

    documents = iter(documents)
    first = next(documents, None)
    if first is None:  # everything was stored already: start no cluster
        return
    documents = itertools.chain([first], documents)
    chunk = settings.get("SITREP_BATCH_SIZE")
    client, cluster = _connect(scheduler, workers)
    try:
        chunks = iter(lambda: list(itertools.islice(documents, chunk)), [])
        for results in ordered_map(client, analyse_chunk, chunks, window=2 * _threads(client)):
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
