"""Sentences and word-piece windows for the propaganda-technique tagger.

Shared by the runtime (``techniques.py``) and the training script, so the model sees text cut the
same way in both. Needs the ``tokenizers`` library and numpy only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# PTC puts one sentence per line; other text may hold several sentences on a line.
_SENT_BREAK = re.compile(r"\n+|(?<=[.!?])\s+(?=[\"“'‘(\[A-Z0-9])")
# 128 positions per window: [CLS] + pieces + [SEP]; longer sentences are cut into several windows.
MAX_PIECES = 126
CLS_ID, SEP_ID = 101, 102
_EDGE = frozenset(" \t\n,.;:-–—()[]")


@dataclass(frozen=True, slots=True)
class Window:
    """Up to MAX_PIECES word pieces of one sentence with their character offsets into the text."""

    sentence: int
    ids: np.ndarray  # int64, with [CLS] and [SEP]
    offsets: np.ndarray  # (pieces, 2) int64 character offsets, one row per piece between the specials


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank sentence, trimmed of surrounding white space."""
    out = []
    pos = 0
    for brk in _SENT_BREAK.finditer(text + "\n"):
        start, end = pos, brk.start()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
        pos = brk.end()
    return out


def prepare(tokenizer) -> None:
    """The shipped tokenizer.json pads and truncates to 128; windows are cut here instead."""
    tokenizer.no_padding()
    tokenizer.no_truncation()


def windows(text: str, tokenizer) -> list[Window]:
    """Word-piece windows covering every sentence of ``text``, in text order."""
    sents = sentences(text)
    if not sents:
        return []
    encs = tokenizer.encode_batch([text[s:e] for s, e in sents], add_special_tokens=False)
    out = []
    for k, ((s, _), enc) in enumerate(zip(sents, encs)):
        ids = np.asarray(enc.ids, dtype=np.int64)
        if not len(ids):
            continue
        offs = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2) + s
        for lo in range(0, len(ids), MAX_PIECES):
            piece_ids = ids[lo:lo + MAX_PIECES]
            full = np.concatenate(([CLS_ID], piece_ids, [SEP_ID])).astype(np.int64)
            out.append(Window(sentence=k, ids=full, offsets=offs[lo:lo + MAX_PIECES]))
    return out


def pad_batch(batch: list[Window]) -> tuple[np.ndarray, np.ndarray]:
    """input_ids and attention_mask, padded to the longest window of the batch."""
    width = max(len(w.ids) for w in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.int64)
    for i, w in enumerate(batch):
        ids[i, :len(w.ids)] = w.ids
        mask[i, :len(w.ids)] = 1
    return ids, mask


def decode(text: str, offsets: np.ndarray, sent: np.ndarray, prob: np.ndarray, *, threshold: float,
           max_gap: int = 0, min_chars: int = 1) -> list[tuple[int, int, int, int]]:
    """Runs of pieces whose span probability reaches ``threshold``, within one sentence.

    Gaps of up to ``max_gap`` pieces below the threshold are bridged. A run that starts or ends
    inside a word is widened to the whole word, and punctuation at its edges is dropped, as the
    task's gold boundaries are. Returns (start, end, first piece, last piece + 1).
    """
    runs: list[list[int]] = []
    for i in np.flatnonzero(prob >= threshold):
        if runs and sent[i] == sent[runs[-1][1] - 1] and i - runs[-1][1] <= max_gap:
            runs[-1][1] = i + 1
        else:
            runs.append([int(i), int(i) + 1])
    out = []
    n = len(text)
    for a, b in runs:
        start, end = int(offsets[a, 0]), int(offsets[b - 1, 1])
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < n and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if end - start >= min_chars:
            out.append((start, end, a, b))
    return out


def run_session(session, ws: list[Window], *, batch_size: int = 1) -> list[np.ndarray]:
    """The session's first output for every window, one (pieces, width) array each, specials dropped.

    One window per run by default: on one CPU thread padding costs more than batching saves, and
    dynamic int8 quantization scales activations per run, so a window's output then does not depend
    on its neighbours. Larger batches are sorted by length to keep padding short.
    """
    out: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float32)] * len(ws)
    order = sorted(range(len(ws)), key=lambda i: len(ws[i].ids))
    for lo in range(0, len(order), batch_size):
        idx = order[lo:lo + batch_size]
        ids, mask = pad_batch([ws[i] for i in idx])
        res = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        for j, i in enumerate(idx):
            out[i] = res[j, 1:1 + len(ws[i].offsets)]
    return out
