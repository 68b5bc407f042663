"""Corpora as tables: CSV/TSV files, and JSON Lines whose fields have other names.

Which column holds the text, id, date, title and source is chosen by the caller (the ``batch``
command's ``--text-field`` … flags), so a corpus such as FA-KES (``article_content``, latin-1,
dates like ``4/5/2017``) is read as it is. Rows stream one at a time; a bad row becomes a failed
document named ``file.csv:LINE`` and the rows after it are still read.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Mapping

from ..errors import ConfigError, InputError
from ..ids import content_id
from ..ingest import failed_document, max_bytes, normalize
from ..model import Document

__all__ = ["Fields", "TABLE_SUFFIXES", "check_columns", "read_table"]

TABLE_SUFFIXES = (".csv", ".tsv")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a cell holds a whole article; size is checked per row


# the column names tried for a part the caller did not name
_USUAL_NAMES = {"text": ("text",), "id": ("id",), "published": ("published", "date"), "title": ("title",), "source": ()}


@dataclass(frozen=True, slots=True)
class Fields:
    """Where a record keeps each part of a document. ``None`` means: the usual name, if present."""

    text: str | None = None
    id: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None
    date_format: str | None = None  # strptime format, e.g. %m/%d/%Y; None: ISO 8601
    encoding: str = "utf-8"

    @property
    def renamed(self) -> bool:
        """Whether any field was chosen by name (JSON Lines then need this reader, not ingest's)."""
        return any((self.text, self.id, self.published, self.title, self.source, self.date_format))

    def columns(self, header: list[str], where: str) -> dict[str, str]:
        """Map each role to a column of ``header``; a chosen column that is missing is an error."""
        chosen = {"text": self.text, "id": self.id, "published": self.published, "title": self.title,
                  "source": self.source}
        found = {}
        for role, name in chosen.items():
            if name is not None:
                if name not in header:
                    raise ConfigError(f"{where}: no column {name!r} for the {role}; columns are {_names(header)}")
                found[role] = name
                continue
            for candidate in _USUAL_NAMES[role]:
                if candidate in header:
                    found[role] = candidate
                    break
        if "text" not in found:
            raise ConfigError(f"{where}: no 'text' column; name the one holding the text with --text-field "
                              f"(columns are {_names(header)})")
        return found


def _names(header: list[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:20])
    return shown + (", …" if len(header) > 20 else "")


def _dialect(path: Path) -> dict:
    return {"delimiter": "\t"} if path.suffix.lower() == ".tsv" else {}


class _Lines:
    """Decode a file line by line, so one undecodable line fails only the row it belongs to."""

    def __init__(self, stream, encoding: str):
        self.stream = stream
        self.encoding = encoding
        self.number = 0
        self.bad: dict[int, str] = {}  # line number -> reason

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                self.bad[self.number] = exc.reason
                yield raw.decode(self.encoding, errors="replace")

    def problem(self, first: int, last: int) -> str | None:
        for number in range(first, last + 1):
            if number in self.bad:
                return f"line {number} is not valid {self.encoding} ({self.bad[number]}); pass --encoding, e.g. latin-1"
        return None


def _open(path: Path, encoding: str) -> _Lines:
    try:
        "".encode(encoding)
    except LookupError:
        raise ConfigError(f"--encoding {encoding!r} is not an encoding Python knows; try utf-8 or latin-1") from None
    return _Lines(path.open("rb"), encoding)


def check_columns(path: str | os.PathLike[str], fields: Fields) -> dict[str, str]:
    """Read only the header of a CSV/TSV file and check the chosen columns are there."""
    path = Path(path)
    try:
        lines = _open(path, fields.encoding)
        with lines.stream:
            header = next(csv.reader(lines, **_dialect(path)), None)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if lines.bad:
        raise ConfigError(f"{path}: header {lines.problem(1, lines.number)}")
    if not header:
        raise ConfigError(f"{path}: file is empty; a CSV corpus starts with a header row")
    return fields.columns([h.lstrip("\ufeff") for h in header], str(path))


def read_table(path: str | os.PathLike[str], fields: Fields, *, published: date | None = None) -> Iterator[Document]:
    """Yield one Document per row of a CSV/TSV file, or per line of a JSON Lines file."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, fields, published)
    else:
        yield from _read_csv(path, fields, published)


def _read_csv(path: Path, fields: Fields, published: date | None) -> Iterator[Document]:
    columns = check_columns(path, fields)
    limit = max_bytes()
    try:
        lines = _open(path, fields.encoding)
    except OSError as exc:
        yield failed_document(str(path), InputError(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    with lines.stream:
        reader = csv.reader(lines, **_dialect(path))
        header = [h.lstrip("\ufeff") for h in next(reader)]
        index = {role: header.index(name) for role, name in columns.items()}
        first = reader.line_num + 1
        try:
            for row in reader:
                location = f"{path}:{first}"
                span, first = (first, reader.line_num), reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                problem = lines.problem(*span)
                if problem is None and len(row) != len(header):
                    problem = f"row has {len(row)} fields, the header has {len(header)} (a stray quote?)"
                if problem:
                    yield failed_document(location, InputError(location, problem))
                    continue
                yield _document({role: row[i] for role, i in index.items()}, location, fields, published, limit)
        except csv.Error as exc:
            location = f"{path}:{first}"
            yield failed_document(location, InputError(location, f"malformed CSV ({exc}); the rest of the file was not read"))


def _read_jsonl(path: Path, fields: Fields, published: date | None) -> Iterator[Document]:
    limit = max_bytes()
    wanted = {"text": fields.text or "text", "id": fields.id or "id", "published": fields.published or "published",
              "title": fields.title or "title", "source": fields.source}
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield failed_document(str(path), InputError(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    with fh:
        for number, line in enumerate(fh, start=1):
            location = f"{path}:{number}"
            if not line.strip():
                continue
            if len(line) > limit:
                yield failed_document(location, InputError(location, f"line is longer than {limit:,} bytes (set SITREP_MAX_BYTES to raise the limit)"))
                continue
            try:
                obj = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield failed_document(location, InputError(location, f"not a UTF-8 JSON object ({type(exc).__name__})"))
                continue
            if not isinstance(obj, dict):
                yield failed_document(location, InputError(location, f"expected a JSON object, got {type(obj).__name__}"))
                continue
            record = {role: obj.get(key) for role, key in wanted.items() if key}
            yield _document(record, location, fields, published, limit)


def _document(record: Mapping[str, object], location: str, fields: Fields, published: date | None, limit: int) -> Document:
    try:
        raw = record.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise InputError(location, f"no text in field {fields.text or 'text'!r}")
        if len(raw) > limit:
            raise InputError(location, f"text is {len(raw):,} characters; the limit is {limit:,} (set SITREP_MAX_BYTES to raise it)")
        when = _date(record.get("published"), location, fields) or published
        text, offsets = normalize(raw)
        if not text.strip():
            raise InputError(location, "no text left after normalising")
        doc_id = _text_or_none(record.get("id"))
        source = _text_or_none(record.get("source")) or location
        return Document(id=doc_id or content_id(text), source=source, text=text,
                        title=_text_or_none(record.get("title")), published=when, raw=raw, offsets=offsets)
    except InputError as err:
        return failed_document(location, err)


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _date(value: object, location: str, fields: Fields) -> date | None:
    text = _text_or_none(value)
    if text is None:
        return None
    try:
        if fields.date_format:
            return datetime.strptime(text, fields.date_format).date()
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        expected = f"--date-format {fields.date_format}" if fields.date_format else "an ISO date (or pass --date-format, e.g. %m/%d/%Y)"
        raise InputError(location, f"date {text!r} is not {expected}") from None
