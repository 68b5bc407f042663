"""Merge mention-level refs into canonical Actors and Places across documents.

Refs with the same ``key`` are the same entity, wherever they occur. Ids derive from the key
alone, so an entity keeps its id whatever else is in the corpus and however often it is run.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..ids import stable_id
from ..model import Actor, ActorRef, Mention, Place, PlaceRef


def actor_id(key: str) -> str:
    return stable_id("actor", key)


def place_id(key: str) -> str:
    return stable_id("place", key)


def _mention_order(m: Mention) -> tuple:
    return (m.doc, m.start, m.end)


def merge_actors(refs: Iterable[ActorRef], *, lookup: Callable[[str], object] | None = None) -> list[Actor]:
    """One Actor per key, with every mention; parents are included even when never mentioned.

    ``lookup(key)`` returns the registry entry of a key (``name``, ``type``, ``country``,
    ``codes``, ``aliases``, ``parent``) or None; it materialises parents so every ``parent`` id
    resolves to an actor in the same situation.
    """
    groups: dict[str, list[ActorRef]] = {}
    for ref in refs:
        groups.setdefault(ref.key, []).append(ref)

    pending = [r[0].parent_key for r in groups.values() if r[0].parent_key]
    parents: dict[str, object] = {}
    while pending and lookup is not None:
        key = pending.pop()
        if key in groups or key in parents:
            continue
        found = lookup(key)
        if found is None:
            continue
        parents[key] = found
        if found.parent:
            pending.append(found.parent)

    def parent_id(parent_key: str | None) -> str | None:
        return actor_id(parent_key) if parent_key in groups or parent_key in parents else None

    actors = []
    for key, group in groups.items():
        first = group[0]
        surfaces = {r.mention.text for r in group}
        actors.append(
            Actor(
                id=actor_id(key),
                name=first.name,
                type=first.type,
                country=first.country,
                codes=dict(first.codes),
                aliases=tuple(sorted(set(first.aliases) | {s for s in surfaces if s != first.name})),
                parent=parent_id(first.parent_key),
                mentions=tuple(sorted({r.mention for r in group}, key=_mention_order)),
            )
        )
    for key, entry in parents.items():
        actors.append(
            Actor(
                id=actor_id(key),
                name=entry.name,
                type=entry.type,
                country=entry.country,
                codes=dict(entry.codes),
                aliases=tuple(sorted(entry.aliases)),
                parent=parent_id(entry.parent),
            )
        )
    actors.sort(key=lambda a: (-len(a.mentions), a.name, a.id))
    return actors


def merge_places(refs: Iterable[PlaceRef]) -> list[Place]:
    """One Place per gazetteer key; its confidence is the best of its mentions'."""
    groups: dict[str, list[PlaceRef]] = {}
    for ref in refs:
        groups.setdefault(ref.key, []).append(ref)
    places = []
    for key, group in groups.items():
        first = group[0]
        places.append(
            Place(
                id=place_id(key),
                name=first.name,
                feature=first.feature,
                lat=first.lat,
                lon=first.lon,
                geonames_id=first.geonames_id,
                country=first.country,
                admin1=first.admin1,
                confidence=round(max(r.confidence for r in group), 3),
                mentions=tuple(sorted({r.mention for r in group}, key=_mention_order)),
            )
        )
    places.sort(key=lambda p: (-len(p.mentions), p.name, p.id))
    return places
