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


# --- place choice (sitrep.extract.event_places) ---------------------------------------------------


@pytest.mark.parametrize("text", [
    "BEIRUT — Islamic State militants attacked Syrian army positions in Deir ez-Zor on Monday.",
    "DAMASCUS, Syria (AP) — Islamic State militants attacked Syrian army positions in Deir ez-Zor on Monday.",
])
def test_a_dateline_is_not_the_event_place_when_the_sentence_names_another(res, text):
    events, places = _events(res, text)
    e = _by_trigger(events, "attacked")
    assert places[e.place].name == "Deir ez-Zor"
    assert "place:model" in e.rule


def test_a_dateline_alone_stays_the_place_rather_than_none(res):
    events, places = _events(res, "BEIRUT — Islamic State militants attacked Syrian army positions on Monday.")
    e = _by_trigger(events, "attacked")
    assert e.place is not None and places[e.place].name == "Beirut"


def test_the_place_named_in_the_following_sentence_is_taken(res):
    events, places = _events(res, "Clashes took place between the SDF and ISIS. The fighting was near Raqqa city.")
    e = _by_trigger(events, "Clashes")
    assert places[e.place].name in ("Ar Raqqah", "Raqqa") and "adjacent-sentence" in e.rule


def test_a_town_in_a_named_countryside_is_the_place_not_the_countryside(res):
    events, places = _events(res, "Army units and Islamic State fighters clashed near Al Qaryatayn in the eastern Homs countryside.")
    e = _by_trigger(events, "clashed")
    assert places[e.place].name == "Al Qaryatayn" and "in-region" in e.rule


def test_the_origin_of_the_dead_is_not_the_event_place(res):
    events, places = _events(res, "IS killed two Syrian regime soldiers from Tartous in Deir ez-Zor city.")
    e = _by_trigger(events, "killed")
    assert places[e.place].name == "Deir ez-Zor"


def test_a_river_yields_to_the_settlement_of_the_same_sentence(res):
    events, places = _events(res, "Clashes took place between regime forces and IS fighters on the eastern bank of "
                                  "the Euphrates River, in the countryside of Deir ez-Zor city.")
    e = _by_trigger(events, "Clashes")
    assert places[e.place].feature != "river" and places[e.place].name == "Deir ez-Zor"


def test_ablating_the_place_model_falls_back_to_the_fewest_hops_rule(res):
    text = "ISIS attacked the Syrian army in Palmyra on Monday."
    document = next(iter(documents_from_records([{"text": text}], source="test", published=date(2017, 10, 2))))
    doc = res.nlp(document.text)
    result = _extract(doc, document, res)
    (learned,) = [e for e in result.events if e.trigger.text == "attacked"]
    (rules,) = [e for e in extract_events(doc, document, actors=result.actors, places=result.places,
                                          ablate=("place",)) if e.trigger.text == "attacked"]
    assert "place:model" in learned.rule and "place:attached" in rules.rule
    assert learned.place == rules.place


def test_an_unknown_ablation_is_a_configuration_error(res):
    from sitrep.errors import ConfigError

    text = "ISIS attacked the Syrian army in Palmyra."
    document = next(iter(documents_from_records([{"text": text}], source="test")))
    with pytest.raises(ConfigError, match="SITREP_EVENT_ABLATE"):
        list(extract_events(res.nlp(text), document, actors=(), places=(), ablate=("everything",)))


def test_without_dependency_arguments_the_nearest_actors_are_taken(res):
    text = "The Syrian army base was struck by Turkish jets near Afrin yesterday."
    document = next(iter(documents_from_records([{"text": text}], source="test")))
    doc = res.nlp(document.text)
    result = _extract(doc, document, res)
    (e,) = [e for e in extract_events(doc, document, actors=result.actors, places=result.places,
                                      ablate=("arguments",)) if e.trigger.text == "struck"]
    # nearest before is the army, nearest after the jets: the passive's direction is lost
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("TUR-MIL"))


# --- arguments the parser misreads -----------------------------------------------------------------


def test_a_verb_parsed_as_a_modifier_still_finds_its_subject_and_loser(res):
    events, _ = _events(res, "Syrian Democratic Forces re-captured Raqqet Samra village in eastern Raqqa from IS.")
    e = _by_trigger(events, "captured")
    assert (e.actor1, e.actor2) == (actor_id("sdf"), actor_id("isis"))


def test_between_partners_are_one_side_and_against_names_the_other(res):
    events, _ = _events(res, "Clashes took place between regime forces, allied militias, and Russian forces against "
                             "Islamic State fighters in Deir ez-Zor.")
    e = _by_trigger(events, "Clashes")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("isis"))
    assert actor_id("RUS-MIL") in e.associated_actors


