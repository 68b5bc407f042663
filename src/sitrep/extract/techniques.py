"""Propaganda-technique spans (SemEval-2020 Task 11 labels) from a linear model over hashed n-grams.

Two logistic-regression models share one feature hasher, both trained by
``scripts/train_techniques.py`` on the PTC train split only:

* a token tagger says, for every word, how likely it lies inside a propaganda fragment; runs of
  words above the threshold (bridging short gaps) become spans. Its features are the word, its
  neighbours, their bigrams and the bag of words of the whole sentence, since loaded sentences
  tend to be flagged as a whole.
* a span classifier gives each span one of the 14 technique labels, spelled as the task spells them.

Inference needs numpy only; the weights are ``data/techniques_model.npz`` and their provenance
(training-set hash, seed, command) is in ``data/techniques_model.json``.
"""

from __future__ import annotations

import functools
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..errors import ModelError

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "techniques_model.npz"

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# PTC puts one sentence per line; other text may hold several sentences on a line.
_SENT_BREAK = re.compile(r"\n+|(?<=[.!?])\s+(?=[\"“'‘(\[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    doc: str
    start: int
    end: int
    raw_start: int | None
    raw_end: int | None
    text: str
    technique: str
    score: float


@dataclass(frozen=True)
class TechniquesModel:
    tagger: np.ndarray  # (dim,) token weights; index 0 of the bias lives in tagger_bias
    tagger_bias: float
    tagger_dim: int
    classifier: np.ndarray  # (classes, dim)
    classifier_bias: np.ndarray
    classifier_dim: int
    labels: tuple[str, ...]
    threshold: float
    max_gap: int
    min_tokens: int


def _h(feature: str, dim: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) % dim


def tokens(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, word, sentence number) for every word and punctuation mark."""
    out = []
    sent = 0
    pos = 0
    for brk in _SENT_BREAK.finditer(text + "\n"):
        for m in _TOKEN.finditer(text, pos, brk.start()):
            out.append((m.start(), m.end(), m.group(), sent))
        sent += 1
        pos = brk.end()
    return out


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "AA"
    if word[:1].isupper():
        return "Aa"
    if word.isdigit():
        return "9"
    if word.isalpha():
        return "a"
    return "p"


def token_features(toks: list[tuple[int, int, str, int]], dim: int) -> list[list[tuple[int, float]]]:
    """Hashed (index, value) features for each token."""
    words = [t[2].lower() for t in toks]
    n = len(toks)
    by_sent: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        by_sent.setdefault(t[3], []).append(i)
    feats: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for members in by_sent.values():
        first, last = members[0], members[-1]
        bag = sorted({words[i] for i in members})
        scale = 1.0 / np.sqrt(len(bag))
        sent_feats = [(_h("S=" + w, dim), scale) for w in bag]
        quoted = False
        length_bucket = "L=%d" % min(len(members) // 8, 6)
        sent_feats.append((_h(length_bucket, dim), 1.0))
        for i in members:
            w = words[i]
            if w in ('"', "“", "”"):
                quoted = not quoted
            prev1 = words[i - 1] if i > first else "<s>"
            prev2 = words[i - 2] if i - 1 > first else "<s>"
            next1 = words[i + 1] if i < last else "</s>"
            next2 = words[i + 2] if i + 1 < last else "</s>"
            rel = (i - first) / max(last - first, 1)
            f = [
                "w=" + w, "p1=" + prev1, "n1=" + next1, "p2=" + prev2, "n2=" + next2,
                "b-=" + prev1 + "|" + w, "b+=" + w + "|" + next1, "tri=" + prev1 + "|" + w + "|" + next1,
                "suf=" + w[-3:], "sh=" + _shape(toks[i][2]), "q=%d" % quoted, "pos=%d" % int(rel * 4),
                "first=%d" % (i == first), "last=%d" % (i == last),
            ]
            feats[i] = [(_h(x, dim), 1.0) for x in f] + sent_feats
    return feats


def span_features(text: str, start: int, end: int, dim: int) -> list[tuple[int, float]]:
    """Hashed features of a span for the technique classifier: its words, bigrams, length and context."""
    inside = [m.group().lower() for m in _TOKEN.finditer(text, start, end)]
    before = [m.group().lower() for m in _TOKEN.finditer(text, max(0, start - 60), start)][-3:]
    after = [m.group().lower() for m in _TOKEN.finditer(text, end, min(len(text), end + 60))][:3]
    scale = 1.0 / np.sqrt(max(len(inside), 1))
    f: list[tuple[int, float]] = [(_h("u=" + w, dim), scale) for w in inside]
    f += [(_h("bi=" + a + "|" + b, dim), scale) for a, b in zip(inside, inside[1:])]
    f += [(_h("c-=" + w, dim), 0.5) for w in before] + [(_h("c+=" + w, dim), 0.5) for w in after]
    n = len(inside)
    f.append((_h("len=%d" % (n if n < 6 else 6 + (n >= 12) + (n >= 25)), dim), 1.0))
    if inside:
        f += [(_h("first=" + inside[0], dim), 1.0), (_h("lastw=" + inside[-1], dim), 1.0)]
    # The same words elsewhere in the document signal Repetition.
    key = text[start:end].strip().lower()
    if key and text.lower().count(key) > 1:
        f.append((_h("repeated", dim), 1.0))
    return f


def to_csr(rows: list[list[tuple[int, float]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i, _ in r), dtype=np.int64, count=int(indptr[-1]))
    values = np.fromiter((v for r in rows for _, v in r), dtype=np.float32, count=int(indptr[-1]))
    return indptr, indices, values


def csr_dot(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Rows of a CSR matrix times a weight vector (or times each row of a (k, dim) matrix)."""
    if len(indices) == 0:
        return np.zeros((len(indptr) - 1,) if weights.ndim == 1 else (len(indptr) - 1, weights.shape[0]))
    prod = weights[..., indices] * values
    starts = indptr[:-1]
    out = np.add.reduceat(prod, np.minimum(starts, len(indices) - 1), axis=-1)
    empty = indptr[1:] == starts
    if empty.any():
        out[..., empty] = 0.0
    return out.T if weights.ndim == 2 else out


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> TechniquesModel:
    try:
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        return TechniquesModel(
            tagger=z["tagger"].astype(np.float32),
            tagger_bias=float(z["tagger_bias"]),
            tagger_dim=int(meta["tagger_dim"]),
            classifier=z["classifier"].astype(np.float32),
            classifier_bias=z["classifier_bias"].astype(np.float32),
            classifier_dim=int(meta["classifier_dim"]),
            labels=tuple(meta["labels"]),
            threshold=float(meta["threshold"]),
            max_gap=int(meta["max_gap"]),
            min_tokens=int(meta["min_tokens"]),
        )
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"{path}: cannot load the techniques model ({exc})") from None


