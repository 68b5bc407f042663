"""SemEval-2020 Task 11 span identification (SI) scored as the task's official scorer does.

Within each document the predicted spans are merged where they overlap, and so are the gold spans
(several techniques often cover the same words; merging keeps a fragment from counting twice).
Then every overlapping pair (s predicted, t gold) adds |s∩t|/|s| to precision and |s∩t|/|t| to
recall; precision is divided by the number of predicted spans and recall by the number of gold
spans over the whole split (micro average). Spans that merely touch (end == start) do not overlap,
as in the official scorer, which compares sets of character positions.

Gold for dev and test is the fragment list in ``{split}-task-TC-template.out`` (the technique
column is "?"); for train it is the ``*.task1-SI.labels`` files. Offsets index the article files
exactly as stored, so they are read with ``newline=""``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..errors import EvaluationError

Span = tuple[int, int]
SPLITS = ("train", "dev", "test")


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort, drop empty spans and merge spans that share at least one character."""
    out: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if int(e) > int(s)):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def si_scores(predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]) -> dict:
    """P, R and F1 of predicted spans against gold spans, both keyed by document id."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for doc in set(predicted) | set(gold):
        pred = merge_spans(predicted.get(doc, ()))
        gold_spans = merge_spans(gold.get(doc, ()))
        n_pred += len(pred)
        n_gold += len(gold_spans)
        for s0, s1 in pred:
            for t0, t1 in gold_spans:
                inter = min(s1, t1) - max(s0, t0)
                if inter > 0:
                    p_sum += inter / (s1 - s0)
                    r_sum += inter / (t1 - t0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": precision, "R": recall, "F1": f1, "n_pred": n_pred, "n_gold": n_gold}


def train_set_sha256(ptc_dir: Path) -> str:
    """One hash over every train article and label file, in sorted path order (model provenance)."""
    h = hashlib.sha256()
    for sub in ("train-articles", "train-labels-task1-span-identification", "train-labels-task2-technique-classification"):
        for path in sorted((Path(ptc_dir) / sub).iterdir()):
            h.update(f"{sub}/{path.name}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def read_article(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _article_id(path: Path) -> str:
    return path.stem.removeprefix("article")


def _read_spans(path: Path, *, technique_column: bool) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            cols = line.rstrip("\r\n").split("\t")
            try:
                doc, start, end = (cols[0], cols[2], cols[3]) if technique_column else cols[:3]
                spans[doc].append((int(start), int(end)))
            except (IndexError, ValueError):
                raise EvaluationError(f"{path}:{n}: expected tab-separated id, start, end") from None
    return spans


def load_split(ptc_dir: Path, split: str) -> tuple[dict[str, str], dict[str, list[Span]]]:
    """Article texts and gold spans (unmerged) of one split, keyed by article id."""
    ptc_dir = Path(ptc_dir)
    if split not in SPLITS:
        raise EvaluationError(f"{split}: unknown PTC split; use one of {', '.join(SPLITS)}")
    art_dir = ptc_dir / f"{split}-articles"
    if not art_dir.is_dir():
        raise EvaluationError(f"{art_dir}: no such folder; point --ptc at shared/eval/ptc")
    texts = {_article_id(p): read_article(p) for p in sorted(art_dir.glob("article*.txt"))}
    gold: dict[str, list[Span]] = {}
    if split == "train":
        label_dir = ptc_dir / "train-labels-task1-span-identification"
        for doc in texts:
            path = label_dir / f"article{doc}.task1-SI.labels"
            if not path.is_file():
                raise EvaluationError(f"{path}: missing span labels for a train article")
            gold.update(_read_spans(path, technique_column=False))
    else:
        template = ptc_dir / f"{split}-task-TC-template.out"
        if not template.is_file():
            raise EvaluationError(f"{template}: no such file; the {split} gold fragments live there")
        gold.update(_read_spans(template, technique_column=True))
    unknown = set(gold) - set(texts)
    if unknown:
        raise EvaluationError(f"{ptc_dir}: gold spans for articles not in {art_dir.name}: {sorted(unknown)[:3]}")
    return texts, gold


def evaluate_ptc(
    ptc_dir: Path,
    *,
    split: str = "dev",
    predict: Callable[[str], Iterable[Span]] | None = None,
    model=None,
    limit: int | None = None,
) -> dict:
    """Score ``predict(article_text) -> spans`` (or the techniques model) on one PTC split.

    ``limit`` keeps the first N articles (sorted by id), for quick checks.
    """
    texts, gold = load_split(ptc_dir, split)
    if predict is None:
        from ..extract.techniques import load_model, predict_spans

        loaded = model if model is not None else load_model()

        def predict(text: str) -> list[Span]:
            return [(s, e) for s, e, _ in predict_spans(text, model=loaded)]

    docs = sorted(texts)[:limit] if limit else sorted(texts)
    predicted = {doc: list(predict(texts[doc])) for doc in docs}
    scores = si_scores(predicted, {doc: gold.get(doc, []) for doc in docs})
    return {"split": split, "n_docs": len(docs), **scores}
