"""``sitrep serve``: routes, validation, security headers, traversal, injection, read-only access.

The store is built by the real batch pipeline from a few documents of our own; a copy then gets
rows in the tables that later stages fill (events, figures, techniques, clusters), written the
way those stages write them, so the views are tested both empty and filled.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'sitrep[serve]')")
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.web.app import create_app  # noqa: E402

HOSTILE_TITLE = '<script>alert("title")</script> Aleppo report'
HOSTILE_TEXT = (
    "Russian aircraft struck Aleppo on Monday. <img src=x onerror=\"alert('img')\"> "
    "</script><script>alert('breakout')</script> The Syrian Arab Army said the strikes hit "
    "rebel positions \u2028 near Idlib. <b onmouseover=alert(3)>bold</b> & more."
)
DOCUMENTS = [
    {"id": "wire-raqqa", "title": "SDF captures Raqqa old city", "published": "2017-09-12", "source": "Wire A",
     "text": "The Syrian Democratic Forces said on Tuesday that they had captured the old city of Raqqa after "
             "heavy fighting with Islamic State militants. At least 12 civilians were killed in air strikes "
             "near Deir ez-Zor, the Syrian Observatory for Human Rights said."},
    {"id": "daily-raqqa", "title": "Fighting in Raqqa", "published": "2017-09-13", "source": "Daily B",
     "text": "Islamic State militants lost the old city of Raqqa to the Syrian Democratic Forces. Air strikes "
             "near Deir ez-Zor killed 20 civilians, according to activists in Damascus."},
    {"id": "hostile", "title": HOSTILE_TITLE, "published": "2016-10-03", "source": "Evil <b>Press</b>",
     "text": HOSTILE_TEXT},
    {"id": "mosul", "title": "Iraqi forces advance in Mosul", "published": "2016-11-01", "source": "Wire A",
     "text": "Iraqi forces advanced into eastern Mosul on Tuesday, a spokesman in Baghdad said. "
             "The Kurdish Peshmerga held positions north of the city."},
]


def build_store(folder: Path) -> Path:
    """The fixture documents through the real batch pipeline into ``folder/serve.duckdb``."""
    from sitrep.store.batch import run_batch
    from sitrep.store.csvinput import Fields

    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in DOCUMENTS), encoding="utf-8")
    db = folder / "serve.duckdb"
    report = run_batch([str(corpus)], db=db, fields=Fields(source="source"), progress=False)
    assert report.added == len(DOCUMENTS), report
    clear_later_stages(db)
    return db


LATER_STAGES = ("events", "event_actors", "quantities", "event_clusters", "event_cluster_members", "relations",
                "relation_events", "claims", "techniques")


def clear_later_stages(db: Path) -> None:
    """Empty the tables the batch fills from events onwards, so that the pages are tested against
    the hand-placed rows of add_later_stage_rows (whose counts and offsets the tests know), and
    the bare store shows what a store of actors and places alone looks like."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0, "the batch stores pipeline events"
        for table in LATER_STAGES:
            con.execute(f"DELETE FROM {table}")
    finally:
        con.close()


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def add_later_stage_rows(db: Path) -> dict:
    """Events, figures, techniques and one cluster, as the event, technique and fusion stages store them."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        texts = dict(con.execute("SELECT id, text FROM documents").fetchall())
        actor = dict(con.execute("SELECT name, id FROM actors").fetchall())
        place = dict(con.execute("SELECT name, id FROM places").fetchall())
        deir = next((pid for name, pid in place.items() if "Deir" in name), None)
        raqqa = next((pid for name, pid in place.items() if "Raqq" in name), None)
        rows = {}
        for ev_id, doc, trigger, figure, value in (
            ("ev-wire", "wire-raqqa", "killed", "At least 12 civilians", 12.0),
            ("ev-daily", "daily-raqqa", "killed", "20 civilians", 20.0),
        ):
            s, e = _span(texts[doc], trigger)
            con.execute(
                "INSERT INTO events (id, doc, type, mode, start, \"end\", raw_start, raw_end, text, date_start, "
                "date_end, date_precision, date_text, modality, place_id, confidence, attrs) "
                "VALUES (?, ?, 'ASSAULT', 'aerial', ?, ?, ?, ?, ?, '2017-09-12', '2017-09-12', 'day', NULL, "
                "'asserted', ?, 0.8, '{}')",
                [ev_id, doc, s, e, s, e, trigger, deir],
            )
            qs, qe = _span(texts[doc], figure)
            con.execute("INSERT INTO quantities VALUES ('event', ?, ?, ?, 'killed', ?, ?, ?, ?, ?, ?)",
                        [ev_id, doc, value, "at_least" if "least" in figure else None, figure, qs, qe, qs, qe])
            rows[ev_id] = (doc, s, e, qs, qe)
        sdf = actor.get("Syrian Democratic Forces")
        if sdf:
            con.execute("INSERT INTO event_actors VALUES ('ev-wire', ?, 'source')", [sdf])
        s, e = _span(texts["wire-raqqa"], "captured")
        con.execute(
            "INSERT INTO events (id, doc, type, start, \"end\", text, date_start, date_end, date_precision, "
            "modality, place_id) VALUES ('ev-capture', 'wire-raqqa', 'FIGHT', ?, ?, 'captured', '2017-09', "
            "'2017-09', 'month', 'reported', ?)", [s, e, raqqa])
        if sdf:
            con.execute("INSERT INTO event_actors VALUES ('ev-capture', ?, 'source')", [sdf])
        ts, te = _span(texts["wire-raqqa"], "heavy fighting")
        con.execute("INSERT INTO techniques VALUES ('tech-1', 'wire-raqqa', 'Loaded_Language', ?, ?, ?, ?, "
                    "'heavy fighting', 0.7, NULL)", [ts, te, ts, te])
        ts2, te2 = _span(texts["wire-raqqa"], "Islamic State militants")
        con.execute("INSERT INTO techniques VALUES ('tech-2', 'wire-raqqa', 'Name_Calling,Labeling', ?, ?, ?, ?, "
                    "'Islamic State militants', 0.6, NULL)", [ts2, te2, ts2, te2])
        con.execute("INSERT INTO event_clusters VALUES ('cl-deir', 'ASSAULT', '2017-09-12', '2017-09-13', 'day', ?, "
                    "'Air strikes near Deir ez-Zor', NULL)", [deir])
        con.execute("INSERT INTO event_cluster_members VALUES ('cl-deir', 'ev-wire', 0.9), ('cl-deir', 'ev-daily', 0.85)")
        rows["technique"] = (ts, te)
        return rows
    finally:
        con.close()


@pytest.fixture(scope="session")
def serve_stores(tmp_path_factory):
    """(bare store, store with later-stage rows, the rows' offsets)."""
    folder = tmp_path_factory.mktemp("serve")
    bare = build_store(folder)
    full = folder / "full.duckdb"
    shutil.copyfile(bare, full)
    rows = add_later_stage_rows(full)
    return bare, full, rows


@pytest.fixture(scope="session")
def client(serve_stores):
    app = create_app(serve_stores[1])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    app.state.store_holder.close()


@pytest.fixture(scope="session")
def bare_client(serve_stores):
    app = create_app(serve_stores[0])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    app.state.store_holder.close()


def _rows(html: str, table_class: str) -> list[str]:
    body = html.split(f'class="data {table_class}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body.split("<tbody>", 1)[1], flags=re.S)


def _doc_links(html: str) -> list[str]:
    return re.findall(r'class="doc-link" href="/doc/([^"]+)"', html)


# ---- routes ---------------------------------------------------------------------------------------

def test_root_redirects_to_the_corpus(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/corpus"


def test_corpus_lists_every_document_with_counts_linking_to_the_document(client):
    r = client.get("/corpus")
    assert r.status_code == 200
    assert sorted(_doc_links(r.text)) == sorted(d["id"] for d in DOCUMENTS)
    row = next(x for x in _rows(r.text, "docs-table") if "/doc/wire-raqqa" in x)
    assert '<a href="/doc/wire-raqqa#layer=actor">' in row
    assert '<a href="/doc/wire-raqqa#layer=event">2</a>' in row  # two events stored for it
    assert '<a href="/doc/wire-raqqa#rhetoric">2</a>' in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"publisher": "Wire A"}, {"wire-raqqa", "mosul"}),
        ({"date_from": "2017-01-01"}, {"wire-raqqa", "daily-raqqa"}),
        ({"date_to": "2016-10-31"}, {"hostile"}),
        ({"actor": "Syrian Democratic Forces"}, {"wire-raqqa", "daily-raqqa"}),
        ({"place": "Mosul"}, {"mosul"}),
        ({"type": "ASSAULT"}, {"wire-raqqa", "daily-raqqa"}),
        ({"q": "peshmerga"}, {"mosul"}),
        ({"q": "Raqqa", "publisher": "Daily B"}, {"daily-raqqa"}),
    ],
)
def test_corpus_filters_documents(client, query, expected):
    r = client.get("/corpus", params=query)
    assert r.status_code == 200
    assert set(_doc_links(r.text)) == expected


