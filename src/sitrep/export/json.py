"""The situation model of the selected documents as JSON (``situation.schema.json``), checked
against the published schema before a byte is written."""

from __future__ import annotations

import json
from typing import IO

from .select import SELECTED

__all__ = ["write_json"]


def write_json(store, out: IO[str], *, filtered: bool) -> dict[str, int]:
    """Write ``store.situation()`` of the selected documents (all when not ``filtered``) to ``out``."""
    from ..schema import validate

    doc_ids = None
    if filtered:
        doc_ids = [r[0] for r in store.con.execute(f"SELECT id FROM {SELECTED} ORDER BY id").fetchall()]
    data = store.situation(doc_ids).to_dict()
    validate(data)
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}
