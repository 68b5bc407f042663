"""normalize() repairs one extraction artifact at a time and keeps offsets into the raw text."""

from __future__ import annotations

import pytest

from sitrep.ingest.normalize import normalize


def _raw_of(raw: str, text: str, needle: str) -> str:
    start = text.index(needle)
    _, offsets = normalize(raw)
    a, b = offsets.raw_span(start, start + len(needle))
    return raw[a:b]


def test_clean_text_is_returned_unchanged_with_identity_offsets():
    raw = "Syrian troops entered Palmyra on Tuesday.\n\nRussian jets struck west of the city."
    text, offsets = normalize(raw)
    assert text == raw
    assert [offsets.to_raw(i) for i in range(len(text))] == list(range(len(raw)))


def test_only_trailing_whitespace_is_dropped_from_clean_text():
    raw = "Troops advanced.   \n\nThe SDF held the dam.\t\n\n\n"
    text, _ = normalize(raw)
    assert text == "Troops advanced.\n\nThe SDF held the dam."


def test_single_newlines_of_a_wrapped_paragraph_become_spaces():
    raw = (
        "The Syrian army and allied militias advanced on Tuesday\n"
        "toward the town of al-Sukhnah, east of Palmyra, state\n"
        "media said, while Russian jets struck positions held by\n"
        "Islamic State militants near the T-4 airbase.\n"
        "\n"
        "A second paragraph follows here."
    )
    text, _ = normalize(raw)
    assert text == (
        "The Syrian army and allied militias advanced on Tuesday toward the town of al-Sukhnah, "
        "east of Palmyra, state media said, while Russian jets struck positions held by Islamic "
        "State militants near the T-4 airbase.\n\nA second paragraph follows here."
    )


def test_runs_of_blank_lines_collapse_to_one_paragraph_break():
    text, _ = normalize("First paragraph.\n\n\n\n  \n\nSecond paragraph.")
    assert text == "First paragraph.\n\nSecond paragraph."


def test_word_hyphenated_at_line_end_is_rejoined():
    raw = "the govern-\nment said"
    text, _ = normalize(raw)
    assert text == "the government said"
    assert _raw_of(raw, text, "government") == "govern-\nment"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the town of Deir ez-\nZor fell", "the town of Deir ez-Zor fell"),
        ("rebels in al-\nBab said", "rebels in al-Bab said"),
        ("rebels in al-\nbab said", "rebels in al-bab said"),
        ("the 2014-\n2017 war", "the 2014-2017 war"),
        ("pro-\nIranian militias", "pro-Iranian militias"),
    ],
)
def test_real_hyphens_at_line_end_are_kept(raw, expected):
    assert normalize(raw)[0] == expected


def test_hyphenated_compound_seen_elsewhere_in_the_document_keeps_its_hyphen():
    raw = "a well-known commander and another well-\nknown figure"
    assert normalize(raw)[0] == "a well-known commander and another well-known figure"


def test_dash_at_line_end_is_not_a_hyphenation():
    raw = "the army -\nand its allies - advanced"
    assert "army - and" in normalize(raw)[0]


@pytest.mark.parametrize("glyph", ["\uf0b7", "\u2022", "\u25aa", "\u25cf", "\uf0a7", "\u25e6", "\u2023"])
def test_bullet_glyph_at_line_start_becomes_a_list_item(glyph):
    raw = f"Three points:\n{glyph} Raqqa was taken\n{glyph}  Tabqa dam held"
    text, offsets = normalize(raw)
    assert text == "Three points:\n- Raqqa was taken\n- Tabqa dam held"
    item = text.index("- Raqqa")
    assert raw[offsets.to_raw(item)] == glyph


def test_bullet_alone_on_its_line_joins_the_following_text():
    raw = "Points:\n\u2022\nThe SDF advanced\non Raqqa"
    assert normalize(raw)[0] == "Points:\n- The SDF advanced on Raqqa"


def test_private_use_glyph_inside_a_line_is_dropped():
    raw = "Tabqa\uf020dam"
    text, _ = normalize(raw)
    assert text == "Tabqadam"


