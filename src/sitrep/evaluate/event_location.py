"""Event place choice on the event_location corpus (Halterman, "Geolocating Political Events in
Text"): sentences whose event verb is linked to the place where it happened.

Each sentence goes through the pipeline (actors, places); every place we find in it is a
candidate, and the chooser of :mod:`sitrep.extract.event_places`, anchored at the annotated
verb, picks one. A choice is right when it overlaps an annotated location. The metric is the
accuracy over sentences where some candidate is right (so it measures the choice, not the
gazetteer), for the chooser as shipped (ranking, then the map's fallbacks to a mapped container),
for the ranking alone, and for the earlier fewest-hops rule.

The corpus has no split of its own; ours is fixed by a hash of each sentence's text (SHA-256,
first 8 hex digits modulo 5: 0 is dev, the rest train). ``train_place_model`` fits the
ranking's weights on train (a conditional logit over each sentence's candidates, plain numpy);
``python -m sitrep.evaluate.event_location --data ... --train`` rewrites
``extract/data/event_place_model.json`` and scores dev.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from ..errors import EvaluationError

SPLITS = ("dev", "train", "all")


def split_of(text: str) -> str:
    return "dev" if int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 5 == 0 else "train"


def read_corpus(path: Path | str, *, split: str = "dev", limit: int | None = None) -> list[dict]:
    if split not in SPLITS:
        raise EvaluationError(f"{path}: unknown split {split!r}; use one of {', '.join(SPLITS)}")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationError(f"{path}: cannot read the event_location corpus ({exc})") from None
    out = []
    for row in data if isinstance(data, list) else []:
        spans = row.get("spans") or []
        verbs = [s for s in spans if s.get("label") == "VERB"]
        locs = [(s["start"], s["end"]) for s in spans if s.get("label") == "LOCATION"]
        if not verbs or not locs or not row.get("text"):
            continue
        if split != "all" and split_of(row["text"]) != split:
            continue
        out.append({"text": row["text"], "verb": (verbs[0]["start"], verbs[0]["end"]), "locations": locs,
                    "gold": row.get("source") == "RELABEL"})
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise EvaluationError(f"{path}: no annotated sentences in split {split!r}")
    return out


def _instances(rows: list[dict], resources=None):
    """Per sentence: the candidates (with features) and the choices of both choosers."""
    from .. import nlp as nlp_module
    from ..extract import event_places
    from ..extract.event_arguments import Index
    from ..extract.focus import document_country
    from ..extract.events import _choose_place, _choose_place_rules
    from ..ingest import documents_from_records
    from ..pipeline import Resources, _extract

    res = resources or Resources.load(features=())
    docs = [next(iter(documents_from_records([{"text": r["text"]}], source="event_location",
                                             published=date(2000, 1, 1)))) for r in rows]
    for row, (sdoc, document) in zip(rows, nlp_module.pipe(((d.text, d) for d in docs), nlp=res.nlp)):
        result = _extract(sdoc, document, res)
        verb = sdoc.char_span(*row["verb"], alignment_mode="expand")
        if verb is None:
            continue
        idx = Index(sdoc, result.actors, result.places)
        sent = verb.root.sent
        trig = SimpleNamespace(head=verb.root.i)
        args = SimpleNamespace(anchors=[verb.root])
        cands = event_places.candidates(sdoc, sent, trig.head, args.anchors, idx.place_heads, idx.place_spans)

        def right(ref) -> bool:
            return ref is not None and any(ref.mention.start < e and s < ref.mention.end for s, e in row["locations"])

        country = document_country((r for _, r in idx.place_heads), result.actors)
        learned, _ = _choose_place(sdoc, trig, sent, args, idx, learned=True, country=country)
        rules, _ = _choose_place_rules(sdoc, trig, sent, args, idx)
        event_places.score(cands)
        pool = [c for c in cands if not c.features["dateline"]] or cands
        top = max(pool, key=lambda c: (c.score, -c.head)).ref if pool else None
        yield {
            "features": [c.features for c in cands], "labels": [right(c.ref) for c in cands],
            "learned": right(learned), "rules": right(rules), "ranking": right(top), "gold": row["gold"],
        }


def evaluate_event_location(path: Path | str, *, split: str = "dev", limit: int | None = None,
                            resources=None) -> dict:
    """Accuracy of the place choice over sentences where some candidate is right."""
    rows = read_corpus(path, split=split, limit=limit)
    inst = [i for i in _instances(rows, resources) if any(i["labels"])]
    if not inst:
        raise EvaluationError(f"{path}: no sentence with a found place in split {split!r}")
    gold = [i for i in inst if i["gold"]]
    multi = [i for i in inst if len(i["labels"]) > 1]

    def acc(items, key):
        return round(sum(i[key] for i in items) / len(items), 4) if items else None

    return {
        "split": split, "sentences": len(rows), "with_right_candidate": len(inst),
        "accuracy": acc(inst, "learned"), "accuracy_rules": acc(inst, "rules"),
        "accuracy_ranking_only": acc(inst, "ranking"),
        "several_candidates": len(multi), "accuracy_several": acc(multi, "learned"),
        "accuracy_several_rules": acc(multi, "rules"),
        "relabel_gold": len(gold), "accuracy_relabel": acc(gold, "learned"), "accuracy_relabel_rules": acc(gold, "rules"),
    }


def train_place_model(path: Path | str, *, out: Path | None = None, l2: float = 1e-2, steps: int = 800,
                      resources=None) -> dict:
    """Fit the ranking's weights on the train split and write ``data/event_place_model.json``."""
    import numpy as np

    from ..extract import event_places

    names = event_places.feature_names()
    rows = read_corpus(path, split="train")
    groups = []
    for i in _instances(rows, resources):
        if any(i["labels"]) and len(i["labels"]) > 1:
            x = np.array([[f[n] for n in names] for f in i["features"]], dtype=float)
            y = np.array(i["labels"], dtype=float)
            groups.append((x, y / y.sum()))
    if not groups:
        raise EvaluationError(f"{path}: no training sentence with several candidates")
    w = np.zeros(len(names))
    lr = 0.5
    for _ in range(steps):
        grad = l2 * w
        for x, y in groups:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x.T @ (p - y) / len(groups)
        w -= lr * grad
    model = {
        "_doc": "Weights of the event place ranking (sitrep.extract.event_places): a conditional logit over "
                "each sentence's candidate places, fitted by sitrep.evaluate.event_location.train_place_model "
                "on the train split (hash of the text, 4 in 5) of the event_location corpus "
                "(ahalterman/event_location, MIT).",
        "trained_on": f"event_location train split, {len(groups)} sentences with several candidates",
        "l2": l2, "steps": steps,
        "weights": {n: round(float(v), 4) for n, v in zip(names, w) if abs(v) >= 1e-4},
    }
    target = out or event_places._MODEL
    target.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    event_places.model.cache_clear()
    return model


def main(argv=None) -> int:
    """``python -m sitrep.evaluate.event_location --data labeled_text.jsonl [--split dev] [--train]``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sitrep.evaluate.event_location", description=main.__doc__)
    parser.add_argument("--data", required=True, help="the corpus: shared/eval/event_location/labeled_text.jsonl")
    parser.add_argument("--split", default="dev", choices=SPLITS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--train", action="store_true", help="refit data/event_place_model.json on train first")
    ns = parser.parse_args(argv)
    if ns.train:
        model = train_place_model(ns.data)
        print(json.dumps({"trained_on": model["trained_on"]}))
    print(json.dumps(evaluate_event_location(ns.data, split=ns.split, limit=ns.limit), indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
