"""PLOVER event-type benchmark on the PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt).

The file (CC BY-SA 4.0, Open Event Data Alliance) holds 323 records: one DOCUMENT header and 322
coded example sentences. It uses some older category names, mapped to the 16 current types as the
PLOVER manual's table 7.1 does (``gsr_aliases`` in plover_types.json: DEMAND -> REQUEST,
FIGHT -> ASSAULT, DISAPPROVE and INVESTIGATE -> ACCUSE).

Split (the file has none): a record is **dev** when the first 8 hex digits of
``sha256(text.strip())`` form an even number, else **test**. That gives a stable, content-based
~50/50 split; lexicon and rules were tuned on dev only.

Metric: macro-F1 over the PLOVER types that occur in the split's gold or predictions (a sentence
with no prediction counts as a miss for its gold type), plus accuracy; and ``roles``: how often
the full pipeline's event finds the gold source (initiator) and target actors (:func:`score_roles`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from ..errors import EvaluationError

SPLITS = ("dev", "test", "all")


def split_of(text: str) -> str:
    """``dev`` or ``test`` for a record's sentence text (deterministic, content-based)."""
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "test"


def load_gold(path: Path, *, split: str = "all") -> list[dict]:
    """``[{"id", "text", "type"}]`` for the records of one split, types mapped to current PLOVER."""
    from ..extract.event_types import PLOVER_TYPES, _read_json

    if split not in SPLITS:
        raise EvaluationError(f"split {split!r} is not one of {', '.join(SPLITS)}")
    path = Path(path)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read PLOVER gold file ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{path}: not a JSON array of PLOVER records ({exc.msg})") from exc
    aliases = _read_json("plover_types.json")["gsr_aliases"]
    out = []
    for rec in records:
        if not isinstance(rec, dict) or not rec.get("text") or rec.get("event") == "DOCUMENT":
            continue
        ptype = aliases.get(rec["event"], rec["event"])
        if ptype not in PLOVER_TYPES:
            raise EvaluationError(f"{path}: record {rec.get('id')} has unknown event type {rec['event']!r}")
        if split == "all" or split_of(rec["text"]) == split:
            out.append({"id": rec.get("id"), "text": rec["text"], "type": ptype,
                        "source": _actor_texts(rec.get("source")), "target": _actor_texts(rec.get("target"))})
    if not out:
        raise EvaluationError(f"{path}: no PLOVER records in split {split!r}")
    return out


def score(gold: list[str], pred: list[str | None]) -> dict:
    """Accuracy, macro-F1 over the types seen in gold or predictions, and per-type P/R/F1."""
    labels = sorted({g for g in gold} | {p for p in pred if p})
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            if p:
                fp[p] += 1
    per_type = {}
    for lab in labels:
        prec = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        rec = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_type[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                         "support": tp[lab] + fn[lab]}
    macro = sum(v["f1"] for v in per_type.values()) / len(per_type) if per_type else 0.0
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return {"n": len(gold), "accuracy": round(acc, 4), "macro_f1": round(macro, 4),
            "no_prediction": sum(p is None for p in pred), "per_type": per_type}


def _actor_texts(actors) -> list[str]:
    """The gold actors' words (the file holds lists of {actorText, code}, sometimes bare strings)."""
    if not isinstance(actors, list):
        return []
    return [a["actorText"] for a in actors if isinstance(a, dict) and a.get("actorText")]


def _overlaps(text: str, spans: list[tuple[int, int]], names: list[str]) -> bool:
    for name in names:
        at = text.find(name)
        if at >= 0 and any(s < at + len(name) and at < e for s, e in spans):
            return True
    return False


def score_roles(gold: list[dict], *, nlp=None) -> dict:
    """Who did it to whom: with the full pipeline, the sentence's event of the gold type (else its
    first event) has an initiator whose mention overlaps a gold source actor's text, and a
    target overlapping a gold target's; each over the sentences that name one."""
    from .. import nlp as nlp_module
    from ..ingest import documents_from_records
    from ..pipeline import Resources, _extract
    from ..resolve.merge import actor_id

    res = Resources.load(features=("events",))
    if nlp is not None:
        res.nlp = nlp
    docs = [next(iter(documents_from_records([{"text": g["text"]}], source="plover"))) for g in gold]
    hits = Counter()
    for g, (sdoc, document) in zip(gold, nlp_module.pipe(((d.text, d) for d in docs), nlp=res.nlp)):
        result = _extract(sdoc, document, res)
        event = next((e for e in result.events if e.type == g["type"]), result.events[0] if result.events else None)
        spans: dict[str, list] = {}
        for a in result.actors:
            spans.setdefault(actor_id(a.key), []).append((a.mention.start, a.mention.end))
        for slot, field in (("source", "actor1"), ("target", "actor2")):
            if not g[slot]:
                continue
            hits[f"{slot}_n"] += 1
            ident = getattr(event, field) if event is not None else None
            if ident is not None and _overlaps(g["text"], spans.get(ident, []), g[slot]):
                hits[slot] += 1
    return {slot: round(hits[slot] / hits[f"{slot}_n"], 4) if hits[f"{slot}_n"] else None
            for slot in ("source", "target")} | {"with_source": hits["source_n"], "with_target": hits["target_n"]}


def evaluate_plover(path, *, split: str = "test", nlp=None, details: bool = False, roles: bool | None = None) -> dict:
    """Classify each gold sentence with :func:`classify_sentence` and score the event types."""
    from .. import nlp as nlp_module
    from ..extract.event_types import classify_sentence

    gold = load_gold(Path(path), split=split)
    nlp = nlp if nlp is not None else nlp_module.load()
    preds, rules = [], []
    for doc in nlp.pipe((g["text"] for g in gold), batch_size=64):
        ptype, _, rule = classify_sentence(doc[:])
        preds.append(ptype)
        rules.append(rule)
    result = {"split": split, **score([g["type"] for g in gold], preds)}
    if roles if roles is not None else split != "test":  # the test half stays for the type metric
        result["roles"] = score_roles(gold, nlp=nlp)
    if details:
        result["items"] = [{**g, "pred": p, "rule": r} for g, p, r in zip(gold, preds, rules)]
    return result