def test_blank_form_fields_are_no_filter(client):
    r = client.get("/corpus?tab=documents&q=&actor=&place=&type=&publisher=&date_from=&date_to=&per_page=25")
    assert r.status_code == 200
    assert len(_doc_links(r.text)) == len(DOCUMENTS)


def test_corpus_paginates_with_links_that_keep_the_filters(client):
    seen = []
    for page in (1, 2):
        r = client.get("/corpus", params={"per_page": 3, "page": page, "date_from": "2016-01-01"})
        assert r.status_code == 200
        assert f"Page {page} of 2" in r.text
        seen += _doc_links(r.text)
    assert sorted(seen) == sorted(d["id"] for d in DOCUMENTS)
    first = client.get("/corpus", params={"per_page": 3, "date_from": "2016-01-01"}).text
    assert 'href="/corpus?date_from=2016-01-01&amp;tab=documents&amp;per_page=3&amp;page=2"' in first
    assert client.get("/corpus", params={"per_page": 3, "page": 3}).status_code == 404


def test_events_tab_lists_events_with_links_to_their_trigger_spans(client, serve_stores):
    rows = serve_stores[2]
    r = client.get("/corpus", params={"tab": "events"})
    assert r.status_code == 200
    doc, s, e, _, _ = rows["ev-wire"]
    assert f'href="/doc/{doc}#s={s}&amp;e={e}"' in r.text
    assert len(_rows(r.text, "events-table")) == 3
    only = client.get("/corpus", params={"tab": "events", "type": "FIGHT"})
    assert len(_rows(only.text, "events-table")) == 1


