"""Reading plain-text inputs: encodings, folders, stdin, ids and dates."""

from __future__ import annotations

import io
from datetime import date

from sitrep.ids import content_id
from sitrep.ingest import load_document, read_inputs
from sitrep.ingest.offsets import OffsetMap

REPORT = "Syrian troops entered Palmyra on Tuesday.\n\nRussian jets struck west of the city.\n"


def test_utf8_text_file_becomes_a_document_with_raw_text_and_offsets(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    [doc] = read_inputs([path])
    assert doc.ok and doc.error is None
    assert doc.source == str(path)
    assert doc.raw == REPORT
    assert doc.text == REPORT.rstrip()
    assert isinstance(doc.offsets, OffsetMap)
    start = doc.text.index("Palmyra")
    mention = doc.mention(start, start + len("Palmyra"))
    assert doc.raw[mention.raw_start : mention.raw_end] == "Palmyra"


def test_document_without_id_gets_the_content_id_of_its_normalised_text(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.md").write_text(REPORT + "\n\n\n", encoding="utf-8")
    a, b = read_inputs([tmp_path])
    assert a.id == content_id(REPORT.rstrip())
    assert a.id == b.id


def test_utf8_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT.encode("utf-8"))
    assert load_document(path, source="bom.txt").text.startswith("Syrian")


def test_utf16_with_and_without_byte_order_mark_is_decoded(tmp_path):
    with_bom = tmp_path / "with.txt"
    with_bom.write_bytes(REPORT.encode("utf-16"))
    without = tmp_path / "without.txt"
    without.write_bytes(REPORT.encode("utf-16-le"))
    assert load_document(with_bom, source="with.txt").text == REPORT.rstrip()
    assert load_document(without, source="without.txt").text == REPORT.rstrip()


def test_windows_1252_text_is_decoded_with_accents_and_curly_quotes(tmp_path):
    text = "The army\u2019s \u201cvictory\u201d near Deir ez-Zor \u2013 caf\u00e9 cr\u00e8me, d\u00e9j\u00e0 vu."
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    assert load_document(path, source="latin.txt").text == text


def test_cyrillic_in_windows_1251_is_decoded(tmp_path):
    text = "Войска вошли в Пальмиру, сообщили в Минобороны России."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    assert load_document(path, source="ru.txt").text == text


def test_folders_are_walked_recursively_in_sorted_order_keeping_known_suffixes(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed report.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Alpha report.", encoding="utf-8")
    (tmp_path / "c.text").write_text("Charlie report.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not ours")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden.", encoding="utf-8")
    docs = list(read_inputs([tmp_path]))
    assert [d.text for d in docs] == ["Alpha report.", "Zed report.", "Charlie report."]


def test_published_argument_dates_documents_that_have_no_date(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    [doc] = read_inputs([path], published=date(2017, 9, 12))
    assert doc.published == date(2017, 9, 12)


def test_dash_reads_stdin(tmp_path):
    docs = list(read_inputs(["-"], stdin=io.BytesIO(REPORT.encode("utf-8"))))
    assert [(d.source, d.text) for d in docs] == [("<stdin>", REPORT.rstrip())]


def test_stdin_given_as_a_text_stream_is_read_too():
    [doc] = read_inputs(["-"], stdin=io.StringIO("Kobani was retaken."))
    assert doc.text == "Kobani was retaken."


def test_load_document_reads_bytes_using_the_suffix_of_the_source():
    doc = load_document(REPORT.encode("utf-8"), source="wire.txt", published=date(2017, 1, 2))
    assert doc.source == "wire.txt"
    assert doc.published == date(2017, 1, 2)
    assert doc.text == REPORT.rstrip()


def test_file_without_known_suffix_named_explicitly_is_read_as_text(tmp_path):
    path = tmp_path / "REPORT"
    path.write_text(REPORT, encoding="utf-8")
    [doc] = read_inputs([path])
    assert doc.ok and doc.text == REPORT.rstrip()


def test_read_inputs_is_lazy(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    stream = read_inputs([path, tmp_path / "missing.txt"])
    first = next(stream)
    assert first.ok


def test_a_single_path_is_not_read_as_a_list_of_characters(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert [d.text for d in read_inputs(str(path))] == [REPORT.rstrip()]
