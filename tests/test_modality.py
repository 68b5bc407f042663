"""Modality of an event trigger, read on the real dependency parse."""

from __future__ import annotations

import pytest

from sitrep.extract.modality import ModalityResult, modality_of
from sitrep.model import MODALITIES, Document


def _modality(nlp, text, trigger, **kw):
    doc = nlp(text)
    index = next(t.i for t in doc if t.text == trigger)
    return modality_of(doc, index, **kw)


CASES = [
    ("asserted", "ISIS fighters attacked the base on Tuesday.", "attacked"),
    ("asserted", "Rebels shelled the town overnight, killing two civilians.", "shelled"),
    ("reported", "According to the Syrian Observatory, rebels shelled the town.", "shelled"),
    ("reported", "Activists said that government jets bombed the market.", "bombed"),
    ("reported", "Government jets reportedly bombed the market.", "bombed"),
    ("reported", "Government jets bombed the market, the Observatory said.", "bombed"),
    ("reported", "Witnesses told Reuters that a car bomb exploded near the checkpoint.", "exploded"),
    ("claimed", "ISIS claimed responsibility for the attack.", "attack"),
    ("claimed", "ISIS said in a statement on its Amaq agency that its fighters destroyed two tanks.", "destroyed"),
    ("claimed", "The Syrian army said it killed 40 militants near Palmyra.", "killed"),
    ("claimed", "According to the Russian Defence Ministry, its jets struck 20 targets.", "struck"),
    ("hypothetical", "Should they continue their advance, the city will fall.", "advance"),
    ("hypothetical", "If the rebels attack the airport, the army would respond.", "attack"),
    ("hypothetical", "The strike could kill hundreds of civilians.", "kill"),
    ("negated", "Government forces did not enter the town.", "enter"),
    ("negated", "The convoy could not approach the checkpoint unnoticed.", "approach"),
    ("negated", "The rebels failed to capture the hill.", "capture"),
    ("negated", "No civilians were killed in the raid.", "killed"),
    ("negated", "The patrol reported no attacks on the convoy.", "attacks"),
    # "no" on the toll denies the toll, not the event
    ("asserted", "The brigade seized the ridge after a short fight, no reported casualties.", "seized"),
    ("negated", "The militants never reached the city.", "reached"),
    ("future", "Turkey will launch an offensive against the YPG.", "launch"),
    ("future", "The army is preparing to storm the old city.", "storm"),
    ("future", "The group vowed to attack government targets.", "attack"),
    ("future", "The SDF plans to advance on Deir ez-Zor.", "advance"),
    ("denied", "The Pentagon denied that its aircraft struck the mosque.", "struck"),
    ("denied", "Moscow rejected claims that Russian jets bombed the hospital.", "bombed"),
    ("denied", "Russia denied bombing the hospital.", "bombing"),
]


@pytest.mark.parametrize("expected, text, trigger", CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_modality_of_trigger(nlp, expected, text, trigger):
    result = _modality(nlp, text, trigger)
    assert result.modality == expected, result.rule


def test_every_modality_is_exercised_twice():
    counts = {m: sum(1 for c in CASES if c[0] == m) for m in MODALITIES}
    assert min(counts.values()) >= 2, counts


def test_asserted_has_no_cue(nlp):
    result = _modality(nlp, "Turkish jets struck YPG positions near Afrin.", "struck")
    assert result == ModalityResult("asserted", None, "default")


def test_going_to_is_future_but_went_to_is_not(nlp):
    assert _modality(nlp, "Turkish troops are going to enter Afrin.", "enter").modality == "future"
    assert _modality(nlp, "The jets went to bomb the bridge.", "bomb").modality == "asserted"


def test_the_innermost_cue_wins(nlp):
    result = _modality(nlp, "ISIS said its fighters did not attack the village.", "attack")
    assert result.modality == "negated"


def test_a_denial_overrides_the_reports_it_rejects(nlp):
    result = _modality(nlp, "The army denied reports that its troops shelled the camp.", "shelled")
    assert result.modality == "denied"


def test_the_actor_registry_can_decide_who_is_a_party(nlp):
    text = "The Observatory said that jets bombed the market."
    assert _modality(nlp, text, "bombed").modality == "reported"
    result = _modality(nlp, text, "bombed", is_party=lambda span: "Observatory" in span.text)
    assert result.modality == "claimed"
    assert result.rule == "speech:say+party"


def test_the_cue_is_evidence_in_the_document(nlp):
    text = "Government forces did not enter the town."
    doc = nlp(text)
    document = Document(id="doc-m", source="test", text=text)
    index = next(t.i for t in doc if t.text == "enter")
    result = modality_of(doc, index, document=document)
    assert (result.cue.doc, result.cue.text) == ("doc-m", "not")
    assert text[result.cue.start : result.cue.end] == "not"


def test_a_trigger_outside_the_document_is_an_error(nlp):
    doc = nlp("Clashes continued.")
    with pytest.raises(IndexError):
        modality_of(doc, 99)


def test_a_toll_participle_is_not_a_report_of_the_event(nlp):
    doc = nlp("Rebels captured the town of Kafr Nabl, with no casualties reported.")
    trigger = next(t.i for t in doc if t.lower_ == "captured")
    assert modality_of(doc, trigger).modality == "asserted"