def test_an_affiliate_prefix_is_not_a_party_of_its_own(res):
    events, _ = _events(res, "Clashes broke out between ISIS-affiliate Khalid ibn al Walid Army on one hand and the "
                             "rebel factions on the other in Daraa countryside.")
    e = _by_trigger(events, "Clashes")
    assert {e.actor1, e.actor2} == {actor_id("khalid-ibn-al-walid-army"), actor_id("syr-opposition-rebels")}


def test_a_place_resolved_to_another_country_than_the_documents_is_implausible():
    from sitrep.extract import event_places
    from sitrep.extract.focus import document_country
    from sitrep.model import ActorRef, Mention, PlaceRef

    def place(key, country, lat, lon, start):
        return PlaceRef(key, key, "town", Mention("d", start, start + 3, "xyz"), "test", lat, lon, None, country)

    deir, mayadin = place("deir", "SYR", 35.3, 40.1, 0), place("mayadin", "SYR", 35.0, 40.4, 10)
    jerusalem = place("mreiyeh", "ISR", 31.8, 35.2, 20)
    army = ActorRef("SYR-MIL", "Syrian Arab Army", "military", Mention("d", 30, 33, "SAA"), "registry", "SYR")
    # a misresolved name repeated three times still votes once
    heads = [(0, deir), (1, mayadin), (2, jerusalem), (3, jerusalem), (4, jerusalem)]
    focus = document_country((r for _, r in heads), [army])
    assert focus.country == "SYR"
    assert event_places.implausible(jerusalem, focus) and not event_places.implausible(deir, focus)
    # alone in its document, a place sets the focus itself and is never implausible
    assert not event_places.implausible(jerusalem, document_country([jerusalem], []))
    assert document_country([], [army]) is None  # one actor's vote is no majority


def test_a_backer_named_inside_a_between_phrase_is_not_a_side(res):
    events, _ = _events(res, "Heavy clashes erupted between the Manbij Military Council, supported by US troops "
                             "and coalition aircraft, against ISIS in the town of Sur.")
    e = _by_trigger(events, "clashes")
    assert (e.actor1, e.actor2) == (actor_id("manbij-military-council"), actor_id("isis"))


# (behaviour, sentence, trigger, initiator(s) accepted, target): argument repairs for phrasings
# of battle reports, each written by us in the style of conflict-event notes.
_SIDES = [
    ("the side after a backing aside closed by ', and' is the opponent",
     "On 3 March 2019, clashes took place between regime forces, supported by pro-regime militias, and rebel "
     "and Islamist factions in the eastern countryside of Hama.", "clashes", ("SYR-MIL",), "syr-opposition-rebels"),
    ("between one side and its backers, the backers' last conjunct is the other side",
     "On 5 July 2021, clashes took place between regime forces supported by pro-regime militias and the Al Fath "
     "Al Mubeen Operation Room near Kafr Nabl.", "clashes", ("SYR-MIL",), "al-fath-al-mubeen"),
    ("an event noun inside 'an exchange of ...' takes the sides of the phrase",
     "On 30 December 2019, an exchange of shelling barrages took place between regime forces and Turkish forces "
     "near Jahjah.", "barrages", ("SYR-MIL",), "TUR-MIL"),
    ("a gerund subject of 'took place' takes the between sides",
     "On 3 June 2022, shelling exchange with artillery took place between SNA and YPG near Manbij.", "shelling",
     ("sna",), "ypg"),
    ("clashes that took place after an attack take the attack's sides",
     "On 14 February 2020, clashes took place after IS attacked a regime forces' checkpoint near the Third "
     "Station in Homs countryside.", "clashes", ("isis",), "SYR-MIL"),
    ("a fallback opponent is never the initiator's own side",
     "Amid regime shelling of the area, regime forces battled rebel forces in the tanks area of Damascus.",
     "shelling", ("SYR-GOV",), "syr-opposition-rebels"),
    ("a subject the parser hung on the opening date still initiates",
     "On 19 December 2020, JWS, which operates under OPS, clashed with QSD on the frontlines of Ein Issa in "
     "Ar-Raqqa.", "clashed", ("sna", "operation-peace-spring"), "sdf"),
    ("an empty 'between' takes the first unbacked actor after it",
     "On 11 October 2020, clashes took place between regime forces supported by Russian warplanes airstrikes, "
     "against IS in the Mustariha area near Oqeirbat.", "clashes", ("SYR-MIL",), "isis"),
    ("clashes as one side attempted to advance against another take both",
     "On 2 February 2020, clashes took place as regime and pro regime forces attempted to advance from Kafruma "
     "towards Hass, against opposition rebels.", "clashes", ("SYR-GOV", "SYR-MIL"), "syr-opposition-rebels"),
    ("a partner deeper in the clause beats splitting a coordinated subject",
     "On 10 October 2021, Turkish forces and opposition rebels operating under OPS exchanged rocket and artillery "
     "barrages with QSD on the Tal Shanan front.", "exchanged", ("TUR-MIL",), "sdf"),
]


