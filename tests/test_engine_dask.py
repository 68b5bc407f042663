"""The Dask engine: the same input makes the same store as the local engine, in input order."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sitrep.errors import ConfigError
from sitrep.store import open_store
from sitrep.store.batch import run_batch

# Our own wire copy: several actors and places per document, dates, a repeated text, a bad line.
WIRE = [
    ("The Syrian Army shelled Raqqa on Monday, the SDF said.", "2017-09-11"),
    ("Russian aircraft struck targets near Idlib. The Syrian Army advanced on Raqqa.", "2017-09-12"),
    ("Islamic State fighters withdrew from Deir ez-Zor, activists in Aleppo said.", "2017-09-12"),
    ("Turkish troops entered Afrin while Kurdish YPG fighters retreated toward Manbij.", "2018-01-21"),
    ("Hezbollah fighters joined the Syrian government offensive near Qusayr.", "2013-05-19"),
    ("Rebels in Daraa accused Jordan of closing the Nassib crossing.", None),
    ("The UN envoy met opposition delegates in Geneva to discuss a truce for Homs.", "2016-02-01"),
    ("US-led coalition jets bombed an Islamic State convoy outside Mayadin.", "2017-10-02"),
    ("Iranian advisers were seen in Palmyra after Syrian forces retook the city.", "2017-03-02"),
    ("Residents fled Douma as government shelling intensified, the White Helmets said.", "2018-02-20"),
    ("Hayat Tahrir al-Sham fighters clashed with Ahrar al-Sham near Saraqeb.", "2017-07-20"),
    ("The Syrian Army shelled Raqqa on Monday, the SDF said.", "2017-09-11"),  # same text: stored once
]


@pytest.fixture(scope="module")
def wire(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wire") / "wire.jsonl"
    lines = [json.dumps({"id": f"w{i:02d}", "text": text, **({"published": day} if day else {})})
             for i, (text, day) in enumerate(WIRE)]
    path.write_text("\n".join(lines + ["{not json"]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_store(tmp_path_factory, wire, nlp) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    report = run_batch([wire], db=db, engine="local", workers=1, progress=False)
    assert (report.added, report.failed, report.skipped) == (11, 1, 1)
    return db


def test_dask_on_a_local_cluster_of_two_workers_makes_the_same_store_as_the_local_engine(tmp_path, wire, local_store):
    db = tmp_path / "dask.duckdb"
    report = run_batch([wire], db=db, engine="dask", workers=2, progress=False)
    assert (report.added, report.failed, report.skipped) == (11, 1, 1)
    expected = _snapshot(local_store)
    assert expected["documents"] and expected["mentions"] and expected["actors"] and expected["places"]
    assert _snapshot(db) == expected
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT engine, workers, status FROM runs").rows == [("dask", 2, "finished")]


def test_dask_joins_a_running_cluster_by_its_scheduler_address(tmp_path, wire, local_store):
    from distributed import LocalCluster

    # an in-process cluster (threads) starts in a moment; its workers share this process's models
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        db = tmp_path / "joined.duckdb"
        report = run_batch([wire], db=db, engine="dask", engine_options={"scheduler": cluster.scheduler_address},
                           progress=False)
    assert (report.added, report.failed) == (11, 1)
    assert _snapshot(db) == _snapshot(local_store)
    with open_store(db, read_only=True) as store:
        (params,) = store.query("SELECT params FROM runs").rows[0]
    assert json.loads(params)["engine_options"] == {"scheduler": cluster.scheduler_address}


def test_a_run_with_everything_stored_starts_no_cluster(local_store, wire, tmp_path, monkeypatch):
    import sitrep.engines.dask as engine

    def refuse(*args, **kwargs):
        raise AssertionError("a cluster was started with nothing to analyse")

    monkeypatch.setattr(engine, "_connect", refuse)
    stored = tmp_path / "stored.jsonl"  # the corpus without its bad line, which would be retried
    stored.write_text("".join(wire.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    report = run_batch([stored], db=local_store, engine="dask", workers=2, progress=False)
    assert (report.added, report.skipped, report.failed) == (0, 12, 0)


def test_results_come_back_in_input_order_with_a_bounded_window():
    from distributed import Client, LocalCluster

    from sitrep.engines.dask import ordered_map

    pulled = 0
    lock = threading.Lock()

    def items():
        nonlocal pulled
        for i in range(12):
            with lock:
                pulled += 1
            yield i

    def slow_first(i):
        time.sleep(0.05 * (12 - i))  # early items finish last
        return i * i

    window = 3
    with LocalCluster(n_workers=1, threads_per_worker=4, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        out = []
        for value in ordered_map(client, slow_first, items(), window=window):
            out.append(value)
            assert pulled - len(out) <= window - 1  # never more than the window ahead of the output
    assert out == [i * i for i in range(12)]


def test_a_task_that_raises_stops_the_stream_with_its_error():
    from distributed import Client, LocalCluster

    from sitrep.engines.dask import ordered_map

    def broken(i):
        if i == 2:
            raise ValueError(f"chunk {i} is broken")
        return i

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        out = []
        with pytest.raises(ValueError, match="chunk 2 is broken"):
            for value in ordered_map(client, broken, range(5), window=2):
                out.append(value)
    assert out == [0, 1]  # everything before the broken chunk came through, in order


def test_an_unreachable_scheduler_is_a_usage_error_naming_it(tmp_path, wire, monkeypatch):
    import sitrep.engines.dask as engine

    monkeypatch.setattr(engine, "CONNECT_SECONDS", 1)
    with pytest.raises(ConfigError, match=r"--scheduler tcp://127\.0\.0\.1:9: cannot connect"):
        run_batch([wire], db=tmp_path / "s.duckdb", engine="dask", engine_options={"scheduler": "tcp://127.0.0.1:9"},
                  progress=False)
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.query("SELECT status FROM runs").rows == [("failed",)]


def test_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path, wire):
    from sitrep.store.cli import register

    group = click.Group("sitrep")
    register(group)
    result = CliRunner().invoke(group, ["batch", str(wire), "--db", str(tmp_path / "s.duckdb"),
                                        "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--scheduler joins a Dask cluster: add --engine dask" in result.output
    assert not (tmp_path / "s.duckdb").exists()


def _snapshot(db: Path) -> dict[str, list[str]]:
    with open_store(db, read_only=True) as store:
        return store.snapshot()
