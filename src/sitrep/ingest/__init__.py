"""Stage 1: files in, :class:`~sitrep.model.Document` records out.

``read_inputs`` streams documents from files, folders, JSON Lines corpora and stdin. It never
raises for one bad document: that document comes out with ``status="error"`` and a one-line
``error`` naming it and the reason, and the others go on.
"""

from __future__ import annotations

import io
import os
import sys
from datetime import date
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Mapping

from sitrep import settings
from sitrep.errors import ConfigError, InputError
from sitrep.ids import content_id, stable_id
from sitrep.ingest.jsonl import JsonlRecord, read_jsonl, record_from_object
from sitrep.ingest.normalize import normalize
from sitrep.ingest.offsets import OffsetMap
from sitrep.ingest.text import decode
from sitrep.model import Document

__all__ = [
    "SUFFIXES",
    "documents_from_records",
    "OffsetMap",
    "failed_document",
    "load_document",
    "max_bytes",
    "max_line_chars",
    "normalize",
    "read_inputs",
]

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
STDIN = "<stdin>"


def max_bytes() -> int:
    """The largest file read whole (setting ``SITREP_MAX_BYTES``, default 50 MB)."""
    return settings.get("SITREP_MAX_BYTES")


def max_line_chars() -> int:
    """The longest line accepted (setting ``SITREP_MAX_LINE``, default 1,000,000 characters)."""
    return settings.get("SITREP_MAX_LINE")


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f}".removesuffix(".0") + " kB"
    return f"{n} bytes"


def _too_big(size: int, limit: int) -> str:
    return f"file is {_size(size)}; the limit is {_size(limit)} (set SITREP_MAX_BYTES to raise it)"


def failed_document(source: str, error: InputError | str) -> Document:
    """The record of a document that could not be read."""
    message = str(error)
    return Document(id=stable_id("doc", "error", source), source=source, text="", status="error", error=message)


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    published: date | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Document]:
    """Yield a Document per input file, folder entry, JSON Lines line, or ``-`` (stdin).

    Folders are walked recursively in sorted order, keeping files with a known suffix
    (:data:`SUFFIXES`). ``published`` applies to documents that do not carry their own date.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # one path, not the characters of its name
    for item in inputs:
        name = os.fspath(item)
        if name == "-":
            yield from _guarded(STDIN, lambda: _read_stdin(stdin, published))
            continue
        path = Path(name)
        if path.is_dir():
            for file in _walk(path):
                yield from _guarded(str(file), lambda file=file: _read_file(file, published))
        elif not path.exists():
            yield failed_document(name, InputError(name, "no such file or directory"))
        else:
            yield from _guarded(name, lambda: _read_file(path, published))


def _guarded(source: str, produce) -> Iterator[Document]:
    """Run a reader; turn any failure that escapes it into a failed document."""
    try:
        yield from produce()
    except InputError as err:
        yield failed_document(err.source, err)
    except OSError as err:
        yield failed_document(source, InputError(source, f"cannot read: {err.strerror or err}"))
    except (ConfigError, KeyboardInterrupt):
        raise
    except Exception as err:  # noqa: BLE001 - a library choking on one file must not stop the run
        yield failed_document(source, InputError(source, f"unexpected {type(err).__name__}: {_one_line(err)}"))


def _one_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else "no details"


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file() and Path(entry.name).suffix.lower() in SUFFIXES:
            yield Path(entry.path)


def _read_file(path: Path, published: date | None) -> Iterator[Document]:
    source = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "jsonl":
        with path.open("rb") as stream:
            yield from _jsonl_documents(stream, source, published)
        return
    data = _read_bounded(path, source)
    if kind is None:
        kind = _sniff(data)
        if kind == "jsonl":
            yield from _jsonl_documents(io.BytesIO(data), source, published)
            return
    yield _document(data, kind, source=source, published=published)


def _read_bounded(path: Path, source: str) -> bytes:
    limit = max_bytes()
    size = path.stat().st_size
    if size > limit:
        raise InputError(source, _too_big(size, limit))
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # the file grew after stat
        raise InputError(source, _too_big(len(data), limit))
    return data


def _read_stdin(stdin: BinaryIO | None, published: date | None) -> Iterator[Document]:
    stream = stdin if stdin is not None else sys.stdin.buffer
    limit = max_bytes()
    data = stream.read(limit + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise InputError(STDIN, f"input is more than {_size(limit)} (set SITREP_MAX_BYTES to raise the limit)")
    kind = _sniff(data)
    if kind == "jsonl":
        yield from _jsonl_documents(io.BytesIO(data), STDIN, published)
    else:
        yield _document(data, kind, source=STDIN, published=published)


def _sniff(data: bytes) -> str:
    """Guess the format of input that has no telling suffix."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered or b"<body" in lowered:
        return "html"
    if head.startswith(b"{"):
        first = data.lstrip().split(b"\n", 1)[0]
        try:
            import json

            obj = json.loads(first)
        except ValueError:
            return "text"
        if isinstance(obj, dict) and "text" in obj:
            return "jsonl"
    return "text"


