"""Bare "government forces": the forces of the country the document is about.

The actor extractor names a state only where the text does ("Syrian government forces",
"Iraqi troops"). Reports from inside one conflict often leave the country out ("Government
forces clashed with ISIS near Deir ez-Zor"); once the document's places and named actors agree on
a country (:func:`sitrep.extract.focus.document_country`), such a phrase is that country's
military or government. The phrases live in ``data/actor_state_forces.tsv``.

Left alone: a phrase another actor mention already covers; one hyphened to a stance
("pro-government forces", "anti-government forces": someone else's loyalty); one after a
possessive ("Iraq's government forces"); and one right after a name or a capitalised word that
is not a place ("Kurdish government forces", "Assad government forces"), which says whose forces
they are better than the document's country does.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable, Iterator

from ..model import ActorRef, Document, PlaceRef
from ..nlp import doc_text
from ..registry.actors import ActorRegistry
from .actors import registry_ref, shared_head_actor
from .quantities import read_tsv

VIA = "document-country"


@functools.lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern, dict[str, str]]:
    sectors = {phrase.lower(): sector for phrase, sector in read_tsv("actor_state_forces.tsv", 2)}
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(sectors, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})\b", re.IGNORECASE), sectors


def extract_state_forces(doc, document: Document, *, registry: ActorRegistry, country: str | None,
                         taken: Iterable[ActorRef] = (), places: Iterable[PlaceRef] = ()) -> Iterator[ActorRef]:
    """Yield a ref of ``country``'s military (or government) for each bare phrase of the data
    file in ``doc`` that ``taken`` (the document's other actor mentions) leaves uncovered, and
    the actor a word before "and" shares the phrase's noun with ("opposition and government
    forces"). ``places`` are the document's place mentions: a place name before the phrase
    ("In Aleppo government forces shelled ...") does not say whose forces they are."""
    if not country:
        return
    text = doc_text(doc)
    pattern, sectors = _phrases()
    covered = [(a.mention.start, a.mention.end) for a in taken]
    place_spans = [(p.mention.start, p.mention.end) for p in places]
    for m in pattern.finditer(text):
        start, end = m.span()
        if any(s < end and start < e for s, e in covered):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or (span.start > 0 and _names_whose(doc[span.start - 1], place_spans)):
            continue
        sector = sectors[re.sub(r"\s+", " ", m.group(0).lower())]
        key = next((k for k in (f"{country}-{sector}", f"{country}-GOV", country) if k in registry), None)
        if key is None:
            continue
        yield registry_ref(registry.get(key), document, start, end, VIA)
        shared = shared_head_actor(text, start, m.group(0).split()[-1], registry, covered)
        if shared is not None and shared[0].country in (None, country):
            entry, w_start, w_end = shared
            covered.append((w_start, w_end))
            yield registry_ref(entry, document, w_start, w_end, "shared-head")


def _names_whose(prev, place_spans) -> bool:
    """A possessive, a name or a capitalised modifier right before the phrase says whose forces
    they are; a place name does not."""
    if prev.tag_ == "POS" or prev.lower_ in ("'s", "\u2019s"):
        return True
    if any(s <= prev.idx < e for s, e in place_spans):
        return False
    return prev.pos_ == "PROPN" or (prev.is_title and prev.pos_ in ("ADJ", "NOUN"))


__all__ = ["extract_state_forces"]
