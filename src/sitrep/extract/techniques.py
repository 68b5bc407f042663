"""Propaganda-technique spans (SemEval-2020 Task 11 labels) from a fine-tuned MiniLM tagger run with onnxruntime.

Two shipped models, both trained on the PTC train split only:

* the tagger (``data/techniques_tagger.onnx``, all-MiniLM-L6-v2 fine-tuned by
  ``scripts/train_techniques.py``, dynamic int8) gives every word piece the probability that it
  lies inside a propaganda fragment; runs of pieces above the dev-tuned threshold become spans.
* the span classifier (``data/techniques_classifier.npz``, ``scripts/train_techniques_tc.py``)
  names each span's technique from hashed n-grams, how often the span recurs and, when it was
  trained with them, the pooled states of a MiniLM tuned on PTC train spans
  (``data/techniques_encoder.onnx``, ``scripts/train_techniques_tc_tuned.py``).

Inference needs onnxruntime, tokenizers and numpy; never torch. Sessions load once per process.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ..errors import ModelError
from ..model import TECHNIQUES, Document, TechniqueSpan, TechniqueSummary
from . import techniques_features as F
from . import techniques_text as TT

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "techniques_tagger.onnx"
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_RETRAIN = "reinstall sitrep or retrain with scripts/train_techniques.py"


@dataclass(frozen=True, eq=False)
class TechniquesModel:
    tagger: Any  # onnxruntime.InferenceSession: (input_ids, attention_mask) -> (batch, pieces, 1 + labels) probs
    tokenizer: Any  # tokenizers.Tokenizer, padding and truncation off
    labels: tuple[str, ...]
    threshold: float
    max_gap: int
    classifier: np.ndarray  # (labels, hash_dim [+ 2 * 384])
    classifier_bias: np.ndarray
    hash_dim: int
    encoder: Any | None  # pretrained MiniLM session for the classifier's dense features, or None
    dense_scale: float


def default_threads() -> int:
    """onnxruntime intra-op threads: SITREP_TECHNIQUES_THREADS where the settings table has it, else 1."""
    from .. import settings

    if "SITREP_TECHNIQUES_THREADS" in settings.SETTINGS:
        return settings.get("SITREP_TECHNIQUES_THREADS")
    return 1


def _session(path: Path, threads: int):
    import onnxruntime as ort

    if not path.is_file():
        raise ModelError(f"{path}: techniques model file is missing; {_RETRAIN}")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable models
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"{path}: cannot load the techniques model ({reason}); {_RETRAIN}") from None


def _tokenizer(path: Path):
    from tokenizers import Tokenizer

    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception for missing or malformed files
        raise ModelError(f"{path}: cannot load the techniques tokenizer ({str(exc)[:160]}); {_RETRAIN}") from None
    TT.prepare(tok)
    return tok


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH, *, threads: int | None = None) -> TechniquesModel:
    """The tagger at ``path`` with its tokenizer, provenance (``.json`` beside it) and span classifier."""
    path = Path(path)
    threads = threads or default_threads()
    tagger = _session(path, threads)
    folder = path.parent
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        z = np.load(folder / "techniques_classifier.npz", allow_pickle=False)
        cmeta = json.loads(str(z["meta"]))
        weights, bias = z["weights"].astype(np.float32), z["bias"].astype(np.float32)
        labels, threshold, max_gap = tuple(meta["labels"]), float(meta["threshold"]), int(meta["max_gap"])
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"{folder}: cannot read the techniques model metadata or classifier ({exc}); {_RETRAIN}") from None
    if labels != TECHNIQUES or tuple(cmeta["labels"]) != TECHNIQUES:
        raise ModelError(f"{path}: the model's technique labels differ from sitrep.model.TECHNIQUES; {_RETRAIN}")
    encoder = _session(folder / "techniques_encoder.onnx", threads) if cmeta["encoder"] else None
    return TechniquesModel(
        tagger=tagger, tokenizer=_tokenizer(folder / "techniques_tokenizer.json"), labels=labels,
        threshold=threshold, max_gap=max_gap, classifier=weights, classifier_bias=bias,
        hash_dim=int(cmeta["hash_dim"]), encoder=encoder, dense_scale=float(cmeta["dense_scale"]),
    )


def piece_probs(text: str, model: TechniquesModel, ws: list[TT.Window] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offsets (pieces, 2), sentence numbers (pieces,) and tagger outputs (pieces, 1 + labels) of ``text``.

    ``ws`` are the text's windows where the caller already cut them.
    """
    ws = TT.windows(text, model.tokenizer) if ws is None else ws
    width = 1 + len(model.labels)
    if not ws:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64), np.zeros((0, width), np.float32)
    probs = TT.run_session(model.tagger, ws)
    return (np.concatenate([w.offsets for w in ws]),
            np.concatenate([np.full(len(w.offsets), w.sentence) for w in ws]),
            np.concatenate(probs))


