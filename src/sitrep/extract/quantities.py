"""Counted things in text: ``6.000 militants`` → 6000 militants; "at least 12 killed" → 12 dead.

Numbers are found with one regular expression compiled (once per process) from the data files
beside this module: number words, hedges ("about", "at least") and units. The counted noun is found
on the spaCy parse: the first unit word after the number in the same noun phrase, skipping
modifiers ("6,000 ISIS militants") and a linking "of" ("hundreds of civilians").

Fatalities follow ACLED's conventions: the most conservative figure ("dozens" = 12, "more than
500" = 500 with the hedge kept), never the wounded, and a note's total is the sum of the distinct
killed-figures (see :func:`acled_fatalities`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import ModelError
from ..model import Document, Mention, Quantity
from ..nlp import doc_text

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_tsv(name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of a tab-separated data file, comments and blank lines skipped, padded to ``columns``."""
    path = DATA_DIR / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read data file ({exc.strerror}); reinstall sitrep") from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > columns or not cells[0]:
            raise ModelError(f"{path}:{n}: expected at most {columns} tab-separated columns")
        rows.append(tuple(cells + [""] * (columns - len(cells))))
    return rows


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    kind: str  # unit | mult | vague | phrase
    approx: str | None


@dataclass(frozen=True, slots=True)
class _Tables:
    words: dict[str, _Word]
    hedges: dict[str, str]
    units: dict[str, str]
    number_re: re.Pattern
    quantity_re: re.Pattern


def _alternation(phrases) -> str:
    # Longest first so "a couple of" wins over "a couple"; spaces match any run of whitespace.
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    words = {}
    for word, value, kind, approx in read_tsv("number_words.tsv", 4):
        if kind not in ("unit", "mult", "vague", "phrase"):
            raise ModelError(f"{DATA_DIR / 'number_words.tsv'}: unknown kind {kind!r} for {word!r}")
        words[word.lower()] = _Word(float(value), kind, approx or None)
    hedges = {h.lower(): a for h, a in read_tsv("quantity_hedges.tsv", 2)}
    units = {s.lower(): u for s, u in read_tsv("quantity_units.tsv", 2)}

    plain = _alternation(w for w, v in words.items() if v.kind in ("unit", "mult"))
    vague = _alternation(w for w, v in words.items() if v.kind == "vague")
    phrase = _alternation(w for w, v in words.items() if v.kind == "phrase")
    digits = r"\d+(?:[.,]\d+)*"
    mults = _alternation(w for w, v in words.items() if v.kind == "mult")
    worded = rf"(?:a\s+)?(?:{plain})(?:(?:\s+and\s+|[\s-]+)(?:{plain}))*"
    # "hundreds of thousands", "tens of thousands": a vague count of a vague count.
    vague_chain = rf"(?:{vague})(?:\s+of\s+(?:{vague}))?"
    single = rf"(?:{digits}(?:\s*(?:{mults})\b)?|{worded}|{vague_chain}|{phrase})"
    # "and" joins a range only after "between": "3 and 2 wounded" is two figures.
    rng = rf"(?:between\s+{single}\s*(?:and|-|–|to)\s*{single}|{single}\s*(?:-|–|—|to|or)\s*{single})"
    hedge = _alternation(hedges)
    # A number may touch its unit ("1.5km") but never ends inside a longer number or word.
    end = r"(?:(?<=\d)(?![.,]?\d)(?!(?:st|nd|rd|th)\b)|(?<=[^\W\d])(?![^\W\d]))"
    quantity = rf"(?<![\w.,])(?:(?P<hedge>{hedge})\s+)?(?P<num>{rng}|{single}){end}"
    return _Tables(
        words,
        hedges,
        units,
        re.compile(rf"^\s*(?:(?:{hedge})\s+)?(?:{rng}|{single})\s*$", re.I),
        re.compile(quantity, re.I),
    )


_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL_AFTER_GROUPS = re.compile(r"^\d{1,3}(?:([.,])\d{3})+(?!\1)[.,]\d+$")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\bor\b|\band\b)\s*", re.I)
_WORD_SPLIT = re.compile(r"[\s-]+")
_DIGITS_MULT = re.compile(r"^(\d+(?:[.,]\d+)*)\s*([a-z]+)?$", re.I)


def _digits_value(s: str) -> float | None:
    """Read "6.000", "6,000", "1.5", "1,234.5", "1.234,5" the way a reporter meant them."""
    if _GROUPED.match(s):
        # Three digits after one separator: thousands grouping in both English and European style.
        return float(re.sub(r"[.,]", "", s))
    m = _DECIMAL_AFTER_GROUPS.match(s)
    if m:
        sep = m.group(1)
        whole, frac = s.rsplit("." if sep == "," else ",", 1)
        return float(whole.replace(sep, "") + "." + frac)
    try:
        return float(s.replace(",", "."))
    except ValueError:  # "1.2.3": a version or an index, not a count
        return None


