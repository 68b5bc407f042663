"""Articles/s of the pipeline without the techniques stage, of the techniques stage alone, and of both.

Same texts, same process; rounds alternate (pipeline, techniques, pipeline, ...) and each side's
best round is kept, as ``sitrep eval speed`` does. "Both" is the articles over the sum of the two
best times, which is what the pipeline costs once the stage is wired in.

Example:
  PYTHONPATH=src .venv/bin/python scripts/bench_techniques_speed.py \\
      --corpus ../shared/corpora/fakes/FA-KES-Dataset.csv --limit 50
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sitrep.evaluate.corpus import iter_records
from sitrep.extract.techniques import extract_techniques, load_model
from sitrep.ingest import documents_from_records
from sitrep.pipeline import Resources, process


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    records = list(iter_records(args.corpus, limit=args.limit))
    res = Resources.load(features=("events", "claims"))
    t0 = time.perf_counter()
    model = load_model()
    load_s = time.perf_counter() - t0
    docs = list(documents_from_records(records, source=str(args.corpus)))

    def pipeline() -> float:
        start = time.perf_counter()
        for _ in process(documents_from_records(records, source=str(args.corpus)), resources=res):
            pass
        return time.perf_counter() - start

    def techniques() -> tuple[float, int]:
        start = time.perf_counter()
        n = sum(1 for d in docs for _ in extract_techniques(d, model=model))
        return time.perf_counter() - start, n

    list(process(documents_from_records(records[:3], source="warm-up"), resources=res))
    list(extract_techniques(docs[0], model=model))
    pipe_s, tech_s = [], []
    for _ in range(args.rounds):
        pipe_s.append(pipeline())
        t, spans = techniques()
        tech_s.append(t)
    p, t = min(pipe_s), min(tech_s)
    n = len(records)
    out = {
        "articles": n,
        "characters": sum(len(r["text"]) for r in records),
        "technique_spans": spans,
        "techniques_load_s": round(load_s, 2),
        "pipeline_articles_per_s": round(n / p, 2),
        "techniques_only_articles_per_s": round(n / t, 2),
        "pipeline_with_techniques_articles_per_s": round(n / (p + t), 2),
        "slowdown": round((p + t) / p, 3),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
