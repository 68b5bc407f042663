"""The actor network: events between two actors become weighted, dated, evidenced edges."""

from __future__ import annotations

import json
from datetime import date

from sitrep.ids import content_id, stable_id
from sitrep.model import ActorRef, Claim, Document, Event, EventDate, TechniqueSpan
from sitrep.pipeline import DocResult
from sitrep.resolve.merge import actor_id
from sitrep.resolve.relations import relation_id, relation_rules, relations_from_events
from sitrep.store import open_store

NAMES = {"SAA": "Syrian army", "SDF": "SDF", "RUS": "Russia", "TUR": "Turkey"}


def report(text: str, *, actor1: str | None, actor2: str | None, type_: str = "ASSAULT",
           when: str | None = "2017-09-10", modality: str = "asserted", published: date | None = date(2017, 9, 12),
           trigger: str = "attacked") -> DocResult:
    """One document stating one event between two actors named in its text."""
    doc = Document(id=content_id(text), source="wire", text=text, published=published, raw=text)

    def span(surface):
        start = text.index(surface)
        return doc.mention(start, start + len(surface))

    actors = tuple(ActorRef(key=k, name=NAMES[k], type="military", mention=span(NAMES[k]), via="registry")
                   for k in (actor1, actor2) if k)
    t = span(trigger)
    event = Event(
        id=stable_id("event", doc.id, t.start, t.end, type_), doc=doc.id, type=type_,
        evidence=doc.mention(0, len(text)), trigger=t,
        actor1=actor_id(actor1) if actor1 else None, actor2=actor_id(actor2) if actor2 else None,
        date=EventDate(when, when, "day", "on Sunday") if when else EventDate(None, None, "unknown", None),
        modality=modality,
    )
    return DocResult(doc, actors, (), (event,))


def events_of(*results: DocResult) -> list[Event]:
    return [e for r in results for e in r.events]


def test_an_assault_is_a_hostile_edge_from_the_initiator_to_the_target():
    [edge] = relations_from_events(events_of(report("Syrian army attacked SDF positions.", actor1="SAA", actor2="SDF")))
    assert (edge.source, edge.target, edge.kind, edge.weight) == (actor_id("SAA"), actor_id("SDF"), "hostile", 1)
    assert edge.id == relation_id(actor_id("SAA"), actor_id("SDF"), "hostile")
    assert edge.evidence[0].text == "Syrian army attacked SDF positions."


def test_each_plover_family_maps_to_its_relation_kind():
    kinds = relation_rules().kinds
    assert {kinds[t] for t in ("ASSAULT", "COERCE", "THREATEN", "SANCTION")} == {"hostile"}
    assert {kinds[t] for t in ("SUPPORT", "COOPERATE", "AID", "AGREE")} == {"allied"}
    assert (kinds["CONSULT"], kinds["ACCUSE"]) == ("negotiates", "accuses")
    assert "PROTEST" not in kinds


def test_one_edge_per_source_target_and_kind_weighted_by_its_events_and_dated_by_them():
    results = [
        report("Syrian army attacked SDF in Raqqa.", actor1="SAA", actor2="SDF", when="2017-09-10"),
        report("Syrian army attacked SDF near Tabqa.", actor1="SAA", actor2="SDF", when="2017-10-02"),
        report("Syrian army attacked SDF again.", actor1="SAA", actor2="SDF", when=None, published=date(2017, 8, 1)),
        report("Russia attacked SDF lines.", actor1="RUS", actor2="SDF"),
        report("Russia met Turkey in Sochi.", actor1="RUS", actor2="TUR", type_="CONSULT", trigger="met"),
    ]
    dates = {r.document.id: r.document.published for r in results}
    edges = {(e.source, e.target, e.kind): e for e in relations_from_events(events_of(*results), dates=dates)}
    saa = edges[(actor_id("SAA"), actor_id("SDF"), "hostile")]
    # the undated third report takes its document's date, the earliest of all
    assert (saa.weight, saa.first, saa.last) == (3, "2017-08-01", "2017-10-02")
    assert set(saa.events) == {e.id for r in results[:3] for e in r.events}
    assert [m.text for m in saa.evidence][0] == "Syrian army attacked SDF again."
    assert edges[(actor_id("RUS"), actor_id("TUR"), "negotiates")].weight == 1
    assert len(edges) == 3


def test_events_without_both_sides_or_that_did_not_happen_state_no_relation():
    results = [
        report("Syrian army attacked overnight.", actor1="SAA", actor2=None),
        report("Syrian army denied it attacked SDF.", actor1="SAA", actor2="SDF", modality="denied"),
        report("Syrian army may have attacked SDF.", actor1="SAA", actor2="SDF", modality="hypothetical"),
        report("SDF protested against SDF.", actor1="SDF", actor2="SDF", type_="ASSAULT", trigger="protested"),
    ]
    assert list(relations_from_events(events_of(*results))) == []