def predict_spans(text: str, *, model: TechniquesModel | None = None, threshold: float | None = None,
                  ws: list[TT.Window] | None = None) -> list[tuple[int, int, float]]:
    """(start, end, score) of the propaganda fragments found in ``text``; score is the mean piece probability."""
    model = model or load_model()
    offsets, sent, probs = piece_probs(text, model, ws)
    thr = model.threshold if threshold is None else threshold
    return [(s, e, float(probs[a:b, 0].mean()))
            for s, e, a, b in TT.decode(text, offsets, sent, probs[:, 0], threshold=thr, max_gap=model.max_gap)]


def classify_spans(text: str, spans: list[tuple[int, int]], *, model: TechniquesModel | None = None,
                   ws: list[TT.Window] | None = None) -> list[tuple[str, float]]:
    """The technique label and its probability for each span of ``text``.

    A span listed k times gets its k most probable techniques, in order (the technique task's
    template lists a fragment once per technique).
    """
    model = model or load_model()
    if not spans:
        return []
    rows = F.classifier_rows(text, spans, hash_dim=model.hash_dim, tokenizer=model.tokenizer,
                             encoder=model.encoder, dense_scale=model.dense_scale, ws=ws)
    z = F.csr_dot(*F.to_csr(rows), model.classifier) + model.classifier_bias
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = F.distinct_labels(p, [(s, e) for s, e in spans])
    return [(model.labels[k], float(p[i, k])) for i, k in enumerate(best)]


def extract_techniques(document: Document, *, model: TechniquesModel | None = None,
                       threshold: float | None = None) -> Iterator[TechniqueSpan]:
    """Propaganda-technique spans of ``document``, in text order, with raw offsets for evidence."""
    if not document.ok or not document.text.strip():
        return
    model = model or load_model()
    text = document.text
    ws = TT.windows(text, model.tokenizer)  # cut once: the tagger and the classifier's encoder share them
    found = predict_spans(text, model=model, threshold=threshold, ws=ws)
    labels = classify_spans(text, [(s, e) for s, e, _ in found], model=model, ws=ws)
    for (start, end, score), (technique, _) in zip(found, labels):
        m = document.mention(start, end)
        yield TechniqueSpan(doc=document.id, start=start, end=end, raw_start=m.raw_start, raw_end=m.raw_end,
                            text=m.text, technique=technique, score=round(score, 4))


def summarize_techniques(document: Document, spans, *, top: int = 3) -> TechniqueSummary:
    """Counts per technique, spans per 1,000 words and the ``top`` most-flagged sentences, densest first.

    A sentence's density is the share of its characters inside some span; ties go to the sentence
    with more spans, then to the earlier one.
    """
    spans = list(spans)
    text = document.text
    words = sum(1 for _ in _WORD.finditer(text))
    counted = Counter(s.technique for s in spans)
    counts = {t: counted[t] for t in TECHNIQUES if counted[t]}
    ranked = []
    for start, end in TT.sentences(text):
        inside = [s for s in spans if s.start < end and s.end > start]
        if not inside:
            continue
        covered = np.zeros(end - start, dtype=bool)
        for s in inside:
            covered[max(s.start, start) - start:min(s.end, end) - start] = True
        ranked.append((-covered.mean(), -len(inside), start, end))
    ranked.sort()
    return TechniqueSummary(
        doc=document.id,
        words=words,
        counts=counts,
        per_1000_words=round(len(spans) * 1000 / words, 2) if words else 0.0,
        passages=tuple(document.mention(s, e) for _, _, s, e in ranked[:top]),
    )
