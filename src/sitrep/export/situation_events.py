"""Events of an in-memory :class:`~sitrep.model.Situation` in the flat shape of
:func:`sitrep.export.events.read_events`, so that one row builder serves both a store export
(``sitrep export``) and ``sitrep analyze --format acled-csv|plover-json``.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..model import Situation
from .events import EVENT_FIELDS

__all__ = ["situation_events"]


def situation_events(situation: Situation) -> Iterator[dict[str, Any]]:
    """Flat event dicts (the fields of ``read_events``), in (published, doc, trigger start, id) order."""
    docs = {d.id: d for d in situation.documents}
    places = {p.id: p for p in situation.places}

    def order(e):
        d = docs.get(e.doc)
        published = d.published.isoformat() if d is not None and d.published else "9999"
        return (published, e.doc, e.trigger.start, e.id)

    for e in sorted(situation.events, key=order):
        d, p = docs.get(e.doc), places.get(e.place) if e.place else None
        row: dict[str, Any] = {name: None for name in EVENT_FIELDS}
        row.update(
            id=e.id, doc=e.doc, type=e.type, mode=e.mode, acled_event_type=e.acled_event_type,
            acled_sub_event_type=e.acled_sub_event_type, actor1=e.actor1, actor2=e.actor2,
            associated_actors=list(e.associated_actors), place_id=e.place, place_qualifier=e.place_qualifier,
            date_start=e.date.start, date_end=e.date.end, date_precision=e.date.precision, date_text=e.date.text,
            modality=e.modality, fatalities=e.fatalities, fatalities_qualifier=e.fatalities_qualifier,
            source=e.source, text=e.trigger.text,
            place_name=p.name if p else None, place_lat=p.lat if p else None, place_lon=p.lon if p else None,
            place_feature=p.feature if p else None, place_country=p.country if p else None,
            place_admin1=p.admin1 if p else None, place_geonames_id=p.geonames_id if p else None,
            published=d.published if d is not None else None, document_source=d.source if d is not None else None,
            document_title=d.title if d is not None else None,
            attrs={"evidence": {"start": e.evidence.start, "end": e.evidence.end, "text": e.evidence.text},
                   "fatalities_side": e.fatalities_side, "rule": e.rule,
                   "place_text": _place_text(p, e.doc)},
        )
        yield row


def _place_text(place, doc: str) -> str | None:
    """The words of the first mention of the place in the event's document."""
    if place is None:
        return None
    return next((m.text for m in place.mentions if m.doc == doc), None)
