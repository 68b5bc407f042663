"""`sitrep analyze --format acled-csv|plover-json`: the event exports validate and read back."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.errors import InputError
from sitrep.export.acled import ACLED_COLUMNS, read_acled, write_acled_situation
from sitrep.export.plover import plover_schema, read_plover, validate_plover, write_plover_situation
from sitrep.model import Actor, Document, Event, EventDate, Mention, Place, Situation

TEXT = "Islamic State militants shelled the village of Maadan near Raqqa on Monday, killing 4 soldiers."


def _m(doc: str, text: str, start: int, end: int) -> Mention:
    return Mention(doc, start, end, text[start:end], start, end)


def _situation(*, published: date | None = date(2017, 9, 12), event_date=None) -> Situation:
    doc = Document(id="d1", source="wire-d1", text=TEXT, title="Raqqa", published=published)
    isis = Actor("a-isis", "Islamic State", "armed_group", None, {"plover": "REB"}, mentions=(_m("d1", TEXT, 0, 23),))
    army = Actor("a-saa", "Syrian Arab Army", "military", "SYR", {"plover": "MIL"})
    maadan = Place("p-maadan", "Maadan", "village", 35.74, 39.65, 163345, "SYR", "Ar-Raqqah",
                   mentions=(_m("d1", TEXT, 47, 53),))
    shelled = _m("d1", TEXT, 24, 31)
    main_event = Event(
        id="e1", doc="d1", type="ASSAULT", mode="bombing", evidence=_m("d1", TEXT, 0, len(TEXT) - 1),
        trigger=shelled, acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack", actor1="a-isis", actor2="a-saa",
        place="p-maadan", place_qualifier=None,
        date=event_date or EventDate("2017-09-11", "2017-09-11", "day", "on Monday"),
        fatalities=4, modality="asserted",
    )
    talk = Event(id="e2", doc="d1", type="CONSULT", evidence=shelled, trigger=shelled, actor1="a-saa",
                 modality="reported", source="unattributed")
    return Situation(documents=(doc,), actors=(isis, army), places=(maadan,), events=(main_event, talk))


def test_acled_csv_from_a_situation_has_exactly_acled_columns_and_reads_back():
    buf = io.StringIO()
    assert write_acled_situation(_situation(), buf) == 1  # the consultation is no ACLED event
    rows = read_acled(io.StringIO(buf.getvalue()))
    assert tuple(buf.getvalue().splitlines()[0].split(",")) == ACLED_COLUMNS
    (row,) = rows
    assert (row["event_id_cnty"], row["event_date"], row["time_precision"]) == ("e1", "2017-09-11", "1")
    assert (row["actor1"], row["inter1"], row["actor2"], row["inter2"]) == ("Islamic State", "2", "Syrian Arab Army", "1")
    assert (row["location"], row["latitude"], row["geo_precision"]) == ("Maadan", "35.7400", "1")
    assert row["notes"] == TEXT[:-1] and row["fatalities"] == "4" and row["source"] == "wire-d1"


def test_acled_csv_without_a_year_falls_back_to_publication_or_stays_empty():
    undated = EventDate("--09-11", "--09-11", "day", "September 11")
    buf = io.StringIO()
    write_acled_situation(_situation(published=None, event_date=undated), buf)
    (row,) = read_acled(io.StringIO(buf.getvalue()))
    assert row["event_date"] == "" and row["time_precision"] == "3"


def test_reading_back_a_csv_with_other_columns_fails():
    with pytest.raises(InputError, match="not an ACLED CSV"):
        read_acled(io.StringIO("event_id,event_date\nx,2017-01-01\n"))


def test_plover_records_validate_against_the_shipped_schema():
    buf = io.StringIO()
    assert write_plover_situation(_situation(), buf) == 2
    first, second = read_plover(io.StringIO(buf.getvalue()))
    assert first["event"] == ["ASSAULT"] and first["mode"] == ["bombing"] and first["quad_code"] == 4
    assert first["date"] == "2017-09-11" and first["date_precision"] == "day"
    assert first["actor"] == [{"entity_text": "Islamic State militants", "identifier_id": "a-isis",
                               "identifier_text": "Islamic State", "sector": "REB"}]
    assert first["recipient"][0]["code"] == "SYR" and first["recipient"][0]["sector"] == "MIL"
    loc = first["event_loc"]
    assert (loc["resolved_place"], loc["extracted_place"], loc["geonameid"], loc["resolution"]) == (
        "Maadan", "Maadan", 163345, 4)
    assert first["size"] == {"dead": 4} and first["text_info"] == {"start": 0, "end": len(TEXT) - 1}
    # no date of its own: the publication day stands in, and says so
    assert (second["date"], second["date_precision"], second["quad_code"]) == ("2017-09-12", "unknown", 1)
    assert second["recipient"] == [] and second["reported_by"] == "unattributed"


def test_plover_schema_rejects_a_record_without_an_event_type():
    bad = {"id": "x", "date": "2017-09-12", "actor": [], "event": ["BOMBING"]}
    assert validate_plover(bad) and validate_plover({"id": "x", "date": "2017-09-12", "actor": [], "event": ["ASSAULT"]}) == []
    assert plover_schema()["required"] == ["id", "date", "actor", "event"]


def test_read_plover_names_the_bad_line():
    with pytest.raises(InputError, match=":2: not a PLOVER record"):
        read_plover(io.StringIO('{"id": "a", "date": null, "actor": [], "event": ["AID"]}\n{"id": "b"}\n'))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "report.txt"
    path.write_text("Islamic State militants attacked Syrian army positions in Deir ez-Zor on Monday, "
                    "killing at least 12 soldiers.\n", encoding="utf-8")
    return str(path)


def test_analyze_writes_acled_csv_that_reads_back(report, tmp_path):
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(main, ["analyze", report, "--published", "2017-09-12", "--format", "acled-csv",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = read_acled(fh, name=str(out))
    assert rows and rows[0]["event_type"] == "Battles" and rows[0]["location"] == "Deir ez-Zor"
    assert rows[0]["event_date"] == "2017-09-11" and rows[0]["fatalities"] == "12"


def test_analyze_writes_plover_json_lines_that_validate(report):
    result = CliRunner().invoke(main, ["analyze", report, "--format", "plover-json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert records and all(validate_plover(r) == [] for r in records)
    assert records[0]["event"] == ["ASSAULT"] and records[0]["date"] is None  # no --published: no year