@pytest.mark.parametrize("furniture", ["Page 3 of 7", "- 4 -", "\u2013 12 \u2013", "17", "p. 4", "3/7"])
def test_page_numbers_alone_on_a_line_are_removed(furniture):
    raw = f"The siege was broken.\n\n{furniture}\n\nReinforcements arrived."
    assert normalize(raw)[0] == "The siege was broken.\n\nReinforcements arrived."


def test_running_header_and_footer_repeated_at_page_breaks_are_removed():
    raw = (
        "LEVANT MONITOR | BRIEF 37\nThe army advanced east of\nPalmyra on Tuesday and took\n"
        "two hills.\nConfidential\n\f"
        "LEVANT MONITOR | BRIEF 37\nThe SDF said it was ready.\nConfidential\n\f"
        "LEVANT MONITOR | BRIEF 37\nMoscow denied it.\nConfidential\n"
    )
    text, _ = normalize(raw)
    assert "LEVANT MONITOR" not in text
    assert "Confidential" not in text
    assert "Palmyra" in text and "Moscow denied it." in text


def test_sentence_broken_by_a_page_break_is_joined():
    raw = "The offensive toward the\n\nPage 1 of 2\n\fSYRIA BRIEF\nal-Omar oil field began.\n\nPage 2 of 2\n\fSYRIA BRIEF\nEnd."
    text, _ = normalize(raw)
    assert text.startswith("The offensive toward the al-Omar oil field began.")
    assert "SYRIA BRIEF" not in text


def test_european_thousands_separator_is_left_alone():
    raw = "about 6.000 militants and 12.500\nciviliansfled"
    text, _ = normalize(raw)
    assert "6.000" in text and "12.500" in text


def test_decomposed_accents_are_composed_and_map_to_the_whole_raw_cluster():
    raw = "Cafe\u0301 in Ha\u0300 Noi"
    text, offsets = normalize(raw)
    assert text == "Caf\u00e9 in H\u00e0 Noi"
    a, b = offsets.raw_span(0, 4)
    assert raw[a:b] == "Cafe\u0301"
    assert raw[slice(*offsets.raw_span(text.index("Noi"), len(text)))] == "Noi"


def test_ligatures_are_spelled_out():
    raw = "an e\ufb03cient of\ufb01cer"
    text, offsets = normalize(raw)
    assert text == "an efficient officer"
    start = text.index("officer")
    assert raw[slice(*offsets.raw_span(start, start + len("officer")))] == "of\ufb01cer"


def test_soft_hyphen_and_zero_width_characters_are_removed():
    text, _ = normalize("Kobani\u00ad\nwas retaken by the Y\u200bPG")
    assert text == "Kobaniwas retaken by the YPG"


def test_crlf_line_ends_are_normalised():
    assert normalize("One.\r\n\r\nTwo.")[0] == "One.\n\nTwo."


def test_title_line_before_a_paragraph_is_not_glued_to_it():
    raw = "Army retakes Palmyra\nDAMASCUS - Syrian forces retook the city on Sunday, the army said in a statement."
    assert normalize(raw)[0] == raw


def test_unwrapped_paragraphs_separated_by_single_newlines_stay_apart():
    lines = [
        "The Syrian army said on Tuesday that it had captured the town of al-Sukhnah after weeks of fighting with Islamic State militants in the desert.",
        "Russian jets carried out dozens of strikes on positions of the militants west of Deir ez-Zor, the Russian Defence Ministry said in a statement.",
        "The Syrian Democratic Forces, backed by the United States, said they were preparing an offensive on the eastern bank of the Euphrates river.",
        "Islamic State said on Amaq that it had killed dozens of soldiers.",
    ]
    raw = "\n".join(lines)
    assert normalize(raw)[0] == raw


def test_empty_input_gives_empty_text():
    text, offsets = normalize("")
    assert text == ""
    assert offsets.raw_span(0, 0) == (0, 0)
