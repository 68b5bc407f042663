"""Reading JSON Lines corpora: one document per line, bad lines reported, the rest read."""

from __future__ import annotations

import io
import json
from datetime import date

from sitrep.ids import content_id
from sitrep.ingest import read_inputs
from sitrep.ingest.jsonl import read_jsonl


def _write(path, lines):
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_each_line_becomes_a_document_and_given_ids_are_kept(tmp_path):
    path = _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "SYR-2017-0042", "text": "The SDF entered Raqqa.", "title": "Raqqa", "source": "Example Wire"},
            {"id": 7, "text": "Russian jets struck Idlib."},
            {"text": "Daesh claimed the attack on Amaq."},
        ],
    )
    docs = list(read_inputs([path]))
    assert [d.id for d in docs] == ["SYR-2017-0042", "7", content_id("Daesh claimed the attack on Amaq.")]
    assert docs[0].title == "Raqqa"
    assert docs[0].source == "Example Wire"
    assert docs[1].source == f"{path}:2"
    assert all(d.ok for d in docs)


def test_published_on_the_line_wins_over_the_argument(tmp_path):
    path = _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "a", "text": "Palmyra fell.", "published": "2017-03-02"},
            {"id": "b", "text": "Palmyra was retaken.", "published": "2016-03-27T08:00:00Z"},
            {"id": "c", "text": "No date here."},
        ],
    )
    docs = list(read_inputs([path], published=date(2020, 1, 1)))
    assert [d.published for d in docs] == [date(2017, 3, 2), date(2016, 3, 27), date(2020, 1, 1)]


def test_a_bad_line_is_a_failed_document_named_by_file_and_line_and_the_rest_go_on(tmp_path):
    path = _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "ok1", "text": "The SAA advanced."},
            "{not json",
            ["a", "list"],
            {"id": "no-text"},
            {"id": "bad-date", "text": "Kobani.", "published": "last Tuesday"},
            {"id": "blank-text", "text": "   "},
            "",
            {"id": "ok2", "text": "The YPG held the dam."},
        ],
    )
    docs = list(read_inputs([path]))
    assert [d.status for d in docs] == ["ok", "error", "error", "error", "error", "error", "ok"]
    errors = [d.error for d in docs if not d.ok]
    assert errors[0].startswith(f"{path}:2: not valid JSON")
    assert errors[1] == f"{path}:3: expected a JSON object, got list"
    assert errors[2] == f'{path}:4: missing "text" (a string)'
    assert errors[3] == f"{path}:5: \"published\" is not an ISO date: 'last Tuesday'"
    assert errors[4] == f'{path}:6: "text" is empty'
    assert [d.source for d in docs if not d.ok][0] == f"{path}:2"
    assert docs[-1].id == "ok2"
    assert all("\n" not in e for e in errors)


def test_jsonl_text_is_normalised_and_keeps_offsets_into_the_given_text(tmp_path):
    raw = "The govern-\nment in Damascus\nsaid 6.000 militants had fled."
    path = _write(tmp_path / "c.jsonl", [{"id": "x", "text": raw}])
    [doc] = read_inputs([path])
    assert doc.raw == raw
    start = doc.text.index("government")
    mention = doc.mention(start, start + len("government"))
    assert raw[mention.raw_start : mention.raw_end] == "govern-\nment"


def test_a_line_over_the_byte_limit_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MAX_BYTES", "200")
    path = _write(tmp_path / "c.jsonl", [{"id": "big", "text": "x " * 500}, {"id": "small", "text": "Aleppo."}])
    docs = list(read_inputs([path]))
    assert docs[0].error == f"{path}:1: line is longer than 200 bytes (set SITREP_MAX_BYTES to raise the limit)"
    assert docs[1].ok and docs[1].id == "small"


def test_lines_are_read_one_at_a_time():
    lines = b"".join(json.dumps({"id": str(i), "text": f"Report {i}."}).encode() + b"\n" for i in range(1000))

    class Counting(io.BytesIO):
        consumed = 0

        def readline(self, size=-1):
            line = super().readline(size)
            Counting.consumed += len(line)
            return line

    stream = Counting(lines)
    records = read_jsonl(stream, "big.jsonl", max_line_bytes=10_000)
    first = next(records)
    assert first.id == "0"
    assert Counting.consumed < len(lines) / 100


def test_empty_jsonl_file_is_reported(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    [doc] = read_inputs([path])
    assert doc.error == f"{path}: file is empty"


def test_jsonl_on_stdin_is_recognised():
    data = b'{"id": "s1", "text": "Hama was shelled."}\n{"id": "s2", "text": "Homs was quiet."}\n'
    docs = list(read_inputs(["-"], stdin=io.BytesIO(data)))
    assert [d.id for d in docs] == ["s1", "s2"]


def test_in_memory_records_become_documents_and_bad_ones_fail_alone():
    from sitrep.ingest import documents_from_records

    records = [
        {"id": "m1", "text": "The Houthis fired a missile at Riyadh.", "published": date(2017, 11, 4)},
        {"text": ""},
        {"text": "Hodeidah port was shelled.", "source": "Example Wire"},
    ]
    docs = list(documents_from_records(records, source="<memory>", published=date(2018, 6, 20)))
    assert [d.status for d in docs] == ["ok", "error", "ok"]
    assert docs[0].id == "m1" and docs[0].published == date(2017, 11, 4)
    assert docs[1].error == '<memory>:2: "text" is empty'
    assert docs[2].source == "Example Wire" and docs[2].published == date(2018, 6, 20)
    assert docs[0].source == "<memory>:1"
