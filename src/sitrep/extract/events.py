"""Events: who did what to whom, where, when and how many, one event per trigger.

Each trigger from :func:`sitrep.extract.event_types.find_triggers` that carries a conflict reading
(or has an actor among its arguments) becomes an :class:`~sitrep.model.Event`. Its arguments are
read on the dependency parse, never by position alone (:mod:`sitrep.extract.event_arguments`):

- a verb's subject is the initiator and its object the target; a passive's ``by`` phrase is the
  initiator and its subject the target; an agentless passive ("a general was killed by shelling")
  leaves the initiator unknown;
- a nominalisation takes its initiator from a possessor, compound or adjective ("the ISIS
  offensive"), a ``by`` phrase, or the subject of a support verb ("ISIS launched an offensive"),
  and its target from ``on``/``against`` ("... on Palmyra"); "clashes between A and B" gives both;
  verbs the parser reads as modifiers take the sentence's subject; with no argument found at all,
  the nearest actors stand in (marked ``:fallback`` in the rule); fighting with one side found
  takes the nearest other party to the conflict in its clause, else in its sentence, never one on
  the known side (``sentence-opponent``, ``sentence-party``);
- the place is chosen among the sentence's places by a ranking learned on the event_location
  corpus, then the map's rules (datelines, rivers, the most specific mapped place, containers of
  unmapped or misresolved places, the next sentence's place): :mod:`sitrep.extract.event_places`.
  The earlier rule (fewest hops from the trigger's clause, settlements first) remains for
  ablations. A place resolved implausibly far from the area the text puts it in ("X town in Rural
  Damascus") yields to that area. The date is the one nearest the trigger, else unknown (never
  invented);
- fatalities are the most conservative figure of the event's sentence (ACLED's rule).

The cue words are data (``data/event_arguments.json``, ``data/event_place_cues.json``). The
function is pure: it reads the Doc, the Document and the already extracted actor and place
mentions, and yields records. Choices and measured ablations: docs/events.md.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from ..errors import ConfigError
from ..ids import stable_id
from ..model import ActorRef, Document, Event, EventDate, Mention, PlaceRef
from ..resolve.merge import actor_id, place_id
from . import event_places
from .event_arguments import Args, Cues, Index, load_cues, nearest_arguments, read_arguments, sentence_opponent
from .dates import find_dates
from .event_types import Trigger, acled_battle_subtype, find_triggers
from .focus import Focus, document_country
from .modality import default_is_party, modality_of
from .quantities import find_fatalities, find_quantities

# Components that ``ablate`` (or SITREP_EVENT_ABLATE) can switch off, for docs/events.md:
# the learned place ranking, the learned battle sub-event model, the dependency arguments.
ABLATIONS = ("place", "subevent", "arguments")

# Lines and areas make poor event locations: ACLED codes the settlement on the river bank.
_COARSE = frozenset({"country", "admin1", "region", "river", "lake", "road"})
_UNKNOWN_DATE = EventDate(None, None, "unknown", None)


def _checked(names: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(n.strip() for n in names if n.strip())
    unknown = sorted(chosen - set(ABLATIONS))
    if unknown:
        raise ConfigError(f"SITREP_EVENT_ABLATE names unknown component(s) {', '.join(unknown)}; "
                          f"choose from {', '.join(ABLATIONS)}")
    return chosen


def ablation_setting() -> frozenset[str]:
    """The components ``SITREP_EVENT_ABLATE`` switches off (validated)."""
    from .. import settings

    return _checked(settings.get("SITREP_EVENT_ABLATE").split(","))


_hops = event_places.hops


def _choose_place(doc, trig: Trigger, sent, args: Args, idx: Index, *, learned: bool = True,
                  country: Focus | None = None) -> tuple[PlaceRef | None, str]:
    """The event's place: ranked by the learned model (``event_places``), else by fewest hops.
    ``country`` is the document's focus (:func:`focus.document_country`)."""
    if not learned:
        return _choose_place_rules(doc, trig, sent, args, idx)
    cands = event_places.candidates(doc, sent, trig.head, args.anchors, idx.place_heads, idx.place_spans)
    rule = "place:model"
    if not cands:
        # "Clashes took place between A and B. ... near X": the place of a following sentence
        for other in _adjacent_sentences(doc, sent):
            cands = event_places.candidates(doc, other, trig.head, args.anchors, idx.place_heads, idx.place_spans)
            if cands:
                rule = "place:model:adjacent-sentence"
                break
    if not cands:
        return None, ""
    event_places.score(cands)
    if any(not c.features["dateline"] for c in cands):
        cands = [c for c in cands if not c.features["dateline"]]  # "BEIRUT —" is where it was filed
    ranked = sorted(cands, key=lambda c: (-c.score, c.head))
    best = ranked[0]
    if event_places.kind(best) in ("line", "country"):
        # a river bank or a country is no point on the map: the best-ranked settlement or area
        finer = [c for c in ranked if event_places.kind(c) in ("settlement", "district", "province")
                 and not event_places.implausible(c.ref, country)]
        if finer:
            best, rule = finer[0], rule + "+finer"
    if best.ref.lat is not None:
        # "Jafra Oil Field in Deir-ez-Zor", "Dana in northern Idleb": the chosen place holds a
        # mapped place the text puts in it; the most specific one is the event's (ACLED's rule)
        inner = [c for c in ranked if c is not best and c.ref.lat is not None
                 and not event_places.implausible(c.ref, country)
                 and event_places.kind(c) not in ("country", "line")
                 and (_hops(doc[best.head], [doc[c.head]], doc[c.head].sent, limit=3) is not None
                      or _written_inside(idx.text, c.ref, best.ref))]
        if inner:
            best, rule = inner[0], rule + "+specific"
        elif _names_region(best.ref):
            # "in Qaryatein, in the eastern Homs countryside": the countryside is where the
            # settlement lies, not a second place; the settlement in that province is the event's
            inside = [c for c in ranked if c is not best and c.ref.lat is not None
                      and event_places.kind(c) == "settlement" and not _names_region(c.ref)
                      and c.ref.country == best.ref.country and c.ref.admin1 and c.ref.admin1 == best.ref.admin1]
            if inside:
                best, rule = inside[0], rule + "+in-region"
    if best.ref.lat is None or event_places.implausible(best.ref, country):
        container = _container(doc, best, cands, country)
        if container is not None:
            return container.ref, rule + "+container"
        if best.ref.lat is not None:  # misresolved, and nothing holds it: the next plausible place
            other = [c for c in ranked if c.ref.lat is not None and not event_places.implausible(c.ref, country)
                     and event_places.kind(c) not in ("country", "line")]
            if other:
                return other[0].ref, rule + "+plausible"
    ref = best.ref
    if ref.lat is not None:
        container = _inconsistent_container(doc, ref, best.head, idx, country)
        if container is not None:
            return container, rule + "+container"
    return ref, rule


