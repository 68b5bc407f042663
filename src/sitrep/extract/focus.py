"""Which country a document is about, read from its resolved places and named actors.

Two readers need it: the event-place chooser (a place resolved far outside that country is
taken for a misread name) and the actor extractor's second pass (bare "government forces" are
that country's forces).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..model import ActorRef, PlaceRef


@dataclass(frozen=True, slots=True)
class Focus:
    """Where a document is about: its main country and the middle of its places there."""

    country: str
    lat: float | None
    lon: float | None


def document_country(places: Iterable[PlaceRef], actors: Iterable[ActorRef] = ()) -> Focus | None:
    """The country most of the document's resolved places and named actors belong to, when it
    is clear (at least two votes, half of them), with the median point of its places there.
    """
    places = list(places)
    counts: Counter = Counter()
    seen = set()
    # each distinct place votes twice (a misresolved name repeated stays one vote; foreign forces
    # fight in the country, not at home), each distinct named actor once
    for r in places:
        if r.lat is not None and r.country and r.key not in seen:
            seen.add(r.key)
            counts[r.country] += 2
    for a in actors:
        if a.country and not a.key.startswith("ner:") and a.key not in seen:
            seen.add(a.key)
            counts[a.country] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    country, n = ranked[0]
    if n < 2 or n / sum(counts.values()) < 0.5 or (len(ranked) > 1 and ranked[1][1] == n):
        return None  # a tie says nothing about where the document is
    pts = [(r.lat, r.lon) for r in places if r.lat is not None and r.country == country and r.feature != "country"]
    if not pts:
        return Focus(country, None, None)
    lats, lons = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    return Focus(country, lats[len(lats) // 2], lons[len(lons) // 2])


__all__ = ["Focus", "document_country"]
