"""The propaganda-technique model: it loads without torch, finds spans in loaded prose, and quotes its evidence."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sitrep.errors import ModelError
from sitrep.extract import techniques_text as TT
from sitrep.extract.techniques import (
    DATA_DIR,
    extract_techniques,
    load_model,
    predict_spans,
    summarize_techniques,
)
from sitrep.ingest.offsets import OffsetMap
from sitrep.model import TECHNIQUES, Document, Mention, TechniqueSpan

LOADED = (
    "Shameless traitors and corrupt globalist elites are destroying our great nation.\n"
    "The weather in the region was mild on Tuesday, officials said.\n"
    "These evil, disgusting thugs will stop at nothing to crush freedom and enslave patriots!\n"
)


def _doc(text: str, doc_id: str = "d1", raw: str | None = None) -> Document:
    raw = text if raw is None else raw
    return Document(id=doc_id, source="test", text=text, raw=raw, offsets=OffsetMap.identity(len(raw)))


def test_model_labels_are_the_task_spellings():
    assert load_model().labels == TECHNIQUES


def test_provenance_records_the_training_hash_seed_command_and_dev_scores():
    for name, script in (("techniques_tagger.json", "scripts/train_techniques.py"),
                         ("techniques_classifier.json", "scripts/train_techniques_tc.py")):
        meta = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        assert len(meta["train_sha256"]) == 64 and isinstance(meta["seed"], int)
        assert script in meta["command"] and meta["date"]
    tagger = json.loads((DATA_DIR / "techniques_tagger.json").read_text(encoding="utf-8"))
    assert 0.0 < tagger["dev_si"][tagger["shipped"]]["tuned"]["F1"] <= 1.0


def test_loaded_sentences_are_flagged_and_plain_reporting_is_not():
    spans = list(extract_techniques(_doc(LOADED)))
    assert spans, "no propaganda spans found in plainly loaded sentences"
    assert all(isinstance(s, TechniqueSpan) for s in spans)
    neutral = LOADED.index("The weather")
    neutral_end = LOADED.index("\n", neutral)
    assert not any(s.start < neutral_end and s.end > neutral for s in spans)
    for s in spans:
        assert s.technique in TECHNIQUES
        assert s.text == LOADED[s.start:s.end] and s.doc == "d1"
        assert 0.0 <= s.score <= 1.0


def test_raw_offsets_point_into_the_raw_input():
    # The raw input had a prefix that normalisation dropped: raw offsets shift by its length.
    prefix = "<p>"
    raw = prefix + LOADED
    offsets = OffsetMap((0,), (len(prefix),), (len(LOADED),), len(LOADED), len(raw))
    doc = Document(id="d2", source="test", text=LOADED, raw=raw, offsets=offsets)
    spans = list(extract_techniques(doc))
    assert spans
    for s in spans:
        assert (s.raw_start, s.raw_end) == (s.start + len(prefix), s.end + len(prefix))
        assert raw[s.raw_start:s.raw_end] == s.text


def test_spans_never_cross_a_line_break():
    for start, end, _ in predict_spans(LOADED, threshold=0.05):
        assert "\n" not in LOADED[start:end]


def test_long_sentences_are_cut_into_windows_that_cover_every_piece():
    model = load_model()
    text = " ".join(["word"] * 300) + "."
    ws = TT.windows(text, model.tokenizer)
    assert len(ws) == 3 and all(len(w.ids) <= TT.MAX_PIECES + 2 for w in ws)
    assert sum(len(w.offsets) for w in ws) == 301
    spans = predict_spans(text, threshold=0.0)
    assert spans and spans[0][0] == 0 and spans[-1][1] == len(text) - 1


def test_empty_and_failed_documents_yield_nothing():
    assert list(extract_techniques(_doc(""))) == []
    assert list(extract_techniques(_doc("  \n\n "))) == []
    failed = Document(id="f", source="t", text=LOADED, status="error", error="x: unreadable")
    assert list(extract_techniques(failed)) == []


def test_missing_model_file_raises_a_model_error_naming_it(tmp_path):
    with pytest.raises(ModelError, match="missing.onnx.*missing"):
        load_model(tmp_path / "missing.onnx")


def test_corrupt_model_file_raises_a_model_error(tmp_path):
    bad = tmp_path / "techniques_tagger.onnx"
    bad.write_bytes(b"not an onnx model")
    with pytest.raises(ModelError, match="cannot load"):
        load_model(bad)


def test_summary_counts_density_and_densest_passages():
    text = "Evil thugs lie.\nThe sky is blue today, a long calm sentence about weather.\nLiars!\n"
    doc = _doc(text, "s1")

    def span(start, end, technique):
        return TechniqueSpan(doc="s1", start=start, end=end, raw_start=start, raw_end=end,
                             text=text[start:end], technique=technique, score=0.9)

    calm = text.index("The sky")
    liars = text.index("Liars")
    spans = [span(0, 10, "Name_Calling,Labeling"), span(calm, calm + 7, "Loaded_Language"),
             span(liars, liars + 5, "Name_Calling,Labeling")]
    summary = summarize_techniques(doc, spans, top=2)
    assert summary.doc == "s1" and summary.words == 15
    assert summary.counts == {"Loaded_Language": 1, "Name_Calling,Labeling": 2}
    assert summary.per_1000_words == pytest.approx(round(3 * 1000 / 15, 2))
    assert all(isinstance(m, Mention) for m in summary.passages)
    # "Liars!" is 5/6 covered, "Evil thugs lie." 10/15, the calm sentence far less: it is left out.
    assert [m.text for m in summary.passages] == ["Liars!", "Evil thugs lie."]


def test_summary_of_a_document_without_spans_is_empty():
    summary = summarize_techniques(_doc("Nothing here."), [])
    assert summary.counts == {} and summary.per_1000_words == 0.0 and summary.passages == ()
    assert summarize_techniques(_doc(""), []).words == 0


def test_runtime_never_imports_torch():
    code = ("import sys; from sitrep.extract.techniques import extract_techniques; from sitrep.model import Document; "
            "list(extract_techniques(Document(id='x', source='t', text='Evil traitors lie to you.'))); "
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-500:]