def _single_value(text: str) -> tuple[float, str | None] | None:
    t = _tables()
    s = " ".join(text.lower().split())
    if s in t.words and t.words[s].kind in ("phrase", "vague"):
        w = t.words[s]
        return w.value, w.approx
    m = _DIGITS_MULT.match(s)
    if m:
        value = _digits_value(m.group(1))
        if value is None:
            return None
        if m.group(2):
            w = t.words.get(m.group(2))
            if w is None or w.kind != "mult":
                return None
            value *= w.value
        return value, None
    if " of " in s:  # "hundreds of thousands"
        parts = [_single_value(p) for p in s.split(" of ")]
        if all(parts):
            value = 1.0
            for v, _ in parts:
                value *= v
            return value, "vague"
        return None
    tokens = [w for w in _WORD_SPLIT.split(s) if w and w != "and"]
    if tokens and tokens[0] in ("a", "an"):
        tokens = tokens[1:] if len(tokens) > 1 else tokens
    total = current = 0.0
    seen = False
    for tok in tokens:
        w = t.words.get(tok)
        if w is None or w.kind not in ("unit", "mult"):
            return None
        seen = True
        if w.kind == "unit":
            current += w.value
        elif w.value == 100:
            current = (current or 1) * 100
        else:
            total += (current or 1) * w.value
            current = 0.0
    return (total + current, None) if seen else None


def parse_number(text: str) -> tuple[float, str | None] | None:
    """``(value, approx)`` for a number expression, or None if ``text`` is not one.

    ``"6.000"`` → (6000, None); ``"2.5 million"`` → (2500000, None); ``"about 300"`` →
    (300, "about"); ``"20-30"`` → (20, "range"); ``"dozens"`` → (12, "vague").
    """
    t = _tables()
    s = " ".join(text.split())
    if not t.number_re.match(s):
        return None
    approx = None
    low = s.lower()
    for hedge in sorted(t.hedges, key=len, reverse=True):
        if low.startswith(hedge + " "):
            approx = t.hedges[hedge]
            s = s[len(hedge) + 1 :]
            low = s.lower()
            break
    if low.startswith("between "):
        s = s[8:]
    single = _single_value(s)
    if single is not None:
        value, own = single
        return value, approx or own
    parts = _RANGE_SPLIT.split(s, maxsplit=1)
    if len(parts) == 2:
        lo, hi = _single_value(parts[0]), _single_value(parts[1])
        if lo and hi:
            # A range is reported by its lower bound: the conservative figure.
            return min(lo[0], hi[0]), approx or "range"
    return None


_TIME_UNITS = frozenset({"days", "hours", "weeks", "months", "years"})
_SKIPPABLE_POS = frozenset({"ADJ", "PROPN", "NOUN", "ADV", "PUNCT", "NUM", "DET"})


def _unit_after(doc, end_char: int, limit: int = 5):
    """The first unit-word token after a number (same phrase), or None; skips modifiers and "of"."""
    t = _tables()
    span = doc.char_span(end_char, end_char, alignment_mode="expand")
    i = span.start if span is not None else None
    if i is None:
        return None
    # A unit glued to the number ("1.5km") makes the tokenizer split inside; start at that token.
    while i < len(doc) and doc[i].idx + len(doc[i]) <= end_char:
        i += 1
    j = i
    while j < len(doc) and j - i < limit:
        tok = doc[j]
        low = tok.lower_
        if low in t.units:
            two = doc[j : j + 2].text.lower() if j + 1 < len(doc) else ""
            if two in t.units:
                return doc[j : j + 2]
            return doc[j : j + 1]
        if tok.is_sent_start and j > i:
            return None
        if low == "of" and j == i:
            j += 1
            continue
        if tok.pos_ not in _SKIPPABLE_POS or low in (",", ";", "(", ")", "."):
            return None
        j += 1
    return None


def find_quantities(doc, document: Document) -> Iterator[Quantity]:
    """Counted things: a number expression followed by a unit word from ``quantity_units.tsv``."""
    text_of_doc = doc_text(doc)
    t = _tables()
    for m in t.quantity_re.finditer(text_of_doc):
        parsed = parse_number(m.group(0))
        if parsed is None:
            continue
        value, approx = parsed
        unit_span = _unit_after(doc, m.end())
        if unit_span is None:
            continue
        unit = t.units[unit_span.text.lower()]
        hedge = (m.group("hedge") or "").lower()
        if hedge in ("over", "under") and unit in _TIME_UNITS:
            # "over two days" is a duration, not "more than two days".
            approx = None if approx in ("more_than", "less_than") else approx
        start, end = m.start(), unit_span.end_char
        yield Quantity(
            value=value,
            unit=unit,
            approx=approx,
            text=text_of_doc[start:end],
            mention=document.mention(start, end),
        )


