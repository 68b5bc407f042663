"""Bare "government forces": the forces of the country the document is about.

The actor extractor names a state only where the text does ("Syrian government forces",
"Iraqi troops"). Reports from inside one conflict often leave the country out ("Government
forces clashed with ISIS near Deir ez-Zor"); once the document's places and named actors agree on
a country (:func:`sitrep.extract.focus.document_country`), such a phrase is that country's
military or government. The phrases live in ``data/actor_state_forces.tsv``.

Left alone: a phrase another actor mention already covers, one hyphened to a stance
("pro-government forces", "anti-government forces": someone else's loyalty), and one right after
a name or a capitalised word ("Kurdish government forces", "Assad government forces"), which
says whose forces they are better than the document's country does.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ModelError
from ..model import ActorRef, Document
from ..nlp import doc_text
from ..registry.actors import ActorRegistry
from .actors import shared_head_actor

_DATA = Path(__file__).resolve().parent / "data" / "actor_state_forces.tsv"
VIA = "document-country"


@functools.lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern, dict[str, str]]:
    try:
        lines = _DATA.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"{_DATA}: cannot read actor rule file ({exc.strerror})") from exc
    sectors = {}
    for line in lines:
        if line.strip() and not line.startswith("#"):
            phrase, sector = line.split("\t")
            sectors[phrase.strip().lower()] = sector.strip()
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(sectors, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})\b", re.IGNORECASE), sectors


def extract_state_forces(doc, document: Document, *, registry: ActorRegistry, country: str | None,
                         taken: Iterable[ActorRef] = ()) -> Iterator[ActorRef]:
    """Yield a ref of ``country``'s military (or government) for each bare phrase of the data
    file in ``doc`` that ``taken`` (the document's other actor mentions) leaves uncovered."""
    if not country:
        return
    text = doc_text(doc)
    pattern, sectors = _phrases()
    covered = [(a.mention.start, a.mention.end) for a in taken]
    for m in pattern.finditer(text):
        start, end = m.span()
        if any(s < end and start < e for s, e in covered):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or (span.start > 0 and _names_whose(doc[span.start - 1])):
            continue
        sector = sectors[re.sub(r"\s+", " ", m.group(0).lower())]
        key = next((k for k in (f"{country}-{sector}", f"{country}-GOV", country) if k in registry), None)
        if key is None:
            continue
        yield _ref(registry.get(key), document, start, end, VIA)
        # "clashes between opposition and government forces": the word before "and" shares the noun
        shared = shared_head_actor(text, start, m.group(0).split()[-1], registry, covered)
        if shared is not None:
            entry, w_start, w_end = shared
            covered.append((w_start, w_end))
            yield _ref(entry, document, w_start, w_end, "shared-head")


def _ref(entry, document: Document, start: int, end: int, via: str) -> ActorRef:
    return ActorRef(key=entry.key, name=entry.name, type=entry.type, mention=document.mention(start, end),
                    via=via, country=entry.country, codes=dict(entry.codes), parent_key=entry.parent,
                    aliases=entry.aliases)


def _names_whose(prev) -> bool:
    """A name or capitalised modifier right before the phrase says whose forces they are."""
    return prev.pos_ == "PROPN" or (prev.is_title and prev.pos_ in ("ADJ", "NOUN"))


__all__ = ["extract_state_forces"]
