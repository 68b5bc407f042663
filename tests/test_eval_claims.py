"""The claims benchmark: gold integrity, split, scoring rules, and the measured floor on dev."""

from __future__ import annotations

import json

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.claims import GOLD, evaluate_claims, load_gold, same_cue, same_speaker, score, split_of
from sitrep.model import CLAIM_KINDS, CERTAINTIES


def test_gold_offsets_match_texts_and_labels_are_known():
    gold = load_gold()
    assert len(gold) >= 32
    outlets = {rec["outlet"] for rec in gold}
    assert len(outlets) >= 6
    kinds = set()
    for rec in gold:
        for c in rec["claims"]:
            assert rec["text"][c["start"]:c["end"]] == c["text"]
            assert c["kind"] in CLAIM_KINDS and c["certainty"] in CERTAINTIES
            if c["kind"] == "author":
                assert c["speaker_text"] is None and c["cue"] is None
            else:
                assert c["cue"]
            kinds.add(c["kind"])
    assert kinds == set(CLAIM_KINDS)


def test_split_is_by_paragraph_id_and_partitions_the_set():
    dev, test, everything = (load_gold(split=s) for s in ("dev", "test", "all"))
    assert len(dev) + len(test) == len(everything)
    assert {r["id"] for r in test} == {r["id"] for r in everything if split_of(r["id"]) == "test"}
    assert 0.2 < len(test) / len(everything) < 0.45


def test_speaker_and_cue_matching_normalise_articles_and_accept_a_head_ending():
    assert same_speaker("the Syrian Observatory", "Syrian Observatory")
    assert same_speaker("Rahal", "Colonel Ahmed Rahal")
    assert not same_speaker("Rahal", "the army")
    assert same_speaker(None, None) and not same_speaker(None, "it")
    assert same_cue("released a report", "report") and not same_cue("said", "told")


def test_score_counts_unmatched_gold_as_wrong_and_extra_predictions_against_precision():
    def claim(start, end, speaker, cue, kind, certainty="neutral"):
        return {"start": start, "end": end, "speaker_text": speaker, "cue": cue, "kind": kind, "certainty": certainty}

    gold = [claim(0, 20, "the army", "said", "indirect"), claim(30, 50, None, None, "author")]
    pred = [claim(2, 20, "army", "said", "indirect", "hedged"), claim(60, 70, None, None, "author")]
    counts = score(gold, pred)
    assert counts["matched_gold"] == 1 and counts["matched_pred"] == 1
    assert counts["speaker"] == 1 and counts["kind"] == 1 and counts["certainty"] == 0 and counts["cue"] == 1


def test_unreadable_or_inconsistent_gold_raises_evaluation_error(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "abc", "claims": [{"start": 0, "end": 2, "text": "zz"}]}) + "\n")
    with pytest.raises(EvaluationError, match="gold.jsonl"):
        load_gold(bad)
    with pytest.raises(EvaluationError, match="split"):
        load_gold(GOLD, split="train")


def test_dev_scores_stay_above_the_measured_floor(nlp):
    # Measured 2026-11-25 on dev: 1.0 on every score (the rules were tuned there). The floor leaves
    # room for parser drift; the held-out test third is scored once and reported, never here.
    result = evaluate_claims(split="dev", nlp=nlp)
    assert result["speaker_accuracy"] >= 0.9
    assert result["cue_recall"] >= 0.9
    assert result["kind_accuracy"] >= 0.9
    assert result["span_precision"] >= 0.9 and result["span_recall"] >= 0.9
