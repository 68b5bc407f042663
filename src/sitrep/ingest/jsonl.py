"""JSON Lines corpora: one document per line, read as a stream.

Each line is an object ``{"id", "text", "published"?, "title"?, "source"?}``. A bad line becomes
an error for that line (named ``file.jsonl:LINE``) and the lines after it are still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO, Iterator

from sitrep.errors import InputError

__all__ = ["JsonlRecord", "parse_date", "read_jsonl", "record_from_object"]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class JsonlRecord:
    location: str  # "file.jsonl:LINE"
    text: str
    id: str | None = None
    published: date | None = None
    title: str | None = None
    source: str | None = None


def read_jsonl(stream: BinaryIO, name: str, *, max_line_bytes: int) -> Iterator[JsonlRecord | InputError]:
    """Yield one record or one :class:`InputError` per non-blank line of ``stream``."""
    seen_any = False
    number = 0
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            break
        number += 1
        location = f"{name}:{number}"
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            seen_any = True
            yield InputError(location, f"line is longer than {max_line_bytes:,} bytes (set SITREP_MAX_BYTES to raise the limit)")
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        seen_any = True
        try:
            yield _record(line, location)
        except InputError as err:
            yield err
    if not seen_any:
        yield InputError(name, "file is empty")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _record(line: bytes, location: str) -> JsonlRecord:
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(location, f"not UTF-8 ({exc.reason} at byte {exc.start}); JSON Lines must be UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(location, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return record_from_object(obj, location)


def record_from_object(obj: object, location: str) -> JsonlRecord:
    """Check one decoded line (or an in-memory dict shaped like one) and return its record."""
    if not isinstance(obj, dict):
        raise InputError(location, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(location, 'missing "text" (a string)' if text is None else '"text" must be a string')
    if not text.strip():
        raise InputError(location, '"text" is empty')
    doc_id = obj.get("id")
    if doc_id is not None:
        if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
            raise InputError(location, '"id" must be a string')
        doc_id = str(doc_id)
        if not doc_id.strip():
            raise InputError(location, '"id" is empty')
    return JsonlRecord(
        location=location,
        text=text,
        id=doc_id,
        published=_published(obj.get("published"), location),
        title=_optional_str(obj, "title", location),
        source=_optional_str(obj, "source", location),
    )


def _optional_str(obj: dict, key: str, location: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(location, f'"{key}" must be a string')
    return value.strip() or None


def parse_date(value: object) -> date | None:
    """An ISO date, or the date part of an ISO timestamp; None when it is neither."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value[:10]) if len(value) == 10 else datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _published(value: object, location: str) -> date | None:
    if value is None or value == "":
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(location, f'"published" is not an ISO date: {value!r}')
    return parsed