@pytest.mark.parametrize("behaviour, text, trigger, initiators, target", _SIDES, ids=[row[0] for row in _SIDES])
def test_battle_phrasings_give_the_right_sides(res, behaviour, text, trigger, initiators, target):
    events, _ = _events(res, text)
    e = _by_trigger(events, trigger)
    assert e.actor1 in {actor_id(k) for k in initiators} and e.actor2 == actor_id(target), behaviour


def test_a_word_sharing_the_head_noun_of_the_next_side_is_a_side(res):
    events, _ = _events(res, "Heavy fighting broke out between opposition and regime forces near the town of Harasta.")
    e = _by_trigger(events, "fighting")
    assert {e.actor1, e.actor2} == {actor_id("syr-opposition-rebels"), actor_id("SYR-MIL")}


def test_a_militia_fighting_for_the_state_is_not_the_opponent_in_a_between_list(res):
    events, _ = _events(res, "On 11 May 2019, clashes took place between regime and pro-regime militia forces and "
                             "opposition rebels in the northern Hama countryside.")
    e = _by_trigger(events, "clashes")
    assert (e.actor1, e.actor2) == (actor_id("SYR-GOV"), actor_id("syr-opposition-rebels"))
    assert actor_id("syr-ndf") in e.associated_actors


@pytest.mark.parametrize("text, trigger, key", [
    ("On 2 November 2020, clashes took place among opposition rebels in Ras Al Ain town.", "clashes",
     "syr-opposition-rebels"),
    ("On 5 November 2022, HTS members clashed with one another in Sarmada over a dispute.", "clashed", "hts"),
    ("On 12 November 2021, clashes took place between two groups of the Sultan Murad Division in Afrin.", "clashes",
     "sultan-murad-division"),
])
def test_a_group_fighting_itself_is_on_both_sides(res, text, trigger, key):
    events, _ = _events(res, text)
    e = _by_trigger(events, trigger)
    assert e.actor1 == e.actor2 == actor_id(key)


def test_among_the_weapons_of_one_side_is_not_fighting_within_it(res):
    events, _ = _events(res, "Clashes took place, among airstrikes and car bombs detonated by the Islamic State, "
                             "between IS fighters against regime forces in eastern Hama.")
    e = _by_trigger(events, "Clashes")
    assert e.actor1 != e.actor2


def test_an_x_backed_modifier_does_not_make_x_the_target(res):
    events, _ = _events(res, "Islamic State snipers targeted US-backed forces, likely the SDF, in Raqqa city.")
    e = _by_trigger(events, "targeted")
    assert e.actor1 == actor_id("isis")
    assert e.actor2 == actor_id("sdf")


def test_a_capture_verb_parsed_as_a_modifier_still_takes_its_loser_from_from(res):
    events, _ = _events(res, "IS captured Arak town in Homs governorate from the Syrian army and its allies.")
    e = _by_trigger(events, "captured")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("SYR-MIL"))


def test_clashes_after_following_find_their_opponent_in_the_main_clause(res):
    events, _ = _events(res, "The SDF seized the dam from ISIS militants, following fierce clashes.")
    e = _by_trigger(events, "clashes")
    assert (e.actor1, e.actor2) == (actor_id("sdf"), actor_id("isis"))


def test_one_hand_and_the_other_name_the_two_sides_whatever_the_parse(res):
    events, _ = _events(res, "Clashes between the Syrian army backed by Iranian militias on one hand and "
                             "Faylaq al-Rahman on the other raged around Douma for a second day.")
    e = _by_trigger(events, "Clashes")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("faylaq-al-rahman"))


def test_side_marks_do_not_rewrite_another_event_in_the_sentence(res):
    events, _ = _events(res, "Hezbollah shelled Madaya, while clashes between the Syrian army on one hand and "
                             "ISIS on the other continued near Palmyra.")
    e = _by_trigger(events, "shelled")
    assert e.actor1 == actor_id("hezbollah")
    c = _by_trigger(events, "clashes")
    assert {c.actor1, c.actor2} == {actor_id("SYR-MIL"), actor_id("isis")}


