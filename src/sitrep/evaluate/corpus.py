"""Read benchmark corpora (CSV or JSONL) as records, streaming, without holding the corpus."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterator

from ..errors import EvaluationError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # FA-KES rows hold whole articles

# Known corpora: which column holds the text, and the file's encoding.
KNOWN = {
    "FA-KES-Dataset.csv": {"text": "article_content", "id": "unit_id", "title": "article_title",
                           "date": "date", "source": "source", "encoding": "latin-1"},
    "Guardian_SDF_sample.csv": {"text": "text", "id": "", "date": "date", "source": "source",
                                "encoding": "utf-8"},
}


def iter_records(path: Path, *, limit: int | None = None) -> Iterator[dict]:
    """Yield ``{"id", "text", "title"?, "source"?}`` dicts from a known CSV or any JSONL corpus."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"{path}: no such corpus file; see ../shared/README.md")
    count = 0
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
                    count += 1
                    if limit and count >= limit:
                        return
        return
    spec = KNOWN.get(path.name, {"text": "text", "id": "id", "encoding": "utf-8"})
    with path.open(encoding=spec["encoding"], newline="") as fh:
        reader = csv.DictReader(fh)
        if spec["text"] not in (reader.fieldnames or []):
            raise EvaluationError(f"{path}: no {spec['text']!r} column; columns are {reader.fieldnames}")
        for n, row in enumerate(reader):
            record = {"id": row.get(spec.get("id") or "") or f"{path.stem}-{n}", "text": row[spec["text"]]}
            if spec.get("title"):
                record["title"] = row.get(spec["title"])
            if spec.get("source"):
                record["source"] = row.get(spec["source"])
            yield record
            count += 1
            if limit and count >= limit:
                return
