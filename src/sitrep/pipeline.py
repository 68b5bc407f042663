"""Wire ingestion, the NLP backbone and the extractors, one document at a time.

A document that fails anywhere becomes a failed :class:`Document` with a one-line reason; the
stream goes on. The heavy resources (spaCy pipeline, actor registry, gazetteer) are loaded once
and shared by every document.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator, Sequence

from . import nlp as nlp_module
from .model import ActorRef, Claim, Document, Event, PlaceRef, Situation, TechniqueSpan, TechniqueSummary
from .resolve.arbitrate import arbitrate
from .resolve.merge import actor_id, merge_actors, merge_places


@dataclass(frozen=True, slots=True)
class DocResult:
    """What the pipeline found in one document, before merging across documents."""

    document: Document
    actors: tuple[ActorRef, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    techniques: tuple[TechniqueSpan, ...] = ()
    technique_summary: TechniqueSummary | None = None


FEATURES = ("events", "claims", "techniques")


def features_setting() -> frozenset[str]:
    """The optional stages named by ``SITREP_FEATURES`` (validated)."""
    from . import settings
    from .errors import ConfigError

    names = {n.strip() for n in settings.get("SITREP_FEATURES").split(",") if n.strip()}
    unknown = sorted(names - set(FEATURES))
    if unknown:
        raise ConfigError(
            f"SITREP_FEATURES names unknown stage(s) {', '.join(unknown)}; choose from {', '.join(FEATURES)}"
        )
    return frozenset(names)


@dataclass
class Resources:
    """The loaded models and data, shared by every document of a run (and every Dask task).

    ``features`` are the optional stages to run (see ``FEATURES``); actors and places always run.
    """

    nlp: object = None
    registry: object = None
    gazetteer: object = None
    features: frozenset = frozenset(FEATURES)
    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, *, features: Iterable[str] | None = None) -> "Resources":
        from .registry.actors import load_registry
        from .registry.gazetteer import load_gazetteer

        chosen = features_setting() if features is None else frozenset(features)
        return cls(nlp=nlp_module.load(), registry=load_registry(), gazetteer=load_gazetteer(), features=chosen)


def _failed(document: Document, stage: str, exc: Exception) -> Document:
    reason = f"{document.source}: {stage} failed: {type(exc).__name__}: {exc}".splitlines()[0]
    return dataclasses.replace(document, status="error", error=reason)


def place_nouns() -> frozenset[str]:
    from .extract.actors import rule_words

    return rule_words()["place_heads"]


def _extract(spacy_doc, document: Document, res: Resources) -> DocResult:
    from .extract.actors import extract_actors, text_order
    from .extract.events import extract_events
    from .extract.focus import document_country
    from .extract.holders import extract_holders
    from .extract.places import extract_places
    from .extract.state_forces import extract_state_forces

    actors = list(extract_actors(spacy_doc, document, registry=res.registry))
    # Named non-state actors place a document in their country ("HTS" -> Syria) for toponyms.
    hints = sorted({a.country for a in actors if a.country and a.via == "registry"
                    and a.type in ("armed_group", "militia", "military")})
    places = list(extract_places(spacy_doc, document, gazetteer=res.gazetteer, country_hints=hints))
    actors, places = arbitrate(actors, places, place_nouns=place_nouns())
    # "Government forces" name no state; the country the document is about supplies it.
    focus = document_country(places, actors)
    if focus is not None:
        actors = sorted([*actors, *extract_state_forces(spacy_doc, document, registry=res.registry,
                                                         country=focus.country, taken=actors, places=places)],
                        key=text_order)
    events = []
    if "events" in res.features:
        holders = list(extract_holders(spacy_doc, document, registry=res.registry))
        events = list(extract_events(spacy_doc, document, actors=actors, places=places, holders=holders))
        # a holder an event took as a side ("shelled the IS-held town") is one of the document's actors
        sides = {a for e in events for a in (e.actor1, e.actor2, *e.associated_actors) if a}
        known = {actor_id(a.key) for a in actors}
        taken = [h for h in holders if actor_id(h.key) in sides - known]
        if taken:
            actors = sorted([*actors, *taken], key=text_order)
    claims: list = []
    if "claims" in res.features:
        from .extract.claims import apply_to_events, extract_claims, link_claims_to_events

        claims = list(extract_claims(spacy_doc, document, actors=actors, places=places))
        # An event inside an attributed claim takes the claim's speaker and modality.
        claims, implied = link_claims_to_events(claims, events, actors=actors)
        events = apply_to_events(events, implied)
    techniques: tuple = ()
    summary = None
    if "techniques" in res.features:
        from .extract.techniques import extract_techniques, summarize_techniques

        techniques = tuple(extract_techniques(document))
        summary = summarize_techniques(document, techniques)
    return DocResult(document, tuple(actors), tuple(places), tuple(events), tuple(claims), techniques, summary)


def process(
    documents: Iterable[Document], *, resources: Resources | None = None
) -> Iterator[DocResult]:
    """Yield one :class:`DocResult` per input document, in input order, failed ones included."""
    res = resources or Resources.load()
    # Failed documents still flow through nlp.pipe (as empty text) so that order is preserved
    # without buffering; an empty Doc costs next to nothing.
    stream = ((d.text if d.ok else "", d) for d in documents)
    for spacy_doc, document in nlp_module.pipe(stream, nlp=res.nlp):
        if not document.ok:
            yield DocResult(document)
            continue
        try:
            yield _extract(spacy_doc, document, res)
        except Exception as exc:  # one document's failure must not end the run
            yield DocResult(_failed(document, "extraction", exc))


def build_situation(results: Iterable[DocResult], *, resources: Resources | None = None) -> Situation:
    """Merge per-document results into one situation model."""
    documents: list[Document] = []
    actor_refs: list[ActorRef] = []
    place_refs: list[PlaceRef] = []
    events: list[Event] = []
    claims: list[Claim] = []
    techniques: list[TechniqueSpan] = []
    summaries: list[TechniqueSummary] = []
    for r in results:
        documents.append(r.document)
        actor_refs.extend(r.actors)
        place_refs.extend(r.places)
        events.extend(r.events)
        claims.extend(r.claims)
        techniques.extend(r.techniques)
        if r.technique_summary is not None:
            summaries.append(r.technique_summary)
    from .resolve.relations import relations_from_events

    relations = relations_from_events(events, dates={d.id: d.published for d in documents})
    registry = resources.registry if resources else None
    lookup = registry.get if registry is not None else None
    return Situation(
        documents=tuple(documents),
        actors=tuple(merge_actors(actor_refs, lookup=lookup)),
        places=tuple(merge_places(place_refs)),
        events=tuple(events),
        claims=tuple(claims),
        techniques=tuple(techniques),
        technique_summaries=tuple(summaries),
        relations=tuple(relations),
    )


def analyze(
    inputs: Sequence[str] | str,
    *,
    published: date | str | None = None,
    resources: Resources | None = None,
) -> Situation:
    """Analyse files, directories, ``.jsonl`` files or ``"-"`` (stdin) into one situation model.

    >>> situation = analyze(["report.txt"], published="2017-09-12")  # doctest: +SKIP
    """
    from .ingest import read_inputs

    if isinstance(inputs, str):
        inputs = [inputs]
    if isinstance(published, str):
        published = parse_date(published)
    res = resources or Resources.load()
    return build_situation(process(read_inputs(inputs, published=published), resources=res), resources=res)


def analyze_texts(
    texts: Iterable[str | dict], *, published: date | str | None = None, resources: Resources | None = None
) -> Situation:
    """Analyse in-memory texts (strings, or dicts shaped like a ``.jsonl`` line)."""
    from .ingest import documents_from_records

    if isinstance(published, str):
        published = parse_date(published)
    res = resources or Resources.load()
    records = ({"text": t} if isinstance(t, str) else t for t in texts)
    docs = documents_from_records(records, source="<memory>", published=published)
    return build_situation(process(docs, resources=res), resources=res)


def parse_date(value: str) -> date:
    from .errors import ConfigError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--published {value!r} is not a date; use YYYY-MM-DD, e.g. 2017-09-12") from None