def test_a_coordinated_subject_of_a_reciprocal_verb_names_both_sides(res):
    events, _ = _events(res, "Regime forces and rebel factions exchanged shelling on areas near Aleppo.")
    e = _by_trigger(events, "shelling")
    assert {e.actor1, e.actor2} == {actor_id("SYR-MIL"), actor_id("syr-opposition-rebels")}


def test_allies_in_a_coordinated_subject_stay_on_one_side(res):
    events, _ = _events(res, "Regime forces and Hezbollah captured the town of Arak.")
    e = _by_trigger(events, "captured")
    assert e.actor1 == actor_id("SYR-MIL") and e.actor2 != actor_id("hezbollah")


def test_clashes_hung_under_an_aside_take_their_sides_from_took_place(res):
    events, _ = _events(res, "Fierce clashes, accompanied by exchange of fire and US Coalition airstrikes, took place "
                             "between the SDF against ISIS near Tabqa dam.")
    e = _by_trigger(events, "clashes")
    assert (e.actor1, e.actor2) == (actor_id("sdf"), actor_id("isis"))


def test_coordinated_state_modifiers_are_targets_in_text_order(res):
    events, _ = _events(res, "Islamic State fighters killed twelve Syrian and Russian soldiers near Palmyra on Monday.")
    e = _by_trigger(events, "killed")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("SYR-MIL"))
    assert actor_id("RUS-MIL") in e.associated_actors


def test_a_gerund_modifying_the_event_noun_takes_the_phrase_s_sides(res):
    events, _ = _events(res, "Artillery shelling exchange took place between regime forces and opposition rebels "
                             "near Kafr Nabl.")
    e = _by_trigger(events, "shelling")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("syr-opposition-rebels"))


def test_gunmen_believed_to_be_is_members_are_the_initiator(res):
    events, _ = _events(res, "Unknown gunmen believed to be IS members shot an Asayish member near Hasakah.")
    e = _by_trigger(events, "shot")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("asayish"))


def test_a_town_in_a_named_countryside_keeps_the_town(res):
    events, places = _events(res, "Unknown gunmen killed a former rebel in Jasim town in Dar'a countryside.")
    e = _by_trigger(events, "killed")
    assert places[e.place].name == "Jāsim"


def test_a_brigade_only_the_ner_knows_stands_under_its_umbrella_group(res):
    events, _ = _events(res, "Unknown gunmen shot and killed a Northern Hawks Brigade leader operating under the "
                             "Syrian Liberation Front in Tell Halaf.")
    e = _by_trigger(events, "killed")
    assert e.actor2 == actor_id("syrian-liberation-front")


def test_rebels_operating_as_part_of_an_operation_are_coded_as_the_operation(res):
    events, _ = _events(res, "Opposition rebels operating as part of Operation Peace Spring clashed with the SDF "
                             "near Tal Tamer.")
    e = _by_trigger(events, "clashed")
    assert (e.actor1, e.actor2) == (actor_id("operation-peace-spring"), actor_id("sdf"))
    assert actor_id("syr-opposition-rebels") in e.associated_actors


def test_fighting_with_one_side_takes_the_other_party_of_the_sentence(res):
    events, _ = _events(res, "After regime forces shelled Kafr Amma on Sunday, opposition rebels retaliated.")
    e = _by_trigger(events, "shelled")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("syr-opposition-rebels"))
    assert "sentence-party" in e.rule


def test_a_party_claiming_a_killing_without_a_subject_did_it(res):
    events, _ = _events(res, "Islamic State claims killing 30 Syrian soldiers near Deir ez-Zor.")
    e = _by_trigger(events, "killing")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("SYR-MIL"))
    assert "speaker-subject" in e.rule


def test_a_non_party_in_the_sentence_is_never_the_target(res):
    events, _ = _events(res, "ISIS gunmen executed three shepherds near Palmyra, the Syrian Observatory reported.")
    e = _by_trigger(events, "executed")
    assert e.actor1 == actor_id("isis") and e.actor2 is None


def test_the_speaker_outside_the_clause_is_not_made_the_target(res):
    events, _ = _events(res, "Rebels shelled a checkpoint outside Jisr al-Shughur, the SDF said.")
    e = _by_trigger(events, "shelled")
    assert e.actor2 is None


def test_the_group_a_unit_operates_under_leads_and_is_no_side_of_its_own(res):
    events, _ = _events(res, "Clashes took place between JWS operating under OPS and QSD near Ras al-Ain.")
    e = _by_trigger(events, "Clashes")
    assert (e.actor1, e.actor2) == (actor_id("operation-peace-spring"), actor_id("sdf"))
    assert actor_id("sna") in e.associated_actors