def _jsonl_documents(stream: BinaryIO, name: str, published: date | None) -> Iterator[Document]:
    limit = max_bytes()
    for item in read_jsonl(stream, name, max_line_bytes=limit):
        if isinstance(item, InputError):
            yield failed_document(item.source, item)
            continue
        try:
            yield _jsonl_document(item, published)
        except InputError as err:
            yield failed_document(err.source, err)


def _jsonl_document(record: JsonlRecord, published: date | None) -> Document:
    return _build(
        record.text,
        source=record.source or record.location,
        location=record.location,
        doc_id=record.id,
        title=record.title,
        published=record.published or published,
    )


def documents_from_records(
    records: Iterable[Mapping[str, object]],
    *,
    source: str,
    published: date | None = None,
) -> Iterator[Document]:
    """Documents from in-memory records shaped like JSON Lines lines; a bad one fails alone.

    Record N (from 1) is named ``source:N`` in errors and, unless it has a ``source``, as its source.
    """
    for number, obj in enumerate(records, start=1):
        location = f"{source}:{number}"
        try:
            yield _jsonl_document(record_from_object(obj, location), published)
        except InputError as err:
            yield failed_document(err.source, err)


def load_document(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    source: str,
    published: date | None = None,
) -> Document:
    """Read one document (text, Markdown, PDF or HTML) or raise :class:`InputError`.

    The format comes from the suffix of ``source`` (or of the path), else from the content.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        limit = max_bytes()
        if len(data) > limit:
            raise InputError(source, _too_big(len(data), limit))
        suffix = Path(source).suffix.lower()
    else:
        path = Path(path_or_bytes)
        if not path.exists():
            raise InputError(source, "no such file or directory")
        if path.is_dir():
            raise InputError(source, "is a folder; use read_inputs to read the files in it")
        try:
            data = _read_bounded(path, source)
        except OSError as err:
            raise InputError(source, f"cannot read: {err.strerror or err}") from None
        suffix = Path(source).suffix.lower() or path.suffix.lower()
    kind = SUFFIXES.get(suffix) or _sniff(data)
    if kind == "jsonl":
        raise InputError(source, "JSON Lines holds many documents; read it with read_inputs")
    return _document(data, kind, source=source, published=published)


def _document(data: bytes, kind: str, *, source: str, published: date | None) -> Document:
    title = None
    if kind == "pdf":
        from sitrep.ingest.pdf import extract_pdf

        raw, title = extract_pdf(data, source)
    elif kind == "html":
        from sitrep.ingest.html import extract_html

        raw, title, own_date = extract_html(decode(data, source), source)
        published = own_date or published
    else:
        raw = decode(data, source)
    return _build(raw, source=source, location=source, doc_id=None, title=title, published=published)


def _check_lines(raw: str, location: str) -> None:
    limit = max_line_chars()
    if len(raw) <= limit:
        return
    start = number = 0
    while start <= len(raw):
        number += 1
        stop = raw.find("\n", start)
        if stop < 0:
            stop = len(raw)
        if stop - start > limit:
            raise InputError(
                location,
                f"line {number} is {stop - start:,} characters long; the limit is {limit:,} (not prose? split it)",
            )
        start = stop + 1


def _build(
    raw: str,
    *,
    source: str,
    location: str,
    doc_id: str | None,
    title: str | None,
    published: date | None,
) -> Document:
    _check_lines(raw, location)
    text, offsets = normalize(raw)
    if not text.strip():
        raise InputError(location, "no text left after removing page numbers, headers and footers")
    return Document(
        id=doc_id if doc_id is not None else content_id(text),
        source=source,
        text=text,
        title=title,
        published=published,
        raw=raw,
        offsets=offsets,
    )