def test_events_and_clusters_tabs_explain_that_the_tables_are_empty(bare_client):
    events = bare_client.get("/corpus", params={"tab": "events"})
    assert "No events in this store yet" in events.text
    clusters = bare_client.get("/corpus", params={"tab": "clusters"})
    assert "No event clusters yet" in clusters.text


def test_cluster_page_sets_reports_side_by_side_and_flags_conflicting_figures(client, serve_stores):
    rows = serve_stores[2]
    listing = client.get("/corpus", params={"tab": "clusters"})
    assert 'href="/cluster/cl-deir"' in listing.text
    r = client.get("/cluster/cl-deir")
    assert r.status_code == 200
    assert r.text.count('class="member"') == 2
    assert "The reports disagree" in r.text and "chip-conflict" in r.text
    for ev in ("ev-wire", "ev-daily"):
        doc, _, _, qs, qe = rows[ev]
        assert f'href="/doc/{doc}#s={qs}&amp;e={qe}"' in r.text  # each figure links to its words
    assert ">12</strong> killed" in r.text and ">20</strong> killed" in r.text


def test_document_page_shows_rhetoric_counts_and_density_linked_to_spans(client, serve_stores):
    ts, te = serve_stores[2]["technique"]
    r = client.get("/doc/wire-raqqa")
    assert r.status_code == 200
    words = len(DOCUMENTS[0]["text"].split())
    assert f"{2 * 1000 / words:.1f}</strong> per 1,000 words" in r.text
    assert "Loaded Language" in r.text
    assert f'href="/doc/wire-raqqa#s={ts}&amp;e={te}"' in r.text
    assert 'href="/cluster/cl-deir"' in r.text  # reported elsewhere


