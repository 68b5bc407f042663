"""Sample reports that ship with sitrep, so ``sitrep analyze`` has something to read after install.

All texts were written by the sitrep authors; the outlets are fictional (see ``manifest.json``).
The Syria brief comes three times (PDF-extracted text, PDF, HTML) to show that the three formats
give the same text; ``paths()`` leaves the variants out unless asked for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from sitrep.model import Document

__all__ = ["Sample", "documents", "manifest", "paths"]


@dataclass(frozen=True, slots=True)
class Sample:
    path: Path
    title: str
    published: date
    source: str
    style: str
    variant_of: str | None = None


def _folder() -> Path:
    # Installed as a regular package directory (not a zip), so the resource folder is a real path.
    return Path(str(resources.files(__name__)))


@lru_cache(maxsize=1)
def manifest() -> tuple[Sample, ...]:
    folder = _folder()
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return tuple(
        Sample(
            path=folder / entry["file"],
            title=entry["title"],
            published=date.fromisoformat(entry["published"]),
            source=entry["source"],
            style=entry["style"],
            variant_of=entry.get("variant_of"),
        )
        for entry in data["samples"]
    )


def paths(*, variants: bool = False) -> list[Path]:
    """The sample files, one per report (``variants=True`` adds the PDF and HTML of the brief)."""
    return [s.path for s in manifest() if variants or s.variant_of is None]


def documents(*, variants: bool = False) -> Iterator[Document]:
    """The samples read through ``sitrep.ingest``, with their titles and publication dates."""
    from sitrep.ingest import failed_document, load_document
    from sitrep.errors import InputError

    for sample in manifest():
        if sample.variant_of is not None and not variants:
            continue
        try:
            doc = load_document(sample.path, source=sample.path.name, published=sample.published)
        except InputError as err:
            yield failed_document(sample.path.name, err)
            continue
        yield replace(doc, title=doc.title or sample.title, published=doc.published or sample.published)
