"""Events: argument direction, place and date choice, fatalities, modality and stable ids."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitrep.extract.events import extract_events
from sitrep.ingest import documents_from_records
from sitrep.pipeline import Resources, _extract, analyze_texts
from sitrep.resolve.merge import actor_id, place_id
from sitrep.schema import validate


@pytest.fixture(scope="module")
def res(nlp):
    from sitrep.registry.actors import load_registry
    from sitrep.registry.gazetteer import load_gazetteer

    return Resources(nlp=nlp, registry=load_registry(), gazetteer=load_gazetteer())


def _events(res, text, published=date(2017, 10, 2)):
    document = next(iter(documents_from_records([{"text": text}], source="test", published=published)))
    doc = res.nlp(document.text)
    result = _extract(doc, document, res)
    places = {place_id(p.key): p for p in result.places}
    return result.events, places


def _by_trigger(events, word):
    found = [e for e in events if e.trigger.text == word]
    assert found, f"no event triggered by {word!r} in {[e.trigger.text for e in events]}"
    return found[0]


def test_active_subject_attacks_object(res):
    events, _ = _events(res, "ISIS attacked the Syrian army in Palmyra on Monday.")
    e = _by_trigger(events, "attacked")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("SYR-MIL"))
    assert e.type == "ASSAULT"


def test_passive_by_phrase_is_the_initiator(res):
    events, places = _events(res, "The Syrian army base was struck by Turkish jets near Afrin yesterday.")
    e = _by_trigger(events, "struck")
    assert (e.actor1, e.actor2) == (actor_id("TUR-MIL"), actor_id("SYR-MIL"))
    assert places[e.place].mention.text == "Afrin" and e.place_qualifier == "near"


def test_agentless_passive_leaves_the_initiator_unknown(res):
    events, _ = _events(res, "A commander of the SDF was killed by shelling in Deir ez-Zor.")
    e = _by_trigger(events, "killed")
    assert e.actor1 is None
    assert e.actor2 == actor_id("sdf")


def test_nominalisation_takes_its_initiator_from_the_modifier(res):
    events, _ = _events(res, "The ISIS offensive on Palmyra began last week.")
    e = _by_trigger(events, "offensive")
    assert e.actor1 == actor_id("isis")
    assert e.actor2 != actor_id("isis")
    assert e.date.precision == "week"


def test_place_is_the_one_attached_to_the_trigger_not_the_first(res):
    events, places = _events(res, "After talks in Geneva, Turkish jets bombed Kurdish positions in Afrin.")
    e = _by_trigger(events, "bombed")
    assert places[e.place].mention.text == "Afrin"


def test_date_in_the_sentence_is_resolved_against_publication(res):
    events, _ = _events(res, "On 30 September ISIS attacked the Syrian army in Raqqa.")
    e = _by_trigger(events, "attacked")
    assert (e.date.start, e.date.precision) == ("2017-09-30", "day")


def test_date_is_unknown_when_the_text_gives_none(res):
    events, _ = _events(res, "ISIS attacked the Syrian army in Raqqa.")
    e = _by_trigger(events, "attacked")
    assert (e.date.start, e.date.end, e.date.precision) == (None, None, "unknown")


def test_fatalities_take_the_conservative_figure_with_its_qualifier(res):
    events, _ = _events(res, "Turkish jets bombed Afrin, killing more than 500 fighters.")
    e = _by_trigger(events, "bombed")
    assert (e.fatalities, e.fatalities_qualifier) == (500, "more_than")
    events, _ = _events(res, "ISIS attacked the Syrian army in Raqqa.")
    assert _by_trigger(events, "attacked").fatalities is None


def test_modality_and_source_are_per_event(res):
    events, _ = _events(res, "The SDF said ISIS attacked Raqqa. ISIS could not approach the town unnoticed.")
    attacked = _by_trigger(events, "attacked")
    assert attacked.modality == "claimed" and attacked.source == actor_id("sdf")
    approach = _by_trigger(events, "approach")
    assert approach.modality == "negated" and approach.source is None


def test_evidence_is_the_clause_stating_the_event(res):
    events, _ = _events(res, "The SDF said ISIS attacked Raqqa.")
    e = _by_trigger(events, "attacked")
    assert e.evidence.text == "ISIS attacked Raqqa"
    assert e.trigger.text == "attacked" and e.rule.startswith("trigger:conflict:")


def test_event_ids_are_stable_and_content_derived(res):
    text = "ISIS attacked the Syrian army in Palmyra on Monday."
    first, _ = _events(res, text)
    again, _ = _events(res, text)
    other, _ = _events(res, "Turkish jets bombed Afrin.")
    assert [e.id for e in first] == [e.id for e in again]
    assert {e.id for e in first}.isdisjoint(e.id for e in other)


def test_extract_events_does_not_need_the_pipeline(res):
    document = next(iter(documents_from_records([{"text": "ISIS attacked Raqqa."}], source="t")))
    doc = res.nlp(document.text)
    events = list(extract_events(doc, document, actors=(), places=()))
    assert [(e.type, e.actor1, e.place) for e in events] == [("ASSAULT", None, None)]


def test_situation_with_events_validates_against_the_schema(res):
    situation = analyze_texts(
        ["Turkish warplanes struck Kurdish fighters west of Afrin on the night of September 30, "
         "killing at least 5 civilians, the SDF said."],
        published="2017-10-02",
        resources=res,
    )
    assert situation.events
    validate(situation.to_dict())


def test_clashes_between_two_parties_give_both_sides(res):
    events, _ = _events(res, "Clashes took place between the Syrian army and ISIS in Hama.")
    e = _by_trigger(events, "Clashes")
    assert {e.actor1, e.actor2} == {actor_id("SYR-MIL"), actor_id("isis")}


def test_territory_taken_from_a_party_makes_it_the_target(res):
    events, _ = _events(res, "The SDF captured the village from ISIS.")
    e = _by_trigger(events, "captured")
    assert (e.actor1, e.actor2) == (actor_id("sdf"), actor_id("isis"))
    assert e.acled_event_type == "Battles"


def test_clashes_under_a_time_preposition_take_the_main_clause_subject(res):
    events, _ = _events(res, "The SDF took the railway station following clashes with ISIS.")
    e = _by_trigger(events, "clashes")
    assert (e.actor1, e.actor2) == (actor_id("sdf"), actor_id("isis"))


def test_a_captured_village_named_by_the_ner_is_not_the_target(res):
    events, _ = _events(res, "Syrian regime forces captured Kaba Jeb village in Deir ez-Zor.")
    e = _by_trigger(events, "captured")
    assert e.actor1 == actor_id("SYR-MIL")
    assert e.actor2 is None


def test_explain_prints_evidence_trigger_and_rules(tmp_path):
    from click.testing import CliRunner

    from sitrep.cli import main

    path = tmp_path / "report.txt"
    path.write_text("The SDF said ISIS attacked Raqqa on Monday.\n", encoding="utf-8")
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["analyze", str(path), "--published", "2017-10-02"]).stdout)
    event = next(e for e in data["events"] if e["trigger"]["text"] == "attacked")
    result = runner.invoke(main, ["explain", event["id"], str(path), "--published", "2017-10-02"])
    assert result.exit_code == 0, result.output
    assert '"attacked"' in result.output and "ISIS attacked Raqqa" in result.output
    assert "trigger:conflict:attack" in result.output and "claimed" in result.output
    missing = runner.invoke(main, ["explain", "event-0000000000000000", str(path)])
    assert missing.exit_code == 2 and "no such event" in missing.output


def test_a_sentence_whose_root_is_not_a_verb_does_not_hang(nlp):
    """spaCy's root token heads itself; walking up must stop there (this used to loop forever)."""
    import signal

    from sitrep.ingest.offsets import OffsetMap
    from sitrep.model import Document

    text = "Heavy clashes between regime forces and IS near Deir ez-Zor. Fighting with the SDF."
    doc = nlp(text)
    document = Document(id="d", source="t", text=text, raw=text, offsets=OffsetMap.identity(len(text)))
    from sitrep.extract.actors import extract_actors
    from sitrep.extract.events import extract_events
    from sitrep.registry.actors import load_registry

    actors = list(extract_actors(doc, document, registry=load_registry()))
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("extract_events hung")))
    signal.alarm(20)
    try:
        events = list(extract_events(doc, document, actors=actors, places=[]))
    finally:
        signal.alarm(0)
    assert events
