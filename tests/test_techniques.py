"""The propaganda-technique model: it loads, finds spans in loaded prose, and quotes its evidence."""

from __future__ import annotations

import json

from sitrep.extract.techniques import DATA_DIR, find_techniques, load_model, predict_spans, tokens
from sitrep.model import Document

LABELS = {
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation",
    "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans",
    "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring",
}

LOADED = (
    "Shameless traitors and corrupt globalist elites are destroying our great nation.\n"
    "The weather in the region was mild on Tuesday, officials said.\n"
    "These evil, disgusting thugs will stop at nothing to crush freedom and enslave patriots!\n"
)


def test_model_labels_are_the_task_spellings():
    assert set(load_model().labels) == LABELS


def test_provenance_records_the_training_hash_seed_and_command():
    meta = json.loads((DATA_DIR / "techniques_model.json").read_text(encoding="utf-8"))
    assert len(meta["train_sha256"]) == 64 and isinstance(meta["seed"], int)
    assert "scripts/train_techniques.py" in meta["command"]


def test_loaded_language_is_flagged_and_plain_reporting_is_not():
    spans = list(find_techniques(None, Document(id="d1", source="test", text=LOADED)))
    assert spans, "no propaganda spans found in plainly loaded sentences"
    neutral = LOADED.index("The weather")
    neutral_end = LOADED.index("\n", neutral)
    assert not any(s.start < neutral_end and s.end > neutral for s in spans)
    for s in spans:
        assert s.technique in LABELS
        assert s.text == LOADED[s.start:s.end] and s.doc == "d1"
        assert 0.0 <= s.score <= 1.0


def test_offsets_map_back_to_the_raw_input():
    from sitrep.ingest.offsets import OffsetMap

    doc = Document(id="d2", source="test", text=LOADED, raw=LOADED, offsets=OffsetMap.identity(len(LOADED)))
    for s in find_techniques(None, doc):
        assert LOADED[s.raw_start:s.raw_end] == s.text


def test_spans_never_cross_a_line_break():
    for start, end, _ in predict_spans(LOADED, threshold=0.0):
        assert "\n" not in LOADED[start:end]


def test_empty_text_yields_nothing():
    assert tokens("") == [] and list(find_techniques(None, Document(id="e", source="t", text=""))) == []
