"""Train the ACLED Battles sub-event type model shipped as extract/data/acled_battle_subtype.npz.

Data: ../shared/eval/acled/acled_syria_battles_2017_2023.csv (ACLED terms: evaluation only, never
shipped). Splits as the shared README fixes them: test = 2017-10, dev = 2017-09, train = the rest.
The model is a multinomial logistic regression over hashed word 1-2-grams of ``notes``
(sitrep.extract.event_types.hashed_features), fitted by full-batch Adam in numpy; it is
deterministic (zero initialisation, fixed iteration count), so the seed only documents that.
Only weights are written (float16, hashed buckets): no ACLED text or vocabulary.

    python scripts/train_acled_battle_subtype.py            # tune on dev, write the model
    python scripts/train_acled_battle_subtype.py --report-test   # also score test once
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.extract.event_types import hashed_features  # noqa: E402

DATA = REPO / "src" / "sitrep" / "extract" / "data"
LABELS = ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]
SEED = 0


def read_rows(path: Path) -> dict[str, list[tuple[str, int]]]:
    splits: dict[str, list[tuple[str, int]]] = {"train": [], "dev": [], "test": []}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            month = row["event_date"][:7]
            split = "test" if month == "2017-10" else "dev" if month == "2017-09" else "train"
            splits[split].append((row["notes"], LABELS.index(row["sub_event_type"])))
    return splits


def design(rows, dim: int):
    idx, doc = [], []
    for n, (text, _) in enumerate(rows):
        feats = hashed_features(text, dim=dim)
        idx.extend(feats)
        doc.extend([n] * len(feats))
    y = np.array([label for _, label in rows])
    return np.array(idx, dtype=np.int64), np.array(doc, dtype=np.int64), y


def logits(W, b, idx, doc, n):
    return b + np.stack([np.bincount(doc, weights=W[idx, c], minlength=n) for c in range(W.shape[1])], 1)


def fit(idx, doc, y, *, dim: int, l2: float, iters: int, lr: float = 0.05):
    n, k = len(y), len(LABELS)
    W, b = np.zeros((dim, k)), np.zeros(k)
    Y = np.eye(k)[y]
    mW, vW, mb, vb = np.zeros_like(W), np.zeros_like(W), np.zeros(k), np.zeros(k)
    for t in range(1, iters + 1):
        z = logits(W, b, idx, doc, n)
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        r = (p - Y) / n
        gW = np.stack([np.bincount(idx, weights=r[doc, c], minlength=dim) for c in range(k)], 1) + l2 * W
        gb = r.sum(0)
        for g, m, v, param in ((gW, mW, vW, W), (gb, mb, vb, b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            param -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return W, b


def accuracy(W, b, rows, dim: int) -> float:
    idx, doc, y = design(rows, dim)
    pred = logits(W, b, idx, doc, len(y)).argmax(1)
    return float((pred == y).mean())


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")))
    ap.add_argument("--dim", type=int, default=2**18)
    ap.add_argument("--report-test", action="store_true", help="score the test month once, at the end")
    args = ap.parse_args(argv)
    path = args.shared / "eval" / "acled" / "acled_syria_battles_2017_2023.csv"
    splits = read_rows(path)
    train = splits["train"]
    data_hash = hashlib.sha256("\n".join(text for text, _ in train).encode("utf-8")).hexdigest()
    idx, doc, y = design(train, args.dim)

    best = None
    for l2 in (1e-5, 1e-4, 3e-4):
        for iters in (200, 400):
            W, b = fit(idx, doc, y, dim=args.dim, l2=l2, iters=iters)
            acc = accuracy(W, b, splits["dev"], args.dim)
            print(f"l2={l2:g} iters={iters} dev accuracy={acc:.4f}", flush=True)
            if best is None or acc > best[0]:
                best = (acc, l2, iters, W, b)
    dev_acc, l2, iters, W, b = best
    np.savez_compressed(DATA / "acled_battle_subtype.npz", weights=W.astype(np.float16),
                        bias=b.astype(np.float16), labels=np.array(LABELS))
    # score with the float16 weights that ship
    W16, b16 = W.astype(np.float16).astype(np.float64), b.astype(np.float16).astype(np.float64)
    meta = {
        "model": "multinomial logistic regression, hashed word 1-2-grams (crc32 mod dim)",
        "dim": args.dim, "l2": l2, "iterations": iters, "optimizer": "full-batch Adam, lr 0.05",
        "seed": SEED, "labels": LABELS,
        "train_rows": len(train), "train_notes_sha256": data_hash,
        "splits": "train = all rows outside 2017-09 and 2017-10; dev = 2017-09; test = 2017-10",
        "dev_accuracy": round(accuracy(W16, b16, splits["dev"], args.dim), 4),
        "command": "python scripts/train_acled_battle_subtype.py --report-test",
        "source": "ACLED Syria Battles 2017-2023 (evaluation copy in ../shared; not redistributed)",
    }
    if args.report_test:
        meta["test_accuracy"] = round(accuracy(W16, b16, splits["test"], args.dim), 4)
    (DATA / "acled_battle_subtype.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
