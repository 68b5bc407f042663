"""Booster, hedge and conditional lexicon (data/certainty_cues.tsv) and the certainty decision."""

from __future__ import annotations

import pytest

from sitrep.extract.certainty import certainty_of, decide, find_cues, is_open_question
from sitrep.model import Document


def _certainty(text: str):
    doc = Document(id="d", source="t", text=text)
    return certainty_of(doc, [(0, len(text))])


@pytest.mark.parametrize("text", [
    "It is now clear that the convoy was hit by a missile.",
    "There's no chance the army carried out the attack.",
    "It\u2019s hardly a secret that the militia sells oil.",
    "There is little doubt that the video was filmed in May.",
])
def test_booster_phrases_make_a_claim_boosted(text):
    certainty, cues = _certainty(text)
    assert certainty == "boosted"
    assert cues and all(text[m.start:m.end] == m.text for m in cues)


@pytest.mark.parametrize("text, cue", [
    ("The rebels apparently withdrew overnight.", "apparently"),
    ("Government troops appear to have entered the town.", "appear to"),
    ("Theoretically, the batteries are able to down any jet.", "Theoretically"),
    ("The commander was reportedly killed in the strike.", "reportedly"),
])
def test_hedge_phrases_make_a_claim_hedged_and_keep_the_cue_span(text, cue):
    certainty, cues = _certainty(text)
    assert certainty == "hedged"
    assert [m.text for m in cues] == [cue]
    assert cues[0].start == text.index(cue)


def test_a_conditional_makes_a_claim_hypothetical_even_when_it_is_also_hedged():
    certainty, cues = _certainty("Apparently Ankara would respond if the YPG crossed the river.")
    assert certainty == "hypothetical"
    assert {m.text for m in cues} == {"would", "if"}


def test_a_plain_statement_is_neutral_with_no_cues():
    assert _certainty("Islamic State fighters seized two checkpoints on Sunday.") == ("neutral", ())


def test_negated_modal_is_shadowed_and_not_hypothetical():
    assert _certainty("The claims could not be independently verified.")[0] == "neutral"
    assert _certainty("Neither claim could be confirmed by Reuters.")[0] == "neutral"


def test_cue_words_inside_other_words_do_not_match():
    assert find_cues("Ifrit wouldbe iffy") == []
    assert find_cues("the clearly-marked convoy") == []
    assert find_cues("it was clearly marked") == [("boosted", 7, 14)]


def test_open_questions_are_recognised():
    text = "It remains unclear whether Iran will stay."
    assert is_open_question(text, 0, len(text))
    assert not is_open_question("Iran will stay.", 0, 15)


def test_decision_order_is_hypothetical_then_hedged_then_boosted():
    assert decide(["boosted", "hedged"]) == "hedged"
    assert decide(["boosted", "hypothetical", "hedged"]) == "hypothetical"
    assert decide(["boosted"]) == "boosted"
    assert decide([]) == "neutral"