def test_document_without_techniques_shows_the_empty_rhetoric_panel(bare_client):
    r = bare_client.get("/doc/mosul")
    assert r.status_code == 200
    assert "No persuasion techniques recorded" in r.text
    assert "0 per 1,000 words" in r.text


def test_document_page_embeds_only_its_own_situation(client):
    r = client.get("/doc/mosul")
    data = json.loads(re.search(r'<script type="application/json" id="sitrep-data">(.*?)</script>', r.text, re.S)[1])
    assert [d["id"] for d in data["situation"]["documents"]] == ["mosul"]
    assert {a["name"] for a in data["situation"]["actors"]} >= {"Peshmerga"} or data["situation"]["actors"]


def test_situation_view_of_picked_documents_and_of_a_filter(client):
    picked = client.get("/situation", params=[("doc", "wire-raqqa"), ("doc", "daily-raqqa")])
    data = json.loads(re.search(r'id="sitrep-data">(.*?)</script>', picked.text, re.S)[1])
    assert sorted(d["id"] for d in data["situation"]["documents"]) == ["daily-raqqa", "wire-raqqa"]
    assert {e["id"] for e in data["situation"]["events"]} == {"ev-wire", "ev-daily", "ev-capture"}
    filtered = client.get("/situation", params={"publisher": "Wire A"})
    data = json.loads(re.search(r'id="sitrep-data">(.*?)</script>', filtered.text, re.S)[1])
    assert sorted(d["id"] for d in data["situation"]["documents"]) == ["mosul", "wire-raqqa"]


def test_unknown_document_and_cluster_are_404_pages(client):
    for url in ("/doc/nope", "/cluster/nope", "/nowhere"):
        r = client.get(url)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]


# ---- validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"}, {"page": "two"}, {"page": "1000001"}, {"per_page": "0"}, {"per_page": "101"},
        {"tab": "admin"}, {"type": "NOT_A_TYPE"}, {"type": "assault'--"}, {"date_from": "2017-02-30"},
        {"date_to": "yesterday"}, {"date_from": "2017-05-01", "date_to": "2017-01-01"},
        {"q": "x" * 201}, {"actor": "a\x00b"},
    ],
)
def test_bad_query_parameters_are_rejected(client, query):
    r = client.get("/corpus", params=query)
    assert r.status_code == 422, r.text
    assert "Invalid request" in r.text


def test_situation_limits_are_validated(client):
    assert client.get("/situation", params={"limit": 0}).status_code == 422
    assert client.get("/situation", params={"limit": 51}).status_code == 422
    assert client.get("/situation", params=[("doc", "x")] * 51).status_code == 422


# ---- security -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/corpus", "/doc/hostile", "/cluster/cl-deir", "/situation", "/static/report.js",
                                 "/static/nope", "/corpus?page=0", "/doc/nope"])
def test_every_response_carries_the_security_headers(client, url):
    r = client.get(url)
    csp = r.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client):
    for url in ("/corpus", "/doc/hostile", "/cluster/cl-deir", "/situation"):
        html = client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
        assert "<style" not in html and " style=" not in html


