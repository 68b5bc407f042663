"""Cross-document event fusion: reports of one real event from many documents become one cluster."""

from __future__ import annotations

import json
from datetime import date

from sitrep.ids import content_id, stable_id
from sitrep.model import ActorRef, Document, Event, EventDate, PlaceRef
from sitrep.pipeline import DocResult
from sitrep.resolve.fusion import FusionEvent, cluster_id, linked
from sitrep.resolve.merge import actor_id, place_id
from sitrep.store import open_store

# key -> (name, parent key)
ACTORS = {
    "COALITION": ("US-led coalition", None),
    "USAF": ("US Air Force", "COALITION"),
    "ISIS": ("Islamic State", None),
    "RUSMIL": ("Russian jets", None),
    "SDF": ("SDF", None),
}
# surface -> (key, feature, lat, lon, country)
PLACES = {
    "Raqqa": ("gn:163915", "city", 35.95, 39.01, "SY"),
    "Tabqa": ("gn:172515", "city", 35.84, 38.55, "SY"),
    "Mansoura": ("gn:1", "village", 35.83, 38.72, "SY"),
    "Hunaydah": ("gn:2", "village", 35.87, 38.80, "SY"),
    "Mosul": ("gn:99072", "city", 36.34, 43.13, "IQ"),
    # 5 km apart, on either side of the 36th parallel and the 39th meridian
    "Karama": ("gn:3", "village", 36.02, 38.99, "SY"),
    "Sabkha": ("gn:4", "village", 35.98, 39.01, "SY"),
}


def strike(text: str, *, source: str, published: date | None = date(2017, 9, 12), actor1: str | None = None,
           actor2: str | None = None, place: str | None = "Raqqa", when: str | None = "2017-09-10",
           precision: str = "day", type_: str = "ASSAULT", fatalities: int | None = None,
           modality: str = "asserted", trigger: str = "struck") -> DocResult:
    """One document reporting one event; actors and places are named in the text by their names."""
    doc = Document(id=content_id(text), source=source, text=text, published=published, raw=text)

    def span(surface):
        start = text.index(surface)
        return doc.mention(start, start + len(surface))

    actors = []
    for key in (actor1, actor2):
        if key:
            name, parent = ACTORS[key]
            actors.append(ActorRef(key=key, name=name, type="military", mention=span(name), via="registry",
                                   parent_key=parent))
    places = []
    if place:
        key, feature, lat, lon, country = PLACES[place]
        places.append(PlaceRef(key=key, name=place, feature=feature, mention=span(place), via="gazetteer",
                               lat=lat, lon=lon, country=country, confidence=0.9))
    t = span(trigger)
    event = Event(
        id=stable_id("event", doc.id, t.start, t.end, type_), doc=doc.id, type=type_, evidence=doc.mention(0, len(text)),
        trigger=t, actor1=actor_id(actor1) if actor1 else None, actor2=actor_id(actor2) if actor2 else None,
        place=place_id(PLACES[place][0]) if place else None,
        date=EventDate(when, when, precision, "on Sunday") if when else EventDate(None, None, "unknown", None),
        fatalities=fatalities, modality=modality,
    )
    return DocResult(doc, tuple(actors), tuple(places), (event,))


def clusters(store) -> list[dict]:
    out = []
    for cid, type_, place, attrs in store.query(
        "SELECT id, type, place_id, attrs FROM event_clusters ORDER BY id"
    ).rows:
        members = [r[0] for r in store.query(
            "SELECT event_id FROM event_cluster_members WHERE cluster_id = ? ORDER BY event_id", [cid]).rows]
        out.append({**json.loads(attrs), "id": cid, "type": type_, "place": place, "members": members})
    return out


def test_two_reports_of_one_strike_in_two_documents_form_one_cluster(mem_store):
    a = strike("Russian jets struck Raqqa on Sunday.", source="reuters", actor1="RUSMIL", published=date(2017, 9, 11))
    b = strike("Jets struck the city of Raqqa on Sunday, residents said.", source="ap")
    mem_store.save([a, b], events=True)
    [cluster] = clusters(mem_store)
    ids = sorted(e.id for r in (a, b) for e in r.events)
    assert cluster["members"] == ids and cluster["id"] == cluster_id(ids)
    assert cluster["sources"] == 2 and cluster["documents"] == 2
    assert cluster["earliest_report"]["doc"] == a.document.id
    assert cluster["actor1"] == actor_id("RUSMIL") and cluster["place"] == place_id("gn:163915")
    assert cluster["conflicts"] == {}


