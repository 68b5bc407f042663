"""Throughput of the sitrep pipeline against plain spaCy ``nlp.pipe`` on the same texts.

Absolute documents/s depend on the machine; the ratio, measured in one run on one machine, is what
we track. Rounds alternate (plain, sitrep, plain, sitrep …) so drift in machine load hits both,
and each side's best round is kept.

``events_ratio`` isolates the events stage: the pipeline with events only, against the foundation
pipeline (actors and places, no optional stage), on the same texts in the same rounds.
``techniques_ratio`` isolates the technique tagger the same way: every stage, against every stage
but techniques. ``ratio_without_techniques`` is that pipeline against plain spaCy.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from .corpus import iter_records


def evaluate_speed(corpus: Path, *, limit: int | None = None, rounds: int = 2, breakdown: bool = True) -> dict:
    """Plain spaCy against the whole pipeline; ``breakdown`` adds the per-stage ratios (three more passes a round)."""
    from ..ingest import documents_from_records
    from ..pipeline import Resources, process

    records = list(iter_records(corpus, limit=limit))  # a benchmark replays the same texts
    t0 = time.perf_counter()
    res = Resources.load()
    load_s = time.perf_counter() - t0
    texts = [r["text"] for r in records]
    chars = sum(len(t) for t in texts)

    def plain() -> float:
        start = time.perf_counter()
        for _ in res.nlp.pipe(texts, batch_size=16):
            pass
        return time.perf_counter() - start

    def ours(resources=res) -> float:
        start = time.perf_counter()
        for _ in process(documents_from_records(records, source=str(corpus)), resources=resources):
            pass
        return time.perf_counter() - start

    foundation = dataclasses.replace(res, features=frozenset())
    with_events = dataclasses.replace(res, features=frozenset({"events"}))
    no_techniques = dataclasses.replace(res, features=res.features - {"techniques"})

    warm = records[:5]
    for _ in process(documents_from_records(warm, source="warm-up"), resources=res):
        pass
    plain_s, ours_s, base_s, events_s, rest_s = [], [], [], [], []
    for _ in range(rounds):
        plain_s.append(plain())
        ours_s.append(ours())
        if breakdown:
            base_s.append(ours(foundation))
            events_s.append(ours(with_events))
            rest_s.append(ours(no_techniques))
    best_plain, best_ours = min(plain_s), min(ours_s)
    totals = {
        "documents": len(records),
        "characters": chars,
        "load_s": round(load_s, 2),
        "spacy_docs_per_s": round(len(records) / best_plain, 2),
        "sitrep_docs_per_s": round(len(records) / best_ours, 2),
        "ratio": round(best_ours / best_plain, 3),
        "features": ",".join(sorted(res.features)),
    }
    if not breakdown:
        return totals
    return {
        **totals,
        "foundation_docs_per_s": round(len(records) / min(base_s), 2),
        "events_docs_per_s": round(len(records) / min(events_s), 2),
        "events_ratio": round(min(events_s) / min(base_s), 3),
        "ratio_without_techniques": round(min(rest_s) / best_plain, 3),
        "techniques_ratio": round(best_ours / min(rest_s), 3),
    }