def test_an_edge_keeps_only_its_earliest_statements_as_evidence():
    cap = relation_rules().evidence_cap
    results = [report(f"Syrian army attacked SDF, report {i}.", actor1="SAA", actor2="SDF", when=f"2017-09-{10 + i}")
               for i in range(cap + 3)]
    [edge] = relations_from_events(events_of(*results))
    assert edge.weight == cap + 3 and len(edge.evidence) == cap and len(edge.events) == cap + 3
    assert edge.evidence[0].text == "Syrian army attacked SDF, report 0."


# --- the store --------------------------------------------------------------------------------------


def stored_edges(store) -> dict[tuple, tuple]:
    return {(s, t, k): (w, first, last, json.loads(ev)) for s, t, k, w, first, last, ev in store.query(
        "SELECT source_id, target_id, kind, weight, first, last, evidence FROM relations").rows}


def test_stored_edges_grow_as_documents_arrive_and_a_rerun_adds_nothing(mem_store):
    a = report("Syrian army attacked SDF in Raqqa.", actor1="SAA", actor2="SDF", when="2017-09-10")
    b = report("Syrian army attacked SDF near Tabqa.", actor1="SAA", actor2="SDF", when="2017-10-02")
    key = (actor_id("SAA"), actor_id("SDF"), "hostile")
    mem_store.save([a])
    assert stored_edges(mem_store)[key][:3] == (1, "2017-09-10", "2017-09-10")
    mem_store.save([b])
    weight, first, last, evidence = stored_edges(mem_store)[key]
    assert (weight, first, last) == (2, "2017-09-10", "2017-10-02")
    assert [m["text"] for m in evidence] == [a.document.text, b.document.text]
    before = mem_store.snapshot()
    mem_store.save([a, b])
    assert mem_store.snapshot() == before


def test_stored_edges_do_not_depend_on_the_order_documents_arrive_in():
    results = [report(f"Syrian army attacked SDF, report {i}.", actor1="SAA", actor2="SDF", when=f"2017-09-{10 + i}")
               for i in range(8)] + [report("Russia attacked SDF lines.", actor1="RUS", actor2="SDF")]
    snapshots = []
    for order in (results, results[::-1], results[3:] + results[:3]):
        with open_store(":memory:") as store:
            for r in order:
                store.save([r])
            snap = store.snapshot()
            snapshots.append((snap["relations"], snap["relation_events"]))
    assert snapshots[0][0] and all(s == snapshots[0] for s in snapshots)


def test_the_stored_situation_rebuilds_the_relations_the_pipeline_would_make(mem_store):
    results = [report("Syrian army attacked SDF in Raqqa.", actor1="SAA", actor2="SDF"),
               report("Russia met Turkey in Sochi.", actor1="RUS", actor2="TUR", type_="CONSULT", trigger="met")]
    mem_store.save(results)
    dates = {r.document.id: r.document.published for r in results}
    assert mem_store.situation().relations == tuple(relations_from_events(events_of(*results), dates=dates))


def test_claims_and_technique_spans_are_stored_and_read_back(mem_store):
    text = "The Syrian army said it attacked SDF fighters, a clearly barbaric act."
    base = report(text, actor1="SAA", actor2="SDF")
    doc = base.document
    event_id = base.events[0].id
    claim = Claim(id=stable_id("claim", doc.id, 0, 45), doc=doc.id, text="it attacked SDF fighters",
                  evidence=doc.mention(0, 45), kind="indirect", speaker=actor_id("SAA"), speaker_text="The Syrian army",
                  cue="said", cue_mention=doc.mention(16, 20), certainty="boosted",
                  certainty_cues=(doc.mention(48, 55),), checkworthiness=0.8, events=(event_id,))
    start = text.index("barbaric")
    span = TechniqueSpan(doc=doc.id, start=start, end=start + 8, raw_start=start, raw_end=start + 8, text="barbaric",
                         technique="Loaded_Language", score=0.7)
    mem_store.save([DocResult(doc, base.actors, (), base.events, claims=(claim,), techniques=(span,))])
    row = mem_store.query("SELECT speaker, speaker_text, cue, kind, certainty, checkworthiness, events FROM claims").rows
    assert row == [(actor_id("SAA"), "The Syrian army", "said", "indirect", "boosted", 0.8, [event_id])]
    situation = mem_store.situation()
    assert situation.claims == (claim,) and situation.techniques == (span,)
