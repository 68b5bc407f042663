"""The situation model: frozen, typed records that every stage hands to the next.

Records never point back into spaCy objects; each fact keeps its evidence as a :class:`Mention`
(document id, offsets into the normalised text and into the raw input, and the text itself).
The JSON form of these records is the published contract in ``schema/situation.schema.json``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

SCHEMA_VERSION = "1.0"

ACTOR_TYPES = (
    "state",
    "government",
    "military",
    "armed_group",
    "militia",
    "coalition",
    "international_org",
    "person",
    "ethnic_or_religious_group",
    "other",
)

PLACE_FEATURES = (
    "country",
    "admin1",
    "admin2",
    "admin3",
    "city",
    "town",
    "village",
    "neighbourhood",
    "river",
    "lake",
    "mountain",
    "airbase",
    "military_base",
    "oil_field",
    "gas_field",
    "dam",
    "border_crossing",
    "road",
    "region",
    "other",
)


def _internal(default: Any = None) -> Any:
    """A field kept in memory for later stages but left out of the JSON contract."""
    return field(default=default, repr=False, compare=False, metadata={"internal": True})


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document: the evidence behind a fact.

    ``start``/``end`` index ``Document.text`` (normalised); ``raw_start``/``raw_end`` index the
    original input text, so gold annotations made on the raw text can be scored. ``qualifier``
    keeps a relative expression around a place mention ("west of", "outskirts of").
    """

    doc: str
    start: int
    end: int
    text: str
    raw_start: int | None = None
    raw_end: int | None = None
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One input document after ingestion.

    ``text`` is the normalised text all offsets refer to. ``raw`` is the text as decoded from the
    input (for PDF and HTML: as extracted) and ``offsets`` maps normalised offsets back into it.
    ``status`` is ``"ok"`` or ``"error"``; on error ``error`` holds the one-line reason.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    published: date | None = None
    status: str = "ok"
    error: str | None = None
    raw: str = _internal("")
    offsets: Any = _internal(None)  # sitrep.ingest.offsets.OffsetMap

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def mention(self, start: int, end: int, *, qualifier: str | None = None) -> Mention:
        """Build the evidence for ``text[start:end]``, mapping the span back to the raw input."""
        raw_start = raw_end = None
        if self.offsets is not None:
            raw_start, raw_end = self.offsets.raw_span(start, end)
        return Mention(
            doc=self.id,
            start=start,
            end=end,
            text=self.text[start:end],
            raw_start=raw_start,
            raw_end=raw_end,
            qualifier=qualifier,
        )


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One mention of an actor, as an extractor found it (before merging across mentions).

    ``key`` identifies the canonical actor: a registry key for known actors, or
    ``ner:<TYPE>:<normalised name>`` for actors the NER found that the registry lacks.
    ``via`` says which rule found it (registry, metonymy, demonym, title, ner, ner-spelling, person-merge …).
    """

    key: str
    name: str
    type: str
    mention: Mention
    via: str
    country: str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    parent_key: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """One mention of a place, resolved against the gazetteer (before merging)."""

    key: str
    name: str
    feature: str
    mention: Mention
    via: str
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    country: str | None = None
    admin1: str | None = None
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    feature: str
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    country: str | None = None
    admin1: str | None = None
    confidence: float = 0.0
    mentions: tuple[Mention, ...] = ()


DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")

MODALITIES = ("asserted", "reported", "claimed", "hypothetical", "negated", "future", "denied")


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, resolved against the document's publication date.

    ``start``/``end`` are ISO 8601 dates (``2017-09-30``), or ``--MM-DD`` when the day and month
    are known but the year is not (no publication date to anchor them). Unresolvable dates have
    ``precision="unknown"`` and null bounds: a date is never invented.
    """

    start: str | None
    end: str | None
    precision: str = "unknown"
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted thing: ``6.000 militants`` → value 6000, unit ``militants``.

    ``approx`` is null for an exact figure, else how the text hedged it: ``about``, ``up_to``,
    ``at_least``, ``more_than``, ``less_than``, ``range``, ``vague`` ("dozens").
    """

    value: float
    unit: str
    approx: str | None = None
    text: str = ""
    mention: Mention | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, where, when and how many, as one sentence or clause states it.

    ``type``/``mode`` are the PLOVER reading; ``acled_event_type``/``acled_sub_event_type`` are
    null where ACLED would not code the event. ``actor1`` is the initiator, ``actor2`` the target
    (actor ids, or null when the text does not say); ``place`` is a place id. ``fatalities`` is
    the most conservative figure the evidence reports (null: none reported). ``source`` is the
    actor id of whoever reports or claims the event, ``"unattributed"`` for an unnamed report, or
    null for the document's own assertion. ``rule`` names the rules and models that fired, so that
    ``sitrep explain`` can retrace the chain from the trigger word to the event.
    """

    id: str
    doc: str
    type: str
    evidence: Mention
    trigger: Mention
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    associated_actors: tuple[str, ...] = ()
    place: str | None = None
    place_qualifier: str | None = None
    date: EventDate = field(default_factory=lambda: EventDate(None, None))
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    fatalities_side: str | None = None
    quantities: tuple[Quantity, ...] = ()
    modality: str = "asserted"
    source: str | None = None
    rule: str = ""