@dataclass(frozen=True, slots=True)
class Fatality:
    """A reported number of dead: ``killing 3 SDF fighters`` → value 3, side ``SDF fighters``.

    ``approx`` hedges the figure as in :class:`~sitrep.model.Quantity`. ``side`` names whose dead
    when the text says (``civilians``, ``regime soldiers``), else None. ``kind`` is ``count`` for
    a figure of victims, ``total`` for a summary ("7 fatalities") that may repeat earlier counts.
    """

    value: float
    approx: str | None
    side: str | None
    kind: str
    text: str
    mention: Mention | None = None


@dataclass(frozen=True, slots=True)
class _Cues:
    roles: dict[str, str]
    vague: dict[str, float]
    vague_re: re.Pattern | None
    lethal: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    possessives: frozenset[str] = frozenset()
    name_articles: frozenset[str] = frozenset()


_SET_ROLES = ("lethal", "unit", "possessive", "name_article")  # in _Cues' field order


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    roles, vague = {}, {}
    # roles read as word sets; a word may also have a plain role ("shoot" is lethal and reports too)
    sets: dict[str, set[str]] = {role: set() for role in _SET_ROLES}
    for word, role, value in read_tsv("fatality_cues.tsv", 3):
        if role in sets:
            sets[role].add(word.lower())
        elif role == "vague":
            vague[word.lower()] = float(value)
        elif role in ("kill", "die", "death", "wound", "subset", "stop", "report", "attempt", "extra", "summary",
                      "collective", "companion"):
            roles[word.lower()] = role
        else:
            raise ModelError(f"{DATA_DIR / 'fatality_cues.tsv'}: unknown role {role!r} for {word!r}")
    vague_re = re.compile(rf"\b(?:{_alternation(vague)})\b", re.I) if vague else None
    return _Cues(roles, vague, vague_re, *(frozenset(sets[role]) for role in _SET_ROLES))


def _np_start(noun) -> int:
    """Where a noun phrase starts, leaving out a date the parser hung on it."""
    return min([noun.i] + [g.left_edge.i for g in noun.children
                           if g.i < noun.i and not (g.dep_ == "nummod" and g.ent_type_ == "DATE")])


def _named_again(noun, singles: set[str]) -> bool:
    """ "A brigadier general was killed ... The general was killed during a larger clash": a definite
    singular victim whose noun names one already counted is that victim again."""
    return noun.lemma_.lower() in singles and any(
        g.dep_ == "det" and g.lower_ in ("the", "this", "that") for g in noun.children)


