"""Shared fixtures: the real pipeline (loaded once), a blank one, and the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    return Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def nlp():
    from sitrep import nlp as nlp_module

    return nlp_module.load()


@pytest.fixture(scope="session")
def blank_nlp():
    from sitrep import nlp as nlp_module

    return nlp_module.blank()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = _shared_dir()
    if not path.is_dir():
        pytest.skip(f"benchmark data not found at {path}; set SITREP_SHARED to the shared/ folder")
    return path


@pytest.fixture
def mem_store():
    """A scratch in-memory situation store, closed after the test."""
    from sitrep.store import open_store

    store = open_store(":memory:")
    yield store
    store.close()
