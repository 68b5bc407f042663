"""``sitrep serve`` in a real browser (Debian's Chromium driven by Playwright).

The app runs under uvicorn in a thread on a free loopback port, over a store built by the real
pipeline (tests/test_serve.py builds it). Every page fails the test on a console error (a CSP
violation is one), a page error, a dialog, or a request to any other host; screenshots go to
test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'sitrep[serve]')")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (pip install 'sitrep[serve]')")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")

from test_browser_report import ARTIFACTS  # noqa: E402
from test_serve import serve_stores  # noqa: E402,F401  (the session fixture that builds the store)

from sitrep.web.app import create_app  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(serve_stores):  # noqa: F811
    app = create_app(serve_stores[1])
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.store_holder.close()


class Visit:
    def __init__(self, page, base, problems, requests, dialogs):
        self.page, self.base = page, base
        self.problems, self.requests, self.dialogs = problems, requests, dialogs

    def go(self, path: str, ready: str = "html[data-serve-ready=true]"):
        self.page.goto(self.base + path)
        self.page.wait_for_selector(ready, state="attached", timeout=10_000)
        return self.page

    def after_navigation(self, action, ready: str = "html[data-serve-ready=true]"):
        with self.page.expect_navigation():
            action()
        self.page.wait_for_selector(ready, state="attached", timeout=10_000)

    def assert_clean(self):
        assert self.requests == [], f"the page tried to reach another host: {self.requests}"
        assert self.problems == [], f"console errors: {self.problems}"
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"

    def shot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"serve-{name}.png"), full_page=full_page)


@pytest.fixture()
def visit(browser, server):
    page = browser.new_page(viewport={"width": 1440, "height": 950})
    problems, requests, dialogs = [], [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith((server, "data:")):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield Visit(page, server, problems, requests, dialogs)
    page.close()


def _listed(page) -> list[str]:
    return page.eval_on_selector_all("a.doc-link", "els => els.map(e => e.getAttribute('href'))")


def test_corpus_lists_documents_and_filters_them(visit):
    page = visit.go("/corpus")
    assert len(_listed(page)) == 4
    visit.shot("corpus")
    page.fill("input[name=actor]", "Syrian Democratic Forces")
    visit.after_navigation(lambda: page.click("button[type=submit]"))
    assert sorted(_listed(page)) == ["/doc/daily-raqqa", "/doc/wire-raqqa"]
    visit.after_navigation(lambda: page.select_option("select[name=publisher]", "Daily B"))  # applies at once
    assert "publisher=Daily+B" in page.url
    assert _listed(page) == ["/doc/daily-raqqa"]
    assert "Daily B" in page.inner_text("#result-count")
    page = visit.go("/corpus?tab=events")
    assert page.locator(".events-table tbody tr").count() == 3
    assert page.locator(".events-table .ctx-quote mark").first.inner_text() in ("killed", "captured")
    visit.shot("events")
    visit.assert_clean()


def test_document_page_highlights_spans_and_focuses_a_linked_span(visit, serve_stores):
    doc, s, e, _, _ = serve_stores[2]["ev-wire"]
    page = visit.go(f"/doc/{doc}#s={s}&e={e}")
    assert page.locator("#doc-text .mark.m-actor").count() >= 2
    assert page.locator("#doc-text .mark.m-place").count() >= 1
    assert page.locator("#doc-text .mark.m-event").count() >= 1
    focused = "".join(page.eval_on_selector_all("#doc-text .is-focused", "els => els.map(e => e.textContent)"))
    assert focused == "killed"
    assert "event" in page.inner_text("#details").lower()  # the span's annotations are open
    visit.shot("document")
    # a span link in the rhetoric panel focuses its words without leaving the page
    page.click("#rhetoric .span-link >> nth=0")
    # A function, not an expression string: Playwright polls a string with eval, which the page's
    # CSP rightly forbids whenever the condition is not already true on the first check.
    page.wait_for_function(
        "start => { const f = document.getElementById('doc-text').getAttribute('data-focus');"
        " return f !== null && !f.startsWith(start + '-'); }",
        arg=s,
    )
    focused = "".join(page.eval_on_selector_all("#doc-text .is-focused", "els => els.map(e => e.textContent)"))
    assert focused == "heavy fighting"
    visit.assert_clean()


def test_situation_map_shows_markers_and_timeline_and_network_render(visit):
    page = visit.go("/situation?doc=wire-raqqa&doc=daily-raqqa&doc=mosul")
    page.wait_for_selector("html[data-ready=true]", state="attached")
    assert page.locator(".mk-event[data-place], .mk-place[data-place]").count() >= 2
    assert page.locator(".mk-event[data-place]").count() >= 1
    assert page.locator("#map .leaflet-pane path").count() > 100  # the basemap, from /static/basemap.js
    visit.shot("map")
    page.click("#tab-timeline")
    assert page.locator("#timeline .tl-mark").count() == 3
    visit.shot("timeline")
    page.click("#tab-network")
    assert page.locator("#network .node").count() >= 3
    visit.shot("network")
    visit.assert_clean()


def test_cluster_page_shows_reports_side_by_side(visit):
    page = visit.go("/cluster/cl-deir")
    assert page.locator(".member").count() == 2
    assert page.locator(".figures li.is-conflict").count() == 2
    visit.shot("cluster")
    visit.after_navigation(lambda: page.click(".figure-link >> nth=0"), "html[data-ready=true]")
    assert "civilians" in "".join(page.eval_on_selector_all("#doc-text .is-focused", "els => els.map(e => e.textContent)"))
    visit.assert_clean()


def test_hostile_document_renders_as_text_and_runs_nothing(visit):
    page = visit.go("/doc/hostile")
    page.wait_for_selector("html[data-ready=true]", state="attached")
    text = page.inner_text("#doc-text")
    assert "<img src=x onerror=" in text and "<script>alert('breakout')</script>" in text
    assert page.locator("#doc-text img, #doc-text script, #doc-text b, img[src=x]").count() == 0
    assert '<script>alert("title")</script>' in page.inner_text("header.top h1")
    assert page.evaluate("document.scripts.length") == 5  # the data blob and the four /static scripts
    visit.go("/corpus?q=%3Cscript%3E")
    assert _listed(visit.page) == ["/doc/hostile"]
    visit.shot("hostile")
    visit.assert_clean()
