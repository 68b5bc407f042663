"""The span classifier: recurrence marks Repetition, and a span listed k times gets k distinct techniques."""

from __future__ import annotations

import numpy as np

from sitrep.extract import techniques_features as F
from sitrep.extract.techniques import classify_spans, load_model

PHRASE = "the people will never surrender"
ONCE = f"Speaking at the rally, the minister said {PHRASE}. The crowd cheered and the event ended at noon."
THRICE = (f"Speaking at the rally, the minister said {PHRASE}. He said it twice more: {PHRASE}. "
          f"Later the crowd chanted that {PHRASE}.")


def _nth(text: str, n: int) -> tuple[int, int]:
    pos = -1
    for _ in range(n):
        pos = text.index(PHRASE, pos + 1)
    return pos, pos + len(PHRASE)


def _repetition_probability(text: str, span: tuple[int, int]) -> float:
    [(label, p)] = classify_spans(text, [span], model=load_model())
    return p if label == "Repetition" else 0.0


def test_a_phrase_said_once_is_not_repetition_but_its_third_saying_is():
    assert _repetition_probability(ONCE, _nth(ONCE, 1)) < 0.5
    assert _repetition_probability(THRICE, _nth(THRICE, 3)) > 0.9


def test_a_span_listed_twice_gets_its_two_most_probable_techniques_in_order():
    text = "These thugs are traitors to the nation."
    thugs = (text.index("thugs"), text.index("thugs") + len("thugs"))
    alone = classify_spans(text, [thugs], model=load_model())
    twice = classify_spans(text, [thugs, thugs, (0, len(text))], model=load_model())
    assert twice[0] == alone[0]
    assert twice[1][0] != twice[0][0] and twice[1][1] <= twice[0][1]
    assert len(twice) == 3


def test_distinct_labels_rank_repeats_and_leave_single_spans_at_their_best():
    scores = np.array([[0.1, 0.7, 0.2], [0.1, 0.7, 0.2], [0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    keys = [("a", 0, 5), ("a", 0, 5), ("a", 0, 5), ("b", 0, 5)]
    assert F.distinct_labels(scores, keys).tolist() == [1, 2, 0, 0]
    assert F.distinct_labels(scores[:0], []).tolist() == []


def test_span_features_are_the_same_with_and_without_precomputed_counts():
    start, end = _nth(THRICE, 2)
    assert F.span_features(THRICE, start, end, 1 << 17) == F.span_features(
        THRICE, start, end, 1 << 17, counts=F.word_counts(THRICE))