def _lethal_anchor(doc, tok, sent_end: int) -> int | None:
    """Where the victims of a verb that kills only with "dead" or "to death" start to be listed:
    after "dead" in "shot dead two officers", after the verb in "stabbed a guard to death"."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in _cues().lethal:
        return None
    if tok.i + 1 < sent_end and doc[tok.i + 1].lower_ == "dead":
        return tok.i + 1
    for j in range(tok.i + 2, min(sent_end, tok.i + 12)):
        if doc[j].lower_ == "death" and doc[j - 1].lower_ == "to":
            return tok.i
    return None


def _role(tok) -> str | None:
    roles = _cues().roles
    return roles.get(tok.lemma_.lower()) or roles.get(tok.lower_)


def _pos(tok) -> str:
    # The small model reads "IS" (Islamic State) as a verb; an all-caps word is a name.
    if tok.is_upper and len(tok) > 1 and tok.is_alpha:
        return "PROPN"
    return tok.pos_


_BE = frozenset({"be", "get"})
_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_NOT_COUNTS = frozenset({"DATE", "TIME", "ORDINAL", "MONEY", "PERCENT"})
_NP_POS = frozenset({"NUM", "ADJ", "NOUN", "PROPN", "DET", "ADV"})
_LIST_GLUE = frozenset({",", "and", "&", "as", "well", "of", "the", "plus", "-", "either"})
_ALONG_WITH = ("along with", "together with")  # a second victim joined to the first


def _figures(doc) -> list[tuple[int, int, float, str | None]]:
    """Number expressions as token spans: (first token, end token, value, approx)."""
    text_of_doc = doc_text(doc)
    t, cues = _tables(), _cues()
    out = []
    for m in t.quantity_re.finditer(text_of_doc):
        parsed = parse_number(m.group(0))
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if parsed is None or span is None:
            continue
        if doc[span.start].ent_type_ in _NOT_COUNTS:
            continue  # "On 17 June 2022": a date, not a figure
        if any(ch.isdigit() for ch in m.group(0)) and _names_unit(doc, span.end, cues.units):
            continue  # "a 52 Armored Brigade soldier" names the unit; "one Rahman Corps fighter" counts
        if re.search(r"[A-Za-z]-$", text_of_doc[max(0, m.start() - 2):m.start()]):
            continue  # "T-2 Station", "an Su-24": a designation, not a figure
        value, approx = parsed
        if approx == "vague":
            # ACLED reads a hedged plural of dead by its own table ("several" killed = 10).
            value = cues.vague.get(" ".join(m.group("num").lower().split()), value)
        out.append((span.start, span.end, value, approx))
    if cues.vague_re is not None:
        for m in cues.vague_re.finditer(text_of_doc):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or any(s < span.end and span.start < e for s, e, _, _ in out):
                continue
            out.append((span.start, span.end, cues.vague[" ".join(m.group(0).lower().split())], "vague"))
    return sorted(out)


def _counts_noun(doc, figure_end: int, np_start: int) -> bool:
    """Whether a figure ending at ``figure_end`` counts the noun phrase at ``np_start`` across
    names the parser split off ("one IS fighter", with "IS" read as a verb)."""
    between = doc[figure_end:np_start]
    return figure_end <= np_start and len(between) <= 3 and all(_pos(t) == "PROPN" for t in between)


def _names_unit(doc, j: int, units: frozenset[str]) -> bool:
    """Whether capitalised words from ``j`` end, within three, in a unit word ("Armored Brigade").
    A name opening with the Arabic article is a named unit, never a numbered one: "1 Al Sham Corps
    member" counts a member."""
    if j < len(doc) and doc[j].lower_.split("-")[0] in _cues().name_articles:
        return False
    for k in range(j, min(len(doc), j + 3)):
        if not doc[k].is_title:
            return False
        if doc[k].lower_ in units:
            return True
    return False


def _np_end(doc, i: int, stop: int) -> int:
    """End of the noun phrase that a number at ``i`` begins: modifiers and the head noun."""
    j = i
    while j < stop and _pos(doc[j]) in _NP_POS and _role(doc[j]) not in ("kill", "die", "wound", "stop"):
        if _pos(doc[j]) == "DET" and j > i:
            break
        j += 1
    return j


def _group_count(doc, np_start: int, end: int) -> bool:
    """Whether "N fatalities" counts one group's dead rather than summing the note up: a party
    named on the noun ("7 regime fatalities", "10 fatalities from the Syrian army") or an
    addition ("1 additional fatality", "One fatality added for the suicide attacker"); "9
    fatalities from both sides" still sums up."""
    sent_end = doc[end - 1].sent.end
    if _extra_word(doc, np_start, end + 1):
        return True
    if end + 1 < sent_end and doc[end].lower_ in ("from", "among"):
        named = doc[end + 2] if doc[end + 1].lower_ == "the" and end + 2 < sent_end else doc[end + 1]
        if named.pos_ == "PROPN" or named.is_title or named.ent_type_ in ("NORP", "ORG", "GPE"):
            return True
    # a noun or a name ("regime", "IS", "Syrian"), not any adjective ("100 more recent fatalities")
    return any((_pos(t) in ("NOUN", "PROPN") or (_pos(t) == "ADJ" and t.is_title)) and _role(t) is None
               and not t.like_num for t in doc[np_start:end - 1])


def _side(doc, start: int, end: int) -> str | None:
    words = [tok for tok in doc[start:end] if _pos(tok) in ("NOUN", "PROPN", "ADJ")]
    if not words or _role(words[-1]) == "death":
        return None
    return doc[words[0].i : words[-1].i + 1].text


