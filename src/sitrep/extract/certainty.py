"""How sure a claim sounds: boosters, hedges and conditionals from ``data/certainty_cues.tsv``.

The lexicon is matched as whole words over the normalised text with one compiled expression, the
longest phrase winning where several start at the same word, so that a ``none`` entry ("could not
be verified") shadows the cue word inside it ("could"). A span is *hypothetical* if any
conditional cue occurs in it, else *hedged* if any hedge does, else *boosted* if any booster does,
else *neutral*. ``open`` cues ("it remains unclear whether") mark open questions, which
:mod:`sitrep.extract.claims` does not emit as the author's claims.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import ModelError
from ..model import Document, Mention
from .quantities import DATA_DIR, read_tsv

CUE_CLASSES = ("boosted", "hedged", "hypothetical", "none", "open")
_ORDER = ("hypothetical", "hedged", "boosted")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    pattern: re.Pattern
    kind_of: dict[str, str]


def _phrase_regex(phrase: str) -> str:
    words = phrase.split()
    parts = [re.escape(w).replace("'", "['\u2019]") for w in words]
    return r"\s+".join(parts)


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    kind_of: dict[str, str] = {}
    for kind, phrase in read_tsv("certainty_cues.tsv", 2):
        if kind not in CUE_CLASSES or not phrase:
            raise ModelError(f"{DATA_DIR / 'certainty_cues.tsv'}: bad row {kind!r} {phrase!r}")
        kind_of[" ".join(phrase.lower().replace("\u2019", "'").split())] = kind
    alternation = "|".join(_phrase_regex(p) for p in sorted(kind_of, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w'’-])(?:{alternation})(?![\w-])", re.IGNORECASE)
    return _Lexicon(pattern, kind_of)


def find_cues(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """``(class, start, end)`` of every certainty cue in ``text[start:end]``, ``none`` ones dropped."""
    lex = _lexicon()
    end = len(text) if end is None else end
    out = []
    for m in lex.pattern.finditer(text, start, end):
        key = " ".join(m.group(0).lower().replace("\u2019", "'").split())
        kind = lex.kind_of.get(key)
        if kind is not None and kind != "none":
            out.append((kind, m.start(), m.end()))
    return out


def decide(classes) -> str:
    """The certainty that a set of cue classes gives (``CERTAINTIES``)."""
    present = set(classes)
    for kind in _ORDER:
        if kind in present:
            return kind
    return "neutral"


def certainty_of(document: Document, spans: list[tuple[int, int]]) -> tuple[str, tuple[Mention, ...]]:
    """The certainty of the text in ``spans`` (claim and cue), with the cues that decided it.

    Only cues of the deciding class are kept as evidence: a hedged claim lists its hedges.
    """
    found: list[tuple[str, int, int]] = []
    seen = set()
    for s, e in spans:
        for cue in find_cues(document.text, s, e):
            if cue[1:] not in seen:
                seen.add(cue[1:])
                found.append(cue)
    certainty = decide(k for k, _, _ in found if k != "open")
    cues = tuple(document.mention(s, e) for k, s, e in sorted(found, key=lambda c: c[1]) if k == certainty)
    return certainty, cues


def is_open_question(text: str, start: int, end: int) -> bool:
    return any(k == "open" for k, _, _ in find_cues(text, start, end))
