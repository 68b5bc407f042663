"""When events happened: date expressions resolved against the publication date.

A date is never invented. Absolute dates keep their stated precision ("in 2016" is a year,
"30 September" a day); relative ones ("yesterday", "on Tuesday", "last week") need the
publication date and stay ``unknown`` without it. A day and month with no year and no publication
date come out in the ISO 8601 no-year form ``--09-30``.

News conventions: a bare weekday or month refers to the most recent one on or before
publication ("on Tuesday" in a Thursday story is two days earlier), and a period that contains
the publication date ends on it ("this week" runs from Monday to publication).

The grammar is a handful of regular expressions over the vocabulary in ``data/date_words.tsv``,
compiled once per process.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from ..errors import ModelError
from ..model import Document, EventDate, Mention
from ..nlp import doc_text
from .quantities import DATA_DIR, parse_number, read_tsv

UNKNOWN = "unknown"
_FROM_DOCUMENT = object()
# Arithmetic on dates whose year is unknown runs in a leap year, so 29 February survives.
_NO_YEAR = 2000
_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


@dataclass(frozen=True, slots=True)
class _Vocab:
    months: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, str]
    dayparts: tuple[str, ...]
    reldays: dict[str, tuple[int, int]]
    periods: dict[str, str]
    rules: tuple[tuple[str, re.Pattern], ...]
    # Words without which no rule can match; the rules run only in windows around them.
    trigger: re.Pattern


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    months, weekdays, parts, reldays, periods = {}, {}, {}, {}, {}
    dayparts = []
    path = DATA_DIR / "date_words.tsv"
    for kind, word, value in read_tsv("date_words.tsv", 3):
        word = word.lower()
        try:
            if kind == "month":
                months[word] = int(value)
            elif kind == "weekday":
                weekdays[word] = int(value)
            elif kind == "part":
                parts[word] = value
            elif kind == "daypart":
                dayparts.append(word)
            elif kind == "relday":
                a, b = value.split(",")
                reldays[word] = (int(a), int(b))
            elif kind == "period":
                periods[word] = value
            else:
                raise ModelError(f"{path}: unknown kind {kind!r} for {word!r}")
        except ValueError as exc:
            raise ModelError(f"{path}: bad value {value!r} for {word!r}") from exc

    # Abbreviations need a day or year beside them; a bare "may" or "march" is a verb too often.
    month = rf"(?P<month>{_alt(months)})\.?"
    full_month = rf"(?P<month>{_alt(w for w in months if len(w) > 4 or w == 'june' or w == 'july')})"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?!\d)"
    part = rf"(?P<part>{_alt(parts)})(?:\s+|\s*-\s*)"
    daypart = rf"(?:{_alt(dayparts)})"
    lead = rf"(?:(?:the\s+)?{daypart}\s+of\s+)?"
    number = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|a\s+couple\s+of|several|forty-eight|twenty-four|seventy-two|48|24|72)"
    unit = r"(?P<unit>hours?|days?|weeks?|months?|years?)"
    period = rf"(?P<period>{_alt(periods)})"
    # A bare month or year counts only after a preposition: "in March", "since 2016".
    after_prep = "(?:" + "|".join(rf"(?<=\b{p}\s)" for p in ("in", "during", "since", "until", "by", "of", "last", "this")) + ")"
    rules = (
        ("day_month", rf"{lead}{day}(?:\s+of)?\s+{month}(?:,?\s+{year})?\b"),
        ("month_day", rf"{lead}{month}\s+{day}(?:,?\s+{year})?\b"),
        ("part_month", rf"{part}{full_month}(?:\s+{year})?\b"),
        ("part_year", rf"{part}{year}"),
        ("month_year", rf"{month}\s+{year}"),
        ("month", rf"{after_prep}{full_month}\b"),
        ("weekday", rf"(?:(?P<which>last|this|past|next|coming)\s+)?(?P<weekday>{_alt(weekdays)})(?:\s+{daypart})?\b"),
        ("relday", rf"(?P<relday>{_alt(reldays)})\b"),
        ("period", rf"{period}\s+(?P<unit>week|month|year)\b"),
        ("ago", rf"{number}\s+{unit}\s+ago\b"),
        (
            "window",
            r"(?:(?:over|in|during|within|for)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?"
            rf"|(?:the\s+)?(?:past|last|previous)\s+){number}\s+{unit}",
        ),
        (
            "after",
            rf"(?:(?:(?P<vague>mere|just|only|a\s+few|several)|{number})\s+)?{unit}\s+(?P<dir>after|before)\s+"
            r"(?P<anchor>(?:(?:the|a|an|its|their|his|her)\s+)?[\w'-]+(?:\.(?=\s*\d))?(?:,?\s+[\w'-]+){0,3})",
        ),
        ("year", rf"{after_prep}{year}"),
    )
    compiled = []
    for name, pattern in rules:
        try:
            compiled.append((name, re.compile(pattern, re.I)))
        except re.error as exc:
            raise ModelError(f"{path}: a word breaks the {name} date pattern: {exc}") from exc
    trigger_words = [*months, *weekdays, *reldays, "ago", "hours?", "days?", "weeks?", "months?", "years?"]
    trigger = re.compile(
        r"\b(?:" + "|".join(w if w.endswith("?") else re.escape(w).replace(r"\ ", r"\s+") for w in trigger_words)
        + r")\b|(?<!\d)(?:1[89]|20)\d\d(?!\d)",
        re.I,
    )
    return _Vocab(months, weekdays, parts, tuple(dayparts), reldays, periods, tuple(compiled), trigger)


def _iso(d: date, has_year: bool) -> str:
    return d.isoformat() if has_year else d.strftime("--%m-%d")


def _make(start: date, end: date, precision: str, text: str, has_year: bool = True) -> EventDate:
    return EventDate(_iso(start, has_year), _iso(end, has_year), precision, text)


def _unknown(text: str) -> EventDate:
    return EventDate(None, None, UNKNOWN, text)


def _month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _clip(end: date, published: date | None, start: date | None = None) -> date:
    """A period that contains the publication date ends on it; one wholly after it is left be."""
    if published is None or end <= published or (start is not None and start > published):
        return end
    return published


def _count(text: str | None) -> int | None:
    if not text:
        return None
    parsed = parse_number(text.replace("a couple of", "a couple"))
    if parsed is None:
        if text.lower() in ("a", "an"):
            return 1
        return None
    return int(parsed[0])


def _resolve(name: str, m: re.Match, text: str, published: date | None) -> EventDate:
    v = _vocab()
    g = {k: (x.lower() if isinstance(x, str) else x) for k, x in m.groupdict().items()}
    year = int(g["year"]) if g.get("year") else None

    if name in ("day_month", "month_day"):
        month, day = v.months[g["month"]], int(g["day"])
        y = year or (published.year if published else _NO_YEAR)
        try:
            d = date(y, month, day)
        except ValueError:
            return _unknown(text)
        if year is None and published is not None and d > published:
            try:
                d = date(y - 1, month, day)  # "30 December" in a January story: last year
            except ValueError:
                return _unknown(text)
        return _make(d, d, "day", text, has_year=year is not None or published is not None)

    if name in ("part_month", "month_year", "month"):
        month = v.months[g["month"]]
        y = year
        if y is None and published is not None:
            y = published.year if month <= published.month else published.year - 1
        has_year = y is not None
        y = y or _NO_YEAR
        first, last = 1, _month_end(y, month)
        if name == "part_month":
            lo, hi = _PARTS[v.parts[" ".join(g["part"].split())]]
            first, last = lo, min(hi, last)
            if year is None and has_year and date(y, month, first) > published:
                y -= 1  # "mid-October" in a story of 5 October: the October before
                last = min(hi, _month_end(y, month))
        end = _clip(date(y, month, last), published, date(y, month, first)) if has_year else date(y, month, last)
        return _make(date(y, month, first), end, "month", text, has_year)

    if name in ("part_year", "year"):
        lo, hi = (1, 12)
        if name == "part_year":
            lo, hi = _YEAR_PARTS[v.parts[" ".join(g["part"].split())]]
        end = _clip(date(year, hi, _month_end(year, hi)), published, date(year, lo, 1))
        return _make(date(year, lo, 1), end, "year", text)

    if name == "after":
        return _after(g, m.group("anchor"), text, published)

    if published is None:
        return _unknown(text)  # everything below is relative to publication

    if name == "weekday":
        if g.get("which") in ("next", "coming"):
            ahead = (v.weekdays[g["weekday"]] - published.weekday()) % 7 or 7
            d = published + timedelta(days=ahead)
            return _make(d, d, "day", text)
        back = (published.weekday() - v.weekdays[g["weekday"]]) % 7
        if g.get("which") in ("last", "past") and back == 0:
            back = 7
        d = published - timedelta(days=back)
        return _make(d, d, "day", text)

    if name == "relday":
        a, b = v.reldays[" ".join(g["relday"].split())]
        return _make(published + timedelta(days=a), published + timedelta(days=b), "day", text)

    if name == "period":
        which, unit = v.periods[" ".join(g["period"].split())], g["unit"]
        return _period(which, unit, published, text)

    if name == "ago":
        n, unit = _count(g["n"]), g["unit"].rstrip("s")
        if n is None:
            return _unknown(text)
        if unit in ("hour", "day"):
            d = published - timedelta(days=n if unit == "day" else n // 24)
            return _make(d, d, "day", text)
        if unit == "week":
            d = published - timedelta(days=7 * n)
            return _make(d - timedelta(days=3), _clip(d + timedelta(days=3), published), "week", text)
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
            return _make(date(y, mo + 1, 1), date(y, mo + 1, _month_end(y, mo + 1)), "month", text)
        return _make(date(published.year - n, 1, 1), date(published.year - n, 12, 31), "year", text)

    if name == "window":
        n, unit = _count(g["n"]), g["unit"].rstrip("s")
        if n is None:
            return _unknown(text)
        days = {"hour": max(1, -(-n // 24)), "day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]
        precision = {"hour": "day", "day": "day", "week": "week", "month": "month", "year": "year"}[unit]
        return _make(published - timedelta(days=days - 1), published, precision, text)

    return _unknown(text)


def _period(which: str, unit: str, published: date, text: str) -> EventDate:
    p = published
    if unit == "week":
        monday = p - timedelta(days=p.weekday())
        if which == "this":
            return _make(monday, p, "week", text)
        if which == "past":
            return _make(p - timedelta(days=6), p, "week", text)
        shift = -7 if which == "last" else 7
        start = monday + timedelta(days=shift)
        return _make(start, start + timedelta(days=6), "week", text)
    if unit == "month":
        if which == "this":
            return _make(p.replace(day=1), p, "month", text)
        if which == "past":
            return _make(p - timedelta(days=29), p, "month", text)
        y, mo = divmod(p.year * 12 + p.month - 1 + (-1 if which == "last" else 1), 12)
        return _make(date(y, mo + 1, 1), date(y, mo + 1, _month_end(y, mo + 1)), "month", text)
    if which == "this":
        return _make(date(p.year, 1, 1), p, "year", text)
    if which == "past":
        return _make(p - timedelta(days=364), p, "year", text)
    y = p.year - 1 if which == "last" else p.year + 1
    return _make(date(y, 1, 1), date(y, 12, 31), "year", text)


_ANCHOR_STOP = re.compile(r"\s+(?:of|in|on|at|by|and|or|to|from|with|as|when|while|that|which)\b|[,;]", re.I)


def _anchor(anchor_text: str, published: date | None) -> tuple[int, EventDate | None]:
    """How much of the text after "days after" is the anchor, and its date if it is one."""
    for name, rx in _vocab().rules:
        if name == "after":
            continue
        m = rx.match(anchor_text)
        if m:
            return m.end(), _resolve(name, m, m.group(0), published)
    stop = _ANCHOR_STOP.search(anchor_text)
    return (stop.start() if stop else len(anchor_text)), None


def _after(g: dict, anchor_text: str, text: str, published: date | None) -> EventDate:
    """"mere days after the launch": a window after (or before) a resolvable anchor, else unknown."""
    _, anchor = _anchor(anchor_text, published)
    if anchor is None or anchor.start is None:
        return _unknown(text)
    has_year = not anchor.start.startswith("--")

    def parse(s: str) -> date:
        return date.fromisoformat(s if has_year else f"{_NO_YEAR}{s[1:]}")

    unit = g["unit"].rstrip("s")
    n = _count(g.get("n")) if g.get("n") else None
    step = 7 if unit == "week" else 1
    if g["dir"] == "after":
        base = parse(anchor.end)
        lo, hi = (n * step, n * step) if n else (1, 7 * step)
        start, end = base + timedelta(days=lo), base + timedelta(days=hi)
        if has_year:
            end = _clip(end, published)
    else:
        base = parse(anchor.start)
        lo, hi = (n * step, n * step) if n else (1, 7 * step)
        start, end = base - timedelta(days=hi), base - timedelta(days=lo)
    if end < start:
        return _unknown(text)
    precision = "day" if start == end else "week"
    return _make(start, end, precision, text, has_year)


_LEAD = re.compile(r"^(?:on|in|during|since|by|until|from|at)\s+", re.I)


def resolve_date(text: str, *, published: date | None) -> EventDate:
    """Resolve one date expression ("30 September 2017", "on Tuesday", "last week").

    The expression must be a date as a whole (a leading "on"/"in" is allowed); anything else,
    and any relative date without ``published``, comes back with precision ``unknown``.
    """
    s = " ".join(text.split()).rstrip(",;:")
    if s.endswith(".") and not re.search(r"\b[A-Za-z]{3,4}\.$", s):
        s = s[:-1]  # a full stop, not the dot of "Sept."
    lead = _LEAD.match(s)
    # A bare "March" or "2016" is read as "in March": the patterns want a preposition before it.
    framed = [(s, 0), (s, lead.end()) if lead else ("in " + s, 3)]
    for name, rx in _vocab().rules:
        for candidate, pos in framed:
            m = rx.fullmatch(candidate, pos)
            if m:
                return _resolve(name, m, text, published)
    return _unknown(text)


_BEFORE, _AFTER = 48, 96  # the widest reach of a rule around its trigger word, in characters


def _windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in _vocab().trigger.finditer(text):
        lo = text.rfind(" ", 0, max(m.start() - _BEFORE, 0)) + 1 if m.start() > _BEFORE else 0
        hi = text.find(" ", min(m.end() + _AFTER, len(text)))
        hi = len(text) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def _candidates(text: str) -> list[tuple[int, int, str, re.Match]]:
    found = []
    windows = _windows(text)
    for name, rx in _vocab().rules:
        for m in (m for lo, hi in windows for m in rx.finditer(text, lo, hi)):
            end = m.end()
            if name == "after":  # the anchor pattern is greedy; keep only the anchor itself
                end = m.start("anchor") + _anchor(m.group("anchor"), None)[0]
            found.append((m.start(), end, name, m))
    # Longest first, then earliest: "30 September 2017" beats the "September 2017" inside it.
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, re.Match]] = []
    for c in found:
        if all(c[1] <= o[0] or o[1] <= c[0] for o in chosen):
            chosen.append(c)
    return sorted(chosen)


def find_dates(doc, document: Document, *, published=_FROM_DOCUMENT) -> Iterator[tuple[Mention, EventDate]]:
    """Every date expression in the document, in text order, with its resolution.

    Our own patterns find the expressions; spaCy DATE entities that none of them covers are
    resolved too (they come back ``unknown`` when we cannot read them, so the evidence stays).
    ``published`` defaults to ``document.published``; pass None to resolve without it.
    """
    if published is _FROM_DOCUMENT:
        published = document.published
    text = doc_text(doc)
    spans = [(s, e, name, m) for s, e, name, m in _candidates(text)]
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e, _, _ in spans):
            continue
        spans.append((ent.start_char, ent.end_char, "", None))
    for start, end, name, m in sorted(spans, key=lambda x: x[0]):
        expr = text[start:end]
        resolved = _resolve(name, m, expr, published) if m is not None else resolve_date(expr, published=published)
        yield document.mention(start, end), resolved
