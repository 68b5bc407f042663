"""The DuckDB situation store: whole documents per transaction, global entities, rebuildable model."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sitrep.errors import StoreError
from sitrep.ids import content_id
from sitrep.model import ActorRef, Document, PlaceRef
from sitrep.pipeline import DocResult, build_situation
from sitrep.resolve.merge import actor_id, place_id
from sitrep.store import open_store
from sitrep.store.store import latest_version, migrations

REPO = Path(__file__).resolve().parents[1]


def make_doc(text: str, *, doc_id: str | None = None, published: date | None = None, source: str = "t.txt") -> Document:
    return Document(id=doc_id or content_id(text), source=source, text=text, published=published, raw=text)


def actor(doc: Document, surface: str, key: str, *, name: str | None = None, type_: str = "military",
          parent: str | None = None, occurrence: int = 0) -> ActorRef:
    start = _find(doc.text, surface, occurrence)
    return ActorRef(key=key, name=name or surface, type=type_, mention=doc.mention(start, start + len(surface)),
                    via="registry", country="SYR", codes={"cameo": "SYRMIL"}, parent_key=parent)


def place(doc: Document, surface: str, key: str, *, confidence: float = 0.9, name: str | None = None) -> PlaceRef:
    start = _find(doc.text, surface, 0)
    return PlaceRef(key=key, name=name or surface, feature="city", mention=doc.mention(start, start + len(surface)),
                    via="gazetteer", lat=35.9, lon=39.0, geonames_id=163915, country="SY", admin1="Raqqa",
                    confidence=confidence)


def _find(text: str, surface: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start


def raqqa_results() -> list[DocResult]:
    a = make_doc("The Syrian Army shelled Raqqa. The Syrian Army then withdrew.", published=date(2017, 9, 12))
    b = make_doc("In Raqqa, the SDF said the Syrian Army had fired first.", source="b.txt")
    return [
        DocResult(a, (actor(a, "Syrian Army", "SYRMIL"), actor(a, "Syrian Army", "SYRMIL", occurrence=1)),
                  (place(a, "Raqqa", "gn:163915", confidence=0.8),)),
        DocResult(b, (actor(b, "SDF", "SDF", type_="armed_group"), actor(b, "Syrian Army", "SYRMIL")),
                  (place(b, "Raqqa", "gn:163915", confidence=0.95),)),
    ]


def test_saved_documents_come_back_as_the_same_situation_model(mem_store):
    results = raqqa_results()
    mem_store.save(results)
    assert mem_store.situation().to_dict() == build_situation(results).to_dict()


def test_an_actor_named_in_many_documents_is_one_row_with_every_mention(mem_store):
    mem_store.save(raqqa_results())
    rows = mem_store.query("SELECT id, name FROM actors WHERE key = 'SYRMIL'").rows
    assert rows == [(actor_id("SYRMIL"), "Syrian Army")]
    army = next(a for a in mem_store.situation().actors if a.id == actor_id("SYRMIL"))
    assert len(army.mentions) == 3 and len({m.doc for m in army.mentions}) == 2


def test_mentions_keep_both_offset_pairs_and_the_qualifier(mem_store):
    from sitrep.ingest import normalize

    raw = "West of \u200bRaqqa, fighting."  # normalising drops the zero-width space

    norm, offsets = normalize(raw)
    doc = Document(id="doc-q", source="q.txt", text=norm, raw=raw, offsets=offsets)
    start = norm.index("Raqqa")
    ref = PlaceRef(key="gn:1", name="Raqqa", feature="city", via="gazetteer", confidence=0.7,
                   mention=doc.mention(start, start + 5, qualifier="west of"))
    mem_store.save([DocResult(doc, (), (ref,))])
    row = mem_store.query('SELECT start, "end", raw_start, raw_end, text, qualifier FROM mentions').rows[0]
    assert row[4] == "Raqqa" and row[5] == "west of"
    assert raw[row[2]:row[3]] == "Raqqa" and norm[row[0]:row[1]] == "Raqqa"
    stored = mem_store.situation().documents[0]
    assert norm == "West of Raqqa, fighting." and stored.raw == raw and stored.text == norm


def test_place_confidence_is_the_best_of_its_mentions(mem_store):
    mem_store.save(raqqa_results())
    assert mem_store.query("SELECT id, confidence FROM places").rows == [(place_id("gn:163915"), 0.95)]


def test_entity_rows_do_not_depend_on_the_order_documents_arrive_in():
    results = raqqa_results()
    c = make_doc("SDF fighters entered the old city.", source="c.txt")
    # the same key under another name and type, in another document
    results.append(DocResult(c, (actor(c, "SDF", "SDF", type_="coalition", name="Syrian Democratic Forces"),)))
    forward, backward = open_store(":memory:"), open_store(":memory:")
    for r in results:
        forward.save([r])
    for r in reversed(results):
        backward.save([r])
    assert forward.snapshot() == backward.snapshot()
    first_doc = min(results[1].document.id, c.id)
    expected = "SDF" if first_doc == results[1].document.id else "Syrian Democratic Forces"
    assert forward.query("SELECT name FROM actors WHERE key = 'SDF'").rows == [(expected,)]


def test_saving_the_same_results_again_adds_nothing(mem_store):
    mem_store.save(raqqa_results())
    before = mem_store.snapshot()
    report = mem_store.save(raqqa_results())
    assert report.added == [] and len(report.duplicates) == 2
    assert mem_store.snapshot() == before


def test_the_same_text_under_another_id_is_stored_once(mem_store):
    first = make_doc("Shelling reported in Idlib.", doc_id="wire-1")
    again = make_doc("Shelling reported in Idlib.", doc_id="wire-2")
    report = mem_store.save([DocResult(first), DocResult(again)])
    assert report.added == ["wire-1"] and report.duplicates == ["wire-2"]
    assert mem_store.known("wire-9", content_id("Shelling reported in Idlib."))
    assert not mem_store.known("wire-9", content_id("Something else."))


def test_ids_with_quotes_are_looked_up_safely(mem_store):
    doc = make_doc("Fighting in Ma'arat al-Numan.", doc_id="it's; DROP TABLE documents; --'")
    mem_store.save([DocResult(doc)])
    assert mem_store.known(doc.id) and not mem_store.known("it's")
    assert mem_store.save([DocResult(doc)]).duplicates == [doc.id]


def test_a_failed_document_is_recorded_and_replaced_when_it_later_succeeds(mem_store):
    text = "Clashes near Deir ez-Zor."
    failed = Document(id=content_id(text), source="d.txt", text=text, status="error",
                      error="d.txt: extraction failed: ValueError: boom")
    report = mem_store.save([DocResult(failed)])
    assert [d.id for d in report.failed] == [failed.id]
    assert mem_store.query("SELECT status, error FROM documents").rows == [("error", failed.error)]
    assert not mem_store.known(failed.id, content_id(text))
    report = mem_store.save([DocResult(make_doc(text))])
    assert report.replaced == [failed.id] and report.added == [failed.id]
    assert mem_store.query("SELECT status, error FROM documents").rows == [("ok", None)]


def test_a_save_that_fails_midway_leaves_no_part_of_it(mem_store):
    good, bad = raqqa_results()
    broken = PlaceRef(key="gn:bad", feature="city", via="gazetteer",
                      mention=bad.document.mention(0, 2), name=None)  # NOT NULL fails in the places insert
    with pytest.raises(StoreError, match="cannot save documents"):
        mem_store.save([good, DocResult(bad.document, bad.actors, (broken,))])
    assert all(n == 0 for t, n in mem_store.counts().items() if t != "schema_version")
    mem_store.save([good])  # the store is still usable afterwards
    assert mem_store.counts()["documents"] == 1


def test_parents_from_registry_descriptions_resolve_without_mentions(mem_store):
    doc = make_doc("The 4th Division advanced.")
    division = actor(doc, "4th Division", "SYRMIL4", parent="SYRMIL")
    description = ActorRef(key="SYRMIL", name="Syrian Army", type="military", via="registry",
                           mention=doc.mention(0, 0))
    mem_store.save([DocResult(doc, (division,))], parents=[description])
    actors = {a.id: a for a in mem_store.situation().actors}
    assert actors[actor_id("SYRMIL4")].parent == actor_id("SYRMIL")
    assert actors[actor_id("SYRMIL")].mentions == ()


def test_a_parent_that_is_never_described_is_left_out_rather_than_dangling(mem_store):
    doc = make_doc("The 4th Division advanced.")
    mem_store.save([DocResult(doc, (actor(doc, "4th Division", "SYRMIL4", parent="SYRMIL"),))])
    assert mem_store.situation().actors[0].parent is None


def test_a_situation_for_some_documents_holds_only_their_entities(mem_store):
    results = raqqa_results()
    mem_store.save(results)
    only_a = mem_store.situation([results[0].document.id])
    assert [d.id for d in only_a.documents] == [results[0].document.id]
    assert {a.name for a in only_a.actors} == {"Syrian Army"}
    assert only_a.places[0].confidence == 0.8
    assert all(m.doc == results[0].document.id for a in only_a.actors for m in a.mentions)


def test_query_returns_rows_with_their_column_names(mem_store):
    mem_store.save(raqqa_results())
    result = mem_store.query("SELECT name, count(*) AS n FROM actors JOIN mentions ON id = entity_id "
                             "GROUP BY name ORDER BY n DESC")
    assert result.columns == ("name", "n")
    assert result.records() == [{"name": "Syrian Army", "n": 3}, {"name": "SDF", "n": 1}]


def test_bad_sql_is_a_store_error_naming_the_store(mem_store):
    with pytest.raises(StoreError, match=r":memory:: query failed: .*no_such_table"):
        mem_store.query("SELECT * FROM no_such_table")


def test_a_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.save(raqqa_results())
    with open_store(path, read_only=True) as reader:
        assert reader.counts()["documents"] == 2
        with pytest.raises(StoreError, match="read-only"):
            reader.query("DELETE FROM documents")
        with pytest.raises(StoreError, match="read-only"):
            reader.save(raqqa_results())


def test_a_store_is_migrated_once_and_records_its_schema_version(tmp_path):
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    with open_store(path) as store:
        rows = store.query("SELECT version, name FROM schema_version ORDER BY version").rows
    assert rows == [(m.version, m.name) for m in migrations()]
    assert rows[-1][0] == latest_version()


def test_a_store_from_a_newer_sitrep_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.query("INSERT INTO schema_version VALUES (999, 'future', now())")
    with pytest.raises(StoreError, match="newer than this sitrep"):
        open_store(path)


def test_opening_a_missing_store_read_only_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="no store here; make one with `sitrep batch"):
        open_store(tmp_path / "none.duckdb", read_only=True)
    assert not (tmp_path / "none.duckdb").exists()


def test_a_file_that_is_not_a_database_is_not_a_store(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes\n" * 100)
    with pytest.raises(StoreError, match="notes.duckdb: not a sitrep store"):
        open_store(path)


def test_another_duckdb_database_is_not_a_store(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a sitrep store"):
        open_store(path)


_HOLD_OPEN = textwrap.dedent(
    """
    import sys, time
    from sitrep.store import open_store
    store = open_store(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    """
)


def test_a_reader_gets_a_busy_error_naming_the_writer_while_a_batch_writes(tmp_path):
    path = tmp_path / "busy.duckdb"
    with open_store(path) as store:
        store.save(raqqa_results())
    writer = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=_env())
    try:
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as err:
            open_store(path, read_only=True)
        message = str(err.value)
        assert message.startswith(f"{path}: store is busy: a batch is writing to it (pid {writer.pid})")
        assert "retry when it finishes" in message
        with pytest.raises(StoreError, match="store is busy: another process has it open"):
            open_store(path)
    finally:
        writer.communicate("\n", timeout=30)
    with open_store(path, read_only=True) as reader:  # once the writer is gone, nothing is damaged
        assert reader.counts()["documents"] == 2


def _env() -> dict:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env