def test_reports_of_strikes_on_different_dates_stay_apart(mem_store):
    mem_store.save([
        strike("Russian jets struck Raqqa on Sunday.", source="reuters", when="2017-09-10"),
        strike("Jets struck Raqqa again on Friday.", source="ap", when="2017-09-01"),
    ], events=True)
    assert clusters(mem_store) == []


def test_reports_of_one_document_are_never_a_cluster_alone(mem_store):
    r = strike("Russian jets struck Raqqa on Sunday.", source="reuters")
    twin = Event(**{**{f: getattr(r.events[0], f) for f in r.events[0].__slots__}, "id": "event-twin"})
    mem_store.save([DocResult(r.document, r.actors, r.places, (r.events[0], twin))], events=True)
    assert clusters(mem_store) == []


def test_a_parent_actor_is_compatible_with_its_child(mem_store):
    # no place: the same day, and initiators and targets both stated and compatible, link them
    mem_store.save([
        strike("The US-led coalition struck Islamic State positions on Sunday.", source="reuters",
               actor1="COALITION", actor2="ISIS", place=None),
        strike("The US Air Force struck Islamic State fighters on Sunday.", source="ap",
               actor1="USAF", actor2="ISIS", place=None),
    ], events=True)
    [cluster] = clusters(mem_store)
    assert len(cluster["members"]) == 2 and "actor1" not in cluster["conflicts"]


def test_unrelated_initiators_without_a_place_stay_apart(mem_store):
    mem_store.save([
        strike("Russian jets struck Islamic State positions on Sunday.", source="reuters",
               actor1="RUSMIL", actor2="ISIS", place=None),
        strike("The US Air Force struck Islamic State fighters on Sunday.", source="ap",
               actor1="USAF", actor2="ISIS", place=None),
    ], events=True)
    assert clusters(mem_store) == []


def test_conflicting_fatality_figures_are_kept_per_source(mem_store):
    mem_store.save([
        strike("Jets struck Raqqa on Sunday, killing 12.", source="reuters", fatalities=12, published=date(2017, 9, 11)),
        strike("An air raid struck Raqqa on Sunday, killing 30.", source="ap", fatalities=30),
    ], events=True)
    [cluster] = clusters(mem_store)
    conflict = cluster["conflicts"]["fatalities"]
    assert (conflict["min"], conflict["max"]) == (12, 30)
    assert [(r["publisher"], r["value"]) for r in conflict["reports"]] == [("reuters", 12), ("ap", 30)]


def test_a_claim_and_a_denial_of_one_strike_are_both_recorded(mem_store):
    mem_store.save([
        strike("Islamic State said it struck Raqqa on Sunday.", source="amaq", actor1="ISIS", modality="claimed"),
        strike("The SDF denied that anyone struck Raqqa on Sunday.", source="ap", modality="denied"),
    ], events=True)
    [cluster] = clusters(mem_store)
    modality = cluster["conflicts"]["modality"]
    assert [r["modality"] for r in modality["affirmed"]] == ["claimed"]
    assert [(r["publisher"], r["modality"]) for r in modality["denied"]] == [("ap", "denied")]


def test_a_disputed_initiator_is_one_event_with_the_dispute_kept(mem_store):
    mem_store.save([
        strike("Islamic State struck Raqqa on Sunday.", source="sana", actor1="ISIS"),
        strike("The US Air Force struck Raqqa on Sunday.", source="amaq", actor1="USAF"),
    ], events=True)
    [cluster] = clusters(mem_store)
    assert [d["actor"] for d in cluster["conflicts"]["actor1"]] == sorted([actor_id("ISIS"), actor_id("USAF")])


def test_a_later_report_joins_the_existing_cluster(mem_store):
    first = [strike("Jets struck Raqqa on Sunday.", source="reuters"),
             strike("An air raid struck Raqqa on Sunday, residents said.", source="ap")]
    mem_store.save(first, events=True)
    [before] = clusters(mem_store)
    later = strike("Warplanes struck central Raqqa on Sunday, a monitor said.", source="sohr", fatalities=7)
    report_ids = [e.id for e in later.events]
    mem_store.save([later], events=True)
    [after] = clusters(mem_store)
    assert set(after["members"]) == set(before["members"]) | set(report_ids)
    assert after["id"] == cluster_id(after["members"]) and after["sources"] == 3
    assert after["fatalities"]["reports"][0]["publisher"] == "sohr"


