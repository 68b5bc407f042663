"""The SemEval-2020 Task 11 span-identification metric and a floor for the shipped model on dev."""

from __future__ import annotations

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.ptc import evaluate_ptc, load_split, merge_spans, read_article, si_scores


def test_perfect_prediction_scores_one():
    gold = {"a": [(0, 10), (20, 30)], "b": [(5, 9)]}
    assert si_scores(gold, gold)["F1"] == pytest.approx(1.0)


def test_half_overlap_gives_half_precision_and_recall():
    s = si_scores({"a": [(0, 10)]}, {"a": [(5, 15)]})
    assert (s["P"], s["R"], s["F1"]) == pytest.approx((0.5, 0.5, 0.5))


def test_prediction_inside_longer_gold_is_precise_but_recalls_half():
    s = si_scores({"a": [(0, 10)]}, {"a": [(0, 20)]})
    assert (s["P"], s["R"]) == pytest.approx((1.0, 0.5))
    assert s["F1"] == pytest.approx(2 / 3)


def test_one_prediction_covering_two_gold_spans_counts_both_overlaps():
    s = si_scores({"a": [(0, 20)]}, {"a": [(0, 5), (10, 20)]})
    assert (s["P"], s["R"]) == pytest.approx((0.75, 1.0))


def test_overlapping_gold_spans_are_merged_before_scoring():
    assert merge_spans([(5, 15), (0, 10), (30, 31)]) == [(0, 15), (30, 31)]
    s = si_scores({"a": [(0, 15)]}, {"a": [(0, 10), (5, 15), (0, 15)]})
    assert s["n_gold"] == 1 and s["F1"] == pytest.approx(1.0)


def test_overlapping_predictions_are_merged_too():
    s = si_scores({"a": [(0, 8), (4, 10)]}, {"a": [(0, 10)]})
    assert s["n_pred"] == 1 and s["F1"] == pytest.approx(1.0)


def test_touching_spans_stay_separate_and_empty_spans_are_dropped():
    assert merge_spans([(0, 5), (5, 10), (12, 12)]) == [(0, 5), (5, 10)]


def test_scores_are_micro_averaged_over_documents():
    s = si_scores({"a": [(0, 10)], "b": [(0, 4)]}, {"a": [(0, 10)], "b": [(50, 60)], "c": [(0, 3)]})
    assert (s["n_pred"], s["n_gold"]) == (2, 3)
    assert (s["P"], s["R"]) == pytest.approx((0.5, 1 / 3))


def test_no_predictions_score_zero_without_dividing_by_zero():
    s = si_scores({}, {"a": [(0, 10)]})
    assert (s["P"], s["R"], s["F1"]) == (0.0, 0.0, 0.0)


def test_articles_keep_carriage_returns_so_offsets_stay_exact(tmp_path):
    path = tmp_path / "article1.txt"
    path.write_bytes(b"Title\r\n\r\nBody text.")
    assert read_article(path)[9:13] == "Body"


def test_missing_train_labels_name_the_file(tmp_path):
    (tmp_path / "train-articles").mkdir()
    (tmp_path / "train-articles" / "article7.txt").write_text("x", encoding="utf-8")
    (tmp_path / "train-labels-task1-span-identification").mkdir()
    with pytest.raises(EvaluationError, match="article7.task1-SI.labels"):
        load_split(tmp_path, "train")


def test_dev_gold_scored_against_itself_is_perfect(shared_dir):
    ptc = shared_dir / "eval" / "ptc"
    texts, gold = load_split(ptc, "dev")
    assert len(texts) == 75
    result = evaluate_ptc(ptc, split="dev", predict=lambda text: [], limit=3)
    assert result["n_docs"] == 3 and result["F1"] == 0.0
    # Gold spans quote the article text: none start or end with the characters the task trims.
    doc, spans = next(iter(gold.items()))
    for start, end in spans:
        assert texts[doc][start] not in " \n.,:;" and texts[doc][end - 1] not in " \n.,:;"
    assert si_scores(gold, gold)["F1"] == pytest.approx(1.0)


def test_shipped_model_meets_its_floor_on_the_first_dev_articles(shared_dir):
    # Fine-tuned MiniLM, int8: measured 0.4871 (P 0.4872, R 0.4870) on these 10 articles; 0.4402 on all
    # of dev. The hashed-feature baseline it replaced measured 0.3926 here.
    result = evaluate_ptc(shared_dir / "eval" / "ptc", split="dev", limit=10)
    assert result["n_docs"] == 10
    assert result["F1"] >= 0.46
