"""The HTML report: self-contained, escaped, CSP-locked, tolerant of a sparse situation model."""

from __future__ import annotations

import base64
import copy
import hashlib
import html as html_module
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sitrep.errors import ConfigError
from sitrep.schema import validate
from sitrep.web import report as report_module
from sitrep.web.cli import register
from sitrep.web.report import comention_edges, render_report, script_json, sentence_spans, write_report

FIXTURE = Path(__file__).parent / "fixtures" / "situation_small.json"
WEB = Path(report_module.__file__).resolve().parent


@pytest.fixture()
def situation() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _doc(doc_id: str, text: str, **extra) -> dict:
    return {"id": doc_id, "source": f"{doc_id}.txt", "title": None, "published": None, "text": text,
            "status": "ok", "error": None, **extra}


def _mention(doc: dict, phrase: str, nth: int = 1) -> dict:
    start = -1
    for _ in range(nth):
        start = doc["text"].index(phrase, start + 1)
    return {"doc": doc["id"], "start": start, "end": start + len(phrase), "text": phrase,
            "raw_start": start, "raw_end": start + len(phrase)}


def _actor(actor_id: str, name: str, mentions: list) -> dict:
    return {"id": actor_id, "name": name, "type": "armed_group", "country": None, "codes": {}, "aliases": [],
            "parent": None, "mentions": mentions}


def _embedded(html: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, f"no embedded {element_id}"
    return json.loads(match.group(1))


def _csp(html: str) -> dict[str, list[str]]:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert match
    directives = {}
    for part in html_module.unescape(match.group(1)).split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_fixture_validates_and_every_mention_matches_its_offsets(situation):
    validate(situation)
    texts = {d["id"]: d["text"] for d in situation["documents"]}
    mentions = [m for a in situation["actors"] + situation["places"] for m in a["mentions"]]
    mentions += [e["evidence"] for e in situation["events"]] + [e["trigger"] for e in situation["events"]]
    mentions += [c["evidence"] for c in situation["claims"]] + situation["techniques"]
    mentions += [m for r in situation["relations"] for m in r["evidence"]]
    assert len(mentions) > 50
    for m in mentions:
        assert texts[m["doc"]][m["start"]:m["end"]] == m["text"], m


def test_report_is_one_file_that_references_nothing_outside_itself(situation):
    html = render_report(situation)
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"<script[^>]+\bsrc=", html, re.I)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert not re.search(r"url\((?!#default#VML)", style), "a CSS url() would fetch a file"
    basemap = _embedded(html, "sitrep-basemap")
    assert {"countries", "lakes", "rivers"} <= set(basemap)
    assert len(basemap["countries"]["features"]) > 150


def test_csp_allows_exactly_the_inline_scripts_and_styles(situation):
    html = render_report(situation)
    csp = _csp(html)
    assert csp["default-src"] == ["'none'"]
    assert csp["img-src"] == ["data:"]
    assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 2 and len(styles) == 1
    assert sorted(csp["script-src"]) == sorted(_sha(s) for s in scripts)
    assert csp["style-src"] == [_sha(styles[0])]
    markup = re.sub(r"<script.*?</script>|<style>.*?</style>", "", html, flags=re.S)
    assert not re.search(r"\s(style|on\w+)=", markup), "inline styles and handlers would need 'unsafe-inline'"


def test_document_text_cannot_break_out_of_the_embedded_json():
    hostile = 'a</script><script>alert(1)</script><!-- b \u2028 c \u2029 & <img src=x onerror="alert(2)">'
    doc = _doc("evil", hostile, title="</title><script>alert(3)</script>")
    html = render_report({"documents": [doc], "actors": [], "places": []}, title="<b>bold</b>")
    assert html.lower().count("<script") == 4  # data, basemap, leaflet, report: nothing injected
    assert "<img" not in html and "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "\u2028" not in html.split('id="sitrep-data">')[1].split("</script>")[0]
    payload = _embedded(html, "sitrep-data")
    assert payload["situation"]["documents"][0]["text"] == hostile
    assert payload["situation"]["documents"][0]["title"] == doc["title"]


def test_script_json_escapes_markup_characters_and_line_separators():
    out = script_json({"k": "</script>&\u2028\u2029"})
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"k": "</script>&\u2028\u2029"}


def test_a_model_without_events_or_optional_lists_still_renders():
    doc = _doc("d1", "Rebels shelled Idlib.")
    html = render_report({"documents": [doc], "actors": [_actor("actor-0000000000000001", "Rebels", [_mention(doc, "Rebels")])]})
    situation = _embedded(html, "sitrep-data")["situation"]
    for key in ("places", "events", "claims", "techniques", "relations"):
        assert situation[key] == []