def _victims_after(doc, k: int, sent_end: int, figures: dict[int, tuple], counted=()) -> Iterator[int]:
    """Token indices of figures listed as the object of a kill word at ``k``: "killing 3 X and 2 Y".
    ``counted``: where the figures already counted as dead start (read as the caller counts)."""
    j = k + 1
    # the last victim listed was one person ("killed the commander"): a possessive companion may follow
    single = any(c.dep_ in ("dobj", "nsubjpass") and c.tag_ == "NN" for c in doc[k].children)
    if j + 1 < sent_end and doc[j].lower_ in ("and", "&") and _role(doc[j + 1]) == "wound":
        j += 2  # "killing and injuring 5": ACLED counts the figure as dead
        if j < sent_end and doc[j].lower_ == "of":
            j += 1
    elif j < sent_end and doc[j].lower_ in ("and", ",", "&"):
        return  # the kill word closed its clause: "2 were killed and 7 wounded"
    elif j < sent_end and doc[j].lower_ == "of" and _role(doc[k]) == "death":
        j += 1  # "the bodies of 3 fighters were found": the verb after them is the bodies'
        if doc[k].lemma_.lower() in ("body", "corpse") and doc[k].tag_ == "NN" and j < sent_end \
                and doc[j].ent_type_ == "PERSON":
            yield -j - 1  # "the body of Abu al-Mutawakil": one named dead ("the death of X" may be history)
            return
    elif doc[j:j + 3].text.lower() == "in addition to":
        j += 3  # "regime soldiers were killed in addition to at least 15 rebels"
    first = j
    while j < sent_end:
        tok = doc[j]
        if j in figures:
            np_end = max(_np_end(doc, figures[j][1], sent_end), j + 1)
            if j > first and np_end < sent_end and _pos(doc[np_end]) in ("AUX", "VERB"):
                return  # a new clause's subject: "killing 3 and 7 were wounded"
            if _part_of_earlier(doc, j, figures[j][1], figures, counted):
                return  # "killed 54 of them": part of a figure already counted
            yield j
            single = figures[j][2] == 1
            j = np_end
            continue
        role = _role(tok)
        if role in ("subset", "wound", "stop") or role == "kill" and j > k + 1:
            return
        if doc[j:j + 2].text.lower() in _ALONG_WITH:
            j += 2  # "killing 1 guard along with a farmer"
            continue
        if tok.lower_ == "from":
            # "a colonel from the army and 1 civilian": the victim's origin, whatever figure it has
            # ("7 civilians from 3 villages"), up to the next item of the list
            j += 1
            while j < sent_end and doc[j].lower_ not in (",", "and"):
                j += 1
            continue
        if tok.lower_ == "with" and j + 1 < sent_end and doc[j + 1].lower_ in _cues().possessives and single:
            j += 1  # "killed a soldier with his son"
            continue
        if (tok.lower_ in _cues().possessives and doc[j - 1].lower_ in ("and", "with") and single
                and j + 1 < sent_end and _role(doc[j + 1]) == "companion" and doc[j + 1].tag_ == "NN"
                and not (j + 2 < sent_end and _pos(doc[j + 2]) in ("AUX", "VERB"))):
            yield -j - 1  # "killed a soldier and his brother": a second singular victim
            j += 2
            continue
        if tok.lower_ == "another" and doc[j - 1].lower_ == "and":
            if j + 1 in figures:
                j += 1  # "and another 5 civilians": the figure counts them
                continue
            np_end = max(_np_end(doc, j + 1, sent_end), j + 1)
            if np_end < sent_end and _pos(doc[np_end]) in ("AUX", "VERB"):
                return  # "and another was wounded": a new clause
            yield -j - 1  # "killing 1 HTS fighter and another from the rebels"
            single = True
            j = np_end
            continue
        if (
            tok.lower_ in ("a", "an", "one")
            and (j == k + 1 or doc[j - 1].lower_ == "and" or (j == k + 2 and doc[j - 1].lower_ == "of")
                 or doc[j - 2 : j].text.lower() in _ALONG_WITH)
            and j + 1 < sent_end
            and (_pos(doc[j + 1]) in ("NOUN", "PROPN", "ADJ")
                 or doc[j + 1].like_num and _names_unit(doc, j + 2, _cues().units))
        ):
            if (_role(doc[j + 1]) == "collective" and j + 3 < sent_end and doc[j + 2].lower_ == "of"
                    and (j + 3) in figures):
                j += 3  # "killed a group of 30 militants": the figure counts them
                continue
            yield -j - 1  # a singular victim: "killing a young man"
            single = True
            j = _np_end(doc, j + 1, sent_end)
            continue
        if tok.lower_ in _LIST_GLUE or _pos(tok) in ("ADJ", "NOUN", "PROPN", "DET", "ADV"):
            j += 1
            continue
        return


def _part_of_earlier(doc, start: int, end: int, figures: dict[int, tuple], counted) -> bool:
    """Whether the figure [start, end) is followed by "of them"/"of whom"/"of which" and is part of
    an earlier one: any figure before it in its sentence ("85 were killed, 54 of them ..."), or a
    figure of dead counted in the sentence before ("killed 9 fighters. 4 of them were ...").
    Otherwise "killing 3 of them" (the fighters just named) is the count itself, and so is "3 of
    them later died" after "wounded 12 soldiers."."""
    if _cues().roles.get(doc[end : end + 2].text.lower()) != "subset":
        return False
    sent = doc[start].sent
    before = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    return any(sent.start <= f < start for f in figures) or any(before <= f < sent.start for f in counted)


