"""Attributed claims: every attribution form, certainty classes, speakers and event linking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.extract.claims import (
    apply_to_events,
    extract_claims,
    implied_source,
    link_claims_to_events,
    speaker_actor_id,
)
from sitrep.model import ActorRef, Claim, Document, Event


def _doc(text: str) -> Document:
    return Document(id="doc-1", source="test", text=text)


def _ref(document: Document, surface: str, key: str, type_: str, via: str = "registry") -> ActorRef:
    start = document.text.index(surface)
    return ActorRef(key=key, name=surface, type=type_, mention=document.mention(start, start + len(surface)), via=via)


def _claims(nlp, text: str, actors=(), **options) -> list[Claim]:
    document = _doc(text)
    refs = [_ref(document, *a) for a in actors]
    return list(extract_claims(nlp(text), document, actors=refs, **options))


def _only(claims, kind: str) -> Claim:
    found = [c for c in claims if c.kind == kind]
    assert len(found) == 1, [(c.kind, c.text) for c in claims]
    return found[0]


def test_said_that_attributes_the_complement_to_the_subject(nlp):
    c = _only(_claims(nlp, "The army said that 12 militants were killed near Hama."), "indirect")
    assert (c.text, c.speaker_text, c.cue) == ("12 militants were killed near Hama", "The army", "said")
    assert c.evidence.text == c.text and c.cue_mention.text == "said"


def test_a_clause_without_that_is_still_the_claim(nlp):
    c = _only(_claims(nlp, "The governor of Idlib said the market was hit twice on Monday."), "indirect")
    assert c.text == "the market was hit twice on Monday"
    assert c.speaker_text == "The governor of Idlib"


def test_trailing_reporting_clause_attributes_the_preceding_statement(nlp):
    text = "Rebel fighters shelled the airport overnight, the Defence Ministry said on Friday."
    c = _only(_claims(nlp, text), "indirect")
    assert c.text == "Rebel fighters shelled the airport overnight"
    assert c.speaker_text == "the Defence Ministry"


@pytest.mark.parametrize("text, claim, speaker", [
    ("According to the Syrian Observatory, 30 soldiers died in the ambush.",
     "30 soldiers died in the ambush", "the Syrian Observatory"),
    ("Thirty soldiers died in the ambush near Palmyra, according to local activists.",
     "Thirty soldiers died in the ambush near Palmyra", "local activists"),
])
def test_according_to_names_the_speaker_on_either_side(nlp, text, claim, speaker):
    c = _only(_claims(nlp, text), "according_to")
    assert (c.text, c.speaker_text, c.cue.lower()) == (claim, speaker, "according to")


def test_according_to_plan_is_not_an_attribution(nlp):
    claims = _claims(nlp, "The Turkish operation near Afrin is proceeding according to plan.")
    assert [c.kind for c in claims] == ["author"]


def test_parenthetical_attribution_keeps_the_host_clause(nlp):
    c = _only(_claims(nlp, "The offensive on Raqqa, military analysts contend, has stalled since May."),
              "unnamed_source")
    assert c.text == "The offensive on Raqqa, military analysts contend, has stalled since May"
    assert (c.speaker_text, c.cue) == ("military analysts", "contend")


def test_direct_quote_followed_by_its_speaker(nlp):
    text = "\u201cWe will never surrender this city to the terrorists,\u201d the governor told reporters."
    c = _only(_claims(nlp, text), "direct_quote")
    assert c.text == "We will never surrender this city to the terrorists,"
    assert (c.speaker_text, c.cue) == ("the governor", "told")


def test_colon_introduced_quote_runs_across_sentences(nlp):
    text = 'The commander said: "Our men held the line for six days. Nobody retreated from the hill." Then he left.'
    c = _only(_claims(nlp, text), "direct_quote")
    assert c.text == "Our men held the line for six days. Nobody retreated from the hill."
    assert (c.speaker_text, c.cue) == ("The commander", "said")


def test_dash_introduced_quote_without_a_verb_takes_the_subject_before_the_dash(nlp):
    text = 'A resident of Douma was blunt \u2013 "The regime bombed the bakery on purpose."'
    c = _only(_claims(nlp, text), "direct_quote")
    assert c.speaker_text == "A resident of Douma" and c.cue == "\u2013"


def test_scare_quotes_are_not_direct_quotes(nlp):
    claims = _claims(nlp, 'The ministry said the "terrorists" had fled the town of Tadef.')
    assert [c.kind for c in claims] == ["indirect"]


@pytest.mark.parametrize("text, cue", [
    ("It was reported that two tanks were destroyed near Hama.", "reported"),
    ("The militia is believed to have lost 300 fighters in Ghouta.", "believed"),
])
def test_agentless_passive_is_an_unnamed_source_without_speaker(nlp, text, cue):
    c = _only(_claims(nlp, text), "unnamed_source")
    assert c.speaker is None and c.speaker_text is None and c.cue == cue


def test_a_generic_group_word_names_no_speaker_but_an_acronym_does(nlp):
    text = "Regime officials said the road to the airport was open again."
    c = _only(_claims(nlp, text, actors=[("Regime officials", "SYR-GOV", "government")]), "unnamed_source")
    assert c.speaker_text == "Regime officials"
    text = "A YPG spokesman said the road to the airport was open again."
    _only(_claims(nlp, text, actors=[("YPG", "ypg", "armed_group")]), "indirect")


def test_sources_say_is_an_unnamed_source(nlp):
    c = _only(_claims(nlp, "Sources say the convoy was ambushed near the border."), "unnamed_source")
    assert (c.speaker_text, c.cue, c.text) == ("Sources", "say", "the convoy was ambushed near the border")


def test_indefinite_speaker_without_a_name_is_unnamed_but_a_named_organisation_is_not(nlp):
    unnamed = _only(_claims(nlp, "A senior commander said the brigade had retreated."), "unnamed_source")
    assert unnamed.speaker_text == "A senior commander"
    text = "A spokesman for the Syrian Democratic Forces said the brigade had retreated."
    named = _only(_claims(nlp, text, actors=[("Syrian Democratic Forces", "sdf", "armed_group")]), "indirect")
    assert named.speaker == speaker_actor_id(_ref(_doc(text), "Syrian Democratic Forces", "sdf", "armed_group"))


def test_organisation_publishing_a_report_is_the_speaker(nlp):
    text = ("The Islamic State released a statement on Telegram indicating that its fighters "
            "had captured the village of Tal Abyad.")
    c = _only(_claims(nlp, text, actors=[("The Islamic State", "isis", "armed_group")]), "indirect")
    assert c.text == "its fighters had captured the village of Tal Abyad"
    assert c.cue == "released a statement" and c.speaker_text == "The Islamic State"
    assert c.speaker == speaker_actor_id(_ref(_doc(text), "The Islamic State", "isis", "armed_group"))


def test_pronoun_speaker_resolves_to_the_last_actor_of_its_kind(nlp):
    text = "Hezbollah fighters entered Qusayr on Monday. It said the town was now secure."
    c = _only(_claims(nlp, text, actors=[("Hezbollah", "hezbollah", "armed_group")]), "indirect")
    assert c.speaker_text == "It" and c.speaker is not None


def test_negated_verb_of_saying_attributes_nothing(nlp):
    claims = _claims(nlp, "The army did not say who fired the missile at the convoy.")
    assert all(c.kind == "author" for c in claims)


def test_author_assertion_has_no_speaker_and_a_higher_score_with_facts(nlp):
    factual = _only(_claims(nlp, "Turkish jets struck 20 targets near Afrin on Sunday.",
                            actors=[("Turkish", "tur", "state", "demonym")]), "author")
    vague = _only(_claims(nlp, "Such claims are almost certainly inflated by everyone."), "author")
    assert factual.speaker is None and factual.cue is None
    assert factual.checkworthiness > vague.checkworthiness
    assert 0.0 <= vague.checkworthiness <= 1.0


def test_questions_and_predictions_are_not_author_claims(nlp):
    assert _claims(nlp, "Who fired the missile at the convoy near Hama? Nobody will ever be punished for it.") == []


@pytest.mark.parametrize("text, certainty", [
    ("It is now clear that the regime used chlorine in Saraqeb.", "boosted"),
    ("The army said that rebels apparently fled the town.", "hedged"),
    ("Analysts said Ankara would respond if the YPG crossed the Euphrates.", "hypothetical"),
    ("The army said that rebels fled the town of Saraqeb.", "neutral"),
])
def test_each_certainty_class_is_read_over_the_claim(nlp, text, certainty):
    claims = _claims(nlp, text)
    assert len(claims) == 1 and claims[0].certainty == certainty
    assert (certainty == "neutral") == (claims[0].certainty_cues == ())


def test_claim_ids_are_stable_and_evidence_matches_the_text(nlp):
    text = "The army said that 12 militants were killed near Hama. Rebels denied it."
    first, second = _claims(nlp, text), _claims(nlp, text)
    assert [c.id for c in first] == [c.id for c in second]
    assert all(text[c.evidence.start:c.evidence.end] == c.text for c in first)


def _event(document: Document, trigger: str, evidence: str) -> Event:
    s = document.text.index(evidence)
    t = document.text.index(trigger, s)
    return Event(id=f"event-{trigger}", doc=document.id, type="ASSAULT",
                 evidence=document.mention(s, s + len(evidence)), trigger=document.mention(t, t + len(trigger)))


def test_linking_fills_claim_events_and_says_a_party_claims_them(nlp):
    text = "The Islamic State said its fighters killed 30 soldiers near Palmyra. Aid arrived in Raqqa on Monday."
    document = _doc(text)
    refs = [_ref(document, "The Islamic State", "isis", "armed_group")]
    claims = list(extract_claims(nlp(text), document, actors=refs))
    events = [_event(document, "killed", "its fighters killed 30 soldiers near Palmyra"),
              _event(document, "arrived", "Aid arrived in Raqqa on Monday")]
    linked, implied = link_claims_to_events(claims, events, actors=refs)
    said = next(c for c in linked if c.kind == "indirect")
    assert said.events == ("event-killed",)
    assert implied == {"event-killed": (speaker_actor_id(refs[0]), "claimed")}
    author = next(c for c in linked if c.kind == "author")
    assert author.events == ("event-arrived",)  # linked, but a plain assertion implies nothing


def test_linking_reports_unattributed_and_hypothetical_sources():
    document = _doc("xx")
    m = document.mention(0, 2)
    unnamed = Claim(id="c1", doc="doc-1", text="xx", evidence=m, kind="unnamed_source", speaker_text="Sources")
    neutral_press = Claim(id="c2", doc="doc-1", text="xx", evidence=m, kind="indirect", speaker="actor-x",
                          speaker_text="Reuters")
    maybe = Claim(id="c3", doc="doc-1", text="xx", evidence=m, kind="author", certainty="hypothetical")
    assert implied_source(unnamed) == ("unattributed", "reported")
    assert implied_source(neutral_press, actor_types={"actor-x": "other"}) == ("actor-x", "reported")
    assert implied_source(maybe) == (None, "hypothetical")


def test_a_denial_makes_the_events_inside_denied_and_apply_keeps_negations(nlp):
    text = "The defence ministry denied that its jets had bombed the market in Ariha."
    document = _doc(text)
    claims = list(extract_claims(nlp(text), document))
    bombed = _event(document, "bombed", "its jets had bombed the market in Ariha")
    negated = replace(bombed, id="event-other", modality="negated")
    linked, implied = link_claims_to_events(claims, [bombed, negated])
    assert implied["event-bombed"] == ("unattributed", "denied")
    applied = {e.id: e for e in apply_to_events([bombed, negated], implied)}
    assert (applied["event-bombed"].modality, applied["event-bombed"].source) == ("denied", "unattributed")
    assert applied["event-other"].modality == "negated" and applied["event-other"].source == "unattributed"


def test_relative_clause_speaker_is_the_noun_it_modifies(nlp):
    text = "The Observatory, which said the toll had reached 30 dead, is based in London."
    c = _only(_claims(nlp, text), "indirect")
    assert (c.speaker_text, c.text) == ("The Observatory", "the toll had reached 30 dead")


def test_a_speaker_that_is_nobody_attributes_nothing(nlp):
    claims = _claims(nlp, "No one claimed that the bombing in Azaz was theirs.")
    assert [c.kind for c in claims] == ["author"]
