"""Fatalities parser against ACLED's coded `fatalities` (a stop-gap until `sitrep eval acled`).

Usage: PYTHONPATH=src .venv/bin/python scripts/acled_fatalities_eval.py dev|test [N_ERRORS_TO_SHOW]
Splits (issue "Events"): test = 2017-10, dev = 2017-09, train = all other months. Tune on dev only.
"""

import csv
import os
import sys
from pathlib import Path

from sitrep import nlp as N
from sitrep.extract.quantities import acled_fatalities, find_fatalities
from sitrep.model import Document

split = sys.argv[1]
prefix = {"dev": "2017-09", "test": "2017-10"}[split]
shared = Path(os.environ.get("SITREP_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
with open(shared / "eval/acled/acled_syria_battles_2017_2023.csv", encoding="utf-8") as fh:
    rows = [r for r in csv.DictReader(fh) if r["event_date"].startswith(prefix)]
nlp = N.load()
ok = 0
errors = []
for doc, row in zip(nlp.pipe(r["notes"] for r in rows), rows):
    document = Document(id="note", source="acled", text=doc.text)
    got, gold = acled_fatalities(doc, document), int(float(row["fatalities"] or 0))
    if got == gold:
        ok += 1
    else:
        errors.append((gold, got, row["notes"], [(f.value, f.kind, f.side) for f in find_fatalities(doc, document)]))
print(f"{split}: {ok}/{len(rows)} = {ok / len(rows):.3f}")
for gold, got, note, found in errors[: int(sys.argv[2]) if len(sys.argv) > 2 else 0]:
    print(gold, got, "|", note[:400], "|", found)