def _predicate_after(doc, j: int, sent_end: int, others: dict, limit: int = 16) -> bool:
    """Whether the noun phrase ending at ``j`` is the subject of a death: "were killed", "died"."""
    depth = 0
    np_end = j
    while j < sent_end and depth < limit:
        tok = doc[j]
        role = _role(tok)
        if role == "wound":
            return False
        if j in others:
            if doc[j - 1].lower_ != "and":
                return False  # another figure starts its own phrase
            # "26 IS and 7 regime fighters were killed": coordinated figures share the predicate
            j = _np_end(doc, others[j][1], sent_end)
            continue
        if role == "subset":  # skip a parenthetical subset: "4 civilians, including 3 children, were"
            j += 1
            while j < sent_end and doc[j].text not in (",", "(", ")") and doc[j].pos_ not in ("AUX", "VERB"):
                j += 1
            j += 1
            continue
        if role == "die" or (role == "death" and tok.lower_ == "dead"):
            return True
        if role == "kill" and tok.pos_ in ("VERB", "ADJ"):
            nxt = doc[j + 1] if j + 1 < sent_end else None
            # "were reportedly killed", "was shot and killed", but not "gunmen believed to be IS
            # assassinated 2": only adverbs, "and" and reporting words stand between "be" and the kill word
            passive = any(doc[p].lemma_ in _BE and _pos(doc[p]) != "PROPN"
                          and all(_pos(doc[q]) in ("ADV", "PART", "CCONJ") or _role(doc[q]) == "report"
                                  for q in range(p + 1, j))
                          for p in range(max(j - 3, np_end), j))
            # "12 soldiers killed in the attack", "13 fighters confirmed killed" (reduced relative)
            # vs "a strike killed 12"
            reduced = all(_role(doc[p]) == "report" or _pos(doc[p]) in ("CCONJ", "PROPN", "NOUN", "ADJ")
                          for p in range(np_end, j)) and (
                nxt is None or _pos(nxt) not in ("NUM", "DET", "NOUN", "PROPN", "PRON"))
            return passive or reduced
        if tok.lemma_ == "lose" and any(c.lower_ in ("lives", "life") for c in doc[j + 1 : j + 3]):
            return True
        if tok.lemma_ == "succumb" and any(c.lower_ in ("wounds", "injuries") for c in doc[j + 1 : j + 5]):
            return True  # "succumbed to his wounds", not a town that "succumbed to the militants"
        if _pos(tok) == "VERB" and tok.lemma_ not in _BE and role != "report":
            return False
        if role == "report" and j + 1 < sent_end and (
                doc[j + 1].lower_ == "that" or _pos(doc[j + 1]) in ("DET", "PRON", "PROPN", "NOUN", "NUM")):
            return False  # "A spokesman said the soldier was killed": the dead are the clause's own
        j += 1
        depth += 1
    return False


def _dead_by_parse(head) -> bool:
    """The parse's reading when the surface is interrupted: "1 fighter who was recruited … was killed"."""
    if head.dep_ == "nsubjpass":
        # a "passive" kill verb with an object is a misparse ("gunmen believed to be IS
        # assassinated 2 members", with "IS" read as the auxiliary): the subject killed
        return _role(head.head) == "kill" and not any(c.dep_ == "dobj" for c in head.head.children)
    if head.dep_ == "nsubj":
        return _role(head.head) == "die"
    return False


