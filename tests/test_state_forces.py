"""Bare "government forces" take the country the document is about (sitrep.extract.state_forces)."""

from __future__ import annotations

import pytest

from sitrep.extract.focus import document_country
from sitrep.ingest import documents_from_records
from sitrep.model import Mention, PlaceRef
from sitrep.pipeline import Resources, _extract
from sitrep.resolve.merge import actor_id


@pytest.fixture(scope="module")
def res(nlp):
    from sitrep.registry.actors import load_registry
    from sitrep.registry.gazetteer import load_gazetteer

    return Resources(nlp=nlp, registry=load_registry(), gazetteer=load_gazetteer(), features=frozenset({"events"}))


def _run(res, text):
    document = next(iter(documents_from_records([{"text": text}], source="test")))
    return _extract(res.nlp(document.text), document, res)


def _state_refs(result):
    return {(a.mention.text, a.key) for a in result.actors if a.via == "document-country"}


def test_government_forces_in_a_syrian_report_are_the_syrian_military_and_the_initiator(res):
    result = _run(res, "Government forces clashed with ISIS fighters near Palmyra in Homs province on Tuesday.")
    assert _state_refs(result) == {("Government forces", "SYR-MIL")}
    event = next(e for e in result.events if e.trigger.text == "clashed")
    assert (event.actor1, event.actor2) == (actor_id("SYR-MIL"), actor_id("isis"))


def test_the_same_words_in_a_yemeni_report_are_yemens_forces(res):
    result = _run(res, "Government troops shelled Houthi positions outside Taiz, and fighting spread towards Aden.")
    assert _state_refs(result) == {("Government troops", "YEM-MIL")}


def test_without_a_country_of_the_document_the_phrase_names_no_one(res):
    assert _state_refs(_run(res, "Government forces clashed with the rebels on Tuesday.")) == set()


def test_a_stance_a_name_or_a_possessive_before_the_phrase_is_not_read_as_the_documents_country(res):
    for text in ("Anti-government forces fought near Aleppo and Idlib on Monday.",
                 "Kurdish government forces waited near Aleppo and Idlib on Monday.",
                 "Iraq's government forces shelled IS positions near Abu Kamal and Deir ez-Zor."):
        result = _run(res, text)
        assert document_country(result.places, result.actors).country == "SYR", text
        assert _state_refs(result) == set(), text


def test_a_place_name_before_the_phrase_does_not_say_whose_forces_they_are(res):
    result = _run(res, "In Aleppo government forces shelled rebel positions near Idlib.")
    assert _state_refs(result) == {("government forces", "SYR-MIL")}


def test_a_tie_between_two_countries_gives_the_document_no_focus():
    def place(key, country, start):
        return PlaceRef(key, key, "town", Mention("d", start, start + 3, "xyz"), "test", 30.0, 35.0, None, country)

    assert document_country([place("a", "SYR", 0), place("b", "EGY", 10)]) is None
    assert document_country([place("a", "SYR", 0), place("b", "EGY", 10), place("c", "SYR", 20)]).country == "SYR"


def test_a_word_before_and_shares_the_bare_phrases_noun_in_the_documents_country_only(res):
    result = _run(res, "Clashes between opposition and government forces broke out near Aleppo and Idlib.")
    refs = {(a.mention.text, a.key) for a in result.actors}
    assert {("opposition", "syr-opposition-rebels"), ("government forces", "SYR-MIL")} <= refs
    # the registry's "opposition forces" are Syria's: in a Yemeni report the word names no one
    result = _run(res, "Clashes between opposition and government forces broke out in Taiz, Yemen.")
    assert {(a.mention.text, a.key) for a in result.actors} == {("government forces", "YEM-MIL")}
