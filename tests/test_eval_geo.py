"""Toponym-resolution benchmark gates on a sample (first 30 articles of each corpus).

Floors sit about two points below the scores measured when they were set, so they catch
regressions, not noise. GeoVirus is the dev set; TR-News, GWN and LGL are test sets that were
never tuned on. Full-corpus numbers: `python -m sitrep.evaluate.geo` (see docs/benchmarks.md).
"""

from __future__ import annotations

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.geo import evaluate_geo, read_corpus

SAMPLE = 30
# corpus -> mode -> (min recall, min acc@161km): the sample scores measured on 2026-11-25
# (GeoVirus gold .955/.787, e2e .946/.767; TR-News .974/.907, .771/.703; GWN .694/.584,
# .673/.548; LGL .916/.753, .728/.572) minus about two points.
FLOORS = {
    "GeoVirus.xml": {"gold": (0.93, 0.77), "e2e": (0.92, 0.74)},
    "TR-News.xml": {"gold": (0.95, 0.88), "e2e": (0.75, 0.68)},
    "GWN.xml": {"gold": (0.67, 0.56), "e2e": (0.65, 0.52)},
    "lgl.xml": {"gold": (0.89, 0.73), "e2e": (0.70, 0.55)},
}


@pytest.fixture(scope="module")
def geo_dir(shared_dir):
    path = shared_dir / "eval" / "geoparsing"
    if not path.is_dir():
        pytest.skip(f"geoparsing corpora not found at {path}")
    return path


def test_corpora_read_with_offsets_that_match_their_phrases(geo_dir):
    for name in FLOORS:
        arts = read_corpus(geo_dir / name)
        tops = [t for a in arts[:SAMPLE] for t in a.toponyms]
        assert tops, name
        for a in arts[:SAMPLE]:
            for t in a.toponyms:
                assert a.text[t.start : t.end] == t.text


def test_gwn_keeps_only_literal_toponyms_unless_asked(geo_dir):
    literal = sum(len(a.toponyms) for a in read_corpus(geo_dir / "GWN.xml"))
    every = sum(len(a.toponyms) for a in read_corpus(geo_dir / "GWN.xml", literal_only=False))
    assert 0 < literal < every


def test_missing_corpus_raises_evaluation_error(tmp_path):
    with pytest.raises(EvaluationError, match="not found"):
        evaluate_geo(tmp_path / "nope.xml")


@pytest.mark.parametrize("corpus", list(FLOORS))
@pytest.mark.parametrize("mode", ["gold", "e2e"])
def test_resolution_stays_above_its_floor(geo_dir, nlp, corpus, mode):
    res = evaluate_geo(geo_dir / corpus, mode=mode, limit=SAMPLE, nlp=nlp)
    min_recall, min_acc = FLOORS[corpus][mode]
    assert res["recall"] >= min_recall, res
    assert res["acc161"] >= min_acc, res
    assert 0.0 <= res["auc"] <= 1.0