def _written_inside(text: str, inner: PlaceRef, outer: PlaceRef) -> bool:
    """ "the city of Izra' in Dar'a", "Hajin, Deir ez-Zor": the text names one place right before
    the other, joined by "in" or a comma, whatever the parser attached the second name to."""
    between = text[inner.mention.end:outer.mention.start].strip(" '\u2019").lower()
    if not (between in ("in", "in the") or (between == "," and outer.feature in ("admin1", "admin2", "admin3", "region"))):
        return False  # "shelled Kafr Nabl, Saraqib" is a list, not one place inside the other
    # and it can lie there: "soldiers from Tartous in Deir ez-Zor" names two places apart, while
    # "Hajin in Deir ez-Zor" names the province after its capital
    if inner.admin1 and inner.country == outer.country and inner.admin1 == outer.admin1:
        return True
    return distance_km(inner.lat, inner.lon, outer.lat, outer.lon) <= max(_CONTAINER_KM.get(outer.feature, 50.0), 60.0)


def _names_region(ref: PlaceRef) -> bool:
    """The mention names an area around a place ("Homs countryside", "rural Damascus")."""
    return bool(set(ref.mention.text.lower().split()) & event_places.cues().region_words)


def _adjacent_sentences(doc, sent):
    """The next sentence, then the previous one."""
    if sent.end < len(doc):
        yield doc[sent.end].sent
    if sent.start > 0:
        yield doc[sent.start - 1].sent


