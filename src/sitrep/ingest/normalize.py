"""Undo what text extraction does to prose, remembering where every character came from.

PDF extraction leaves hard-wrapped lines, words hyphenated at line ends, bullet glyphs from
symbol fonts, running headers and footers, and page numbers. ``normalize`` rebuilds paragraphs and
list items and returns an :class:`OffsetMap` so evidence found in the normalised text can be
shown in the raw input. Digits are never touched ("6.000" stays a number), and text that is
already clean comes back unchanged with an identity map.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitrep.ingest.offsets import OffsetMap

__all__ = ["normalize"]

_LINE_SEP = re.compile(r"\r\n|[\n\r\f\v\x85\u2028\u2029]")
# Whitespace and invisible characters trimmed from both ends of a line.
_TRIM = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    "\u00ad\u200b\u200c\u200d\u2060\ufeff"
)
_LIST_MARKER = re.compile(r"(?:[-*+\u2013\u2014]|\d{1,3}[.)]|\(?(?:[a-zA-Z]|\d{1,3}|[ivxIVX]{2,4})\))\s")
_SENTENCE_END = tuple('.!?:"\u201d\u2019\u00bb')
_LONG_LINE = 160  # longer lines were not wrapped by a layout engine
_MAX_FURNITURE_LEN = 80
_SHORT_LINE = 40  # headings and datelines are usually shorter; wrapped lines longer
_UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class _Glyphs:
    bullets: frozenset[str]
    private_use: tuple[tuple[int, int], ...]
    special: re.Pattern[str]  # characters dropped or replaced wherever they occur
    ligatures: dict[str, str]
    page_number: re.Pattern[str]
    articles: frozenset[str]

    def is_bullet(self, ch: str) -> bool:
        return ch in self.bullets or self.is_private(ch)

    def is_private(self, ch: str) -> bool:
        code = ord(ch)
        return any(lo <= code <= hi for lo, hi in self.private_use)


@lru_cache(maxsize=1)
def _glyphs() -> _Glyphs:
    data = json.loads(resources.files("sitrep.ingest").joinpath("data/normalize.json").read_text("utf-8"))
    private = tuple((ord(lo), ord(hi)) for lo, hi in data["private_use_ranges"])
    private_class = "".join(f"{re.escape(lo)}-{re.escape(hi)}" for lo, hi in data["private_use_ranges"])
    dropped = "".join(re.escape(c) for c in data["drop"])
    ligs = "".join(re.escape(c) for c in data["ligatures"])
    return _Glyphs(
        bullets=frozenset(data["bullets"]),
        private_use=private,
        special=re.compile(f"[{dropped}{ligs}{private_class}]"),
        ligatures=dict(data["ligatures"]),
        page_number=re.compile("(?:" + "|".join(data["page_number_patterns"]) + ")", re.IGNORECASE),
        articles=frozenset(data["arabic_articles"]),
    )


@dataclass(slots=True)
class _Line:
    start: int  # first raw character after leading whitespace
    end: int  # raw offset after the last non-blank character
    page: int
    kind: str  # blank | text | list | bullet | furniture
    body: int = -1  # bullet lines: where the item text starts (== end for a lone glyph)
    soft_break: bool = False  # ends with a soft hyphen: the word continues on the next line


class _Builder:
    """Accumulates normalised text and the anchors of an OffsetMap."""

    __slots__ = ("raw", "parts", "norm_starts", "raw_starts", "run_lengths", "replaced_ends", "pos", "check_nfc")

    def __init__(self, raw: str):
        self.raw = raw
        self.parts: list[str] = []
        self.norm_starts: list[int] = []
        self.raw_starts: list[int] = []
        self.run_lengths: list[int] = []
        self.replaced_ends: list[int] = []
        self.pos = 0
        self.check_nfc = not unicodedata.is_normalized("NFC", raw)

    def _copy(self, a: int, b: int) -> None:
        if b <= a:
            return
        if (
            self.run_lengths
            and self.run_lengths[-1]
            and self.norm_starts[-1] + self.run_lengths[-1] == self.pos
            and self.raw_starts[-1] + self.run_lengths[-1] == a
        ):
            self.run_lengths[-1] += b - a
            self.replaced_ends[-1] = b
        else:
            self.norm_starts.append(self.pos)
            self.raw_starts.append(a)
            self.run_lengths.append(b - a)
            self.replaced_ends.append(b)
        self.parts.append(self.raw[a:b])
        self.pos += b - a

    def put(self, text: str, at: int, until: int | None = None) -> None:
        """Insert ``text`` standing for the raw input ``[at, until)`` (just ``at`` by default)."""
        if not text:
            return
        until = at + 1 if until is None else until
        already_there = (
            self.run_lengths
            and self.norm_starts[-1] + self.run_lengths[-1] == self.pos
            and self.raw_starts[-1] + self.run_lengths[-1] == at
        )
        if already_there:
            self.replaced_ends[-1] = max(self.replaced_ends[-1], until)
        else:
            self.norm_starts.append(self.pos)
            self.raw_starts.append(at)
            self.run_lengths.append(0)
            self.replaced_ends.append(until)
        self.parts.append(text)
        self.pos += len(text)

    def emit(self, a: int, b: int) -> None:
        """Copy raw[a:b], dropping invisible characters and spelling out ligatures."""
        glyphs = _glyphs()
        for m in glyphs.special.finditer(self.raw, a, b):
            self._copy_nfc(a, m.start())
            self.put(glyphs.ligatures.get(m.group(), ""), m.start(), m.end())
            a = m.end()
        self._copy_nfc(a, b)

    def _copy_nfc(self, a: int, b: int) -> None:
        if not self.check_nfc or unicodedata.is_normalized("NFC", self.raw[a:b]):
            self._copy(a, b)
            return
        # Compose cluster by cluster so that each changed cluster maps to its own raw span.
        for ca, cb in _clusters(self.raw, a, b):
            piece = self.raw[ca:cb]
            composed = unicodedata.normalize("NFC", piece)
            if composed == piece:
                self._copy(ca, cb)
            else:
                self.put(composed, ca, cb)

    def result(self) -> tuple[str, OffsetMap]:
        text = "".join(self.parts)
        raw_len = len(self.raw)
        if text == self.raw and len(self.norm_starts) <= 1:
            return text, OffsetMap.identity(raw_len)
        return text, OffsetMap(
            tuple(self.norm_starts),
            tuple(self.raw_starts),
            tuple(self.run_lengths),
            self.pos,
            raw_len,
            tuple(self.replaced_ends),
        )


def _clusters(raw: str, a: int, b: int):
    """Spans that NFC composes independently: a starter and what combines with it."""
    start = a
    for i in range(a + 1, b):
        ch = raw[i]
        if unicodedata.combining(ch):
            continue
        head = raw[start:i]
        if unicodedata.normalize("NFC", head + ch) == unicodedata.normalize("NFC", head) + unicodedata.normalize("NFC", ch):
            yield start, i
            start = i
    if start < b:
        yield start, b


def _split_lines(raw: str) -> list[_Line]:
    glyphs = _glyphs()
    lines: list[_Line] = []
    page = 0
    pos = 0
    seps = list(_LINE_SEP.finditer(raw))
    for i in range(len(seps) + 1):
        stop = seps[i].start() if i < len(seps) else len(raw)
        chunk = raw[pos:stop]
        stripped_left = chunk.lstrip(_TRIM)
        content = stripped_left.rstrip(_TRIM)
        start = pos + len(chunk) - len(stripped_left)
        end = start + len(content)
        line = _Line(start, end, page, "blank")
        if content:
            line.soft_break = "\u00ad" in raw[end:stop]
            line.kind = _classify(content, glyphs)
            if line.kind == "bullet":
                rest = content[1:]
                line.body = end - len(rest.lstrip(_TRIM))
        if line.kind == "furniture" and lines and _ends_with_word_hyphen(raw, lines[-1]):
            line.kind = "text"  # "2014-" / "2017": the number finishes the previous line
        lines.append(line)
        if i < len(seps):
            if seps[i].group() == "\f":
                page += 1
            pos = seps[i].end()
    return lines


def _classify(content: str, glyphs: _Glyphs) -> str:
    if len(content) <= 20 and glyphs.page_number.fullmatch(content):
        return "furniture"
    if glyphs.is_bullet(content[0]):
        return "bullet"
    if _LIST_MARKER.match(content):
        return "list"
    return "text"


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _mark_running_heads(raw: str, lines: list[_Line]) -> None:
    """Drop short lines that repeat at page edges (running headers and footers)."""
    candidates: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if i and _ends_with_word_hyphen(raw, lines[i - 1]):
            continue  # the second half of a hyphenated word, not a heading
        if line.kind == "text" and line.end - line.start <= _MAX_FURNITURE_LEN:
            text = raw[line.start : line.end]
            if any(c.isalpha() for c in text):
                candidates.setdefault(_furniture_key(text), []).append(i)
    if not candidates:
        return
    repeated = {k: v for k, v in candidates.items() if len(v) >= 2}
    if not repeated:
        return
    content = sum(1 for line in lines if line.kind not in ("blank", "furniture"))
    edges: set[int] = set()
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.kind not in ("blank", "furniture"):
            pages.setdefault(line.page, []).append(i)
    for members in pages.values():
        edges.update(members[:2])
        edges.update(members[-2:])
    for indices in repeated.values():
        at_edges = [i for i in indices if i in edges]
        others = content - len(indices)
        if len(indices) >= 3 and others >= 3 * len(indices) and all(_set_apart(lines, i) for i in indices):
            doomed = indices
        elif len({lines[i].page for i in at_edges}) >= 2:
            doomed = at_edges
        else:
            continue
        for i in doomed:
            lines[i].kind = "furniture"


def _ends_with_word_hyphen(raw: str, line: _Line) -> bool:
    return line.kind != "blank" and line.end - line.start >= 2 and raw[line.end - 1] == "-" and raw[line.end - 2].isalnum()


def _set_apart(lines: list[_Line], i: int) -> bool:
    """A heading or footer has a blank line, a page break or the document edge on one side."""
    def apart(j: int) -> bool:
        return not 0 <= j < len(lines) or lines[j].kind in ("blank", "furniture") or lines[j].page != lines[i].page

    return apart(i - 1) or apart(i + 1)


def _wrap_width(raw: str, lines: list[_Line]) -> int | None:
    """The width a layout engine wrapped the text at; None when it does not look wrapped, and
    ``_UNKNOWN`` when there are too few lines to tell."""
    content = [ln for ln in lines if ln.kind not in ("blank", "furniture")]
    if not content:
        return None
    long_lines = sum(1 for ln in content if ln.end - ln.start > _LONG_LINE)
    if long_lines > 0.1 * len(content):
        return None
    followed: list[int] = []
    sentence_ends = 0
    for a, b in zip(lines, lines[1:]):
        if a.kind in ("text", "list", "bullet") and b.kind in ("text", "list", "bullet") and a.page == b.page:
            followed.append(a.end - a.start)
            sentence_ends += raw[a.end - 1] in _SENTENCE_END
    if len(followed) < 3:
        return _UNKNOWN
    # A layout engine breaks lines wherever the width runs out, rarely after a full stop; one
    # sentence or paragraph per line means the breaks are the author's.
    if sentence_ends >= 0.5 * len(followed):
        return None
    followed.sort()
    return followed[int(0.9 * (len(followed) - 1))]


class _Words:
    """The document's own vocabulary, to tell "govern-ment" (join) from "well-known" (keep)."""

    def __init__(self, raw: str):
        self.raw = raw
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = {w.casefold() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", self.raw)}
        return word.casefold() in self._words


def _keep_hyphen(before: str, after: str, words: _Words, glyphs: _Glyphs) -> bool:
    if not before or not after or before[-1].isdigit() or after[0].isdigit():
        return True
    if after[0].isupper():
        return True  # "Deir ez-Zor", "pro-Iranian", "al-Bab"
    if before.casefold() in glyphs.articles:
        return True  # "al-bab" written in lower case
    joined, hyphenated = before + after, f"{before}-{after}"
    if joined in words:
        return False
    return hyphenated in words


def _first_word(text: str) -> str:
    m = re.match(r"[^\W_]+", text)
    return m.group() if m else ""


def _last_word(text: str) -> str:
    m = re.search(r"[^\W_]+$", text)
    return m.group() if m else ""


def normalize(raw: str) -> tuple[str, OffsetMap]:
    """Return the normalised text of ``raw`` and the map from its offsets back into ``raw``."""
    glyphs = _glyphs()
    lines = _split_lines(raw)
    _mark_running_heads(raw, lines)
    width = _wrap_width(raw, lines)
    words = _Words(raw)
    out = _Builder(raw)

    prev: _Line | None = None
    prev_end = 0  # raw offset after the last character written
    prev_is_item = False
    hyphen_at = -1  # a line-final hyphen held back until we know whether the word continues
    lone_bullet = -1  # a bullet glyph that sat alone on its line
    gap_blank = gap_break = False

    for line in lines:
        if line.kind == "blank":
            gap_blank = True
            continue
        if line.kind == "furniture":
            gap_break = True
            continue
        if prev is not None and line.page != prev.page:
            gap_break = True
        if line.kind == "bullet" and line.body >= line.end:
            lone_bullet = line.start
            continue

        text = raw[line.start : line.end]
        starts_item = line.kind in ("list", "bullet") or lone_bullet >= 0
        sep = _separator(raw, prev, line, text, starts_item, prev_is_item, hyphen_at, gap_blank, gap_break, width)

        if hyphen_at >= 0 and sep != "":
            out.emit(hyphen_at, hyphen_at + 1)
            prev_end = hyphen_at + 1
        if sep is not None and sep != "":
            if sep in ("\n", "\n\n") and raw[prev_end : line.start] == sep:
                out.emit(prev_end, prev_end + len(sep))
            else:
                out.put(sep, prev_end, line.start)
        elif sep == "" and hyphen_at >= 0 and _keep_hyphen_marker(raw, hyphen_at, line, words, glyphs):
            out.emit(hyphen_at, hyphen_at + 1)

        if lone_bullet >= 0:
            out.put("- ", lone_bullet)
            body = line.body if line.kind == "bullet" else line.start
        elif line.kind == "bullet":
            out.put("- ", line.start)
            body = line.body
        else:
            body = line.start

        end = line.end
        hyphen_at = -1
        if end - body >= 2 and raw[end - 1] == "-" and raw[end - 2].isalnum():
            hyphen_at = end - 1
            end -= 1
        out.emit(body, end)
        prev_end = end
        prev_is_item = starts_item or (prev_is_item and sep in (" ", ""))
        prev = line
        lone_bullet = -1
        gap_blank = gap_break = False

    if hyphen_at >= 0:
        out.emit(hyphen_at, hyphen_at + 1)
    return out.result()


def _keep_hyphen_marker(raw: str, hyphen_at: int, line: _Line, words: _Words, glyphs: _Glyphs) -> bool:
    before = _last_word(raw[max(0, hyphen_at - 64) : hyphen_at])
    after = _first_word(raw[line.start : line.end])
    return _keep_hyphen(before, after, words, glyphs)


def _separator(
    raw: str,
    prev: _Line | None,
    line: _Line,
    text: str,
    starts_item: bool,
    prev_is_item: bool,
    hyphen_at: int,
    gap_blank: bool,
    gap_break: bool,
    width: int | None,
) -> str | None:
    """What goes between the previous line and this one: None (nothing before), "", " ", "\\n" or "\\n\\n".

    "" joins a word broken at the line end; whether its hyphen stays is decided by the caller.
    """
    if prev is None:
        return None
    prev_text = raw[prev.start : hyphen_at + 1 if hyphen_at >= 0 else prev.end]
    word_broken = (hyphen_at >= 0 or prev.soft_break) and text[:1].isalnum()
    if gap_blank and not gap_break:
        return "\n\n"
    if gap_break:
        if starts_item:
            return "\n" if prev_is_item else "\n\n"
        if word_broken:
            return ""
        if not prev_text.endswith(_SENTENCE_END) and (text[0].islower() or text[0].isdigit()):
            return " "
        return "\n\n"
    if starts_item:
        return "\n"
    if word_broken:
        return ""
    open_ended = not prev_text.endswith(_SENTENCE_END)
    continues = open_ended and text[0].islower()
    if width is None or len(prev_text) > _LONG_LINE:
        return " " if continues else "\n"
    if width == _UNKNOWN:
        # Too few lines to measure a width: a long line that stops mid-sentence was wrapped.
        return " " if continues or (open_ended and len(prev_text) >= _SHORT_LINE and text[0].isalnum()) else "\n"
    full = len(prev_text) + 1 + len(_first_word(text) or text.split()[0]) >= 0.8 * width
    return " " if full or continues else "\n"
