"""Decide, span by span, whether a stretch of text names an actor or a place.

The actor extractor and the place extractor read the same text independently, so they can claim
the same words. The rules, in order:

1. A metonymic reading wins over the place: "Damascus decided" names the Syrian government, so it
   is not a location (``ActorRef.via == "metonymy"``).
2. A place the gazetteer resolved wins over an actor that only the NER proposed: spaCy's small
   model tags "Palmyra" as PERSON; if the gazetteer knows it as a place with enough confidence,
   the NER-only actor is dropped.
3. A place inside a longer actor name is part of that name, not a location: "Deir ez-Zor
   Military Council" is an armed group, not a mention of Deir ez-Zor. For names only the NER
   proposed this holds unless the place ends the name or the name's last word is a place noun
   ("Idlib Province" tagged ORG is still the province), since the small model often tags such
   phrases as organisations.

4. An actor the registry knows beats a place reading the gazetteer could not vouch for: "Daesh"
   or "Hemedti" tagged as a place by the NER, with no or weak coordinates, is the actor.

5. A country-specific actor named only by an informal lowercase alias ("regime forces",
   "opposition fighters", "rebels") is dropped where the document's places lie in other
   countries and nothing else (a Syrian town, "Syrian", a Syrian group) ties it to its own: in a
   note on Darfur, "rebels" are not the Syrian opposition. Only firm evidence places a document
   elsewhere: a country or first-level region, or two different places in one country. A lone
   village the gazetteer matched abroad ("Neimiyeh" in Japan, "Khala" in Pakistan) is more likely
   a Syrian hamlet it does not know than a sign that the note is about Japan.

Everything else is kept as both (a country can be named as a place in one sentence and act as a
state in the next; those are different spans).
"""

from __future__ import annotations

from typing import Sequence

from ..model import ActorRef, PlaceRef

NER_ONLY = "ner"
NER_SPELLING = "ner-spelling"  # an NER name read as a misspelt registry alias: as uncertain as NER_ONLY
METONYMY = "metonymy"
_NER_VIAS = frozenset({NER_ONLY, NER_SPELLING})
PLACE_BEATS_NER = 0.5  # a gazetteer match at least this confident overrides an NER-only actor
FIRM_FEATURES = frozenset({"country", "admin1"})  # one of these alone says where a document is


def _overlaps(a, b) -> bool:
    return a.mention.start < b.mention.end and b.mention.start < a.mention.end


def _strictly_inside(inner, outer) -> bool:
    i, o = inner.mention, outer.mention
    return o.start <= i.start and i.end <= o.end and (o.end - o.start) > (i.end - i.start)


def _names_it(actor: ActorRef, place: PlaceRef, place_nouns: frozenset[str]) -> bool:
    """Whether ``place`` is a word inside the name ``actor``, not a location of its own."""
    if not _strictly_inside(place, actor):
        return False
    if actor.via not in _NER_VIAS:
        return True
    if place.mention.end >= actor.mention.end:
        return False  # a name the NER ran on into a place ("T-4 (Tiyas") is the place
    words = actor.mention.text.split()
    return bool(words) and words[-1].lower().strip(".,") not in place_nouns


def arbitrate(
    actors: Sequence[ActorRef],
    places: Sequence[PlaceRef],
    *,
    place_nouns: frozenset[str] = frozenset(),
) -> tuple[list[ActorRef], list[PlaceRef]]:
    """Return the actor and place refs that survive, each list in its input order.

    ``place_nouns`` are words that end a place name rather than an organisation's ("province",
    "countryside"): an NER-only "organisation" ending in one of them does not swallow its place.
    """
    kept_places = []
    for place in places:
        beaten = any(
            _overlaps(place, actor)
            and (
                actor.via == METONYMY
                or _names_it(actor, place, place_nouns)
                or (actor.via not in _NER_VIAS and place.confidence < PLACE_BEATS_NER)
            )
            for actor in actors
        )
        if not beaten:
            kept_places.append(place)
    kept_actors = [
        actor
        for actor in actors
        if not (
            actor.via in _NER_VIAS
            and any(
                _overlaps(actor, place) and place.confidence >= PLACE_BEATS_NER
                for place in kept_places
            )
        )
    ]
    return _anchored(kept_actors, kept_places), kept_places


def _informal(actor: ActorRef) -> bool:
    said = actor.mention.text.lower()
    return actor.country is not None and any(
        a[:1].islower() and a.lower() == said for a in actor.aliases
    )


def _anchored(actors: list[ActorRef], places: Sequence[PlaceRef]) -> list[ActorRef]:
    informal = [a for a in actors if _informal(a)]
    if not informal:
        return actors
    located = {p.country for p in places if p.country}
    if not _firmly_located(places):
        return actors  # nothing firm says the document is about somewhere else
    countries = located | {a.country or a.key for a in actors if not _informal(a)}
    return [a for a in actors if not _informal(a) or a.country in countries]


def _firmly_located(places: Sequence[PlaceRef]) -> set[str]:
    """Countries the document's places put it in with some certainty (see rule 5)."""
    keys: dict[str, set[str]] = {}
    firm = set()
    for p in places:
        if not p.country:
            continue
        keys.setdefault(p.country, set()).add(p.key)
        if p.feature in FIRM_FEATURES or len(keys[p.country]) > 1:
            firm.add(p.country)
    return firm
