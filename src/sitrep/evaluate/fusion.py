"""Cross-document fusion quality: do labelled pairs of events land in one cluster exactly when
they report one real event?

``data/fusion_pairs.jsonl`` holds event pairs from FA-KES and the Guardian sample, labelled by
hand ``same`` or ``different``. They were sampled from what fusion v1 made of the two corpora:
pairs it merged, pairs it split that share a type group and a place within a month, and random
pairs of one type group. Each side names its event by the document's content hash and the
trigger's offsets and type (the texts stay in ../shared; the file holds no article text) and the
label comes with a one-line reason.

The benchmark rebuilds the events of the corpora with the current pipeline, fuses them, and
scores "same cluster" against the labels: pairwise precision, recall and F1 of ``same``. Pairs
are split into dev and test by a hash of their id; fusion rules are tuned on dev only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import EvaluationError

__all__ = ["CORPORA", "LABELS", "Pair", "evaluate_fusion", "load_pairs", "score_store", "split_of"]

LABELS = resources.files("sitrep.evaluate").joinpath("data", "fusion_pairs.jsonl")

# corpus name -> (file under shared/corpora, the CSV columns sitrep batch is given for it)
CORPORA: dict[str, tuple[str, dict[str, str]]] = {
    "fakes": ("fakes/FA-KES-Dataset.csv", {"text": "article_content", "id": "unit_id", "published": "date",
                                           "title": "article_title", "source": "source",
                                           "date_format": "%m/%d/%Y"}),
    "guardian": ("guardian_sdf/Guardian_SDF_sample.csv", {"text": "text", "published": "date", "source": "source"}),
}


@dataclass(frozen=True, slots=True)
class Side:
    content_hash: str
    type: str
    trigger: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    corpus: str
    stratum: str
    a: Side
    b: Side
    same: bool


def split_of(pair_id: str) -> str:
    """Our fixed dev/test split: a hash of the pair id, about half each."""
    return "dev" if hashlib.blake2b(pair_id.encode("utf-8"), digest_size=4).digest()[0] % 2 == 0 else "test"


def load_pairs(path: Path | Any = LABELS) -> list[Pair]:
    pairs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read the fusion labels ({exc.strerror or exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            sides = [Side(row[k]["content_hash"], row[k]["type"], tuple(row[k]["trigger"])) for k in ("a", "b")]
            if row["label"] not in ("same", "different"):
                raise ValueError(f"label {row['label']!r} is neither same nor different")
            pairs.append(Pair(row["id"], row["corpus"], row["stratum"], sides[0], sides[1], row["label"] == "same"))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvaluationError(f"{path}:{n}: not a fusion label ({exc})") from None
    return pairs


def _scores(rows: Sequence[tuple[bool, bool]]) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of predicting ``same`` (predicted, gold) over the pairs."""
    tp = sum(p and g for p, g in rows)
    fp = sum(p and not g for p, g in rows)
    fn = sum(g and not p for p, g in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(rows), "same": tp + fn, "merged": tp + fp, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def score_store(store, pairs: Iterable[Pair], *, split: str = "all") -> dict[str, Any]:
    """Score the clusters of a filled store against ``pairs`` (those of ``split``: dev, test, all).

    A side whose event the store lacks (the pipeline no longer finds that trigger) is counted in
    ``missing`` and its pair left out of the scores.
    """
    chosen = [p for p in pairs if split == "all" or split_of(p.id) == split]
    found = {}
    for content_hash, type_, start, end, cluster in store.query(
        'SELECT d.content_hash, e.type, e.start, e."end", m.cluster_id FROM events e '
        "JOIN documents d ON d.id = e.doc LEFT JOIN event_cluster_members m ON m.event_id = e.id"
    ).rows:
        found[(content_hash, type_, start, end)] = cluster
    rows, missing = {}, 0
    for p in chosen:
        keys = [(s.content_hash, s.type, *s.trigger) for s in (p.a, p.b)]
        if any(k not in found for k in keys):
            missing += 1
            continue
        ca, cb = (found[k] for k in keys)
        rows[p] = (ca is not None and ca == cb, p.same)
    out = {"split": split, "missing": missing, **_scores(list(rows.values()))}
    for corpus, group in itertools.groupby(sorted(rows, key=lambda p: p.corpus), key=lambda p: p.corpus):
        part = _scores([rows[p] for p in group])
        out[f"{corpus}_f1"] = part["f1"]
        out[f"{corpus}_pairs"] = part["pairs"]
    return out


def _shared_corpora(shared: Path) -> dict[str, Path]:
    found = {name: shared / "corpora" / rel for name, (rel, _) in CORPORA.items()}
    absent = [str(p) for p in found.values() if not p.is_file()]
    if absent:
        raise EvaluationError(f"{absent[0]}: not found; point --shared (or SITREP_SHARED) at the shared data folder")
    return found


def build_store(shared: Path, *, pairs: Sequence[Pair] | None = None, db: str = ":memory:"):
    """Run the pipeline over the corpora into a store (events and fusion on), returned open.

    With ``pairs``, only the documents they name are analysed: much faster, but the clusters
    then lack the links the rest of the corpus would add.
    """
    from ..store import open_store
    from ..store.batch import local_engine, read_documents
    from ..store.csvinput import Fields
    from ..ids import content_id

    wanted = None if pairs is None else {s.content_hash for p in pairs for s in (p.a, p.b)}
    store = open_store(db)
    try:
        for name, path in _shared_corpora(shared).items():
            documents = read_documents([str(path)], fields=Fields(**CORPORA[name][1]), published=None)
            if wanted is not None:
                documents = (d for d in documents if d.ok and content_id(d.text) in wanted)
            chunk: list = []
            parents: list = []
            for result, result_parents in local_engine(documents, 1):
                chunk.append(result)
                parents.extend(result_parents)
                if len(chunk) >= 64:
                    store.save(chunk, parents=parents)
                    chunk, parents = [], []
            if chunk:
                store.save(chunk, parents=parents)
    except BaseException:
        store.close()
        raise
    return store


def evaluate_fusion(shared: Path, *, split: str = "all", labelled_only: bool = False, labels: Path | None = None,
                    db: str | None = None) -> list[dict[str, Any]]:
    """Rebuild events from ``shared``'s corpora (or read the store ``db``) and score fusion.

    Returns one row per split asked for (``all`` gives dev, test and all).
    """
    from ..store import open_store

    pairs = load_pairs(labels or LABELS)
    if db is not None:
        store = open_store(db, read_only=True)
    else:
        store = build_store(shared, pairs=pairs if labelled_only else None)
    try:
        splits = ("dev", "test", "all") if split == "all" else (split,)
        rows = [score_store(store, pairs, split=s) for s in splits]
    finally:
        store.close()
    scope = "store" if db is not None else ("labelled documents" if labelled_only else "whole corpora")
    for row in rows:
        row["documents"] = scope
    return rows
