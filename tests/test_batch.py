"""The resumable batch: table inputs, skipping what is stored, failures, runs, and the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sitrep.errors import ConfigError
from sitrep.model import ActorRef
from sitrep.pipeline import DocResult
from sitrep.store import open_store
from sitrep.store.batch import read_documents, run_batch
from sitrep.store.cli import format_table, register
from sitrep.store.csvinput import Fields, check_columns, read_table

# FA-KES's layout (latin-1, m/d/Y dates, article_content), with texts written for these tests.
FAKES_LIKE = [
    ("unit_id", "article_title", "article_content", "source", "date"),
    ("101", "Shelling in Homs", "Government forces shelled Homs on Monday, activists said.", "nna", "4/5/2017"),
    ("102", "Café talks", "Delegates met at a café in Genève to discuss a truce.", "sana", "12/25/2016"),
    ("103", "Aid convoy", "An aid convoy reached Aleppo.\nIt carried food for 2,000 families.", "reuters", "7/10/2016"),
]


def write_csv(path: Path, rows, encoding: str = "latin-1") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


FAKES_FIELDS = Fields(text="article_content", id="unit_id", title="article_title", published="date",
                      date_format="%m/%d/%Y", source="source", encoding="latin-1")


def fake_analyse(calls: list | None = None, fail: set[str] = frozenset()):
    """A pipeline stand-in: one actor per capitalised first word; documents in ``fail`` fail."""
    import dataclasses

    def analyse(documents):
        for doc in documents:
            if calls is not None:
                calls.append(doc.id)
            if doc.id in fail:
                yield DocResult(dataclasses.replace(doc, status="error", error=f"{doc.source}: extraction failed: boom"))
                continue
            word = doc.text.split()[0]
            ref = ActorRef(key=f"ner:ORG:{word.lower()}", name=word, type="other", via="ner",
                           mention=doc.mention(0, len(word)))
            yield DocResult(doc, (ref,))

    return analyse


# --- table inputs --------------------------------------------------------------------------------


def test_a_fakes_style_csv_becomes_documents_with_ids_dates_titles_and_sources(tmp_path):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    docs = list(read_table(path, FAKES_FIELDS))
    assert [d.id for d in docs] == ["101", "102", "103"]
    assert [d.published for d in docs] == [date(2017, 4, 5), date(2016, 12, 25), date(2016, 7, 10)]
    assert docs[1].title == "Café talks" and "Genève" in docs[1].text
    assert [d.source for d in docs] == ["nna", "sana", "reuters"]
    span = docs[0].text.index("Homs")
    assert docs[0].mention(span, span + 4).text == "Homs"


def test_without_an_id_column_documents_are_keyed_by_the_hash_of_their_text(tmp_path):
    from sitrep.ids import content_id

    path = write_csv(tmp_path / "plain.csv", [("text",), ("Fighting near Idlib.",)], encoding="utf-8")
    (doc,) = read_table(path, Fields())
    assert doc.id == content_id(doc.text) and doc.source == f"{path}:2"


def test_a_bad_row_fails_alone_and_names_its_line(tmp_path):
    rows = FAKES_LIKE + [("104", "Bad date", "Clashes in Daraa.", "nna", "2017-13-45"),
                         ("105", "No text", "  ", "nna", "1/2/2017"),
                         ("106", "Fine", "Airstrikes hit Idlib.", "nna", "1/3/2017")]
    path = write_csv(tmp_path / "fakes.csv", rows)
    docs = list(read_table(path, FAKES_FIELDS))
    assert [d.status for d in docs] == ["ok", "ok", "ok", "error", "error", "ok"]
    # row 103 spans two lines (a newline inside quotes), so row 104 starts on line 6
    assert docs[3].error == f"{path}:6: date '2017-13-45' is not --date-format %m/%d/%Y"
    assert docs[4].error == f"{path}:7: no text in field 'article_content'"
    assert len({d.id for d in docs}) == 6


def test_a_csv_in_the_wrong_encoding_fails_with_a_hint(tmp_path):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)  # latin-1 bytes, read as utf-8
    docs = list(read_table(path, Fields(text="article_content", date_format="%m/%d/%Y")))
    assert [d.ok for d in docs] == [True, False, True]  # only the row with "Café" is not UTF-8
    assert docs[1].error == (f"{path}:3: line 3 is not valid utf-8 (invalid continuation byte); "
                             "pass --encoding, e.g. latin-1")


def test_a_date_column_is_used_by_default_and_its_format_must_match(tmp_path):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    docs = list(read_table(path, Fields(text="article_content", encoding="latin-1")))
    assert not docs[0].ok
    assert docs[0].error.endswith("date '4/5/2017' is not an ISO date (or pass --date-format, e.g. %m/%d/%Y)")


def test_a_missing_column_is_a_usage_error_listing_the_columns(tmp_path):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    with pytest.raises(ConfigError, match=r"no column 'body' for the text; columns are 'unit_id'"):
        check_columns(path, Fields(text="body", encoding="latin-1"))
    with pytest.raises(ConfigError, match="--text-field"):
        check_columns(path, Fields(encoding="latin-1"))


def test_jsonl_fields_can_be_renamed(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"body": "Clashes in Deir ez-Zor.", "when": "2018-02-07", "key": "k1"}) + "\n",
                    encoding="utf-8")
    docs = list(read_documents([str(path)], fields=Fields(text="body", published="when", id="key"), published=None))
    assert [(d.id, d.published, d.text) for d in docs] == [("k1", date(2018, 2, 7), "Clashes in Deir ez-Zor.")]


# --- runs ----------------------------------------------------------------------------------------


def test_a_second_run_over_the_same_input_analyses_and_adds_nothing(tmp_path, mem_store):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    calls: list[str] = []
    first = run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=fake_analyse(calls))
    counts = mem_store.counts()
    second = run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=fake_analyse(calls))
    assert (first.added, second.added, second.skipped) == (3, 0, 3)
    assert calls == ["101", "102", "103"]  # the second run analysed nothing
    assert {k: v for k, v in mem_store.counts().items() if k != "runs"} == {k: v for k, v in counts.items() if k != "runs"}


def test_a_repeated_document_in_the_input_is_stored_once(tmp_path, mem_store):
    rows = FAKES_LIKE + [("201",) + FAKES_LIKE[1][1:]]  # same text under another id
    path = write_csv(tmp_path / "fakes.csv", rows)
    report = run_batch([path, path], db=mem_store, fields=FAKES_FIELDS, analyse=fake_analyse(), commit_every=100)
    assert (report.seen, report.added, report.skipped) == (8, 3, 5)
    assert mem_store.query("SELECT count(*) FROM documents").rows == [(3,)]


def test_failures_are_stored_with_their_reason_and_retried_by_the_next_run(tmp_path, mem_store):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    report = run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=fake_analyse(fail={"102"}))
    assert (report.added, report.failed) == (2, 1)
    assert [d.id for d in report.failures] == ["102"]
    assert mem_store.query("SELECT id, error FROM documents WHERE status = 'error'").rows == [
        ("102", "sana: extraction failed: boom")]
    calls: list[str] = []
    again = run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=fake_analyse(calls))
    assert calls == ["102"] and (again.added, again.failed, again.skipped) == (1, 0, 2)
    assert mem_store.query("SELECT count(*) FROM documents WHERE status = 'ok'").rows == [(3,)]


def test_each_run_records_its_parameters_counts_and_timing(tmp_path, mem_store):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    report = run_batch([path], db=mem_store, fields=FAKES_FIELDS, published=date(2017, 1, 1),
                       analyse=fake_analyse(fail={"103"}))
    row = mem_store.query("SELECT * FROM runs").records()[0]
    assert row["id"] == report.run_id and row["status"] == "finished"
    assert (row["seen"], row["added"], row["failed"], row["skipped"]) == (3, 2, 1, 0)
    assert row["inputs"] == [str(path)] and row["seconds"] >= 0 and row["finished_at"] >= row["started_at"]
    params = json.loads(row["params"])
    assert params["published"] == "2017-01-01" and params["fields"]["date_format"] == "%m/%d/%Y"
    assert row["sitrep_version"] and row["schema_version"] >= 1 and row["engine"] == "local"


def test_documents_commit_in_groups_and_the_run_row_tracks_each_commit(tmp_path, mem_store):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    seen_counts = []
    analyse = fake_analyse()

    def watching(documents):
        for result in analyse(documents):
            seen_counts.append(mem_store.query("SELECT count(*) FROM documents").rows[0][0])
            yield result

    run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=watching, commit_every=2)
    assert seen_counts == [0, 0, 2]  # the third document arrives after the first group committed


def test_ctrl_c_keeps_the_analysed_documents_and_marks_the_run_interrupted(tmp_path, mem_store):
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    analyse = fake_analyse()

    def interrupted(documents):
        for n, result in enumerate(analyse(documents)):
            if n == 2:
                raise KeyboardInterrupt
            yield result

    with pytest.raises(KeyboardInterrupt):
        run_batch([path], db=mem_store, fields=FAKES_FIELDS, analyse=interrupted, commit_every=100)
    assert mem_store.query("SELECT id FROM documents ORDER BY id").rows == [("101",), ("102",)]
    assert mem_store.query("SELECT status, added FROM runs").rows == [("interrupted", 2)]


def test_the_engine_option_offers_exactly_the_registered_engines():
    from sitrep.store.batch import ENGINES
    from sitrep.store.cli import batch

    option = next(p for p in batch.params if p.name == "engine")
    assert list(option.type.choices) == list(ENGINES)


def test_an_unknown_engine_is_a_usage_error(mem_store):
    with pytest.raises(ConfigError, match="--engine 'spark' is not available"):
        run_batch(["x.jsonl"], db=mem_store, engine="spark")


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def cli():
    group = click.Group("sitrep")
    register(group)
    return group


def test_every_store_command_shows_an_example_in_its_help(cli):
    for name in ("batch", "query"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name


def test_query_prints_an_aligned_table_csv_or_json(tmp_path, cli):
    db = tmp_path / "s.duckdb"
    path = write_csv(tmp_path / "fakes.csv", FAKES_LIKE)
    run_batch([path], db=db, fields=FAKES_FIELDS, analyse=fake_analyse())
    sql = "SELECT id, published, chars FROM documents ORDER BY id"
    table = CliRunner().invoke(cli, ["query", "--db", str(db), sql])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["id", "published", "chars"] and lines[-1] == "(3 rows)"
    assert lines[2].split()[:2] == ["101", "2017-04-05"]
    assert len({len(line) for line in lines[1:4]}) == 1  # aligned: numbers right-justified to one width
    as_csv = CliRunner().invoke(cli, ["query", "--db", str(db), sql, "--format", "csv"])
    assert list(csv.reader(as_csv.output.splitlines()))[1] == ["101", "2017-04-05", "57"]
    as_json = CliRunner().invoke(cli, ["query", "--db", str(db), "SELECT codes, aliases FROM actors LIMIT 1",
                                       "--format", "json"])
    assert json.loads(as_json.output) == [{"codes": {}, "aliases": []}]


def test_query_cannot_change_the_store(tmp_path, cli):
    db = tmp_path / "s.duckdb"
    open_store(db).close()
    result = CliRunner().invoke(cli, ["query", "--db", str(db), "DROP TABLE documents"])
    assert result.exit_code == 1 and "read-only" in result.output
    assert "documents" in open_store(db, read_only=True).counts()


def test_query_on_a_missing_store_says_how_to_make_one(tmp_path, cli):
    result = CliRunner().invoke(cli, ["query", "--db", str(tmp_path / "no.duckdb"), "SELECT 1"])
    assert result.exit_code == 1 and "no store here; make one with `sitrep batch" in result.output


def test_format_table_right_aligns_numbers_and_cuts_long_cells():
    text = format_table(("name", "n"), [("Syrian Arab Army", 5), ("x" * 100, 12), (None, None)])
    lines = text.splitlines()
    assert lines[2].endswith(" 5") and lines[3].endswith("12") and "…" in lines[3] and "NULL" in lines[4]


# --- the real pipeline ---------------------------------------------------------------------------

WIRE = [
    {"id": "w1", "text": "The Syrian Army shelled Raqqa on Monday, the SDF said.", "published": "2017-09-12"},
    {"id": "w2", "text": "Russian aircraft struck targets near Idlib. The Syrian Army advanced on Raqqa."},
    {"id": "w3", "text": "Islamic State fighters withdrew from Deir ez-Zor, activists in Aleppo said."},
]


@pytest.fixture
def wire(tmp_path) -> Path:
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in WIRE) + "\n{not json\n", encoding="utf-8")
    return path


def test_batch_stores_what_analyze_finds_and_reports_failures_quietly(tmp_path, cli, wire, nlp):
    import sitrep

    db = tmp_path / "wire.duckdb"
    result = CliRunner().invoke(cli, ["batch", str(wire), "--db", str(db), "--published", "2017-09-10"])
    assert result.exit_code == 1, result.output  # the bad line failed; the others are stored
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{db}: 4 documents in ") and lines[0].endswith("3 added, 0 already stored, 1 failed")
    assert lines[1] == f"sitrep: error: {wire}:4: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    assert "\r" not in result.output and "%|" not in result.output  # no progress bar off a terminal

    expected = sitrep.analyze([str(wire)], published="2017-09-10").to_dict()
    with open_store(db, read_only=True) as store:
        stored = store.situation().to_dict()
    assert stored["actors"] and stored["places"]
    # merge_actors keeps an unmentioned parent's aliases in registry order; the store sorts them
    for actor in stored["actors"] + expected["actors"]:
        actor["aliases"] = sorted(actor["aliases"])
    assert stored["actors"] == expected["actors"] and stored["places"] == expected["places"]
    assert any(a["parent"] for a in stored["actors"])  # parents come from the registry, as in analyze
    by_id = lambda docs: sorted(docs, key=lambda d: d["id"])  # noqa: E731
    assert by_id(stored["documents"]) == by_id(expected["documents"])


@pytest.mark.slow
def test_many_workers_make_the_same_store_as_one(tmp_path, wire, nlp):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    run_batch([wire], db=one, workers=1)
    report = run_batch([wire], db=two, workers=2)
    assert (report.added, report.failed) == (3, 1)
    with open_store(one, read_only=True) as a, open_store(two, read_only=True) as b:
        for table in ("documents", "mentions", "actors", "places"):
            columns = "* EXCLUDE (run_id, added_at)" if table == "documents" else "*"
            rows_a = sorted(map(repr, a.query(f"SELECT {columns} FROM {table}").rows))
            assert rows_a and rows_a == sorted(map(repr, b.query(f"SELECT {columns} FROM {table}").rows)), table