def test_factions_of_one_umbrella_still_fight_each_other(res):
    events, _ = _events(res, "Clashes took place between Levant Front and National Police Forces near Azaz.")
    e = _by_trigger(events, "Clashes")
    assert e.actor1 is not None and e.actor2 is not None and e.actor1 != e.actor2


def test_an_opening_date_is_no_target(res):
    events, _ = _events(res, "On 19 December 2020, JWS, which operates under OPS, clashed with QSD near Ein Issa.")
    e = _by_trigger(events, "clashed")
    assert e.actor2 == actor_id("sdf")


def test_a_place_written_inside_another_is_the_events(res):
    events, places = _events(res, "Unknown gunmen ambushed a regime patrol near the bridge of the town of Izra' in Dar'a on Tuesday.")
    e = _by_trigger(events, "ambushed")
    assert places[e.place].mention.text == "Izra"
    assert "+specific" in e.rule


def test_an_initiator_the_text_calls_unknown_stays_null(res):
    text = ("Unknown gunmen ambushed an HTS patrol on the road between Kafr Nabl and Hass, "
            "killing two fighters.")
    events, _ = _events(res, text)
    e = _by_trigger(events, "ambushed")
    assert e.actor1 is None and e.actor2 == actor_id("hts")
    assert "actor1:unidentified" in e.rule


def test_unknown_gunmen_said_to_be_a_known_group_are_that_group(res):
    events, _ = _events(res, "Unknown gunmen believed to be IS members attacked a QSD vehicle near Thiban.")
    e = _by_trigger(events, "attacked")
    assert {e.actor1, e.actor2} == {actor_id("isis"), actor_id("sdf")}


def test_an_umbrella_is_only_the_cues_own_object(res):
    events, _ = _events(res, "ISIS fighters, operating under cover of darkness, attacked SDF positions near Hajin.")
    e = _by_trigger(events, "attacked")
    assert (e.actor1, e.actor2) == (actor_id("isis"), actor_id("sdf"))


def test_the_victim_of_unknown_gunmen_keeps_the_rule_that_found_it(res):
    events, _ = _events(res, "An SDF fighter's body was found in Raqqa on Monday, killed by unknown gunmen.")
    e = _by_trigger(events, "killed")
    assert e.actor1 is None and e.actor2 == actor_id("sdf")
    assert "actor2:nearest-before:fallback" in e.rule


def test_a_unit_found_only_by_the_nearest_actor_fallback_stands_under_its_umbrella(res):
    events, _ = _events(res, "On 5 April 2021, clashes took place between Turkey backed opposition rebels whom are "
                             "operating under OPS and QSD in Saida town in Ar-Raqqa countryside.")
    e = _by_trigger(events, "clashes")
    assert {e.actor1, e.actor2} == {actor_id("operation-peace-spring"), actor_id("sdf")}


def test_a_group_named_by_its_name_leads_a_side_of_unnamed_factions(res):
    events, _ = _events(res, "Regime forces backed by loyal militias fought rebel forces, Islamist militias and "
                             "Hayat Tahrir al-Sham in Abu Dali in the countryside of Hama.")
    e = _by_trigger(events, "fought")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("hts"))
    assert actor_id("syr-opposition-rebels") in e.associated_actors


def test_a_name_only_the_ner_knows_that_ends_in_a_place_noun_is_no_side(res):
    events, _ = _events(res, "Clashes took place between Hayat Tahrir al-Sham and Nour al-Din al-Zinki fighters at "
                             "the Regiment 111 Army Base in western Aleppo.")
    e = _by_trigger(events, "Clashes")
    assert {e.actor1, e.actor2} == {actor_id("hts"), actor_id("nour-al-din-al-zinki")}


def test_islamist_and_rebel_factions_are_coded_as_the_rebels(res):
    events, _ = _events(res, "The Syrian Army clashed with the Islamist and rebel factions in Qarmas village.")
    e = _by_trigger(events, "clashed")
    assert e.actor2 == actor_id("syr-opposition-rebels")
    assert actor_id("syr-islamist-militias") in e.associated_actors


def test_the_sentence_opponent_is_the_first_of_conjoined_actors_unless_it_is_the_known_side(res):
    events, _ = _events(res, "Amid mutual shelling, regime forces and loyalist militias clashed with Hayat Tahrir "
                             "al-Sham, rebel, and Islamist fighters in Burj Sabneh.")
    e = _by_trigger(events, "clashed")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("hts"))
    events, _ = _events(res, "Clashes took place using small arms fire and tanks between HTS and HNDZ in the western "
                             "Aleppo countryside.")
    e = _by_trigger(events, "Clashes")
    assert {e.actor1, e.actor2} == {actor_id("hts"), actor_id("nour-al-din-al-zinki")}


