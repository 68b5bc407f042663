"""The PLOVER event-type benchmark: split, scoring, and the measured floor on the test half."""

from __future__ import annotations

import json

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.plover import evaluate_plover, load_gold, score, split_of


def _gold_path(shared_dir):
    path = shared_dir / "eval" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.is_file():
        pytest.skip(f"PLOVER gold file not found at {path}")
    return path


def test_split_is_deterministic_and_content_based():
    text = "Iran threatened to shell Iraqi towns today."
    assert split_of(text) == split_of("  " + text + "\n")
    assert {split_of(f"sentence {i}") for i in range(50)} == {"dev", "test"}


def test_score_counts_missing_predictions_as_misses():
    result = score(["ASSAULT", "AGREE", "AGREE"], ["ASSAULT", None, "AGREE"])
    assert result["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["per_type"]["AGREE"]["recall"] == 0.5
    assert result["per_type"]["AGREE"]["precision"] == 1.0
    assert result["no_prediction"] == 1


def test_gold_uses_current_plover_names_and_halves_partition(shared_dir):
    path = _gold_path(shared_dir)
    dev, test, everything = (load_gold(path, split=s) for s in ("dev", "test", "all"))
    assert len(dev) + len(test) == len(everything) == 322
    assert not {g["id"] for g in dev} & {g["id"] for g in test}
    types = {g["type"] for g in everything}
    assert "DEMAND" not in types and "FIGHT" not in types and len(types) == 16


def test_unreadable_gold_file_raises_evaluation_error(tmp_path):
    bad = tmp_path / "gold.txt"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match="gold.txt"):
        load_gold(bad)
    with pytest.raises(EvaluationError, match="split"):
        load_gold(bad, split="train")


def test_unknown_event_type_is_reported(tmp_path):
    bad = tmp_path / "gold.txt"
    bad.write_text(json.dumps([{"id": "x", "event": "PARTY", "text": "We danced."}]), encoding="utf-8")
    with pytest.raises(EvaluationError, match="PARTY"):
        load_gold(bad)


@pytest.mark.slow
def test_plover_test_half_stays_above_its_floor(shared_dir, nlp):
    result = evaluate_plover(_gold_path(shared_dir), split="test", nlp=nlp)
    # measured on test: macro-F1 0.672, accuracy 0.719 (dev: 0.739 / 0.778); floors sit a little
    # below. Anchors: NGEC demo classifier 0.521 macro-F1, UniversalPetrarch 68% correct.
    assert result["macro_f1"] >= MACRO_F1_FLOOR
    assert result["accuracy"] >= ACCURACY_FLOOR


@pytest.mark.slow
def test_plover_dev_half_finds_who_did_it_to_whom(shared_dir, nlp):
    result = evaluate_plover(_gold_path(shared_dir), split="dev", nlp=nlp)
    # measured on dev: source 0.624 of 162, target 0.340 of 147 (2026-12-07; nearest actors alone:
    # 0.642 / 0.340; dependency arguments without the fallbacks: 0.519 / 0.136); type macro-F1 0.739
    assert result["roles"]["source"] >= 0.60 and result["roles"]["target"] >= 0.32
    assert result["macro_f1"] >= 0.72


MACRO_F1_FLOOR = 0.65
ACCURACY_FLOOR = 0.70