def test_malformed_entries_in_future_lists_are_dropped_not_fatal(situation):
    situation["events"].append("not an object")
    situation["events"].append({"id": "event-x", "type": "ASSAULT"})  # no date, no place, no evidence
    situation["relations"].append({"source": "actor-missing", "target": None})
    payload = _embedded(render_report(situation), "sitrep-data")
    assert "not an object" not in payload["situation"]["events"]
    assert {"id": "event-x", "type": "ASSAULT"} in payload["situation"]["events"]


def test_something_that_is_not_a_situation_is_refused():
    with pytest.raises(ConfigError, match="not a sitrep situation model"):
        render_report({"actors": []})
    with pytest.raises(ConfigError):
        render_report([1, 2])


def test_sentence_spans_split_at_sentence_ends_and_blank_lines():
    text = 'Troops left Raqqa. "They fled!" he said.\n\nNew paragraph without stop'
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["Troops left Raqqa.", '"They fled!"', "he said.", "New paragraph without stop"]


def test_comention_edges_join_actors_named_in_the_same_sentence_only():
    doc = _doc("d1", "The SDF fought the IS near Raqqa. Later Turkey warned the SDF.")
    sdf = _actor("actor-000000000000000a", "SDF", [_mention(doc, "SDF"), _mention(doc, "SDF", 2)])
    isis = _actor("actor-000000000000000b", "IS", [_mention(doc, "IS")])
    turkey = _actor("actor-000000000000000c", "Turkey", [_mention(doc, "Turkey")])
    edges = comention_edges({"documents": [doc], "actors": [sdf, isis, turkey]})
    pairs = {(e["source"], e["target"]): e for e in edges}
    assert set(pairs) == {(sdf["id"], isis["id"]), (sdf["id"], turkey["id"])}
    evidence = pairs[(sdf["id"], isis["id"])]["evidence"][0]
    assert evidence["text"] == "The SDF fought the IS near Raqqa."
    assert doc["text"][evidence["start"]:evidence["end"]] == evidence["text"]


def test_write_report_writes_the_html_file(tmp_path, situation):
    path = write_report(situation, tmp_path / "sub" / "report.html", title="Raqqa, September 2017")
    html = path.read_text(encoding="utf-8")
    assert "<title>Raqqa, September 2017</title>" in html
    assert not list(path.parent.glob(".*.tmp"))


def test_rendering_is_deterministic_for_a_given_time(situation):
    from datetime import datetime, timezone

    when = datetime(2017, 9, 12, tzinfo=timezone.utc)
    assert render_report(copy.deepcopy(situation), generated=when) == render_report(situation, generated=when)


def test_assets_are_small_and_licensed():
    vendor = WEB / "static" / "vendor" / "leaflet@1.9.4"
    assert (vendor / "LICENSE").read_text().startswith("BSD 2-Clause License")
    basemap = WEB / "static" / "basemap"
    assert "Natural Earth" in (basemap / "LICENSE").read_text()
    size = sum(p.stat().st_size for p in basemap.glob("*.geojson"))
    assert 200_000 < size < 1_500_000


def _cli() -> click.Group:
    @click.group()
    def main():
        """test group"""

    register(main)
    return main


def test_cli_report_draws_a_saved_situation(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(_cli(), ["report", "--situation", str(FIXTURE), "-o", str(out), "--title", "Wire"])
    assert result.exit_code == 0, result.output
    assert "<title>Wire</title>" in out.read_text(encoding="utf-8")


def test_cli_report_refuses_a_file_that_is_not_a_situation(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["report", "--situation", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "not a sitrep situation model" in result.output


def test_cli_report_help_has_an_example():
    result = CliRunner().invoke(_cli(), ["report", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "sitrep report" in result.output


def test_cli_report_analyses_documents_through_the_pipeline(tmp_path):
    pytest.importorskip("sitrep.extract.actors", reason="actor extractor not available")
    text = tmp_path / "wire.txt"
    text.write_text(
        "Syrian army troops pushed east of Palmyra on Tuesday. The SDF advanced on Raqqa from the north.\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    result = CliRunner().invoke(_cli(), ["report", str(text), "--published", "2017-09-12", "-o", str(out)])
    assert result.exit_code == 0, result.output
    situation = _embedded(out.read_text(encoding="utf-8"), "sitrep-data")["situation"]
    assert situation["documents"][0]["published"] == "2017-09-12"
    assert {p["name"] for p in situation["places"]} & {"Ar Raqqah", "Raqqa", "Tadmur", "Palmyra"}


def test_a_situation_record_renders_like_its_dict(situation):
    from datetime import datetime, timezone

    from sitrep.model import Document, Situation

    record = Situation(documents=(Document(id="d1", source="d1.txt", text="Quiet day in Idlib."),))
    when = datetime(2017, 9, 12, tzinfo=timezone.utc)
    assert render_report(record, generated=when) == render_report(record.to_dict(), generated=when)