def test_factions_under_an_operation_stand_for_it(res):
    events, _ = _events(res, "On 19 February 2020, clashes continued between QSD and opposition rebels under "
                             "Operation Peace Spring near Umm al-Kayf.")
    e = _by_trigger(events, "clashes")
    assert {e.actor1, e.actor2} == {actor_id("sdf"), actor_id("operation-peace-spring")}


def test_the_name_right_after_an_affiliate_noun_is_the_group(res):
    events, _ = _events(res, "The ISIS affiliate Jaish Khalid attacked rebel positions near Tassil.")
    e = _by_trigger(events, "attacked")
    assert e.actor1 == actor_id("khalid-ibn-al-walid-army")


# Sides of an event, one sentence each (sessions 6 and 7): (sentence, trigger, actor1 key, actor2 key).
SIDES = [
    pytest.param("Regime forces and Hezbollah announced the capture of the entire city of Deir ez-Zor from IS "
                 "forces.", "capture", "SYR-MIL", "isis",
                 id="of conjoined actors before a trigger the first initiates"),
    pytest.param("Clashes took place between regime forces supported by loyal gunmen against fighters of HTS "
                 "and rebel factions near the village of Suha.", "Clashes", "SYR-MIL", "hts",
                 id="coordinated modifiers of a side each name a group and the named one leads"),
    pytest.param("The village witnessed an exchange of shelling between the Syrian Army and the Islamic and "
                 "rebel factions and Hayat Tahrir al-Sham.", "shelling", "SYR-MIL", "hts",
                 id="between a named group is picked over unnamed factions"),
    pytest.param("Clashes took place between rebel factions against the Islamic State ally, Khalid ibn al "
                 "Walid Army, near the town of Hit.", "Clashes",
                 "syr-opposition-rebels", "khalid-ibn-al-walid-army",
                 id="the apposition after an ally noun names the group"),
    pytest.param("Afghan troops under NATO command attacked Taliban positions in Helmand.", "attacked",
                 "AFG-MIL", "taliban",
                 id="under after a named force is no umbrella"),
    pytest.param("Regime forces came under Islamic State attack near Palmyra on Tuesday.", "attack",
                 "isis", "SYR-MIL",
                 id="coming under an attack is no umbrella either"),
    pytest.param("Clashes between Liwa Suqour al-Hamad and the Lions of the East Army against government troops "
                 "took place near Bir Qassab in Rural Damascus.", "Clashes", "jaysh-usud-al-sharqiya", "SYR-MIL",
                 id="a side opening with an NER-only name is led by the registry group listed with it"),
    pytest.param("Clashes between the Syrian army on one side and Ajnad al-Kavkaz and Hayat Tahrir al-Sham on the "
                 "other broke out near Maan.", "Clashes", "SYR-MIL", "hts",
                 id="the other side too is led by the registry group after an NER-only name"),
    pytest.param("Clashes took place between rebel and Islamist factions against the Islamic State affiliate, "
                 "Khalid ibn al Walid Army in the vicinity of the town of Hit.", "Clashes",
                 "syr-opposition-rebels", "khalid-ibn-al-walid-army",
                 id="the group an opponent is affiliated with is not on the first side"),
    pytest.param("Clashes broke out between Islamist factions and pro-regime militias, likely Hezbollah, on the "
                 "edges of Fuaa.", "Clashes", "syr-islamist-militias", "hezbollah",
                 id="the group the text says a faction probably is stands for it"),
    pytest.param("Clashes took place between pro-regime militias, likely Hezbollah, and Islamist factions on the "
                 "edges of Fuaa.", "Clashes", "hezbollah", "syr-islamist-militias",
                 id="the probable group stands for the first side too"),
    pytest.param("The Syrian army managed to recapture two villages in the Hama countryside after clashes against "
                 "Hayat Tahrir al-Sham.", "recapture", "SYR-MIL", "hts",
                 id="a controlled verb takes its subject before an agentive noun after it"),
    pytest.param("Clashes took place between regime forces and Islamic State fighters near Palmyra, with regime "
                 "forces establishing control over the hill.", "Clashes", "SYR-MIL", "isis",
                 id="a with clause is not a partner"),
    pytest.param("The Qalamoun Shield force took the hill as clashes, accompanied by heavy shelling, took place "
                 "between regime forces against Islamic State fighters.", "clashes", "SYR-MIL", "isis",
                 id="a light verb the parser made a conjunct still carries the sides"),
    pytest.param("Hayat Tahrir al-Sham, the Turkistan Islamic Party, with the Islamic and rebel factions clashed "
                 "with the Syrian army near Latamina.", "clashed", "hts", "SYR-MIL",
                 id="a list the parser rooted in its first name is the subject led by that name"),
    pytest.param("Regime forces and allied militias advanced on the orchards of Tal Hamra, which were controlled by "
                 "Hayat Tahrir al-Sham, before dawn.", "advanced on", "SYR-MIL", "hts",
                 id="an advance on a place is a battle against the group that holds it"),
    pytest.param("Regime forces stormed the island of Jazirat Haweesh which was held by the Islamic State.",
                 "stormed", "SYR-MIL", "isis",
                 id="the holder of a stormed place is the target, not the place the NER took for a group"),
    pytest.param("Jaysh al Islam and Al-Rahman Corps fighters advanced into the farms east of the bypass "
                 "following clashes with regime forces.", "advanced into", "jaysh-al-islam", "SYR-MIL",
                 id="a group listed with the subject is its partner, not the opponent"),
    pytest.param("Clashes took place between regime forces and allied militias against Hayat Tahrir al-Sham and "
                 "rebel factions near Tal Sawan as the rebels launched an assault against regime positions.", "Clashes",
                 "SYR-MIL", "hts",
                 id="the against phrase of the pair is the target, not a later clause's"),
    pytest.param("Clashes took place between regime forces and allied militias against Jaysh al Islam fighters and "
                 "opposition rebel fighters near the orchards.", "Clashes", "SYR-MIL", "jaysh-al-islam",
                 id="a named group nested in the unnamed factions' phrase leads the target side"),
    pytest.param("Clashes between the Syrian army and its allies on one side and the Islamic battalions on the "
                 "other went on near the hills.", "Clashes", "SYR-MIL", "syr-islamist-militias",
                 id="Islamic battalions are Islamist militias"),
    pytest.param("Clashes between the Syrian army and its allies on one side and the Islamic and rebel militias "
                 "on the other went on near the hills.", "Clashes", "SYR-MIL", "syr-opposition-rebels",
                 id="Islamic and rebel militias are rebels"),
    pytest.param("Regime forces and allied militias pushed into a hamlet south of the lake. The former clashed "
                 "with Hayat Tahrir al-Sham fighters there.", "clashed", "SYR-MIL", "hts",
                 id="the former is the first party named before"),
    pytest.param("ISIS fighters attacked a checkpoint in March. In May, the SDF and the Syrian army advanced on "
                 "Raqqa. The former clashed with ISIS fighters near the dam.", "clashed", "sdf", "isis",
                 id="the former is the first party of the sentence before, not of the document"),
    pytest.param("Following clashes with Hayat Tahrir al-Sham and Islamist and rebel factions, regime forces and "
                 "National Defense Forces fighters captured the town of Tal Ward in eastern Hama.", "captured",
                 "SYR-MIL", "hts",
                 id="the names between a fronted phrase's comma and a subjectless verb are its subject"),
    pytest.param("QSD forces achieved partial control of the hamlet of Tal Wardi from IS forces on Sunday.",
                 "achieved partial control", "sdf", "isis",
                 id="achieving partial control of a place from a group is a battle with it"),
    pytest.param("Amid heavy shelling of the plain, regime forces backed by loyal militias fought rebel forces, "
                 "Islamist militias and Hayat Tahrir al-Sham in Tal Sawan.", "fought", "SYR-MIL", "hts",
                 id="a verb read as its object's modifier governs that object's list"),
    pytest.param("Syrian Democratic Forces supported by aircraft from the Global Coalition Against Daesh achieved "
                 "full control of Tal Sawan hamlet after fighting with Islamic State, no reported casualties.",
                 "achieved full control", "sdf", "isis",
                 id="against inside a name is no side's preposition"),
    pytest.param("The Syrian Army shelled the farms around Tal Sawan. In response, rebel factions returned fire on "
                 "the Army near the mill.", "returned", "syr-opposition-rebels", "SYR-MIL",
                 id="the last words of a group named before stand for it"),
    pytest.param("SDF fighters backed by International Coalition warplanes were able to capture the hamlet of "
                 "Tal Wardi from Islamic State fighters.", "capture", "sdf", "isis",
                 id="were able to shares its subject with the verb it governs"),
    pytest.param("Syrian Democratic Forces advanced in the Tishrine quarter as Global Coalition warplanes shelled "
                 "the area.", "advanced in", "sdf", None,
                 id="the coalition backing the SDF is never its opponent"),
    pytest.param("Regime forces carried out military operations against Islamic State fighters east of the dam.",
                 "military operations", "SYR-MIL", "isis", id="military operations against a group are a battle"),
    pytest.param("Regime forces made advances against Islamic State fighters along the river bank.", "made advances",
                 "SYR-MIL", "isis", id="making advances against a group is a battle"),
    pytest.param("Turkish forces shelled the IS-held town of Al Bab on Sunday.", "shelled", "TUR-MIL", "isis",
                 id="the holder of a shelled town is the target"),
    pytest.param("Regime forces shelled the village of Tal Sawan, which prompted return fire by rebel factions on "
                 "regime-held areas.", "shelled", "SYR-MIL", "syr-opposition-rebels",
                 id="a holder inside another clause is not the target"),
    pytest.param("On 3 May 2021, clashes took place between Turkey backed opposition rebels and YPG on the Harbal "
                 "front line.", "clashes", "syr-opposition-rebels", "ypg",
                 id="an unhyphened backer before the pair does not hide its sides"),
    pytest.param("On 3 May 2021, clashes took place between the Manbij Military Council and Turkey backed JWS near "
                 "the river.", "clashes", "manbij-military-council", "sna",
                 id="an unhyphened backer inside the pair is not a side"),
]