def _container(doc, best, cands, country):
    """The resolved place the text says holds an unresolved or implausible one: the place its
    phrase governs ("Al-Rashdeen suburb of Aleppo city"), else the next one after it."""
    sent = doc[best.head].sent
    pool = [c for c in cands if c is not best and c.ref.lat is not None
            and not event_places.implausible(c.ref, country) and event_places.kind(c) not in ("country", "line")]
    under = [c for c in pool if event_places.hops(doc[c.head], _name_anchors(doc[best.head]), sent, limit=4) is not None]
    if under:
        return min(under, key=lambda c: abs(c.head - best.head))
    after = [c for c in pool if 0 < c.head - best.head <= 20]
    return min(after, key=lambda c: c.head) if after else None


def _choose_place_rules(doc, trig: Trigger, sent, args: Args, idx: Index) -> tuple[PlaceRef | None, str]:
    """The earlier rule (kept for ablations): attached places first, fewest hops, finest kind."""
    best, best_key, rule = None, None, ""
    for head, ref in idx.place_heads:
        if not (sent.start <= head < sent.end):
            continue
        hops = _hops(doc[head], args.anchors, sent)
        attached = hops is not None
        # A place the gazetteer could not resolve cannot be mapped: its resolved container
        # ("Ein Terma town in Rural Damascus") serves better, though coarser.
        key = (
            0 if attached else 1,
            0 if ref.lat is not None else 1,
            1 if ref.feature in _COARSE else 0,
            hops if attached else abs(head - trig.head),
        )
        if best_key is None or key < best_key:
            best, best_key = ref, key
            rule = f"place:attached:{hops}" if attached else "place:nearest-in-sentence"
    if best is not None and best.lat is not None:
        head = next(h for h, r in idx.place_heads if r is best)
        container = _inconsistent_container(doc, best, head, idx)
        if container is not None:
            return container, rule + "+container"
    return best, rule


distance_km = event_places.distance_km


# How far a place may lie from the area that the text says contains it ("X town in Rural
# Damascus") before we distrust its resolution and fall back to the container.
_CONTAINER_KM = {"admin1": 250.0, "region": 200.0, "admin2": 100.0, "admin3": 40.0, "city": 50.0, "town": 30.0}


def _name_anchors(tok) -> list:
    """A place name and the noun it names ("Al-Amin" and "neighborhood" of "Al-Amin neighborhood
    of Ar-Raqqa city"): what the phrase's containers hang from."""
    if tok.dep_ in ("compound", "nmod", "amod", "appos") and tok.head.i != tok.i:
        return [tok, tok.head]
    return [tok]


def _inconsistent_container(doc, best: PlaceRef, best_head: int, idx: Index, focus=None) -> PlaceRef | None:
    sent = doc[best_head].sent
    for head, ref in idx.place_heads:
        if ref is best or ref.lat is None or not (sent.start <= head < sent.end):
            continue
        if event_places.implausible(ref, focus):
            continue
        if _hops(doc[head], _name_anchors(doc[best_head]), sent, limit=4) is None:
            continue  # not said to contain the chosen place
        if ref.feature == "country":
            if best.country and ref.country and best.country != ref.country:
                return ref
            continue
        if best.admin1 and best.admin1 == ref.admin1 and best.country == ref.country:
            continue  # "Hajin in Deir-ez-Zor": a place in the province that shares the city's name
        limit = _CONTAINER_KM.get(ref.feature)
        if limit is not None and _names_region(ref):
            limit = _CONTAINER_KM["admin1"]  # "Jasim town in Dar'a countryside": the province, not the city
        if limit is not None and distance_km(best.lat, best.lon, ref.lat, ref.lon) > limit:
            return ref
    return None


def _choose_date(doc, sent, args: Args, dates: list[tuple[Mention, EventDate, int]]):
    best, best_key = None, None
    for mention, ed, head in dates:
        if not (sent.start <= head < sent.end):
            continue
        hops = _hops(doc[head], args.anchors, sent)
        key = (1 if ed.precision == "unknown" else 0, 0 if hops is not None else 1,
               hops if hops is not None else abs(head - args.anchors[0].i))
        if best_key is None or key < best_key:
            best, best_key = ed, key
    return best