@pytest.mark.parametrize(
    "path",
    ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
     "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/..%5c..%5capp.py", "/static/vendor/leaflet@1.9.4/leaflet.js",
     "/static/report.css", "/static/%2fetc%2fpasswd", "/static/....//....//etc/passwd"],
)
def test_static_route_serves_only_its_own_files(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "import " not in r.text


def test_static_files_have_their_types(client):
    assert client.get("/static/report.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/sitrep.css").headers["content-type"].startswith("text/css")


def test_hostile_document_is_escaped_in_html_and_in_embedded_json(client):
    r = client.get("/doc/hostile")
    html = r.text
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html  # the title, as text
    blob = re.search(r'id="sitrep-data">(.*?)</script>', html, re.S)[1]
    assert "<" not in blob and ">" not in blob and "\u2028" not in blob
    data = json.loads(blob)
    text = data["situation"]["documents"][0]["text"]
    assert "<img src=x onerror=" in text and "</script><script>" in text  # escaped, not altered
    listing = client.get("/corpus", params={"publisher": "Evil <b>Press</b>"}).text
    assert "Evil <b>Press" not in listing and "Evil &lt;b&gt;Press&lt;/b&gt;" in listing


@pytest.mark.parametrize(
    "term",
    ["x' OR '1'='1", "'; DROP TABLE documents; --", "%' UNION SELECT id, text FROM documents --", "\\' OR 1=1 --"],
)
def test_sql_injection_in_a_search_term_is_only_a_value(client, term):
    r = client.get("/corpus", params={"q": term, "actor": term, "place": term})
    assert r.status_code == 200
    assert _doc_links(r.text) == []
    assert "No documents match" in r.text
    assert len(_doc_links(client.get("/corpus").text)) == len(DOCUMENTS)  # the table is still whole


def test_like_wildcards_in_a_search_term_are_literal(client):
    assert _doc_links(client.get("/corpus", params={"q": "%"}).text) == []
    assert _doc_links(client.get("/corpus", params={"q": "_"}).text) == []
    assert set(_doc_links(client.get("/corpus", params={"q": "&"}).text)) == {"hostile"}


def test_requests_for_other_hosts_are_refused(client):
    r = client.get("/corpus", headers={"host": "attacker.example"})
    assert r.status_code == 400
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_app_never_writes_to_the_store(serve_stores):
    db = serve_stores[1]
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    app = create_app(db)
    try:
        assert app.state.store_holder.store.read_only
        with TestClient(app, base_url="http://127.0.0.1") as c:
            for url in ("/corpus", "/corpus?tab=events", "/corpus?tab=clusters", "/doc/wire-raqqa", "/situation",
                        "/cluster/cl-deir", "/corpus?q=%27%3B%20DELETE%20FROM%20documents%3B--"):
                assert c.get(url).status_code == 200
        from sitrep.errors import StoreError

        with pytest.raises(StoreError, match="read-only"):
            app.state.store_holder.store.query("DELETE FROM documents")
    finally:
        app.state.store_holder.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_serve_command_is_registered_with_an_example():
    from click.testing import CliRunner

    from sitrep.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "--db" in result.output and "127.0.0.1" in result.output


def test_serve_refuses_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from sitrep.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0
    assert "no store here" in result.output


# ---- FA-KES ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_serve_over_a_fakes_store(shared_dir, tmp_path):
    """The first 40 FA-KES articles through `sitrep batch`, then the corpus and a document page."""
    import csv

    from sitrep.store.batch import run_batch
    from sitrep.store.csvinput import Fields

    source = shared_dir / "corpora" / "fakes" / "FA-KES-Dataset.csv"
    if not source.is_file():
        pytest.skip(f"FA-KES not found at {source}")
    subset = tmp_path / "fakes40.csv"  # a temporary slice: nothing from the corpus lands in the repo
    with source.open(encoding="latin-1", newline="") as src, subset.open("w", encoding="latin-1", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        for i, row in enumerate(reader):
            if i > 40:
                break
            writer.writerow(row)
    db = tmp_path / "fakes.duckdb"
    run_batch([str(subset)], db=db, progress=False, fields=Fields(
        text="article_content", id="unit_id", title="article_title", published="date",
        date_format="%m/%d/%Y", source="source", encoding="latin-1"))
    app = create_app(db)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as c:
            corpus = c.get("/corpus", params={"per_page": 50})
            assert corpus.status_code == 200
            ids = _doc_links(corpus.text)
            assert len(ids) >= 35
            timings = []
            for url in ("/corpus", f"/doc/{ids[0]}", "/corpus?actor=Islamic%20State", "/corpus?tab=events"):
                start = time.perf_counter()
                r = c.get(url)
                timings.append(time.perf_counter() - start)
                assert r.status_code == 200, url
            doc = c.get(f"/doc/{ids[0]}").text
            data = json.loads(re.search(r'id="sitrep-data">(.*?)</script>', doc, re.S)[1])
            assert data["situation"]["documents"][0]["id"] == ids[0]
            assert data["situation"]["actors"] or data["situation"]["places"]
            assert max(timings) < 1.5, timings  # generous: a shared 2-core machine; docs/web.md has the numbers
    finally:
        app.state.store_holder.close()