def find_fatalities(doc, document: Document) -> Iterator[Fatality]:
    """Every reported figure of dead, in text order; the wounded and subsets are left out.

    A figure is kept where it is the object of a kill word ("killing 3 SDF fighters and 2 ISIS",
    "the deaths of 2 soldiers"), the subject of a death ("12 people were killed", "3 died",
    "5 lost their lives"), or names the dead itself ("8 fatalities"). "including 3 children"
    repeats part of a figure and is skipped.
    """
    text_of_doc = doc_text(doc)
    figs = _figures(doc)
    by_start = {f[0]: f for f in figs}
    taken: set[int] = set()
    out: dict[int, Fatality] = {}
    singles: set[str] = set()  # head nouns of single victims counted so far

    def emit(start: int, value: float, approx: str | None, np_start: int, end: int | None = None) -> None:
        if start in out:
            return
        if np_start < len(doc) and doc[np_start].lower_ == "of":
            np_start += 1  # "dozens of soldiers"
        if end is None:
            end = max(_np_end(doc, np_start, len(doc)), np_start)
        is_total = end > np_start and _role(doc[end - 1]) == "death" and not _group_count(doc, np_start, end)
        text_end = doc[end - 1].idx + len(doc[end - 1]) if end > start else doc[start].idx + len(doc[start])
        s = doc[start].idx
        out[start] = Fatality(
            value=value,
            approx=approx,
            side=_side(doc, np_start, end),
            kind="total" if is_total else "count",
            text=text_of_doc[s:text_end],
            mention=document.mention(s, text_end),
        )

    for sent in doc.sents:
        s_end = sent.end
        for tok in sent:
            role = _role(tok)
            lethal = _lethal_anchor(doc, tok, s_end)
            if lethal is not None:
                role = "kill"
            kill_object = role == "kill" and tok.pos_ == "VERB" or (
                role == "death" and tok.lower_ not in ("dead",) and tok.i + 1 < s_end and doc[tok.i + 1].lower_ == "of"
            )
            if not kill_object:
                continue
            if tok.dep_ == "xcomp" and _role(tok.head) == "attempt":
                continue  # "tried to assassinate": nobody died of it
            if role == "kill":
                # A single named or singular victim: "IS killed the brigade's field commander"; a
                # kill verb coordinated after another shares its subject ("was shot and killed").
                own = any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "aux", "auxpass") for c in tok.children)
                shared = tok.head.children if tok.dep_ == "conj" and not own else ()
                for c in [*tok.children, *(c for c in shared if c.dep_ == "nsubjpass")]:
                    victim_start = _np_start(c)
                    if (
                        c.dep_ in ("dobj", "nsubjpass")
                        and ((c.tag_ == "NN" and not c.ent_type_) or c.ent_type_ == "PERSON")
                        and _role(c) in (None, "collective", "companion")
                        and c.lemma_ not in ("number", "unknown")
                        # a date the parser hung on the noun ("Around 5 May 2020, a member ...") counts nobody
                        and not any(g.dep_ == "nummod" and g.ent_type_ != "DATE" for g in c.children)
                        and not any(victim_start <= s <= c.i or _counts_noun(doc, e, victim_start)
                                    or (_role(c) == "collective" and c.i < s <= c.right_edge.i)
                                    for s, e, _, _ in figs)
                        and not _named_again(c, singles)
                    ):
                        emit(victim_start, 1.0, "vague" if _role(c) == "collective" else None, victim_start, c.i + 1)
                        taken.add(victim_start)
                        singles.add(c.lemma_.lower())
            for v in _victims_after(doc, tok.i if lethal is None else lethal, s_end, by_start, out):
                if v < 0:
                    i = -v - 1
                    emit(i, 1.0, None, i + 1)
                    taken.add(i)
                else:
                    f = by_start[v]
                    emit(v, f[2], f[3], f[1])
                    taken.add(v)
        for start, end, value, approx in figs:
            if start < sent.start or start >= s_end or start in taken:
                continue
            if start > sent.start and _role(doc[start - 1]) == "subset" and any(
                    max(sent.start, start - 12) <= f[0] < start for f in figs):
                continue  # "4 civilians, including 3 children": but "casualties, including 6 dead" counts
            if end + 1 < s_end and _part_of_earlier(doc, start, end, by_start, out):
                continue  # "54 of them": part of a figure already counted
            np_end = _np_end(doc, end, s_end)
            if np_end > end and _role(doc[np_end - 1]) == "death":
                emit(start, value, approx, end)
            elif _predicate_after(doc, np_end, s_end, by_start) or _dead_by_parse(doc[np_end - 1]):
                emit(start, value, approx, end)
        # "A commander in the division was killed", "Another fighter died of his wounds": a
        # singular subject of a passive kill or a death.
        first = sent[0]
        if (first.lower_ in ("a", "an", "another") and sent.start not in out
                and not any(sent.start < f[0] <= sent.start + 2 for f in figs)):  # "Another 2 were killed"
            head_end = _np_end(doc, sent.start + 1, s_end)
            if head_end > sent.start + 1 and _predicate_after(doc, head_end, s_end, by_start):
                emit(sent.start, 1.0, None, sent.start + 1)
                singles.add(doc[head_end - 1].lemma_.lower())
    for start in sorted(out):
        yield out[start]


@functools.lru_cache(maxsize=1)
def _acled_rules() -> tuple[tuple[str, re.Pattern], ...]:
    rules = []
    for name, pattern, _ in read_tsv("acled_note_rules.tsv", 3):
        if name not in ("each", "coded", "total", "split", "alternative"):
            raise ModelError(f"{DATA_DIR / 'acled_note_rules.tsv'}: unknown rule {name!r}")
        try:
            rules.append((name, re.compile(pattern, re.I)))
        except re.error as exc:
            raise ModelError(f"{DATA_DIR / 'acled_note_rules.tsv'}: bad regex for {name!r}: {exc}") from exc
    return tuple(rules)