def _fatalities(figures: list, sent) -> tuple[int | None, str | None, str | None]:
    """The most conservative reading of the sentence's figures of dead (ACLED's rule)."""
    mine = [f for f in figures if f.mention is not None and sent.start_char <= f.mention.start < sent.end_char]
    if not mine:
        return None, None, None
    counts = [f for f in mine if f.kind == "count"]
    totals = [f for f in mine if f.kind == "total"]
    count_sum = sum(f.value for f in counts)
    if totals and (not counts or min(f.value for f in totals) < count_sum):
        chosen = [min(totals, key=lambda f: f.value)]
        value = chosen[0].value
    else:
        chosen, value = counts, count_sum
    sides = {f.side for f in chosen if f.side}
    approx = next((f.approx for f in chosen if f.approx), None)
    return int(value), approx, sides.pop() if len(sides) == 1 else None


def _source(doc, cue: Mention | None, idx: Index) -> str:
    """The actor who speaks: the subject of the speech verb, or the object of "according to"."""
    if cue is None:
        return "unattributed"
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return "unattributed"
    stack = [c for c in span.root.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "prep", "pobj")]
    while stack:
        t = stack.pop(0)
        ref = idx.actor_at.get(t.i)
        if ref is not None:
            return actor_id(ref.key)
        stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "advcl", "parataxis", "conj", "relcl"))
    # A misparsed trailing "..., the Observatory said": the actor just before the verb of saying.
    root = span.root
    for i in range(root.i - 1, max(root.sent.start, root.i - 8) - 1, -1):
        if doc[i].is_punct:
            break
        ref = idx.actor_at.get(i)
        if ref is not None:
            return actor_id(ref.key)
    return "unattributed"


def _evidence(doc, document: Document, sent, tokens: list) -> Mention:
    """The smallest span of the sentence covering the trigger's clause and its arguments."""
    lo = min(t.left_edge.i for t in tokens)
    hi = max(t.right_edge.i for t in tokens)
    lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return document.mention(start, end)


def _party_checker(idx: Index, cues: Cues):
    def is_party(span) -> bool:
        for t in span:
            ref = idx.actor_at.get(t.i)
            if ref is not None and ref.type in cues.party_types:
                return True
        return default_is_party(span)

    return is_party


