"""Decide, span by span, whether a stretch of text names an actor or a place.

The actor extractor and the place extractor read the same text independently, so they can claim
the same words. The rules, in order:

1. A metonymic reading wins over the place: "Damascus decided" names the Syrian government, so it
   is not a location (``ActorRef.via == "metonymy"``).
2. A place the gazetteer resolved wins over an actor that only the NER proposed: spaCy's small
   model tags "Palmyra" as PERSON; if the gazetteer knows it as a place with enough confidence,
   the NER-only actor is dropped.
3. A place inside a longer actor name is part of that name, not a location: "Deir ez-Zor
   Military Council" is an armed group, not a mention of Deir ez-Zor.

Everything else is kept as both (a country can be named as a place in one sentence and act as a
state in the next; those are different spans).
"""

from __future__ import annotations

from typing import Sequence

from ..model import ActorRef, PlaceRef

NER_ONLY = "ner"
METONYMY = "metonymy"
PLACE_BEATS_NER = 0.5  # a gazetteer match at least this confident overrides an NER-only actor


def _overlaps(a, b) -> bool:
    return a.mention.start < b.mention.end and b.mention.start < a.mention.end


def _strictly_inside(inner, outer) -> bool:
    i, o = inner.mention, outer.mention
    return o.start <= i.start and i.end <= o.end and (o.end - o.start) > (i.end - i.start)


def arbitrate(
    actors: Sequence[ActorRef], places: Sequence[PlaceRef]
) -> tuple[list[ActorRef], list[PlaceRef]]:
    """Return the actor and place refs that survive, each list in its input order."""
    kept_places = []
    for place in places:
        beaten = any(
            _overlaps(place, actor)
            and (actor.via == METONYMY or (actor.via != NER_ONLY and _strictly_inside(place, actor)))
            for actor in actors
        )
        if not beaten:
            kept_places.append(place)
    kept_actors = [
        actor
        for actor in actors
        if not (
            actor.via == NER_ONLY
            and any(
                _overlaps(actor, place) and place.confidence >= PLACE_BEATS_NER
                for place in kept_places
            )
        )
    ]
    return kept_actors, kept_places
