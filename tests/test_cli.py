"""The command line: formats, exit statuses, one-line errors, and help with examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.schema import validate

FIXTURES = Path(__file__).parent / "fixtures"
WIRE = str(FIXTURES / "raqqa_wire.txt")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_analyze_prints_one_schema_valid_situation(runner):
    result = runner.invoke(main, ["analyze", WIRE, "--published", "2017-06-06"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validate(data)
    (doc,) = data["documents"]
    assert doc["published"] == "2017-06-06" and doc["status"] == "ok"
    assert data["claims"], "a wire story states claims"
    for key in ("events", "claims"):
        assert all(x["evidence"]["text"] in doc["text"] for x in data[key])
    names = {a["name"] for a in data["actors"]}
    assert any("Democratic Forces" in n for n in names)


def test_every_mention_quotes_its_document_text(runner):
    data = json.loads(runner.invoke(main, ["analyze", WIRE]).stdout)
    texts = {d["id"]: d["text"] for d in data["documents"]}
    mentions = [m for kind in ("actors", "places") for e in data[kind] for m in e["mentions"]]
    assert mentions
    for m in mentions:
        assert texts[m["doc"]][m["start"] : m["end"]] == m["text"]


def test_missing_input_fails_alone_and_exits_1(runner, tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(main, ["analyze", str(missing), WIRE])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    statuses = sorted(d["status"] for d in data["documents"])
    assert statuses == ["error", "ok"]
    error_lines = [l for l in result.stderr.splitlines() if l.startswith("sitrep: error:")]
    assert len(error_lines) == 1 and "nope.txt" in error_lines[0]


def test_bad_published_date_is_a_usage_error(runner):
    result = runner.invoke(main, ["analyze", WIRE, "--published", "12/09/2017"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_no_input_is_a_usage_error(runner):
    assert runner.invoke(main, ["analyze"]).exit_code == 2


def test_jsonl_input_keeps_given_ids_and_jsonl_output_has_one_line_per_document(runner, tmp_path):
    src = tmp_path / "batch.jsonl"
    src.write_text(
        json.dumps({"id": "wire-1", "text": "Turkish troops shelled Afrin.", "published": "2018-01-21"})
        + "\n"
        + json.dumps({"id": "wire-2", "text": "Houthi fighters attacked Marib."})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["analyze", str(src), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    assert [l["documents"][0]["id"] for l in lines] == ["wire-1", "wire-2"]
    for line in lines:
        validate(line)


def test_stdin_is_read_with_a_dash(runner):
    result = runner.invoke(main, ["analyze", "-"], input="Israeli jets struck targets in Gaza City.\n")
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["text"].startswith("Israeli jets")


def test_text_format_is_readable(runner):
    result = runner.invoke(main, ["analyze", WIRE, "--format", "text"])
    assert result.exit_code == 0
    assert "Actors" in result.stdout and "Places" in result.stdout


def test_text_format_lists_events_with_their_evidence(runner):
    result = runner.invoke(main, ["analyze", WIRE, "--published", "2017-06-06", "--format", "text"])
    events = result.stdout.split("Events (", 1)
    assert len(events) == 2, result.stdout
    assert "ASSAULT" in events[1] and '"' in events[1]


def test_output_file_is_written_and_show_renders_it(runner, tmp_path):
    out = tmp_path / "out" / "situation.json"
    result = runner.invoke(main, ["analyze", WIRE, "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert f"wrote {out}" in result.stderr
    shown = runner.invoke(main, ["show", str(out)])
    assert shown.exit_code == 0 and "Places" in shown.stdout


def test_show_rejects_a_file_that_is_not_a_situation(runner, tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text("[1, 2]")
    result = runner.invoke(main, ["show", str(bogus)])
    assert result.exit_code == 2 and "not a sitrep situation model" in result.stderr


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path,cmd", list(_commands(main)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_help_has_an_example(path, cmd):
    assert "Example" in (cmd.help or ""), f"sitrep {' '.join(path)} --help lacks an example"


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "sitrep", "--help"], capture_output=True, text=True, check=True)
    assert "analyze" in out.stdout