def test_a_report_bridging_two_clusters_merges_them_into_one():
    reports = [
        strike("Jets struck Mansoura on Sunday.", source="a", place="Mansoura"),
        strike("Jets struck Mansoura village on Sunday, locals said.", source="b", place="Mansoura"),
        strike("Jets struck Raqqa on Sunday.", source="c", place="Raqqa"),
        strike("Jets struck Raqqa city on Sunday, locals said.", source="d", place="Raqqa"),
        # Hunaydah is 8.5 km from Mansoura (villages: 10 km) and 21 km from Raqqa (a city: 25 km);
        # Mansoura is 29 km from Raqqa
        strike("Jets struck Hunaydah on Sunday.", source="e", place="Hunaydah"),
    ]
    with open_store(":memory:") as store:
        store.save(reports[:4], events=True)
        assert len(clusters(store)) == 2
        store.save(reports[4:], events=True)
        [merged] = clusters(store)
    assert len(merged["members"]) == 5


def test_clusters_do_not_depend_on_the_order_or_batching_of_reports():
    reports = [
        strike("Jets struck Raqqa on Sunday.", source="reuters", fatalities=12),
        strike("An air raid struck Raqqa on Sunday.", source="ap", fatalities=30),
        strike("Warplanes struck Tabqa on Sunday.", source="sohr", place="Tabqa"),
        strike("Jets struck Mosul on Sunday.", source="iraqinews", place="Mosul"),
        strike("Jets struck Hunaydah on Sunday.", source="e", place="Hunaydah"),
    ]
    snapshots = []
    for batches in ([reports], [[r] for r in reports], [[r] for r in reversed(reports)], [reports[3:], reports[:3]]):
        with open_store(":memory:") as store:
            for batch in batches:
                store.save(batch, events=True)
            snap = store.snapshot()
            snapshots.append({t: snap[t] for t in ("event_clusters", "event_cluster_members")})
    assert snapshots[0]["event_clusters"] and all(s == snapshots[0] for s in snapshots)


def test_a_later_report_of_any_type_finds_its_earlier_match(mem_store):
    # regression: the candidate search once looked up only the ASSAULT/COERCE group's types
    mem_store.save([strike("SDF struck a deal in Raqqa on Sunday.", source="a", actor1="SDF", type_="CONSULT")],
                   events=True)
    mem_store.save([strike("The SDF struck an agreement in Raqqa on Sunday.", source="b", actor1="SDF",
                           type_="CONSULT")], events=True)
    [cluster] = clusters(mem_store)
    assert cluster["type"] == "CONSULT" and cluster["documents"] == 2


def test_nearby_places_in_neighbouring_grid_cells_link(mem_store):
    mem_store.save([strike("Jets struck Karama on Sunday.", source="a", place="Karama")], events=True)
    mem_store.save([strike("Jets struck Sabkha on Sunday.", source="b", place="Sabkha")], events=True)
    [cluster] = clusters(mem_store)
    assert cluster["documents"] == 2


def _all_pairs_clusters(store) -> list[list[str]]:
    """Connected components of ``linked`` over every pair of stored events: what indexed,
    incremental fusion must reproduce."""
    from sitrep.resolve import fusion

    r = fusion.rules()
    ancestors = fusion._ancestors(store.con)
    events = fusion._load(store.con, r, "true", [])
    parent = {e.id: e.id for e in events}

    def find(v):
        while parent[v] != v:
            v = parent[v]
        return v

    for i, x in enumerate(events):
        for y in events[i + 1:]:
            if linked(x, y, ancestors=ancestors, rules_=r):
                a, b = find(x.id), find(y.id)
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for e in events:
        groups.setdefault(find(e.id), []).append(e.id)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def test_indexed_incremental_fusion_finds_every_link_an_all_pairs_search_finds():
    import random

    rng = random.Random(7)
    names = {"RUSMIL": "Russian jets", "USAF": "US Air Force", "ISIS": "Islamic State", "SDF": "SDF"}
    reports = []
    for i in range(60):
        actor = rng.choice([None, *names])
        place = rng.choice([None, *PLACES])
        subject = names[actor] if actor else "Gunmen"
        where = f" in {place}" if place else ""
        reports.append(strike(
            f"{subject} struck{where} on Sunday (report {i}).", source=f"outlet{i % 7}", actor1=actor, place=place,
            when=rng.choice(["2017-09-09", "2017-09-10", "2017-09-14", None]),
            type_=rng.choice(["ASSAULT", "COERCE", "CONSULT", "SANCTION"]),
        ))
    with open_store(":memory:") as store:
        shuffled = reports[:]
        rng.shuffle(shuffled)
        for start in range(0, len(shuffled), 9):
            store.save(shuffled[start:start + 9], events=True)
        found = sorted(sorted(c["members"]) for c in clusters(store))
        assert found and found == _all_pairs_clusters(store)


