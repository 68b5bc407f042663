"""Features of a candidate span for the technique classifier, and the sparse algebra it runs on.

A span is described by hashed n-grams of its words and context, by how often it recurs in its
text, and optionally by the classifier's MiniLM encoder (tuned on PTC train spans): the mean of its
word pieces' hidden states and the mean over its sentence, each scaled to unit length. Dense
values sit after the hashed block in one index space, so both kinds go through the same sparse
dot product.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

import numpy as np

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+")


def _h(feature: str, dim: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) % dim


def word_counts(text: str) -> Counter:
    """How often each lower-cased word occurs in ``text`` (what ``span_features`` reads recurrence from)."""
    return Counter(_WORD.findall(text.lower()))


def span_features(text: str, start: int, end: int, dim: int, *, counts: Counter | None = None) -> list[tuple[int, float]]:
    """Hashed features of a span: its words, bigrams, length, context and how often it recurs.

    ``counts`` is ``word_counts(text)``, computed once per text by callers featurising many spans.
    """
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
    low = text.lower()
    n = low.count(key) if key else 0
    if n > 1:
        f.append((_h("repeated", dim), 1.0))
    return f + _recurrence(low, key, n, start, word_counts(text) if counts is None else counts, dim)


def _recurrence(low: str, key: str, n: int, start: int, counts: Counter, dim: int) -> list[tuple[int, float]]:
    """How often (``n``) the span recurs and whether this is a later occurrence; how many of its longer words
    (over three letters, so no stop-word list is needed) recur more than twice in the text.

    PTC labels the repeats of a phrase, not only the phrase, as Repetition; a plain "repeated"
    flag left 63% of them unrecognised in cross-validation (docs/benchmarks.md).
    """
    f = [(_h("occ=%d" % min(n, 4), dim), 1.0)]
    if n > 1 and low.find(key) < start:
        f.append((_h("occ_later", dim), 1.0))
    words = {w for w in _WORD.findall(key) if len(w) > 3}
    if words:
        recurring = sum(1 for w in words if counts[w] > 2)
        f.append((_h("contentrep=%d" % min(recurring, 3), dim), 1.0))
        f.append((_h("contentshare=%d" % int(4 * recurring / len(words)), dim), 1.0))
    return f


def distinct_labels(scores: np.ndarray, spans: list) -> np.ndarray:
    """The best label of each span, except that a span listed k times gets its k best labels, in order.

    ``spans`` are hashable keys, one per row of ``scores``: (start, end), or (doc, start, end)
    across documents.

    SemEval-2020 Task 11's technique task lists a fragment once per technique it carries, so the
    same label twice can only be right once.
    """
    out = scores.argmax(axis=1) if len(spans) else np.zeros(0, dtype=np.int64)
    seen: dict = {}
    for i, span in enumerate(spans):
        k = seen.get(span, 0)
        seen[span] = k + 1
        if k:
            out[i] = np.argsort(-scores[i], kind="stable")[min(k, scores.shape[1] - 1)]
    return out


def dense_features(vectors: np.ndarray, offset: int, scale: float) -> list[tuple[int, float]]:
    """(offset + i, scale * v_i) for each unit-length vector, concatenated."""
    out: list[tuple[int, float]] = []
    pos = offset
    for v in vectors:
        norm = float(np.linalg.norm(v)) or 1.0
        out += [(pos + i, float(x) * scale / norm) for i, x in enumerate(v)]
        pos += len(v)
    return out


def pooled(hidden: list[np.ndarray], offsets: list[np.ndarray], start: int, end: int) -> np.ndarray:
    """Mean hidden state of the pieces overlapping [start, end) and of the windows that hold them.

    ``hidden`` and ``offsets`` are per window: (pieces, width) states and (pieces, 2) offsets.
    Returns (2, width): span mean, sentence mean; zeros where nothing overlaps.
    """
    width = hidden[0].shape[1] if hidden else 0
    span_sum = np.zeros(width, dtype=np.float64)
    sent_sum = np.zeros(width, dtype=np.float64)
    n_span = n_sent = 0
    for h, o in zip(hidden, offsets):
        hit = (o[:, 0] < end) & (o[:, 1] > start)
        if hit.any():
            span_sum += h[hit].sum(axis=0)
            n_span += int(hit.sum())
            sent_sum += h.sum(axis=0)
            n_sent += len(h)
    return np.stack([span_sum / max(n_span, 1), sent_sum / max(n_sent, 1)]).astype(np.float32)


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


def classifier_rows(text: str, spans: list[tuple[int, int]], *, hash_dim: int, tokenizer=None, encoder=None,
                    dense_scale: float = 1.0, ws=None) -> list[list[tuple[int, float]]]:
    """One feature row per span: hashed n-grams, then (with an encoder) pooled span and sentence states.

    The encoder runs only over the windows that some span touches; ``ws`` are the text's windows
    where the caller already cut them.
    """
    counts = word_counts(text)
    rows = [span_features(text, s, e, hash_dim, counts=counts) for s, e in spans]
    if encoder is None or not spans:
        return rows
    from .techniques_text import run_session, windows

    ws = windows(text, tokenizer) if ws is None else ws
    touched = [w for w in ws if any(((w.offsets[:, 0] < e) & (w.offsets[:, 1] > s)).any() for s, e in spans)]
    hidden = run_session(encoder, touched)
    offs = [w.offsets for w in touched]
    for row, (s, e) in zip(rows, spans):
        mine = [(h, o) for h, o in zip(hidden, offs) if ((o[:, 0] < e) & (o[:, 1] > s)).any()]
        vecs = pooled([h for h, _ in mine], [o for _, o in mine], s, e) if mine else np.zeros((2, 1), np.float32)
        row += dense_features(vecs, hash_dim, dense_scale) if mine else []
    return rows
