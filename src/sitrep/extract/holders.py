"""Who holds a place: "the IS-held village", "rebels shelled regime-controlled Beit Saber".

A name hyphened to a word of territory (``data/actor_territory_suffixes.txt``) describes an area,
so the actor reader leaves it out of the document's participants. It still says whose the area
is, and an attack on that area, or an advance into it, is a fight with its holder: the event
argument reader takes such a holder as the other side where nothing else names one.

``extract_holders(doc, document, *, registry)`` yields those holders as registry actor mentions
(``via="holder"``), in text order; they are kept apart from the document's actors.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import ActorRef, Document
from ..nlp import doc_text
from ..registry.actors import ACTOR, ActorRegistry
from .actors import preference, registry_ref, rule_words

VIA = "holder"
_SUFFIX_RE = re.compile(r"(?<=\w)-(\w+)\b")
_WINDOW = 40  # characters before the hyphen a holder's name may span ("Islamic State-held")


def extract_holders(doc, document: Document, *, registry: ActorRegistry) -> Iterator[ActorRef]:
    """Yield the registry actor each "NAME-held" / "NAME-controlled" phrase of ``doc`` names."""
    text = doc_text(doc)
    suffixes = rule_words()["territory_suffixes"]
    for m in _SUFFIX_RE.finditer(text):
        if m.group(1).lower() not in suffixes:
            continue
        begin = max(0, m.start() - _WINDOW)
        if begin > 0:  # start at a word, not inside one
            space = text.find(" ", begin, m.start())
            begin = space + 1 if space >= 0 else m.start()
        found = [x for x in registry.scan(text[begin:m.start()]) if begin + x.end == m.start() and x.of(ACTOR)]
        if not found:
            continue
        entries = sorted((e for e in (registry.get(h.value) for h in found[-1].of(ACTOR)) if e is not None),
                         key=preference)
        if entries:
            yield registry_ref(entries[0], document, begin + found[-1].start, m.start(), VIA)


__all__ = ["extract_holders"]
