"""Property: every token of the normalised text maps back to the same token in the raw text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.ingest.normalize import normalize

_BULLETS = "\uf0b7\u2022\u25aa\u25cf\uf0a7"
_WORDS = st.one_of(
    st.sampled_from(
        ["Palmyra", "Deir", "ez-Zor", "al-Bab", "SDF", "YPG", "Daesh", "6.000", "2017", "T-4", "(Tiyas)", "Moscow", "said", "the", "of", "army", "Caf\u00e9", "Cafe\u0301", "of\ufb01cer", "\u201cvictory\u201d"]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u00e9\u00fc", min_size=1, max_size=12),
)


@st.composite
def _line(draw) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=12))
    line = " ".join(words)
    kind = draw(st.sampled_from(["text", "text", "text", "bullet", "hyphen", "page", "trailing"]))
    if kind == "bullet":
        line = draw(st.sampled_from(_BULLETS)) + draw(st.sampled_from(["", " ", "  "])) + line
    elif kind == "hyphen":
        line = line + "-\n" + draw(_WORDS).lstrip("-")
    elif kind == "page":
        line = draw(st.sampled_from(["Page 3 of 7", "- 4 -", "12", "p. 9"]))
    elif kind == "trailing":
        line = line + draw(st.sampled_from([" ", "  ", "\t"]))
    return line


@st.composite
def _document(draw) -> str:
    lines = draw(st.lists(_line(), min_size=1, max_size=30))
    seps = draw(st.lists(st.sampled_from(["\n", "\n", "\n", "\n\n", "\n\n\n", "\n\f", "\f"]), min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps))


def _squash(s: str) -> str:
    """Compare modulo whitespace, hyphens at line breaks and bullet glyphs (which become "-")."""
    s = unicodedata.normalize("NFKC", s)
    for glyph in _BULLETS:
        s = s.replace(glyph, "-")
    return re.sub(r"[\s\-]+", "", s)


@settings(max_examples=300, deadline=None)
@given(_document())
def test_every_token_maps_back_to_its_raw_text(raw):
    text, offsets = normalize(raw)
    assert offsets.norm_len == len(text)
    assert offsets.raw_len == len(raw)
    for m in re.finditer(r"\S+", text):
        a, b = offsets.raw_span(m.start(), m.end())
        assert 0 <= a <= b <= len(raw)
        assert _squash(raw[a:b]) == _squash(m.group()), (m.group(), raw[a:b])


@settings(max_examples=300, deadline=None)
@given(_document())
def test_normalised_text_has_no_extraction_artifacts(raw):
    text, _ = normalize(raw)
    assert "\n\n\n" not in text
    assert "\f" not in text
    assert not re.search(r"[ \t]\n|[ \t]$", text)
    assert not re.search(r"[\ue000-\uf8ff]", text)
    assert not any(line.strip() in {"Page 3 of 7", "- 4 -", "12", "p. 9"} for line in text.split("\n"))
    assert unicodedata.is_normalized("NFC", text)


@st.composite
def _clean_document(draw) -> str:
    paragraphs = draw(st.lists(st.lists(st.sampled_from(["Palmyra", "the", "army", "6.000", "said.", "Deir", "ez-Zor", "al-Bab", "on", "Tuesday"]), min_size=1, max_size=40), min_size=1, max_size=6))
    return "\n\n".join(" ".join(words) for words in paragraphs if not (len(words) == 1 and words[0] == "6.000"))


@settings(max_examples=200, deadline=None)
@given(_clean_document())
def test_clean_text_maps_onto_itself(raw):
    text, offsets = normalize(raw)
    assert text == raw
    assert all(offsets.to_raw(i) == i for i in range(len(text)))
