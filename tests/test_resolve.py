"""Arbitration between actor and place readings, and merging mentions into entities."""

from sitrep.ids import stable_id
from sitrep.model import ActorRef, Mention, PlaceRef
from sitrep.registry.actors import RegistryEntry
from sitrep.resolve.arbitrate import arbitrate
from sitrep.resolve.merge import merge_actors, merge_places


def m(start, end, text="x", doc="d1"):
    return Mention(doc=doc, start=start, end=end, text=text)


def actor(start, end, via, key="SYRGOV", text="Damascus", parent=None):
    return ActorRef(key=key, name="Syrian government", type="government", mention=m(start, end, text), via=via,
                    parent_key=parent)


def place(start, end, confidence=0.9, key="gn:170654", text="Damascus"):
    return PlaceRef(key=key, name="Damascus", feature="city", mention=m(start, end, text), via="gazetteer",
                    confidence=confidence, lat=33.51, lon=36.29)


def test_metonymic_capital_is_an_actor_not_a_place():
    actors, places = arbitrate([actor(0, 8, "metonymy")], [place(0, 8)])
    assert [a.via for a in actors] == ["metonymy"] and places == []


def test_gazetteer_place_beats_ner_only_person():
    ner_person = ActorRef(key="ner:person:palmyra", name="Palmyra", type="person", mention=m(10, 17), via="ner")
    actors, places = arbitrate([ner_person], [place(10, 17, key="gn:163345", text="Palmyra")])
    assert actors == [] and len(places) == 1


def test_weak_place_match_does_not_beat_ner_actor():
    ner_person = ActorRef(key="ner:person:homs", name="Homs", type="person", mention=m(0, 4), via="ner")
    actors, places = arbitrate([ner_person], [place(0, 4, confidence=0.2)])
    assert len(actors) == 1 and len(places) == 1


def test_place_inside_an_actor_name_is_not_a_location():
    council = ActorRef(key="DZMC", name="Deir ez-Zor Military Council", type="armed_group", mention=m(0, 28),
                       via="registry")
    actors, places = arbitrate([council], [place(0, 11, key="gn:170794", text="Deir ez-Zor")])
    assert len(actors) == 1 and places == []


def test_place_inside_an_ner_organisation_name_is_part_of_the_name():
    outlet = ActorRef(key="ner:ORG:levant wire", name="Levant Wire", type="other", mention=m(0, 11, "Levant Wire"), via="ner")
    actors, places = arbitrate([outlet], [place(0, 6, key="ne:levant", text="Levant")],
                               place_nouns=frozenset({"province"}))
    assert len(actors) == 1 and places == []


def test_ner_organisation_ending_in_a_place_noun_is_the_place():
    ner_org = ActorRef(key="ner:ORG:idlib province", name="Idlib Province", type="other", mention=m(0, 14, "Idlib Province"),
                       via="ner")
    actors, places = arbitrate([ner_org], [place(0, 5, key="adm:idlib", text="Idlib")],
                               place_nouns=frozenset({"province"}))
    assert actors == [] and len(places) == 1


def test_ner_name_that_runs_on_into_a_place_yields_the_place():
    ragged = ActorRef(key="ner:ORG:t-4 (tiyas", name="T-4 (Tiyas", type="other", mention=m(0, 10, "T-4 (Tiyas"),
                      via="ner")
    actors, places = arbitrate([ragged], [place(5, 10, key="cur:tiyas", text="Tiyas")],
                               place_nouns=frozenset({"province"}))
    assert actors == [] and len(places) == 1


def test_registry_actor_beats_an_unresolved_place_reading():
    daesh = ActorRef(key="ISIS", name="Islamic State", type="armed_group", mention=m(0, 5, "Daesh"), via="registry")
    unresolved = PlaceRef(key="unresolved:daesh", name="Daesh", feature="other", mention=m(0, 5, "Daesh"),
                          via="ner", confidence=0.1)
    actors, places = arbitrate([daesh], [unresolved])
    assert len(actors) == 1 and places == []


def test_unrelated_spans_are_all_kept():
    actors, places = arbitrate([actor(0, 8, "registry")], [place(20, 28)])
    assert len(actors) == 1 and len(places) == 1


def test_mentions_of_one_key_merge_into_one_actor_with_a_stable_id():
    refs = [actor(0, 8, "metonymy"), actor(30, 38, "metonymy", text="Syrian government")]
    (merged,) = merge_actors(refs)
    assert merged.id == stable_id("actor", "SYRGOV")
    assert [x.start for x in merged.mentions] == [0, 30]
    assert "Damascus" in merged.aliases


def test_parent_is_materialised_so_every_parent_id_resolves():
    unit = ActorRef(key="TIGER", name="Tiger Forces", type="military", mention=m(0, 12), via="registry",
                    parent_key="SYRMIL")
    parent = RegistryEntry(key="SYRMIL", name="Syrian Arab Army", type="military", country="SYR", codes={},
                           aliases=("SAA",), parent=None, source="curated")
    actors = merge_actors([unit], lookup=lambda key: parent if key == "SYRMIL" else None)
    by_name = {a.name: a for a in actors}
    assert by_name["Tiger Forces"].parent == by_name["Syrian Arab Army"].id
    assert by_name["Syrian Arab Army"].mentions == ()


def test_unknown_parent_is_left_out_rather_than_dangling():
    unit = ActorRef(key="TIGER", name="Tiger Forces", type="military", mention=m(0, 12), via="registry",
                    parent_key="NOPE")
    (merged,) = merge_actors([unit], lookup=lambda key: None)
    assert merged.parent is None


def test_variant_names_of_one_place_share_an_id():
    refs = [place(0, 11, key="gn:170794", text="Deir ez-Zor"), place(40, 52, key="gn:170794", text="Dayr az Zawr")]
    (merged,) = merge_places(refs)
    assert merged.id == stable_id("place", "gn:170794")
    assert {x.text for x in merged.mentions} == {"Deir ez-Zor", "Dayr az Zawr"}


def test_ids_do_not_depend_on_input_order():
    a = merge_places([place(0, 4, key="k1"), place(5, 9, key="k2")])
    b = merge_places([place(5, 9, key="k2"), place(0, 4, key="k1")])
    assert {p.id for p in a} == {p.id for p in b}