def token_probs(text: str, model: TechniquesModel) -> tuple[list, np.ndarray]:
    toks = tokens(text)
    if not toks:
        return toks, np.zeros(0, dtype=np.float32)
    csr = to_csr(token_features(toks, model.tagger_dim))
    z = csr_dot(*csr, model.tagger) + model.tagger_bias
    return toks, 1.0 / (1.0 + np.exp(-z))


def decode(toks: list, probs: np.ndarray, *, threshold: float, max_gap: int, min_tokens: int) -> list[tuple[int, int, float]]:
    """Runs of tokens above ``threshold`` within one sentence, bridging gaps of up to ``max_gap`` tokens."""
    spans = []
    run: list[int] = []
    gap = 0
    for i, p in enumerate(probs):
        if run and toks[i][3] != toks[run[-1]][3]:
            spans.append(run)
            run, gap = [], 0
        if p >= threshold:
            run.append(i)
            gap = 0
        elif run:
            gap += 1
            if gap > max_gap:
                spans.append(run)
                run, gap = [], 0
    if run:
        spans.append(run)
    out = []
    for run in spans:
        first, last = run[0], run[-1]
        # Trim punctuation at the edges, as the task's gold boundaries are trimmed.
        while first < last and not toks[first][2][0].isalnum():
            first += 1
        while last > first and not toks[last][2][0].isalnum():
            last -= 1
        if last - first + 1 >= min_tokens:
            out.append((toks[first][0], toks[last][1], float(probs[first:last + 1].mean())))
    return out


def predict_spans(text: str, *, model: TechniquesModel | None = None, threshold: float | None = None) -> list[tuple[int, int, float]]:
    """(start, end, score) of the propaganda fragments found in ``text``."""
    model = model or load_model()
    toks, probs = token_probs(text, model)
    return decode(toks, probs, threshold=model.threshold if threshold is None else threshold,
                  max_gap=model.max_gap, min_tokens=model.min_tokens)


def classify_spans(text: str, spans: list[tuple[int, int]], *, model: TechniquesModel | None = None) -> list[tuple[str, float]]:
    """The technique label and its probability for each span of ``text``."""
    model = model or load_model()
    if not spans:
        return []
    csr = to_csr([span_features(text, s, e, model.classifier_dim) for s, e in spans])
    z = csr_dot(*csr, model.classifier) + model.classifier_bias
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = p.argmax(axis=1)
    return [(model.labels[k], float(p[i, k])) for i, k in enumerate(best)]


def find_techniques(doc, document, *, model: TechniquesModel | None = None, threshold: float | None = None) -> Iterator[TechniqueSpan]:
    """Propaganda-technique spans of ``document``; ``doc`` (the spaCy parse) is not needed by this model.

    ``score`` is the tagger's mean probability over the span's words.
    """
    model = model or load_model()
    text = document.text
    found = predict_spans(text, model=model, threshold=threshold)
    labels = classify_spans(text, [(s, e) for s, e, _ in found], model=model)
    for (start, end, score), (technique, _) in zip(found, labels):
        m = document.mention(start, end)
        yield TechniqueSpan(doc=m.doc, start=start, end=end, raw_start=m.raw_start, raw_end=m.raw_end,
                            text=m.text, technique=technique, score=round(score, 4))
