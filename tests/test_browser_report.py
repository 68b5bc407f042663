"""The HTML report in a real browser (Debian's Chromium driven by Playwright).

Every test opens the report from file://, fails on any console error, page error or request that
is not file: or data:, and saves a screenshot to test-artifacts/ for a human to look at.
Run scripts/ensure_chromium.sh first; without Chromium these tests skip.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sitrep.web.report import write_report

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "situation_small.json"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture()
def situation() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


class Opened:
    """A page with the report loaded, and everything that went wrong while it ran."""

    def __init__(self, page, problems, requests, dialogs):
        self.page, self.problems, self.requests, self.dialogs = page, problems, requests, dialogs

    def assert_clean(self):
        assert self.requests == [], f"the report tried to reach the network: {self.requests}"
        assert self.problems == [], f"console errors: {self.problems}"
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"

    def shot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"))


@pytest.fixture()
def open_report(browser, tmp_path):
    pages = []

    def _open(data: dict, name: str = "report") -> Opened:
        path = write_report(data, tmp_path / f"{name}.html")
        page = browser.new_page(viewport={"width": 1440, "height": 950})
        pages.append(page)
        problems, requests, dialogs = [], [], []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                requests.append(url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("html[data-ready=true]", timeout=10_000)
        return Opened(page, problems, requests, dialogs)

    yield _open
    for page in pages:
        page.close()


def _focused_text(page) -> str:
    return "".join(page.eval_on_selector_all("#doc-text .is-focused", "els => els.map(e => e.textContent)"))


def _event(situation: dict, type_: str, place_name: str) -> dict:
    place = next(p for p in situation["places"] if p["name"] == place_name)
    return next(e for e in situation["events"] if e["type"] == type_ and e["place"] == place["id"])


def test_report_opens_offline_without_errors_or_requests(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    assert page.title() == "sitrep report"
    assert page.locator("#doc-text .mark").count() > 20
    assert page.locator("#map .leaflet-overlay-pane path, #map .leaflet-pane path").count() > 100  # the basemap
    opened.shot("map")
    opened.assert_clean()


def test_map_shows_event_markers_and_hollow_markers_for_places_without_events(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    events = page.locator(".mk-event[data-place]")
    places = page.locator(".mk-place[data-place]")
    assert events.count() >= 4
    assert places.count() >= 2
    assert page.locator(".mk-place .shape-hollow").count() == places.count()
    for marker in (events.first, places.first):
        assert marker.get_attribute("title")
        assert marker.get_attribute("aria-label") == marker.get_attribute("title")
    baghdad = next(p for p in situation["places"] if p["name"] == "Baghdad")
    assert page.locator(f'.mk-place[data-place="{baghdad["id"]}"]').count() == 1
    opened.assert_clean()


def test_clicking_an_event_marker_highlights_its_evidence_in_the_document(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    event = _event(situation, "ASSAULT", "Tall 'Afar")
    page.click(f'.mk[data-place="{event["place"]}"]')
    assert page.input_value("#doc-select") == "wire-talafar"
    assert _focused_text(page) == event["evidence"]["text"]
    assert page.locator("#details .card-event").count() == 1
    assert page.locator("#details .card-place h3").inner_text().endswith("Tall 'Afar")
    opened.shot("map-selected")
    opened.assert_clean()


def test_clicking_a_place_without_events_highlights_its_mention(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    kirkuk = next(p for p in situation["places"] if p["name"] == "Kirkuk")
    page.focus(f'.mk[data-place="{kirkuk["id"]}"]')
    page.keyboard.press("Enter")  # markers are keyboard reachable
    assert _focused_text(page) == "Kirkuk"
    assert "south-west of" in page.locator("#details").inner_text()
    opened.assert_clean()


def test_evidence_buttons_in_the_details_jump_to_the_span(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    page.click("#tab-index")
    page.get_by_role("button", name="Syrian Democratic Forces").first.click()
    page.locator("#details button.jump").nth(1).click()
    assert _focused_text(page) == "they"
    opened.assert_clean()


def test_timeline_draws_day_points_and_month_bands(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    page.click("#tab-timeline")
    marks = page.locator(".tl-mark")
    dated = [e for e in situation["events"] if e["date"]["precision"] != "unknown"]
    assert marks.count() == len(dated)
    month = _event(situation, "ASSAULT", "Al Mayadin")
    band = page.locator(f'.tl-mark[data-event="{month["id"]}"] rect')
    day = _event(situation, "ASSAULT", "Ar Raqqah")
    point = page.locator(f'.tl-mark[data-event="{day["id"]}"] circle')
    assert point.count() == 1
    assert float(band.get_attribute("width")) > 10 * 2 * float(point.get_attribute("r"))
    assert page.locator(".undated li").count() == len(situation["events"]) - len(dated)
    opened.shot("timeline")
    band.click()
    assert _focused_text(page) == month["evidence"]["text"]
    opened.assert_clean()


def test_timeline_filters_by_actor_type_and_place(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    page.click("#tab-timeline")
    iraqi = next(a for a in situation["actors"] if a["name"] == "Iraqi Security Forces")
    page.select_option("#filter-actor", iraqi["id"])
    expected = [e for e in situation["events"] if iraqi["id"] in (e["actor1"], e["actor2"])]
    assert page.locator(".tl-mark").count() == len(expected) == 2
    page.select_option("#filter-actor", "")
    page.select_option("#filter-type", "ACCUSE")
    assert page.locator(".tl-mark").count() == 1
    page.select_option("#filter-type", "")
    raqqa = next(p for p in situation["places"] if p["name"] == "Ar Raqqah")
    page.select_option("#filter-place", raqqa["id"])
    assert page.locator(".tl-mark").count() == 2
    opened.assert_clean()


def test_timeline_without_events_says_so(open_report, situation):
    situation["events"] = []
    opened = open_report(situation, "no-events")
    page = opened.page
    page.click("#tab-timeline")
    assert page.locator("#timeline").inner_text().startswith("No dated events yet")
    assert page.locator(".tl-mark").count() == 0
    opened.shot("timeline-empty")
    opened.assert_clean()


def test_network_draws_actors_and_relations_and_opens_evidence(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    page.click("#tab-network")
    assert page.locator(".net .node").count() == len(situation["actors"])
    assert page.locator(".net .edge").count() == len(situation["relations"])
    hostile = next(r for r in situation["relations"] if r["kind"] == "hostile")
    opened.shot("network")
    page.locator(".net .edge-hostile").first.focus()
    page.keyboard.press("Enter")
    assert _focused_text(page) == hostile["evidence"][0]["text"]
    page.check("#net-comention")
    assert page.locator(".net .edge-comention").count() > 0
    opened.assert_clean()


def test_network_uses_comention_edges_until_relations_exist(open_report, situation):
    situation["relations"] = []
    opened = open_report(situation, "no-relations")
    page = opened.page
    page.click("#tab-network")
    assert page.is_checked("#net-comention")
    assert page.locator(".net .edge").count() == page.locator(".net .edge-comention").count() > 0
    assert "co-mention" in page.locator("#network-legend").inner_text()
    opened.shot("network-comention")
    opened.assert_clean()


def test_layer_checkboxes_toggle_highlighting(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    actor_mark = page.locator("#doc-text .m-actor").first
    before = actor_mark.evaluate("e => getComputedStyle(e).backgroundColor")
    page.focus("#layer-actor")
    page.keyboard.press("Space")
    assert not page.is_checked("#layer-actor")
    after = actor_mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert before != after and after in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#layers input[type=checkbox]").count() == 5
    opened.assert_clean()


def test_clicking_a_highlighted_span_shows_every_layer_under_it(open_report, situation):
    opened = open_report(situation)
    page = opened.page
    # "Raqqa" in "captured the old city of Raqqa" is a place inside a claim and inside an event's evidence
    page.locator("#doc-text .m-place.m-claim").first.click()
    kinds = page.eval_on_selector_all("#details .card", "els => els.map(e => e.className)")
    assert any("card-place" in k for k in kinds) and any("card-claim" in k for k in kinds)
    opened.shot("document-selection")
    opened.assert_clean()


def test_hostile_document_markup_is_shown_as_text_and_runs_nothing(open_report, situation):
    payload = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2; alert(2)">'
    text = "Militia " + payload + " attacked the town."
    doc = {"id": "evil", "source": "<b onmouseover=alert(3)>evil.txt</b>", "title": "</script><script>window.__pwned=3</script>",
           "published": None, "text": text, "status": "ok", "error": None}
    start = text.index(payload)
    mention = {"doc": "evil", "start": start, "end": start + len(payload), "text": payload, "raw_start": None, "raw_end": None}
    hostile = copy.deepcopy(situation)
    hostile["documents"].insert(0, doc)
    hostile["actors"].append({"id": "actor-00000000000000ee", "name": '<img src=x onerror="window.__pwned=4">',
                              "type": "militia", "country": None, "codes": {"x": "<svg onload=alert(5)>"},
                              "aliases": ["<iframe srcdoc=x>"], "parent": None, "mentions": [mention]})
    hostile["places"].append({"id": "place-00000000000000ee", "name": "<b>Town</b><script>window.__pwned=6</script>",
                              "feature": "town", "lat": 35.1, "lon": 38.9, "geonames_id": None, "country": "SYR",
                              "admin1": None, "confidence": 0.5, "mentions": [mention]})
    opened = open_report(hostile, "hostile")
    page = opened.page
    assert page.input_value("#doc-select") == "evil"
    assert payload in page.locator("#doc-text").inner_text()
    page.locator("#doc-text .m-actor").first.click()  # renders the actor and place cards with the names
    assert '<img src=x onerror="window.__pwned=4">' in page.locator("#details").inner_text()
    page.click(f'.mk[data-place="place-00000000000000ee"]')
    page.click("#tab-index")
    page.click("#tab-network")
    page.wait_for_timeout(200)
    opened.shot("hostile")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.querySelectorAll('iframe, body script:not([type])').length") == 2  # leaflet + report
    opened.assert_clean()


def test_report_from_the_real_pipeline_opens_cleanly(open_report, tmp_path):
    pytest.importorskip("sitrep.extract.actors", reason="actor extractor not available")
    from sitrep.pipeline import analyze

    text = tmp_path / "wire.txt"
    text.write_text(
        "BEIRUT - Syrian army troops pushed east of Palmyra on Tuesday, while the Syrian Democratic Forces "
        "advanced on Raqqa from the north.\n\nTurkey said it would not accept a Kurdish corridor near Manbij.\n",
        encoding="utf-8",
    )
    situation = analyze([str(text)], published="2017-09-12").to_dict()
    opened = open_report(situation, "pipeline")
    page = opened.page
    assert page.locator(".mk[data-place]").count() + page.locator(".mk-cluster").count() >= 1
    assert page.locator("#doc-text .mark").count() >= 3
    page.click("#tab-network")
    assert page.locator(".net .node").count() == len([a for a in situation["actors"] if a["mentions"]])
    opened.shot("pipeline-network")
    if not situation["events"]:
        page.click("#tab-timeline")
        assert "No dated events yet" in page.locator("#timeline").inner_text()
    opened.assert_clean()


def test_jumping_to_evidence_scrolls_a_long_document_to_the_span(open_report, situation):
    doc = situation["documents"][1]
    filler = "".join(f"Paragraph {i} says nothing in particular about the war.\n\n" for i in range(150))
    shift = len(filler)
    doc["text"] = filler + doc["text"]
    for item in situation["actors"] + situation["places"]:
        for m in item["mentions"]:
            if m["doc"] == doc["id"]:
                m["start"] += shift
                m["end"] += shift
    for ev in situation["events"]:
        for key in ("evidence", "trigger"):
            if ev[key]["doc"] == doc["id"]:
                ev[key]["start"] += shift
                ev[key]["end"] += shift
    situation["claims"] = [c for c in situation["claims"] if c["doc"] != doc["id"]]
    situation["relations"] = [r for r in situation["relations"] if r["evidence"][0]["doc"] != doc["id"]]
    opened = open_report(situation, "long")
    page = opened.page
    hawija = next(p for p in situation["places"] if p["name"] == "Al Hawijah")
    page.click(f'.mk[data-place="{hawija["id"]}"]')
    focused = page.locator("#doc-text .is-focused").first
    box, view = focused.bounding_box(), page.locator("#doc-text").bounding_box()
    assert view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]
    assert box["y"] + box["height"] <= page.viewport_size["height"], "the span is below the window"
    assert page.evaluate("window.scrollY") == 0  # the map stays in view
    opened.shot("long-document")
    opened.assert_clean()


def test_dense_places_are_clustered_and_a_cluster_zooms_in(open_report, situation):
    doc = situation["documents"][0]
    raqqa = next(p for p in situation["places"] if p["name"] == "Ar Raqqah")
    for i in range(30):
        situation["places"].append(dict(raqqa, id=f"place-{i:016x}", name=f"Hamlet {i}", feature="village",
                                        lat=raqqa["lat"] + 0.004 * (i % 6), lon=raqqa["lon"] + 0.004 * (i // 6),
                                        geonames_id=None, mentions=[raqqa["mentions"][0]]))
    assert doc["id"] == raqqa["mentions"][0]["doc"]
    opened = open_report(situation, "clusters")
    page = opened.page
    clusters = page.locator(".mk-cluster")
    assert clusters.count() >= 1
    biggest = max(int(c.inner_text()) for c in clusters.all())
    assert biggest >= 20
    assert "places" in clusters.first.get_attribute("title")
    opened.shot("map-clusters")
    zoom_before = page.evaluate("document.querySelector('.leaflet-proxy') && document.querySelector('.leaflet-proxy').style.transform")
    clusters.first.click()
    page.wait_for_timeout(600)  # the zoom animation
    zoom_after = page.evaluate("document.querySelector('.leaflet-proxy').style.transform")
    assert zoom_after != zoom_before
    assert "close together" in page.locator("#details").inner_text()
    opened.assert_clean()
