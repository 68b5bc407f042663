"""nlp.doc_text: the Doc's text, read once per Doc but never another Doc's."""

from __future__ import annotations

from sitrep.nlp import doc_text


def test_doc_text_follows_the_doc_it_is_given(blank_nlp):
    first = blank_nlp("Rebels shelled the town.")
    second = blank_nlp("Government forces withdrew.")
    assert doc_text(first) == first.text
    assert doc_text(second) == second.text
    assert doc_text(first) == "Rebels shelled the town."


def test_doc_text_of_equal_texts_in_distinct_docs(blank_nlp):
    a, b = blank_nlp("Clashes near Idlib."), blank_nlp("Clashes near Idlib!")
    assert [doc_text(d) for d in (a, b, a)] == [a.text, b.text, a.text]