def acled_fatalities(doc, document: Document) -> int:
    """One ACLED note's fatalities as ACLED codes them.

    The note's own bookkeeping wins: a share of a split total ("split, 9 each"), then the last
    total it states ("Total fatalities 9.", or a closing sentence that is only the figure, "4
    fatalities."). Otherwise the victims' figures are summed (another report of the same dead,
    "Other sources said 5 were killed", left out), an assumed figure ("coded as 10") standing in
    for vague ones; a summary inside the text ("with 7 fatalities reported") that repeats them is
    kept only when smaller than their sum (the more conservative reading), with additions ("1
    additional fatality") on top. Nothing reported: 0.
    """
    text_of_doc = doc_text(doc)
    found: dict[str, list[float]] = {"each": [], "coded": [], "split": []}
    totals_at: list[tuple[int, float]] = []  # the note's last word on its count wins, in text order
    alternatives_at: list[int] = []  # where another report of the same dead begins
    for name, rx in _acled_rules():
        for m in rx.finditer(text_of_doc):
            if name == "alternative":
                alternatives_at.append(m.start())
                continue
            groups = m.groupdict()
            if groups.get("list"):
                parts = [p for p in _LIST_SPLIT.split(groups["list"]) if p.strip()]
                if 1 < len(parts) <= 12:
                    found[name].append(float(len(parts)))
                continue
            figure = groups.get("n") or groups.get("k")
            parsed = (2.0, None) if figure and figure.lower() == "both" else parse_number(figure or "")
            if parsed is None:
                continue
            if name == "total":
                totals_at.append((m.start(), parsed[0]))
            else:
                found[name].append(parsed[0])
    if found["each"]:
        return int(found["each"][-1])
    share = int(found["split"][0]) if found["split"] else 1
    if totals_at:
        return _share(max(totals_at)[1], share)
    figures = list(find_fatalities(doc, document))
    main = [f for f in figures if not _alternative(doc, f, alternatives_at)]
    if main:
        # "killing at least 3 soldiers ... Other sources mentioned that 5 were killed": the note's
        # own reading, not both (ACLED keeps the first, more conservative one)
        figures = main
    if found["coded"]:
        counts = sum(f.value for f in figures if f.kind == "count" and f.approx != "vague")
        counts += sum(found["coded"])
        return _share(counts, share)
    # a precise figure at least as large stands for a hedged one ("Tens of fighters were killed
    # ... 64 were killed"); "3 civilians and dozens of IS fighters" keeps both
    precise = [f.value for f in figures if f.kind == "count" and f.approx != "vague"]
    counts = sum(f.value for f in figures if f.kind == "count"
                 and (f.approx != "vague" or not any(v >= f.value for v in precise)))
    totals = [f.value for f in figures if f.kind == "total"]
    if totals and counts:
        # an addition ("18 fatalities ... with 1 additional fatality coded for the attacker") comes
        # on top of the summary, which never repeats it
        extra = sum(f.value for f in figures if f.kind == "count" and f.approx != "vague" and _added(doc, f))
        own = counts - extra  # the counts the summary may repeat
        return _share((min(own, max(totals)) if own else max(totals)) + extra, share)
    return _share(counts or (max(totals) if totals else 0), share)


def _span_of(doc, fatality: Fatality):
    return doc.char_span(fatality.mention.start, fatality.mention.end, alignment_mode="expand")


def _alternative(doc, fatality: Fatality, cues_at: list[int]) -> bool:
    """Whether another report's cue opens the figure's sentence before it."""
    span = _span_of(doc, fatality) if cues_at else None
    if span is None:
        return False
    start = span.sent.start_char
    return any(start <= at < fatality.mention.start for at in cues_at)


def _added(doc, fatality: Fatality) -> bool:
    """Whether an "additional"/"further" word qualifies the figure ("1 additional fatality")."""
    span = _span_of(doc, fatality)
    return span is not None and _extra_word(doc, span.start, span.end)


def _extra_word(doc, start: int, end: int) -> bool:
    """An "additional"/"further" word on the phrase [start, end) or right beside it, in its sentence."""
    sent = doc[min(start, len(doc) - 1)].sent
    return any(_role(t) == "extra" for t in doc[max(start - 1, sent.start):min(end + 1, sent.end)])


def _share(total: float, parts: int) -> int:
    # ACLED gives the first location the rounded-up share (11 over two: 6 and 5).
    return int(total / parts + 0.5)
