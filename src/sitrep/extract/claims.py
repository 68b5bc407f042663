"""Claims: check-worthy statements of fact, who makes them, and how sure they sound.

``extract_claims`` reads the attributions of :mod:`sitrep.extract.attribution` (direct quotes,
verbs of saying, parentheticals, "according to", unnamed sources, publications) and adds the
author's own assertions: every other sentence that is not a question or an open question and
scores at least ``min_author_score`` for check-worthiness. Certainty comes from
:mod:`sitrep.extract.certainty`, read over the claim and its cue.

Check-worthiness is a transparent sum, clipped to 0..1 and rounded to two decimals:

====================================================================  ======
base                                                                   0.20
a number (digits or a number word)                                     +0.20
a named actor (an actor mention inside the claim)                      +0.20
a conflict event word (a lemma of ``event_triggers_conflict.jsonl``)   +0.20
a place or a date named by the NER (GPE, LOC, FAC, DATE)               +0.10
attributed to a named speaker                                          +0.10
hedged                                                                 -0.10
hypothetical                                                           -0.20
====================================================================  ======

``link_claims_to_events`` then says which events each claim carries and what source and modality
the claim implies for them; ``apply_to_events`` makes the events agree. In the pipeline::

    claims = list(extract_claims(spacy_doc, document, actors=actors, places=places))
    claims, implied = link_claims_to_events(claims, events, actors=actors)
    events = apply_to_events(events, implied)
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import Iterable, Iterator, Sequence

from ..errors import ModelError
from ..ids import stable_id
from ..model import ActorRef, Claim, Document, Event, PlaceRef
from ..resolve.merge import actor_id
from .attribution import cues as attribution_cues
from .attribution import find_attributions
from .certainty import certainty_of, is_open_question
from .quantities import DATA_DIR, read_tsv

_NER_CONTEXT = frozenset({"GPE", "LOC", "FAC", "DATE"})
_MIN_AUTHOR_WORDS = 5
_MIN_CLAIM_WORDS = 3
_FUTURE_AUX = frozenset({"will", "wo", "shall", "'ll"})


@functools.lru_cache(maxsize=1)
def _event_lemmas() -> frozenset[str]:
    path = DATA_DIR / "event_triggers_conflict.jsonl"
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the conflict trigger lexicon ({exc})") from exc
    return frozenset(r["lemma"].lower() for r in rows if "lemma" in r and " " not in r["lemma"])


@functools.lru_cache(maxsize=1)
def party_types() -> frozenset[str]:
    """Actor types that are parties to the conflict: the events extractor's own list."""
    path = DATA_DIR / "event_arguments.json"
    try:
        return frozenset(json.loads(path.read_text(encoding="utf-8"))["party_types"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read party_types ({exc})") from exc


@functools.lru_cache(maxsize=1)
def _party_words() -> frozenset[str]:
    return frozenset(cue.lower() for _, slot, cue in read_tsv("modality_cues.tsv", 3) if slot == "party")


def speaker_actor_id(ref: ActorRef) -> str:
    """The id the merged :class:`~sitrep.model.Actor` of this mention will have."""
    return actor_id(ref.key)


class _Actors:
    """Token lookups of the document's actor mentions."""

    def __init__(self, doc, actors: Sequence[ActorRef]):
        self.at: dict[int, ActorRef] = {}
        self.ordered: list[tuple[int, ActorRef]] = []
        for ref in actors:
            span = doc.char_span(ref.mention.start, ref.mention.end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                self.at.setdefault(i, ref)
            self.ordered.append((span.start, ref))
        self.ordered.sort(key=lambda x: x[0])
        # A demonym or a country ("Turkish officials", "US officials") points at a state but
        # names no one.
        self.named = frozenset(i for i, r in self.at.items() if r.via != "demonym" and r.type != "state")

    def in_span(self, lo: int, hi: int) -> ActorRef | None:
        for i in range(lo, hi):
            if i in self.at:
                return self.at[i]
        return None

    def before(self, i: int, person: bool) -> ActorRef | None:
        for start, ref in reversed(self.ordered):
            if start < i and (ref.type == "person") == person:
                return ref
        return None


def _speaker_id(doc, span, actors: _Actors) -> str | None:
    if span is None:
        return None
    lo, hi = span
    ref = actors.in_span(lo, hi)
    if ref is not None:
        return speaker_actor_id(ref)
    if hi - lo == 1:
        kind = attribution_cues().pronoun_type.get(doc[lo].lower_)
        if kind is not None:
            ref = actors.before(lo, person=kind == "person")
            return speaker_actor_id(ref) if ref is not None else None
    return None


def checkworthiness(doc, start: int, end: int, *, actors: _Actors, certainty: str, named_speaker: bool) -> float:
    """The score of the module docstring for the claim ``doc.text[start:end]``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return 0.0
    events = _event_lemmas()
    score = 0.2
    if any(t.like_num or t.pos_ == "NUM" for t in span):
        score += 0.2
    if any(t.i in actors.at for t in span):
        score += 0.2
    if any(t.lemma_.lower() in events for t in span if t.pos_ in ("VERB", "NOUN")):
        score += 0.2
    if any(t.ent_type_ in _NER_CONTEXT for t in span):
        score += 0.1
    if named_speaker:
        score += 0.1
    if certainty == "hedged":
        score -= 0.1
    elif certainty == "hypothetical":
        score -= 0.2
    return round(min(1.0, max(0.0, score)), 2)


def _is_future(sent) -> bool:
    """A prediction ("nobody will ever be held accountable") states no fact yet."""
    root = sent.root
    return any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in root.children)


def _author_span(sent) -> tuple[int, int] | None:
    """The sentence without a leading label ("14:05 –", "Latest:") and final punctuation."""
    toks = list(sent)
    for j, t in enumerate(toks[:5]):
        if t.text in (":", "-", "\u2013", "\u2014") and not any(x.pos_ in ("VERB", "AUX") for x in toks[:j]):
            toks = toks[j + 1 :]
            break
    while toks and (toks[-1].is_punct or toks[-1].is_space) and not toks[-1].is_quote:
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    if sum(t.is_alpha for t in toks) < _MIN_AUTHOR_WORDS:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def extract_claims(
    doc,
    document: Document,
    *,
    actors: Sequence[ActorRef] = (),
    places: Sequence[PlaceRef] = (),
    author_claims: bool = True,
    min_author_score: float = 0.0,
) -> Iterator[Claim]:
    """Yield the document's claims in text order, attributed and (unless ``author_claims`` is
    False) the author's own with a check-worthiness of at least ``min_author_score``.

    ``actors``/``places`` are the document's mentions after arbitration. A speaker that contains
    an actor (or a pronoun after one) gets that actor's merged id (:func:`speaker_actor_id`); a
    place name in a speaker phrase ("activists in Daraa") does not make the speaker named.
    """
    index = _Actors(doc, actors)
    place_tokens = set()
    for ref in places:
        span = doc.char_span(ref.mention.start, ref.mention.end, alignment_mode="expand")
        if span is not None:
            place_tokens.update(range(span.start, span.end))
    text = document.text
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for att in find_attributions(doc, named_tokens=index.named, place_tokens=frozenset(place_tokens)):
        start, end = att.claim
        if len(text[start:end].split()) < _MIN_CLAIM_WORDS:
            continue  # "…, officials said it had": a fragment, not a statement
        cue_spans = [att.cue] if att.cue is not None else []
        certainty, cert_cues = certainty_of(document, [att.claim, *cue_spans])
        speaker_text = None
        if att.speaker is not None:
            s = doc[att.speaker[0] : att.speaker[1]]
            speaker_text = s.text if len(s) else None
        speaker = _speaker_id(doc, att.speaker, index)
        cue_mention = document.mention(*att.cue) if att.cue is not None else None
        claims.append(
            Claim(
                id=stable_id("claim", document.id, start, end, att.kind),
                doc=document.id,
                text=text[start:end],
                evidence=document.mention(start, end),
                kind=att.kind,
                speaker=speaker,
                speaker_text=speaker_text,
                cue=cue_mention.text if cue_mention is not None else None,
                cue_mention=cue_mention,
                certainty=certainty,
                certainty_cues=cert_cues,
                checkworthiness=checkworthiness(doc, start, end, actors=index, certainty=certainty,
                                                named_speaker=not att.unnamed),
            )
        )
        covered.append((min([start, *(c[0] for c in cue_spans)]), max([end, *(c[1] for c in cue_spans)])))
    if author_claims:
        for sent in doc.sents:
            if any(s < sent.end_char and e > sent.start_char for s, e in covered):
                continue
            if text[sent.start_char : sent.end_char].rstrip().rstrip('"\u201d').endswith("?") or _is_future(sent):
                continue
            span = _author_span(sent)
            if span is None or is_open_question(text, *span):
                continue
            certainty, cert_cues = certainty_of(document, [span])
            score = checkworthiness(doc, *span, actors=index, certainty=certainty, named_speaker=False)
            if score < min_author_score:
                continue
            claims.append(
                Claim(
                    id=stable_id("claim", document.id, span[0], span[1], "author"),
                    doc=document.id,
                    text=text[span[0] : span[1]],
                    evidence=document.mention(*span),
                    kind="author",
                    certainty=certainty,
                    certainty_cues=cert_cues,
                    checkworthiness=score,
                )
            )
    claims.sort(key=lambda c: (c.evidence.start, c.evidence.end))
    yield from claims


def _is_party(claim: Claim, actor_types: dict[str, str]) -> bool:
    if claim.speaker is not None and actor_types.get(claim.speaker) in party_types():
        return True
    words = (claim.speaker_text or "").lower().replace("'s", " ").split()
    return any(w.strip(",.") in _party_words() for w in words)


def implied_source(claim: Claim, *, actor_types: dict[str, str] | None = None) -> tuple[str | None, str] | None:
    """The (source, modality) a claim gives the events inside it, or None for a plain assertion.

    Source: the speaker's actor id, ``"unattributed"`` for a speaker with no actor id, None for
    the author. Modality: ``hypothetical`` for a hypothetical claim; ``denied`` when the cue denies
    ("X denied that …", ``denial`` cues of ``attribution_cues.tsv``); ``claimed`` when the speaker
    is a party to the conflict (an actor of a type in ``party_types()``, or party words from
    ``modality_cues.tsv`` in the speaker phrase); ``reported`` otherwise.
    """
    if claim.kind == "author":
        return (None, "hypothetical") if claim.certainty == "hypothetical" else None
    source = claim.speaker or "unattributed"
    if claim.certainty == "hypothetical":
        return source, "hypothetical"
    if claim.cue and claim.cue.lower() in attribution_cues().by_role["denial"]:
        return source, "denied"
    return source, "claimed" if _is_party(claim, actor_types or {}) else "reported"


def link_claims_to_events(
    claims: Iterable[Claim],
    events: Iterable[Event],
    *,
    actors: Sequence[ActorRef] = (),
) -> tuple[list[Claim], dict[str, tuple[str | None, str]]]:
    """Fill ``Claim.events`` with the events of the same document whose evidence (or, failing
    that, trigger) lies inside the claim, and return for each such event the ``(source,
    modality)`` the innermost claim implies (see :func:`implied_source`; plain author assertions
    imply nothing and are left out). ``actors`` (the document's mentions) type the speakers.
    """
    actor_types = {speaker_actor_id(r): r.type for r in actors}
    events = list(events)
    out: list[Claim] = []
    implied: dict[str, tuple[str | None, str]] = {}
    best_width: dict[str, int] = {}
    for claim in claims:
        ev = claim.evidence
        inside = []
        for e in events:
            if e.doc != claim.doc:
                continue
            span = e.evidence if ev.start <= e.evidence.start and e.evidence.end <= ev.end else None
            if span is None and ev.start <= e.trigger.start and e.trigger.end <= ev.end:
                span = e.trigger
            if span is not None:
                inside.append(e.id)
        out.append(replace(claim, events=tuple(inside)) if inside else claim)
        found = implied_source(claim, actor_types=actor_types)
        width = ev.end - ev.start
        for eid in inside:
            if found is not None and width < best_width.get(eid, 1 << 30):
                implied[eid] = found
                best_width[eid] = width
    return out, implied


# An event's own negation or futurity is read closer to its trigger than any claim around it.
_OVERRIDABLE = frozenset({"asserted", "reported", "claimed"})


def apply_to_events(events: Iterable[Event], implied: dict[str, tuple[str | None, str]]) -> list[Event]:
    """Events with ``source``/``modality`` made to agree with the claims that carry them.

    An event whose modality is asserted, reported or claimed takes the claim's (source, modality);
    a negated, denied, future or hypothetical event keeps its modality and takes only a missing
    source. Events no claim carries are returned unchanged.
    """
    out = []
    for e in events:
        found = implied.get(e.id)
        if found is None:
            out.append(e)
            continue
        source, modality = found
        if e.modality in _OVERRIDABLE:
            out.append(replace(e, source=source, modality=modality))
        elif e.source is None and source is not None:
            out.append(replace(e, source=source))
        else:
            out.append(e)
    return out
