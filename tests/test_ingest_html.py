"""Reading HTML: the article's main text and title, without page boilerplate."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.errors import InputError
from sitrep.ingest import load_document, read_inputs

PAGE = """<!DOCTYPE html>
<html><head>
<title>Army pushes east of Palmyra | Example Wire</title>
<meta property="article:published_time" content="2017-09-05T10:00:00Z">
<style>.promo { color: red } body { font-family: serif }</style>
<script>var trackingId = "UA-000"; function track() { return trackingId; }</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav>
<article>
<h1>Army pushes east of Palmyra</h1>
<p>The Syrian army and allied militias advanced on Tuesday toward the town of al-Sukhnah, east of
Palmyra, state media said, while Russian jets struck positions held by Islamic State militants.</p>
<p>The Syrian Democratic Forces said they had captured the al-Omar oil field, a claim that could
not be independently verified by Example Wire.</p>
<ul><li>Tiger Forces took two hills near T-4 airbase.</li><li>Russian jets flew forty sorties.</li></ul>
</article>
<footer><p>Copyright 2017 Example Wire. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
<script>track();</script>
</body></html>
"""


def test_main_text_is_kept_and_boilerplate_dropped(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path, source="page.html")
    assert "advanced on Tuesday toward the town of al-Sukhnah, east of Palmyra" in doc.text
    assert "al-Omar oil field" in doc.text
    assert "- Tiger Forces took two hills near T-4 airbase." in doc.text
    for boilerplate in ("trackingId", "font-family", "Subscribe now", "Privacy policy", "All rights reserved"):
        assert boilerplate not in doc.text
        assert boilerplate not in doc.raw


def test_title_and_publication_date_come_from_the_page(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = read_inputs([path], published=date(2020, 1, 1))
    assert doc.title == "Army pushes east of Palmyra"
    assert doc.published == date(2017, 9, 5)


def test_mentions_point_into_the_extracted_text(tmp_path):
    doc = load_document(PAGE.encode("utf-8"), source="page.html")
    start = doc.text.index("al-Omar")
    mention = doc.mention(start, start + len("al-Omar"))
    assert doc.raw[mention.raw_start : mention.raw_end] == "al-Omar"


def test_page_with_no_main_text_is_an_input_error():
    page = b"<html><head><script>var a = 1;</script><style>p { color: red }</style></head><body> </body></html>"
    with pytest.raises(InputError, match=r"^empty\.html: no main text found in the HTML page$"):
        load_document(page, source="empty.html")


def test_html_in_windows_1252_is_decoded(tmp_path):
    page = PAGE.replace("militants.", "militants near the caf\u00e9 \u201cAl-Rawda\u201d.")
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("cp1252"))
    assert "caf\u00e9 \u201cAl-Rawda\u201d" in load_document(path, source="latin.html").text
