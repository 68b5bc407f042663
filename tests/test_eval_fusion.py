"""`sitrep eval fusion`: hand-labelled event pairs scored against the clusters fusion makes."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from sitrep.evaluate.fusion import LABELS, Pair, Side, load_pairs, score_store, split_of
from sitrep.ids import content_id, stable_id
from sitrep.model import Document, Event, EventDate, PlaceRef
from sitrep.pipeline import DocResult
from sitrep.resolve.merge import place_id


def test_the_labels_are_over_a_hundred_pairs_of_both_kinds_from_both_corpora():
    pairs = load_pairs()
    assert len(pairs) >= 100
    assert Counter(p.same for p in pairs)[True] >= 20 and Counter(p.same for p in pairs)[False] >= 20
    assert {p.corpus for p in pairs} == {"fakes", "guardian"}
    assert {p.stratum for p in pairs} == {"merged", "split", "random"}
    assert len({p.id for p in pairs}) == len(pairs)


def test_the_labels_name_events_by_hash_and_offsets_and_keep_no_article_text():
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == {"id", "corpus", "stratum", "a", "b", "label", "reason"}
        for side in (row["a"], row["b"]):
            assert set(side) == {"doc", "content_hash", "type", "trigger", "evidence"}
            assert side["content_hash"].startswith("doc-") and side["trigger"][0] < side["trigger"][1]
        assert 10 <= len(row["reason"]) <= 120  # a short reason in our words, not a quotation


def test_the_dev_test_split_is_a_fixed_hash_with_both_halves_used():
    pairs = load_pairs()
    splits = Counter(split_of(p.id) for p in pairs)
    assert splits["dev"] >= 40 and splits["test"] >= 40
    assert [split_of(p.id) for p in pairs] == [split_of(p.id) for p in load_pairs()]


def _report(text: str, published: date, source: str) -> DocResult:
    doc = Document(id=content_id(text), source=source, text=text, published=published, raw=text)
    start = text.index("struck")
    trigger = doc.mention(start, start + 6)
    where = text.index("Raqqa")
    place = PlaceRef(key="gn:163915", name="Raqqa", feature="city", mention=doc.mention(where, where + 5),
                     via="gazetteer", lat=35.95, lon=39.01, country="SY", confidence=0.9)
    event = Event(id=stable_id("event", doc.id, trigger.start, trigger.end, "ASSAULT"), doc=doc.id, type="ASSAULT",
                  evidence=doc.mention(0, len(text)), trigger=trigger, place=place_id("gn:163915"),
                  date=EventDate("2017-09-10", "2017-09-10", "day", "on Sunday"))
    return DocResult(doc, (), (place,), (event,))


def _side(result: DocResult) -> Side:
    t = result.events[0].trigger
    return Side(content_hash=content_id(result.document.text), type="ASSAULT", trigger=(t.start, t.end))


def test_scores_count_pairs_in_one_cluster_against_their_labels(mem_store):
    a = _report("Jets struck Raqqa on Sunday.", date(2017, 9, 11), "wire")
    b = _report("Warplanes struck Raqqa on Sunday, residents said.", date(2017, 9, 11), "daily")
    c = _report("Jets struck Raqqa on Sunday again.", date(2017, 9, 12), "blog")
    other = _report("Nobody struck Raqqa on Sunday.", date(2017, 9, 12), "blog")
    mem_store.save([a, b, c])
    ghost = Side(content_hash="doc-0000000000000000", type="ASSAULT", trigger=(0, 4))
    pairs = [Pair("p1", "fakes", "merged", _side(a), _side(b), True),  # merged, right
             Pair("p2", "fakes", "merged", _side(a), _side(c), False),  # merged, wrong
             Pair("p3", "fakes", "split", _side(b), _side(other), True),  # other is not stored: missing
             Pair("p4", "guardian", "random", _side(a), ghost, False)]
    scores = score_store(mem_store, pairs)
    assert scores["missing"] == 2 and scores["pairs"] == 2
    assert (scores["precision"], scores["recall"]) == (0.5, 1.0)


@pytest.mark.slow
def test_fusion_on_the_labelled_dev_documents_stays_above_its_floor(shared_dir):
    """The labelled documents alone (about a minute; the whole corpora take several), dev pairs only.
    Measured 2026-11-25 as the event stage changed under it: precision 0.78 then 0.71, recall 0.47
    then 0.33, on 53 dev pairs; the floor leaves room for such drift, not for a broken fusion."""
    from sitrep.evaluate.fusion import evaluate_fusion

    [row] = evaluate_fusion(shared_dir, split="dev", labelled_only=True)
    assert row["missing"] <= 10, row  # the pipeline still finds the labelled triggers
    assert row["precision"] >= 0.55 and row["recall"] >= 0.25, row