def extract_events(
    doc,
    document: Document,
    *,
    actors: Iterable[ActorRef],
    places: Iterable[PlaceRef],
    holders: Iterable[ActorRef] = (),
    published: date | None = None,
    ablate: Iterable[str] | None = None,
) -> Iterator[Event]:
    """Yield one :class:`Event` per conflict trigger (or actor-bearing trigger) of the document.

    ``actors``/``places`` are the document's mentions after arbitration, ``holders`` the actors
    named only as holding a place ("the IS-held village", :mod:`sitrep.extract.holders`); ``published`` anchors
    relative dates and defaults to ``document.published``. ``ablate`` switches components off
    for the ablations of docs/events.md (``ABLATIONS``; default: the ``SITREP_EVENT_ABLATE``
    setting, normally empty).
    """
    off = ablation_setting() if ablate is None else _checked(ablate)
    cues = load_cues()
    idx = Index(doc, actors, places, holders)
    country = document_country((r for _, r in idx.place_heads), idx.actor_at.values())
    published = published if published is not None else document.published
    dates = []
    for mention, ed in find_dates(doc, document, published=published):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            dates.append((mention, ed, span.root.i))
    figures = list(find_fatalities(doc, document))
    quantities = list(find_quantities(doc, document))
    is_party = _party_checker(idx, cues)
    for trig in find_triggers(doc):
        if trig.plover is None or any(i in idx.actor_at or i in idx.place_at for i in range(trig.start, trig.end)):
            continue
        tok = doc[trig.head]
        sent = tok.sent
        if "arguments" in off:
            args = nearest_arguments(doc, trig, idx)
        else:
            args = read_arguments(doc, trig, idx, cues)
            if not (args.actor1 or args.actor2):
                # the parse gave no argument at all ("Libya has offered to hand over to Great
                # Britain ..."): the nearest actors before and after the trigger, marked as such
                near = nearest_arguments(doc, trig, idx, unidentified=args.unidentified)
                near.anchors = args.anchors
                # what the parse did find: nothing, or an initiator the text calls unknown
                near.rules = args.rules + [f"{r}:fallback" for r in near.rules]
                args = near
            elif args.actor1 and not args.actor2 and trig.plover != "ASSAULT" and not args.pair_rest:
                # "Libya has offered to hand over to Great Britain ...": the recipient the parse
                # missed is the nearest other actor after the trigger (fighting has its own,
                # stricter rule below: only a party to the conflict on the other side)
                near = nearest_arguments(doc, trig, idx)
                taken = {r.key for r in args.actor1 + args.associated}
                refs = [r for r in near.actor2 if r.key not in taken]
                args.add("actor2", refs, "nearest-after:fallback")
            if args.assault and bool(args.actor1) != bool(args.actor2) and not args.pair_rest:
                sentence_opponent(tok, idx, cues, args)
        if trig.plover not in cues.conflict_types and not trig.acled and not (args.actor1 or args.actor2):
            continue  # a CAMEO verb with no conflict reading and nobody doing it: not an event
        if trig.needs_party and not any(r.type in cues.party_types for r in args.actor1 + args.actor2):
            continue  # "shares advanced in early trading", "assumed control of the company"
        acled_type = acled_sub = None
        acled_rule = ""
        if trig.acled:
            acled_type, acled_sub = trig.acled[0]
            acled_rule = "acled:lexicon"
            if acled_type == "Battles" and "subevent" not in off:
                acled_sub, _ = acled_battle_subtype(sent.text)
                acled_rule = "acled:model:acled_battle_subtype"
        place, place_rule = _choose_place(doc, trig, sent, args, idx, learned="place" not in off, country=country)
        when = _choose_date(doc, sent, args, dates) or _UNKNOWN_DATE
        deaths, deaths_approx, deaths_side = _fatalities(figures, sent)
        mod = modality_of(doc, trig.head, is_party=is_party, document=document)
        source = None
        if mod.modality in ("reported", "claimed", "denied") and mod.rule.startswith(("speech", "source")):
            source = _source(doc, mod.cue, idx)
        elif mod.modality in ("reported", "claimed"):
            source = "unattributed"
        cover = list(args.anchors)
        for refs in (args.actor1, args.actor2):
            for ref in refs[:1]:
                span = doc.char_span(ref.mention.start, ref.mention.end, alignment_mode="expand")
                if span is not None and span.start >= sent.start and span.end <= sent.end:
                    cover.append(span.root)
        a1 = actor_id(args.actor1[0].key) if args.actor1 else None
        a2 = actor_id(args.actor2[0].key) if args.actor2 else None
        assoc = []
        for ref in args.associated:
            aid = actor_id(ref.key)
            if aid not in (a1, a2) and aid not in assoc:
                assoc.append(aid)
        rule = "; ".join(filter(None, [f"trigger:{trig.rule}", *args.rules, place_rule, acled_rule,
                                       f"modality:{mod.rule}"]))
        yield Event(
            id=stable_id("event", document.id, trig.char_start, trig.char_end, trig.plover),
            doc=document.id,
            type=trig.plover,
            mode=trig.mode,
            acled_event_type=acled_type,
            acled_sub_event_type=acled_sub,
            actor1=a1,
            actor2=a2,
            associated_actors=tuple(assoc),
            place=place_id(place.key) if place is not None else None,
            place_qualifier=place.mention.qualifier if place is not None else None,
            date=when,
            fatalities=deaths,
            fatalities_qualifier=deaths_approx,
            fatalities_side=deaths_side,
            quantities=tuple(q for q in quantities if q.mention is not None
                             and sent.start_char <= q.mention.start < sent.end_char),
            modality=mod.modality,
            source=source,
            evidence=_evidence(doc, document, sent, cover),
            trigger=document.mention(trig.char_start, trig.char_end),
            rule=rule,
        )