def test_store_fuse_clusters_events_saved_without_fusion(mem_store):
    reports = [strike("Jets struck Raqqa on Sunday.", source="reuters"),
               strike("An air raid struck Raqqa on Sunday.", source="ap")]
    mem_store.save(reports, events=True, fuse=False)
    assert clusters(mem_store) == []
    mem_store.fuse()
    assert len(clusters(mem_store)) == 1
    before = mem_store.snapshot()
    mem_store.fuse()
    assert mem_store.snapshot() == before


# --- the link rules, on hand-built events ------------------------------------------------------------

def _fe(ident: str, doc: str, **kw) -> FusionEvent:
    day = date(2017, 9, 10).toordinal()
    base = dict(id=ident, doc=doc, type="ASSAULT", lo=day - 1, hi=day + 1, dated=True, date_start="2017-09-10",
                date_end="2017-09-10", precision="day", place="place-raqqa", lat=35.95, lon=39.01, feature="city",
                country="SY")
    return FusionEvent(**{**base, **kw})


def test_places_link_within_the_distance_their_feature_allows():
    village = dict(feature="village", place="place-x", lat=35.85, lon=38.80)
    assert linked(_fe("e1", "d1", **village), _fe("e2", "d2", feature="village", place="place-y", lat=35.88, lon=38.85))
    assert not linked(_fe("e1", "d1", **village), _fe("e2", "d2", feature="village", place="place-z", lat=35.84, lon=38.30))


def test_a_country_level_place_fits_but_does_not_pin_a_report():
    syria = dict(place="place-syria", feature="country", lat=35.0, lon=38.0)
    assert not linked(_fe("e1", "d1", **syria), _fe("e2", "d2"))
    assert linked(_fe("e1", "d1", actor1="a", actor2="b", **syria), _fe("e2", "d2", actor1="a", actor2="b"))
    assert not linked(_fe("e1", "d1", actor1="a", actor2="b", **syria),
                      _fe("e2", "d2", actor1="a", actor2="b", place="place-iraq", country="IQ", feature="country"))


def test_an_unknown_date_links_only_on_the_same_place_and_initiator():
    undated = dict(dated=False, date_start=None, date_end=None, precision="unknown")
    assert not linked(_fe("e1", "d1", **undated), _fe("e2", "d2"))
    assert linked(_fe("e1", "d1", actor1="a", **undated), _fe("e2", "d2", actor1="a"))


def test_the_same_country_does_not_pin_two_reports_either():
    syria = dict(place="place-syria", feature="country", lat=35.0, lon=38.0)
    assert not linked(_fe("e1", "d1", **syria), _fe("e2", "d2", **syria))
    undated = dict(dated=False, date_start=None, date_end=None, precision="unknown")
    assert not linked(_fe("e1", "d1", actor1="a", **syria, **undated), _fe("e2", "d2", actor1="a", **syria, **undated))


def test_unknown_dates_link_only_in_reports_published_within_the_window():
    from sitrep.resolve.fusion import rules

    window = rules().unknown_date_window_days
    published = date(2017, 9, 10).toordinal()

    def undated(ident, doc, days_later):
        day = published + days_later
        return _fe(ident, doc, actor1="a", dated=False, date_start=None, date_end=None, precision="unknown",
                   lo=day - window, hi=day)

    assert linked(undated("e1", "d1", 0), undated("e2", "d2", window))
    assert not linked(undated("e1", "d1", 0), undated("e2", "d2", 2 * window + 1))


_NEXT_DAY = dict(date_start="2017-09-11", date_end="2017-09-11", lo=date(2017, 9, 10).toordinal(),
                hi=date(2017, 9, 12).toordinal())


def test_next_day_reports_link_only_when_they_share_a_stated_actor():
    assert not linked(_fe("e1", "d1"), _fe("e2", "d2", **_NEXT_DAY))
    assert not linked(_fe("e1", "d1", actor1="a"), _fe("e2", "d2", **_NEXT_DAY))  # one side unknown
    assert linked(_fe("e1", "d1", actor1="a"), _fe("e2", "d2", actor1="a", **_NEXT_DAY))
    assert linked(_fe("e1", "d1", actor2="b"), _fe("e2", "d2", actor2="b", **_NEXT_DAY))
    assert linked(_fe("e1", "d1"), _fe("e2", "d2"))  # the same day needs no actor


