"""Events in the situation store: every field is stored and comes back as the pipeline made it."""

from __future__ import annotations

from datetime import date

from sitrep.ids import content_id, stable_id
from sitrep.model import ActorRef, Document, Event, EventDate, PlaceRef, Quantity
from sitrep.pipeline import DocResult, build_situation
from sitrep.resolve.merge import actor_id, place_id
from sitrep.store import open_store


def _doc(text: str, *, published: date | None = None, source: str = "t.txt") -> Document:
    return Document(id=content_id(text), source=source, text=text, published=published, raw=text)


def _span(doc: Document, surface: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(surface, start + 1)
    return doc.mention(start, start + len(surface))


def _actor(doc: Document, surface: str, key: str, **kw) -> ActorRef:
    return ActorRef(key=key, name=surface, type=kw.pop("type_", "military"), mention=_span(doc, surface),
                    via="registry", **kw)


def _place(doc: Document, surface: str, key: str) -> PlaceRef:
    return PlaceRef(key=key, name=surface, feature="city", mention=_span(doc, surface), via="gazetteer",
                    lat=35.95, lon=39.01, geonames_id=163915, country="SY", admin1="Raqqa", confidence=0.9)


def _event(doc: Document, trigger: str, type_: str, **kw) -> Event:
    t = _span(doc, trigger)
    return Event(id=stable_id("event", doc.id, t.start, t.end, type_), doc=doc.id, type=type_,
                 evidence=doc.mention(0, doc.text.index(".") + 1), trigger=t, **kw)


def results() -> list[DocResult]:
    a = _doc("Russian jets struck Raqqa on Sunday, killing at least 12 civilians. Rebels said 40 tanks moved.",
             published=date(2017, 9, 12), source="reuters")
    b = _doc("The Syrian Army denied shelling Raqqa.", source="ap")
    killed = Quantity(12, "civilians", "at_least", "at least 12 civilians", _span(a, "at least 12 civilians"))
    tanks = Quantity(40.0, "tanks", None, "40 tanks", _span(a, "40 tanks"))
    strike = _event(
        a, "struck", "ASSAULT", mode="aerial", acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike", actor1=actor_id("RUSMIL"), actor2=None,
        associated_actors=(actor_id("SYRMIL"),), place=place_id("gn:163915"), place_qualifier="near",
        date=EventDate("2017-09-10", "2017-09-10", "day", "on Sunday"), fatalities=12,
        fatalities_qualifier="at_least", fatalities_side="civilians", quantities=(killed,), modality="asserted",
        rule="trigger:strike>subj:actor1",
    )
    moved = _event(a, "moved", "MOBILIZE", quantities=(tanks,), modality="reported", source=actor_id("REBELS"),
                   date=EventDate(None, None, "unknown", None), rule="trigger:move")
    denial = _event(b, "shelling", "ASSAULT", actor1=actor_id("SYRMIL"), place=place_id("gn:163915"),
                    modality="denied", source=actor_id("SYRMIL"), rule="trigger:shell")
    return [
        DocResult(a, (_actor(a, "Russian", "RUSMIL"), _actor(a, "Rebels", "REBELS", type_="armed_group")),
                  (_place(a, "Raqqa", "gn:163915"),), (strike, moved)),
        DocResult(b, (_actor(b, "Syrian Army", "SYRMIL"),), (_place(b, "Raqqa", "gn:163915"),), (denial,)),
    ]


def test_saved_events_come_back_with_every_field(mem_store):
    res = results()
    mem_store.save(res, events=True)
    assert mem_store.situation().to_dict() == build_situation(res).to_dict()


def test_events_of_some_documents_come_back_alone(mem_store):
    res = results()
    mem_store.save(res, events=True)
    events = mem_store.situation([res[1].document.id]).events
    assert [e.id for e in events] == [e.id for e in res[1].events]


def test_event_roles_and_quantities_are_rows_for_sql(mem_store):
    res = results()
    mem_store.save(res, events=True)
    strike = res[0].events[0]
    roles = mem_store.query("SELECT actor_id, role FROM event_actors WHERE event_id = ? ORDER BY role", [strike.id]).rows
    assert roles == [(actor_id("SYRMIL"), "other"), (actor_id("RUSMIL"), "source")]
    figures = mem_store.query("SELECT owner_id, value, unit, approx FROM quantities ORDER BY unit").rows
    assert figures == [(strike.id, 12.0, "civilians", "at_least"), (res[0].events[1].id, 40.0, "tanks", None)]
    fatalities = mem_store.query("SELECT attrs->>'fatalities' FROM events WHERE id = ?", [strike.id]).rows
    assert fatalities == [("12",)]


def test_saving_the_same_events_again_adds_nothing(mem_store):
    mem_store.save(results(), events=True)
    before = mem_store.snapshot()
    mem_store.save(results(), events=True)
    assert mem_store.snapshot() == before


def test_events_do_not_depend_on_the_order_documents_arrive_in():
    snapshots = []
    for order in (results(), list(reversed(results()))):
        with open_store(":memory:") as store:
            for r in order:
                store.save([r], events=True)
            snapshots.append(store.snapshot())
    assert snapshots[0] == snapshots[1]
