"""The shipped samples: findable after install, and the brief reads the same from txt, PDF and HTML."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from sitrep import samples
from sitrep.ingest import load_document
from sitrep.ingest.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "src" / "sitrep" / "samples"


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def brief_text() -> str:
    raw = (FOLDER / "syria_brief_pdf_extract.txt").read_text(encoding="utf-8")
    return normalize(raw)[0]


def test_pdf_extract_sample_normalises_to_clean_paragraphs(brief_text):
    raw = (FOLDER / "syria_brief_pdf_extract.txt").read_text(encoding="utf-8")
    assert "\uf0b7" in raw and "govern-\nment" in raw and "Page 1 of 2" in raw and "\f" in raw
    assert "the government in Damascus" in brief_text
    assert "Deir ez-Zor on 5 September" in brief_text
    assert "including al-Omar and Conoco" in brief_text
    assert "6.000 militants" in brief_text
    assert "\n- The government now controls" in brief_text
    assert "Analysts contend that the river has become" in brief_text
    assert not re.search(r"LEVANT MONITOR|Page \d|not for redistribution|\uf0b7|\u2022", brief_text)


@pytest.mark.parametrize("name", ["syria_brief.pdf", "syria_brief.html"])
def test_pdf_and_html_samples_give_the_text_of_the_extract(name, brief_text):
    doc = load_document(FOLDER / name, source=name)
    assert doc.ok
    assert _squash(doc.text) == _squash(brief_text)
    assert doc.title == "SYRIA BRIEF No. 37: The race for Deir ez-Zor"


def test_shipped_pdf_and_html_are_what_the_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("syria_brief.pdf", "syria_brief.html"):
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), f"{name} is stale: run scripts/make_samples.py"


def test_manifest_lists_every_sample_file_with_a_date_and_a_fictional_source():
    listed = {s.path.name for s in samples.manifest()}
    on_disk = {p.name for p in FOLDER.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".html"}}
    assert listed == on_disk
    assert all("fictional" in s.source for s in samples.manifest())


def test_paths_are_one_per_report_unless_variants_are_asked_for():
    assert [p.name for p in samples.paths()] == [
        "syria_wire_2017.txt",
        "yemen_analysis_2018.md",
        "sudan_press_release_2024.txt",
        "syria_brief_pdf_extract.txt",
    ]
    assert len(samples.paths(variants=True)) == 6
    assert all(p.is_file() for p in samples.paths(variants=True))


def test_sample_documents_carry_their_titles_and_dates():
    docs = list(samples.documents())
    assert all(d.ok for d in docs)
    assert [d.published.isoformat() for d in docs] == ["2017-09-06", "2018-06-20", "2024-06-14", "2017-09-12"]
    assert docs[2].title == "Darfur Relief Network calls for an end to the siege of El Fasher"


@pytest.mark.parametrize("name", ["syria_wire_2017.txt", "yemen_analysis_2018.md", "sudan_press_release_2024.txt"])
def test_clean_samples_are_left_as_written(name):
    raw = (FOLDER / name).read_text(encoding="utf-8")
    assert normalize(raw)[0] == raw.rstrip()
    assert 200 <= len(raw.split()) <= 400