@pytest.mark.parametrize("text, trigger, actor1, actor2", SIDES)
def test_sides_of_an_event(res, text, trigger, actor1, actor2):
    events, _ = _events(res, text)
    e = _by_trigger(events, trigger)
    assert (e.actor1, e.actor2) == (actor1 and actor_id(actor1), actor2 and actor_id(actor2))


@pytest.mark.parametrize("text", ["Apple shares advanced in early trading on Monday.",
                                  "The investor assumed control of the company in May."])
def test_phrases_with_peaceful_senses_need_a_party_to_be_events(res, text):
    events, _ = _events(res, text)
    assert not events


def test_a_holder_taken_as_a_side_joins_the_documents_actors(res, nlp):
    document = next(iter(documents_from_records([{"text": "Rebels shelled the regime-held town of Tal Sawan."}],
                                                source="test", published=date(2017, 10, 2))))
    result = _extract(res.nlp(document.text), document, res)
    ids = {actor_id(a.key) for a in result.actors}
    assert all(a in ids for e in result.events for a in (e.actor1, e.actor2) if a)
    assert [a.via for a in result.actors if a.key == "SYR-GOV"] == ["holder"]


def test_a_brigade_of_a_known_group_keeps_its_own_name(res):
    events, _ = _events(res, "Clashes went on between regime forces against Katibat Abu Amara of Ahrar al-Sham in "
                             "the orchards of Harasta.")
    e = _by_trigger(events, "Clashes")
    assert e.actor2 != actor_id("ahrar-al-sham")


