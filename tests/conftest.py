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


# Debian's chromium, started the way this machine's closed network needs: no background traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    import shutil

    for candidate in (os.environ.get("SITREP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test; skips, saying why, where there is none."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not found; run scripts/ensure_chromium.sh or set SITREP_CHROMIUM")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