def test_next_day_reports_link_only_on_the_same_place_id():
    near = dict(place="place-suburb", lat=35.97, lon=39.05, feature="village")  # 4 km from Raqqa
    assert linked(_fe("e1", "d1", actor1="a"), _fe("e2", "d2", actor1="a", **near))
    assert not linked(_fe("e1", "d1", actor1="a"), _fe("e2", "d2", actor1="a", **near, **_NEXT_DAY))


def test_next_day_reports_can_be_required_to_share_their_initiator():
    import dataclasses

    from sitrep.resolve.fusion import rules

    strict = dataclasses.replace(rules(), next_day_needs_initiator=True)
    assert linked(_fe("e1", "d1", actor2="b"), _fe("e2", "d2", actor2="b", **_NEXT_DAY))
    assert not linked(_fe("e1", "d1", actor2="b"), _fe("e2", "d2", actor2="b", **_NEXT_DAY), rules_=strict)
    assert linked(_fe("e1", "d1", actor1="a"), _fe("e2", "d2", actor1="a", **_NEXT_DAY), rules_=strict)


def test_a_week_dated_report_links_only_on_the_same_place_and_initiator():
    week = dict(precision="week", date_start="2017-09-04", date_end="2017-09-10",
                lo=date(2017, 9, 4).toordinal(), hi=date(2017, 9, 10).toordinal())
    near = dict(place="place-suburb", lat=35.97, lon=39.05, feature="village")
    assert not linked(_fe("e1", "d1", **week), _fe("e2", "d2"))
    assert linked(_fe("e1", "d1", actor1="a", **week), _fe("e2", "d2", actor1="a"))
    assert not linked(_fe("e1", "d1", actor1="a", **week), _fe("e2", "d2", actor1="a", **near))


def test_an_unknown_date_links_only_with_the_exact_type():
    undated = dict(dated=False, date_start=None, date_end=None, precision="unknown", actor1="a")
    assert linked(_fe("e1", "d1", **undated), _fe("e2", "d2", actor1="a"))
    assert not linked(_fe("e1", "d1", type="COERCE", **undated), _fe("e2", "d2", actor1="a"))


def test_daily_reports_from_one_city_do_not_chain_into_one_cluster(mem_store):
    # consecutive days are within the day slack, but nothing but the city ties them: only the two
    # reports of the 13th are one event; naming one initiator on every day joins them all again
    days = (10, 11, 12, 13, 13)
    reports = [strike(f"Shells struck Raqqa, report {i}.", source=f"s{i}", when=f"2017-09-{day:02d}")
               for i, day in enumerate(days)]
    mem_store.save(reports, events=True)
    [cluster] = clusters(mem_store)
    assert cluster["members"] == sorted(r.events[0].id for r in reports[3:])
    claimed = [strike(f"Islamic State struck Raqqa, report {i}.", source=f"t{i}", when=f"2017-09-{day:02d}",
                      actor1="ISIS") for i, day in enumerate(days)]
    with open_store(":memory:") as store:
        store.save(claimed, events=True)
        [chain] = clusters(store)
    assert chain["documents"] == len(days)


def test_types_link_only_within_a_compatible_group():
    assert linked(_fe("e1", "d1", type="COERCE"), _fe("e2", "d2", type="ASSAULT"))
    assert not linked(_fe("e1", "d1", type="PROTEST"), _fe("e2", "d2", type="ASSAULT"))


def test_hypothetical_and_future_events_never_link():
    assert not linked(_fe("e1", "d1", modality="future"), _fe("e2", "d2"))
    assert not linked(_fe("e1", "d1", modality="hypothetical"), _fe("e2", "d2"))


def test_month_and_year_dates_are_background_and_never_link():
    year = dict(precision="year", date_start="2017-01-01", date_end="2017-12-31",
                lo=date(2017, 1, 1).toordinal(), hi=date(2017, 12, 31).toordinal())
    assert not linked(_fe("e1", "d1", actor1="a", **year), _fe("e2", "d2", actor1="a"))
    assert not linked(_fe("e1", "d1", actor1="a", **year), _fe("e2", "d2", actor1="a", **year))