CLAIM_KINDS = ("direct_quote", "indirect", "according_to", "unnamed_source", "author")

CERTAINTIES = ("boosted", "neutral", "hedged", "hypothetical")


@dataclass(frozen=True, slots=True)
class Claim:
    """A check-worthy statement of fact and who makes it.

    ``speaker`` is an actor id where the speaker is known, else null; ``speaker_text`` is the words
    that name the speaker ("military experts", "the Islamic State"), null for the author's own
    voice. ``cue`` is the attribution cue ("said", "according to", "claimed on its website");
    ``kind`` says how the claim is attributed (``CLAIM_KINDS``). ``certainty`` is how sure the
    text sounds (``CERTAINTIES``), with the booster and hedge words that decided it kept in
    ``certainty_cues``. ``checkworthiness`` (0..1) ranks claims for a fact-checker. ``events``
    are the ids of the events the claim carries.
    """

    id: str
    doc: str
    text: str
    evidence: Mention
    kind: str
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    cue_mention: Mention | None = None
    certainty: str = "neutral"
    certainty_cues: tuple[Mention, ...] = ()
    checkworthiness: float = 0.0
    events: tuple[str, ...] = ()


TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """A propaganda-technique span, labelled with SemEval-2020 Task 11's spelling (``TECHNIQUES``)."""

    doc: str
    start: int
    end: int
    raw_start: int | None
    raw_end: int | None
    text: str
    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class TechniqueSummary:
    """How heavily one document leans on persuasion techniques.

    ``counts`` maps technique to span count; ``per_1000_words`` is all spans per 1,000 words;
    ``passages`` are the most-flagged sentences, densest first.
    """

    doc: str
    words: int
    counts: Mapping[str, int] = field(default_factory=dict)
    per_1000_words: float = 0.0
    passages: tuple[Mention, ...] = ()


RELATION_KINDS = ("allied", "hostile", "negotiates", "accuses")


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed edge of the actor network: ``source`` allied with / attacks / negotiates with /
    accuses ``target`` (actor ids). ``weight`` counts the statements behind it, ``first``/``last``
    bound their dates (ISO, null when undated), ``events`` and ``evidence`` are what says so."""

    id: str
    source: str
    target: str
    kind: str
    weight: int = 1
    first: str | None = None
    last: str | None = None
    events: tuple[str, ...] = ()
    evidence: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything sitrep knows about a set of documents."""

    documents: tuple[Document, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    techniques: tuple[TechniqueSpan, ...] = ()
    technique_summaries: tuple[TechniqueSummary, ...] = ()
    relations: tuple[Relation, ...] = ()
    schema_version: str = SCHEMA_VERSION

    @property
    def failed(self) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if not d.ok)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form that ``situation.schema.json`` describes."""
        return {
            "schema_version": self.schema_version,
            "documents": [to_jsonable(d) for d in self.documents],
            "actors": [to_jsonable(a) for a in self.actors],
            "places": [to_jsonable(p) for p in self.places],
            "events": [to_jsonable(e) for e in self.events],
            "claims": [to_jsonable(c) for c in self.claims],
            "techniques": [to_jsonable(t) for t in self.techniques],
            "technique_summaries": [to_jsonable(t) for t in self.technique_summaries],
            "relations": [to_jsonable(r) for r in self.relations],
        }


def to_jsonable(obj: Any) -> Any:
    """Turn records into JSON-ready dicts, leaving out internal fields."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            if f.metadata.get("internal"):
                continue
            value = getattr(obj, f.name)
            if f.name == "qualifier" and value is None:
                continue  # only place mentions with a relative expression carry one
            out[f.name] = to_jsonable(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