def test_a_unit_under_the_first_sides_umbrella_is_not_the_other_side(res):
    events, _ = _events(res, "On 3 March 2021, clashes took place between the Hamza Brigade who operates under "
                             "Al Sham Corps and Ahrar al-Sharqiya near Jindires.")
    e = _by_trigger(events, "clashes")
    assert e.actor1 == actor_id("faylaq-al-sham")
    assert e.actor2 is not None and e.actor2 != e.actor1


def test_an_ally_of_the_state_is_never_taken_as_its_opponent(res):
    events, _ = _events(res, "Russian warplanes carried out airstrikes, while clashes between the Syrian army on one "
                             "side and the Islamic State on the other went on near Hama.")
    e = _by_trigger(events, "airstrikes")
    assert e.actor1 == actor_id("rus-aerospace-forces") and e.actor2 != actor_id("SYR-MIL")


def test_the_state_whose_camp_its_allies_fight_in_leads_them(res):
    events, _ = _events(res, "Hezbollah and the Syrian army captured the hill from Islamic State fighters near Arsal.")
    e = _by_trigger(events, "captured")
    assert (e.actor1, e.actor2) == (actor_id("SYR-MIL"), actor_id("isis"))
    assert actor_id("hezbollah") in e.associated_actors


def test_slashed_names_are_one_side_led_by_the_first_written(res):
    events, _ = _events(res, "QSD/YPG commanders were assassinated in Tall Refaat in northern Aleppo.")
    e = _by_trigger(events, "assassinated")
    assert e.actor2 == actor_id("sdf")


def test_possibly_inside_a_list_names_a_second_party_not_the_first(res):
    events, _ = _events(res, "Hamas and possibly Islamic Jihad fired rockets at Israeli towns.")
    e = _by_trigger(events, "fired")
    assert e.actor1 == actor_id("hamas")
