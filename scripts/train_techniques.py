"""Train the propaganda-technique model (token tagger + span classifier) on PTC train only.

The decoding threshold and gap are chosen on dev (the task's tuning split); test is never read.
Writes src/sitrep/extract/data/techniques_model.npz and techniques_model.json (provenance).

Example:
  PYTHONPATH=src .venv/bin/python scripts/train_techniques.py --ptc ../shared/eval/ptc --cv
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from sitrep.evaluate.ptc import load_split, merge_spans, si_scores
from sitrep.extract import techniques as T

SEED = 13
OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "extract" / "data"


def train_set_sha256(ptc: Path) -> str:
    """One hash over every train article and label file, in sorted path order."""
    h = hashlib.sha256()
    for sub in ("train-articles", "train-labels-task1-span-identification", "train-labels-task2-technique-classification"):
        for path in sorted((ptc / sub).iterdir()):
            h.update(f"{sub}/{path.name}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def tagger_data(texts: dict[str, str], gold: dict[str, list], dim: int, order: list[str]):
    rows, labels = [], []
    for doc in order:
        toks = T.tokens(texts[doc])
        spans = merge_spans(gold.get(doc, []))
        inside = np.zeros(len(toks), dtype=np.float32)
        for i, (s, e, _, _) in enumerate(toks):
            inside[i] = any(s < t1 and e > t0 for t0, t1 in spans)
        rows.extend(T.token_features(toks, dim))
        labels.append(inside)
    return T.to_csr(rows), np.concatenate(labels)


def _batch(csr, lo, hi):
    indptr, indices, values = csr
    a, b = indptr[lo], indptr[hi]
    return indptr[lo:hi + 1] - a, indices[a:b], values[a:b]


def train_binary(csr, y, dim, *, epochs, lr=0.1, l2=1e-7, batch=2048, seed=SEED):
    rng = np.random.default_rng(seed)
    w = np.zeros(dim, dtype=np.float64)
    g2 = np.full(dim, 1e-8)
    b, gb2 = 0.0, 1e-8
    n = len(y)
    starts = np.arange(0, n, batch)
    for _ in range(epochs):
        for lo in rng.permutation(starts):
            hi = min(lo + batch, n)
            ip, ix, vals = _batch(csr, lo, hi)
            z = T.csr_dot(ip, ix, vals, w) + b
            err = 1.0 / (1.0 + np.exp(-z)) - y[lo:hi]
            row_err = np.repeat(err, np.diff(ip))
            grad = np.bincount(ix, weights=vals * row_err, minlength=dim) / (hi - lo) + l2 * w
            g2 += grad * grad
            w -= lr * grad / np.sqrt(g2)
            gb = err.mean()
            gb2 += gb * gb
            b -= lr * gb / np.sqrt(gb2)
    return w.astype(np.float32), float(b)


def train_softmax(csr, y, k, dim, *, epochs, lr=0.2, l2=1e-6, batch=256, seed=SEED):
    rng = np.random.default_rng(seed)
    w = np.zeros((k, dim))
    g2 = np.full((k, dim), 1e-8)
    b, gb2 = np.zeros(k), np.full(k, 1e-8)
    n = len(y)
    onehot = np.eye(k)[y]
    for _ in range(epochs):
        order = rng.permutation(n)
        for lo in range(0, n, batch):
            rows = order[lo:lo + batch]
            ip, ix, vals = _rows(csr, rows)
            z = T.csr_dot(ip, ix, vals, w) + b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            err = (p - onehot[rows]) / len(rows)
            row_err = np.repeat(err, np.diff(ip), axis=0)
            touched = np.unique(ix)
            pos = np.searchsorted(touched, ix)
            grad = np.stack([np.bincount(pos, weights=vals * row_err[:, c], minlength=len(touched)) for c in range(k)])
            grad += l2 * w[:, touched]
            g2[:, touched] += grad * grad
            w[:, touched] -= lr * grad / np.sqrt(g2[:, touched])
            gb = err.sum(axis=0)
            gb2 += gb * gb
            b -= lr * gb / np.sqrt(gb2)
    return w.astype(np.float32), b.astype(np.float32)


def _rows(csr, rows):
    indptr, indices, values = csr
    lens = indptr[rows + 1] - indptr[rows]
    ip = np.zeros(len(rows) + 1, dtype=np.int64)
    ip[1:] = np.cumsum(lens)
    take = np.concatenate([np.arange(indptr[r], indptr[r + 1]) for r in rows])
    return ip, indices[take], values[take]


def tc_data(ptc: Path, texts: dict[str, str], labels: list[str], dim: int):
    rows, ys, docs = [], [], []
    label_dir = ptc / "train-labels-task2-technique-classification"
    for doc in sorted(texts):
        with open(label_dir / f"article{doc}.task2-TC.labels", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                _, tech, s, e = line.rstrip("\r\n").split("\t")
                rows.append(T.span_features(texts[doc], int(s), int(e), dim))
                ys.append(labels.index(tech))
                docs.append(doc)
    return T.to_csr(rows), np.array(ys), np.array(docs)


def tune_decoding(model_parts, texts, gold):
    """Pick threshold, gap and minimum length that maximise SI F1 on the given split."""
    w, b, dim = model_parts
    cached = {}
    for doc, text in texts.items():
        toks = T.tokens(text)
        csr = T.to_csr(T.token_features(toks, dim))
        cached[doc] = (toks, 1.0 / (1.0 + np.exp(-(T.csr_dot(*csr, w) + b))))
    best = None
    for thr in np.arange(0.10, 0.62, 0.02):
        for gap in (0, 2, 5, 8, 12, 20, 100):
            for min_tokens in (1, 2, 3):
                pred = {d: [(s, e) for s, e, _ in T.decode(toks, p, threshold=thr, max_gap=gap, min_tokens=min_tokens)]
                        for d, (toks, p) in cached.items()}
                sc = si_scores(pred, gold)
                if best is None or sc["F1"] > best[0]["F1"]:
                    best = (sc, round(float(thr), 2), gap, min_tokens)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ptc", type=Path, required=True, help="shared/eval/ptc")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--tagger-bits", type=int, default=20)
    ap.add_argument("--classifier-bits", type=int, default=17)
    ap.add_argument("--cv", action="store_true", help="also report TC micro-F1 by 5-fold CV on train")
    args = ap.parse_args(argv)
    t0 = time.time()
    labels = [x.strip() for x in open(args.ptc / "propaganda-techniques-names-semeval2020task11.txt", encoding="utf-8") if x.strip()]
    texts, gold = load_split(args.ptc, "train")
    order = list(np.random.default_rng(SEED).permutation(sorted(texts)))
    tdim, cdim = 1 << args.tagger_bits, 1 << args.classifier_bits

    csr, y = tagger_data(texts, gold, tdim, order)
    print(f"tagger: {len(y)} tokens, {y.mean():.3f} inside fragments", file=sys.stderr)
    w, b = train_binary(csr, y, tdim, epochs=args.epochs, lr=args.lr)
    dev_texts, dev_gold = load_split(args.ptc, "dev")
    dev_scores, thr, gap, min_tokens = tune_decoding((w, b, tdim), dev_texts, dev_gold)
    print(f"dev SI (tuned): {dev_scores} thr={thr} gap={gap} min_tokens={min_tokens}", file=sys.stderr)

    tc_csr, tc_y, tc_docs = tc_data(args.ptc, texts, labels, cdim)
    cv = None
    if args.cv:
        udocs = np.array(sorted(set(tc_docs)))
        fold_of = dict(zip(np.random.default_rng(SEED).permutation(udocs), np.arange(len(udocs)) % 5))
        folds = np.array([fold_of[d] for d in tc_docs])
        correct = 0
        for f in range(5):
            tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
            cw, cb = train_softmax(_sub(tc_csr, tr), tc_y[tr], len(labels), cdim, epochs=8)
            z = T.csr_dot(*_sub(tc_csr, te), cw) + cb
            correct += int((z.argmax(axis=1) == tc_y[te]).sum())
        cv = correct / len(tc_y)
        print(f"TC micro-F1 5-fold CV (folds by article): {cv:.4f}", file=sys.stderr)
    cw, cb = train_softmax(tc_csr, tc_y, len(labels), cdim, epochs=8)

    meta = {"tagger_dim": tdim, "classifier_dim": cdim, "labels": labels, "threshold": thr, "max_gap": gap,
            "min_tokens": min_tokens}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT_DIR / "techniques_model.npz", tagger=w.astype(np.float16), tagger_bias=np.float32(b),
                        classifier=cw.astype(np.float16), classifier_bias=cb, meta=json.dumps(meta))
    provenance = {
        "data": "SemEval-2020 Task 11 PTC v2, train split only (train-articles, task1-SI and task2-TC labels); "
                "decoding threshold/gap/min_tokens tuned on dev SI",
        "train_sha256": train_set_sha256(args.ptc),
        "seed": SEED,
        "command": "PYTHONPATH=src .venv/bin/python scripts/train_techniques.py " + " ".join(argv or sys.argv[1:]),
        "epochs": args.epochs,
        "dev_si": {k: round(v, 4) if isinstance(v, float) else v for k, v in dev_scores.items()},
        "tc_cv_micro_f1": None if cv is None else round(cv, 4),
        "train_seconds": round(time.time() - t0, 1),
        **{k: v for k, v in meta.items() if k != "labels"},
    }
    (OUT_DIR / "techniques_model.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(provenance, indent=2))
    return 0


def _sub(csr, rows):
    return _rows(csr, rows)


if __name__ == "__main__":
    sys.exit(main())
