"""Events: who did what to whom, where, when and how many, one event per trigger.

Each trigger from :func:`sitrep.extract.event_types.find_triggers` that carries a conflict reading
(or has an actor among its arguments) becomes an :class:`~sitrep.model.Event`. Its arguments are
read on the dependency parse, never by position alone:

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

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from ..errors import ConfigError, ModelError
from ..ids import stable_id
from ..model import ActorRef, Document, Event, EventDate, Mention, PlaceRef
from ..nlp import doc_text
from ..resolve.merge import actor_id, place_id
from . import event_places
from .dates import find_dates
from .event_types import Trigger, acled_battle_subtype, find_triggers
from .modality import default_is_party, modality_of, speaks
from .quantities import DATA_DIR, find_fatalities, find_quantities

# Components that ``ablate`` (or SITREP_EVENT_ABLATE) can switch off, for docs/events.md:
# the learned place ranking, the learned battle sub-event model, the dependency arguments.
ABLATIONS = ("place", "subevent", "arguments")

_SUBJ = ("nsubj",)
_PASSIVE_SUBJ = ("nsubjpass",)
_OBJ = ("dobj",)
# "US-backed": a hyphened word right after an actor's name, or ending its mention
_MARK_AFTER = re.compile(r"\s*-\s*(\w+)")
_MARK_INSIDE = re.compile(r"-(\w+)$")
_NP_SKIP = frozenset({"prep", "conj", "cc", "relcl", "acl", "advcl", "punct", "ccomp", "appos"})
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


@dataclass(frozen=True, slots=True)
class _Cues:
    agent_preps: frozenset
    target_preps: frozenset
    pair_preps: frozenset
    place_preps: frozenset
    subject_light: frozenset
    support_verbs: frozenset
    party_types: frozenset
    conflict_types: frozenset
    partner_preps: frozenset
    agentive_nouns: frozenset
    governing_preps: frozenset
    loser_preps: frozenset
    place_heads: frozenset
    backing_verbs: frozenset
    affiliate_marks: frozenset
    first_side_marks: frozenset
    second_side_marks: frozenset
    reciprocal_verbs: frozenset
    umbrella_cues: frozenset
    aligned_with: frozenset
    intra_group_nouns: frozenset
    reciprocal_pronouns: frozenset


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    path = DATA_DIR / "event_arguments.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return _Cues(**{f: frozenset(w.lower() for w in data[f]) for f in _Cues.__slots__})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read the event argument cues ({exc})") from exc


class _Index:
    """Token-level lookups of a document's actor and place mentions."""

    def __init__(self, doc, actors: Iterable[ActorRef], places: Iterable[PlaceRef]):
        self.actor_at: dict[int, ActorRef] = {}
        self.place_at: dict[int, PlaceRef] = {}
        self.place_heads: list[tuple[int, PlaceRef]] = []
        self.place_spans: dict[int, range] = {}
        self.text = text = doc_text(doc)
        marks = _cues().affiliate_marks
        for ref in actors:
            # "US-backed forces", "ISIS-affiliated group": the name qualifies another actor, the one
            # taking part, so it never fills an argument slot
            mark = _MARK_AFTER.match(text, ref.mention.end) or _MARK_INSIDE.search(ref.mention.text)
            if mark and mark.group(1).lower() in marks:
                continue
            for i in self._tokens(doc, ref.mention):
                self.actor_at.setdefault(i, ref)
        for ref in places:
            toks = self._tokens(doc, ref.mention)
            if not toks:
                continue
            for i in toks:
                self.place_at.setdefault(i, ref)
            span = doc[toks[0] : toks[-1] + 1]
            self.place_heads.append((span.root.i, ref))
            self.place_spans.setdefault(span.root.i, range(toks[0], toks[-1] + 1))

    @staticmethod
    def _tokens(doc, m: Mention) -> list[int]:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return list(range(span.start, span.end)) if span is not None else []


def _np_actors(tok, idx: _Index) -> list[ActorRef]:
    """The actors a noun phrase names, its conjuncts included: "regime forces and Hezbollah".

    In a phrase headed by a place noun ("Kaba Jeb village", "T3 Station") a name known only to the
    NER is the place's name, not an actor.
    """
    out: list[ActorRef] = []
    cues = _cues()
    place_heads = cues.place_heads
    heads, queue = [], [tok]
    while queue and len(heads) < 8:
        h = queue.pop(0)
        heads.append(h)
        # conjuncts, and those of a misparsed "IS militants" whose noun hangs as attr/appos
        queue.extend(c for c in h.children if c.dep_ in ("conj", "attr", "appos"))
    doc = tok.doc
    for h in heads:
        found = [idx.actor_at[h.i]] if h.i in idx.actor_at else []
        if found:
            # "Syrian and Russian soldiers": the head's mention names one state, its coordinated
            # modifiers the others, each in text order
            for c in h.children:
                if c.dep_ in ("amod", "compound", "nmod") and any(g.dep_ == "conj" for g in c.children):
                    found += [idx.actor_at[t.i] for t in (c, *c.conjuncts) if t.i in idx.actor_at]
            found.sort(key=lambda r: r.mention.start)
        before = h.left_edge.i - 1
        if not found and before >= 0 and doc[before].dep_ in ("aux", "auxpass", "npadvmod", "attr"):
            # "IS members attacked": the small model reads "IS" as an auxiliary, or after "believed
            # to be" as the complement of "be"
            found = [idx.actor_at[before]] if before in idx.actor_at else []
        if not found:
            # modifiers name the actors: "Islamic State fighters", "members of the SDF",
            # "Islamic State and Syrian Democratic Forces fighters"
            stack = [c for c in h.children if c.dep_ not in _NP_SKIP or (c.dep_ == "prep" and c.lower_ == "of")]
            while stack:
                c = stack.pop(0)
                if c.lower_ in cues.affiliate_marks:
                    continue  # "US-backed forces" are not the US
                if c.i in idx.actor_at:
                    found.append(idx.actor_at[c.i])
                    stack.extend(g for g in c.children if g.dep_ == "conj")
                    continue
                stack.extend(g for g in c.children if g.dep_ not in _NP_SKIP or g.dep_ in ("pobj", "conj"))
        if h.lower_ in place_heads and h.i not in idx.actor_at:
            # "Kaba Jeb village": a name the NER took for an actor; "the army base" keeps the army
            found = [ref for ref in found if not ref.key.startswith("ner:")]
        for named in found:
            # the group a unit operates under leads (ACLED codes the umbrella); the unit stays associated
            for ref in (_umbrella(named, idx, doc, cues), named):
                if all(ref.key != o.key for o in out):
                    out.append(ref)
    return out


def _umbrella(ref: ActorRef, idx: "_Index", doc, cues: _Cues) -> ActorRef:
    """The known group an actor operates under ("Northern Hawks Brigade, operating under the Syrian
    Liberation Front", "rebels operating as part of Operation Peace Spring"), else the actor itself."""
    after = idx.text[ref.mention.end:ref.mention.end + 60].lower()
    for cue in cues.umbrella_cues:
        at = after.find(cue)
        if 0 <= at <= 12:
            start = ref.mention.end + at + len(cue)
            span = doc.char_span(start, min(len(idx.text), start + 48), alignment_mode="expand")
            for t in span or ():
                other = idx.actor_at.get(t.i)
                if other is not None and other.key != ref.key and not other.key.startswith("ner:"):
                    return other
    return ref


def _backed(tok, cues: _Cues, upto=None) -> bool:
    """Whether ``tok`` hangs under a backing verb ("backed by US Special Forces", "led by the
    council"), looking up to ``upto`` (exclusive) or the sentence root: a backer is not a side.

    Where the backing phrase is an aside between commas, what follows its closing ", and" is the
    next side, though the parser hangs it on the backer: "between regime forces, supported by
    pro-regime militias, and rebel factions"."""
    node, closes_aside = tok, False
    for a in tok.ancestors:
        if upto is not None and a.i == upto.i:
            return False
        closes_aside = closes_aside or (node.dep_ == "conj" and _after_comma_and(node))
        if a.lemma_.lower() in cues.backing_verbs or a.lower_ in cues.backing_verbs:
            return not (closes_aside and a.i > 0 and a.doc[a.i - 1].text == ",")
        node = a
    return False


def _after_comma_and(tok) -> bool:
    """The conjunct is introduced by ", and" (the comma closing an aside)."""
    i = tok.left_edge.i
    return i >= 2 and tok.doc[i - 1].lower_ == "and" and tok.doc[i - 2].text == ","


def _pobjs(prep) -> list:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


class _Args:
    def __init__(self, assault: bool = False):
        self.assault = assault
        self.actor1: list[ActorRef] = []
        self.actor2: list[ActorRef] = []
        self.rules: list[str] = []
        self.anchors: list = []  # tokens whose subtrees the event's clause spans
        self.pair_rest: list[ActorRef] = []  # "between A and B": the partners after A
        self.associated: list[ActorRef] = []
        self.associated_side: list[ActorRef] = []  # allies of the initiator ("between A, B against C")

    def add(self, slot: str, refs: list[ActorRef], rule: str) -> None:
        target = self.actor1 if slot == "actor1" else self.actor2
        if refs and not target:
            target.extend(refs)
            self.rules.append(f"{slot}:{rule}")


def _verb_args(verb, idx: _Index, cues: _Cues, args: _Args, *, own: bool = True) -> None:
    for c in verb.children:
        if c.dep_ in _SUBJ:
            args.add("actor1", _np_actors(c, idx), "nsubj")
        elif c.dep_ in _PASSIVE_SUBJ:
            args.add("actor2", _np_actors(c, idx), "passive-subject")
        elif c.dep_ == "agent":
            for p in _pobjs(c):
                args.add("actor1", _np_actors(p, idx), "passive-by")
        elif c.dep_ in _OBJ and own:
            args.add("actor2", _np_actors(c, idx), "dobj")
        elif c.dep_ == "prep" and c.lower_ in cues.target_preps:
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), f"prep-{c.lower_}")
        elif c.dep_ == "prep" and c.lower_ in cues.pair_preps:
            _pair(c, idx, args)
        elif c.dep_ == "prep" and c.lower_ in cues.partner_preps and args.assault:
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), f"prep-{c.lower_}")
        elif c.dep_ == "prep" and c.lower_ in cues.loser_preps and args.assault:
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), f"prep-{c.lower_}")
        elif c.dep_ == "prep" and own:
            # "were killed in IS attacks", "killed in clashes against IS": the attacker did it
            for p in _pobjs(c):
                if p.lemma_.lower() in cues.agentive_nouns:
                    refs = [r for m in p.children if m.dep_ in ("compound", "amod", "poss", "nmod")
                            for r in _np_actors(m, idx)]
                    opponents = cues.target_preps | cues.partner_preps
                    refs += [r for m in p.children if m.dep_ == "prep" and m.lower_ in opponents
                             for q in _pobjs(m) for r in _np_actors(q, idx)]
                    args.add("actor1", refs, f"agentive-noun:{c.lower_}")
    if not args.actor1 and own and verb.i > 0:
        # "IS captured the village": the small model reads "IS" as an auxiliary
        for c in verb.children:
            if c.i < verb.i and c.dep_ in ("aux", "auxpass", "npadvmod") and c.i in idx.actor_at:
                args.add("actor1", [idx.actor_at[c.i]], "misparsed-subject")
                break
    if not args.actor1 and own:
        # a long coordinated subject the parser split: the first actor anywhere in it
        for c in verb.children:
            if c.dep_ in _SUBJ:
                found = sorted({idx.actor_at[t.i].mention.start: idx.actor_at[t.i] for t in c.subtree
                                if t.i in idx.actor_at}.items())
                args.add("actor1", [ref for _, ref in found], "subject-subtree")
    if not args.actor1 and own and verb.dep_ == "ROOT" and not any(c.dep_ in _SUBJ for c in verb.children):
        # "On 19 December 2020, JWS, which operates under OPS, clashed with QSD": the parser
        # hung the subject on the opening date as an apposition
        for t in verb.doc[verb.sent.start:verb.i]:
            if t.dep_ == "appos" and t.head.ent_type_ == "DATE" and t.i in idx.actor_at:
                args.add("actor1", [idx.actor_at[t.i]], "date-apposition-subject")
                break
    if not args.actor1 and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        # "IS attacked and captured the village", "continued to shell", "..., killing 3"
        if verb.dep_ != "advcl" or verb.tag_ == "VBG":
            for c in verb.head.children:
                if c.dep_ in _SUBJ:
                    args.add("actor1", _np_actors(c, idx), f"shared-subject:{verb.dep_}")


def _pair(prep, idx: _Index, args: _Args) -> None:
    """ "between A and B": A initiates, B is the target unless an on/against phrase names one."""
    cues = _cues()
    refs: list[ActorRef] = []
    for p in _pobjs(prep):
        refs.extend(_np_actors(p, idx))
    if not _pobjs(prep) and not list(prep.children):
        # "between regime forces supported by Russian warplanes airstrikes, against IS": the
        # parser left "between" empty; its side is the first actor after it that backs no one
        for t in prep.doc[prep.i + 1:prep.sent.end]:
            if t.lower_ in cues.target_preps or t.lower_ in cues.pair_preps:
                break
            if t.i in idx.actor_at and not _backed(t, cues):
                refs.append(idx.actor_at[t.i])
                break
    if len(refs) < 2:
        # a coordination the parser broke: every actor in the phrase, in text order, but for
        # one that only qualifies the next ("ISIS-affiliate Khalid ibn al Walid Army")
        marks = cues.affiliate_marks
        doc = prep.doc
        for t in prep.subtree:
            ref = idx.actor_at.get(t.i)
            if ref is None or any(ref.key == r.key for r in refs) or _backed(t, cues, upto=prep):
                continue
            nxt = [u.lower_ for u in doc[t.i + 1: t.i + 3]]
            if t.i + 1 < len(doc) and (t.i + 1) not in idx.actor_at and nxt and (
                    nxt[0] in marks or (nxt[0] == "-" and len(nxt) > 1 and nxt[1] in marks)):
                continue
            refs.append(ref)
        if len(refs) == 1:
            # "between regime forces supported by pro-regime militias and the Operation Room":
            # "between" names two sides, so with one found the backers' last conjunct is the other
            last = [idx.actor_at[t.i] for t in prep.subtree if t.dep_ == "conj" and t.i in idx.actor_at
                    and _backed(t, cues, upto=prep) and idx.actor_at[t.i].key != refs[0].key
                    and not idx.actor_at[t.i].key.startswith("ner:")]
            refs.extend(last[-1:])
    refs.sort(key=lambda r: r.mention.start)
    if len(refs) == 1 and _within_one_group(prep, refs[0], idx):
        # "clashes among opposition rebels", "between two groups of the 1st Division": one actor
        # fought itself, and ACLED codes it on both sides
        args.add("actor1", refs, "intra-group")
        args.add("actor2", refs, "intra-group")
        return
    if refs:
        args.add("actor1", refs[:1], "between")
        args.pair_rest = refs[1:]


def _within_one_group(prep, ref: ActorRef, idx: _Index) -> bool:
    """ "among X", or "between" with X inside "groups of" / "members of" (the only actor named)."""
    if prep.lower_ == "among":
        # the group itself is what "among" governs, not "among airstrikes ... by IS"
        return any(idx.actor_at.get(p.i) is ref for p in _pobjs(prep))
    cues = _cues()
    for t in prep.subtree:
        if idx.actor_at.get(t.i) is ref:
            return any(a.lower_ == "of" and a.head.lower_ in cues.intra_group_nouns and a.head.i > prep.i
                       for a in t.ancestors if a.i > prep.i)
    return False


def _noun_args(noun, idx: _Index, cues: _Cues, args: _Args) -> None:
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            args.add("actor1", _np_actors(c, idx), f"nominal-{c.dep_}")
        elif c.dep_ == "prep" and c.lower_ in cues.agent_preps:
            for p in _pobjs(c):
                args.add("actor1", _np_actors(p, idx), "nominal-by")
        elif c.dep_ == "prep" and c.lower_ in cues.target_preps:
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), f"nominal-{c.lower_}")
        elif c.dep_ == "prep" and c.lower_ in cues.pair_preps:
            _pair(c, idx, args)
        elif c.dep_ == "prep" and c.lower_ in cues.partner_preps and args.assault:
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), f"nominal-{c.lower_}")
        elif c.dep_ == "prep" and c.lower_ == "of":
            for p in _pobjs(c):
                args.add("actor2", _np_actors(p, idx), "nominal-of")
    head = noun.head
    lemma = head.lemma_.lower()
    if head.pos_ in ("VERB", "AUX") and head.i != noun.i:
        if noun.dep_ in ("nsubj", "nsubjpass", "csubj") and lemma in cues.subject_light:
            args.anchors.append(head)
            _verb_args(head, idx, cues, args, own=False)
        elif noun.dep_ == "dobj" and lemma in cues.support_verbs:
            args.anchors.append(head)
            _verb_args(head, idx, cues, args, own=False)
        elif noun.dep_ == "nsubj" and noun.sent.root.lemma_.lower() in cues.subject_light and noun.i < noun.sent.root.i:
            # "Clashes, accompanied by shelling and airstrikes, took place between ...": the parser
            # hung the subject under the aside; the sentence's light verb still carries the sides
            root = noun.sent.root
            args.anchors.append(root)
            _verb_args(root, idx, cues, args, own=False)
    if noun.dep_ in ("pobj", "dobj") and head.lower_ in cues.governing_preps and args.assault and not args.actor1:
        # "IS captured the village after clashes with the army": the clashes are IS's too
        verb = head.head
        for _ in range(4):  # "advanced to control ... following clashes": climb to a subject
            subjects = [c for c in verb.children if c.dep_ in _SUBJ] if verb.pos_ in ("VERB", "AUX") else []
            if subjects:
                args.add("actor1", _np_actors(subjects[0], idx), f"governing-subject:{head.lower_}")
                break
            if verb.head.i == verb.i or not (verb.sent.start <= verb.head.i < verb.sent.end):
                break
            verb = verb.head
        if not args.actor1:
            # "regime forces controlled X village following clashes with IS", the verb misparsed
            # as a modifier: the sentence's subject before the trigger
            args.add("actor1", _stray_subject(noun, idx), f"stray-subject:{head.lower_}")


def _stray_subject(tok, idx: _Index) -> list[ActorRef]:
    """The actors of the last subject before ``tok`` in its sentence, whatever it hangs from, or of
    a sentence the parser rooted in a noun phrase before it ("SDF, backed by ..., controlled X")."""
    for i in range(tok.i - 1, tok.sent.start - 1, -1):
        t = tok.doc[i]
        if t.dep_ in _SUBJ:
            refs = _np_actors(t, idx)
            if refs:
                return refs
    root = tok.sent.root
    if root.pos_ in ("NOUN", "PROPN") and root.i < tok.i:
        return _np_actors(root, idx)
    return []


def _arguments(doc, trig: Trigger, idx: _Index, cues: _Cues) -> _Args:
    args = _Args(assault=trig.plover == "ASSAULT")
    tok = doc[trig.head]
    args.anchors.append(tok)
    # a gerund modifying a noun is a noun trigger: "shelling exchange took place between ..."
    gerund = tok.tag_ == "VBG" and tok.dep_ in ("amod", "compound") and tok.head.pos_ == "NOUN"
    # and so is a gerund subject of a light verb: "shelling exchange took place between A and B"
    gerund = gerund or (tok.tag_ == "VBG" and tok.dep_ == "csubj" and tok.head.lemma_.lower() in cues.subject_light)
    if tok.pos_ in ("VERB", "AUX") and not gerund:
        _verb_args(tok, idx, cues, args)
        if tok.dep_ in ("amod", "compound", "nmod"):
            # "SDF re-captured X village from IS": a verb the parser took for a modifier
            args.add("actor1", _stray_subject(tok, idx), "misparsed-verb")
            if args.assault and not args.actor2:
                refs, prep = _first_prep_actors(doc[tok.i + 1: tok.sent.end],
                                                cues.loser_preps | cues.target_preps | cues.partner_preps,
                                                idx, {a.key for a in args.actor1})
                if refs:
                    args.add("actor2", refs, f"misparsed-verb:{prep.lower_}")
    else:
        _noun_args(tok, idx, cues, args)
        noun = tok
        while not (args.actor1 or args.actor2 or args.pair_rest):
            if noun.dep_ in ("amod", "compound") and noun.head.pos_ == "NOUN" and noun.head.i != noun.i:
                noun = noun.head  # "shelling exchange took place between ...": the phrase's head carries it
            elif noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
                noun = noun.head.head  # "an exchange of shelling barrages took place between ..."
            else:
                break
            args.anchors.append(noun)
            _noun_args(noun, idx, cues, args)
    if args.assault and args.actor1 and not args.actor2 and not args.pair_rest:
        # "clashes between the SDF, backed by the Coalition, against IS": the target hangs deep
        refs, _ = _first_prep_actors((t for a in args.anchors for t in a.subtree), ("against",), idx,
                                     {a.key for a in args.actor1})
        args.add("actor2", refs, "clause-against")
    if args.assault and args.pair_rest and not args.actor2:
        # "between regime forces, allied militias and Russian forces against IS": the partners
        # of "between" are one side, the "against" phrase the other
        refs, _ = _first_prep_actors((t for a in args.anchors for t in a.subtree), ("against",), idx,
                                     {r.key for r in args.actor1 + args.pair_rest})
        if refs:
            args.add("actor2", refs, "between-against")
            args.associated_side = args.pair_rest
            args.pair_rest = []
    if args.assault and not (args.actor1 or args.actor2 or args.pair_rest):
        # "clashes took place after IS attacked a regime checkpoint": the clause that says how the
        # clashes began names their sides
        for anchor in args.anchors[1:]:
            for c in anchor.children:
                if c.dep_ == "advcl" and c.pos_ == "VERB":
                    sub = _Args(assault=True)
                    _verb_args(c, idx, cues, sub)
                    if sub.actor1 and not sub.actor2:
                        # "as regime forces attempted to advance ..., against opposition rebels"
                        refs, _ = _first_prep_actors(c.subtree, cues.target_preps, idx, {a.key for a in sub.actor1})
                        sub.add("actor2", refs, "deep")
                    if sub.actor1 and sub.actor2:
                        args.add("actor1", sub.actor1, "subordinate-clause")
                        args.add("actor2", sub.actor2, "subordinate-clause")
                        break
    if args.assault and args.actor1 and not args.actor2:
        # "HTS members clashed with one another": the subject fought itself
        sentence = tok.sent.text.lower()
        if any(p in sentence for p in cues.reciprocal_pronouns):
            args.add("actor2", args.actor1[:1], "reciprocal-pronoun")
    if args.assault:
        _marked_sides(tok, idx, cues, args)
    if args.assault and len(args.actor1) > 1 and not args.actor2 and not args.pair_rest and any(
            a.lemma_.lower() in cues.reciprocal_verbs for a in [tok, tok.head, *args.anchors]):
        # "regime forces and rebel factions exchanged shelling": a coordinated subject of a
        # reciprocal verb names both sides, unless a partner phrase deeper in the clause names the
        # other ("Turkish forces and rebels exchanged barrages with QSD")
        partners, _ = _first_prep_actors((t for a in [tok, *args.anchors] for t in a.subtree), cues.partner_preps,
                                         idx, {r.key for r in args.actor1})
        if partners:
            args.add("actor2", partners[:1], "partner-in-clause")
        else:
            args.actor2 = args.actor1[1:2]
            args.actor1 = args.actor1[:1] + args.actor1[2:]
            args.rules.append("actor2:reciprocal-subject")
    rest = args.pair_rest
    if rest and not args.actor2:
        # the first partner not on the initiator's side: pro-regime militias listed after the
        # regime's forces fight with them
        pick = next((r for r in rest if not any(_same_side(r, a, cues) for a in args.actor1)), rest[0])
        args.actor2.append(pick)
        args.rules.append("actor2:between")
        rest = [r for r in rest if r is not pick]
    args.associated = args.actor1[1:] + args.associated_side + args.actor2[1:] + rest
    return args


def _first_prep_actors(tokens, preps, idx: _Index, exclude: set[str]) -> tuple[list[ActorRef], object]:
    """The actors, but for ``exclude``'s keys, that the objects of the first preposition among
    ``tokens`` from ``preps`` name, with that preposition; ([], None) where none names any."""
    for t in tokens:
        if t.dep_ == "prep" and t.lower_ in preps:
            refs = [r for p in _pobjs(t) for r in _np_actors(p, idx) if r.key not in exclude]
            if refs:
                return refs, t
    return [], None


def _same_side(a: ActorRef, b: ActorRef, cues: _Cues) -> bool:
    """One of them is the other's unit, they share a parent, or both fight for the same state."""
    if a.key == b.key or a.parent_key == b.key or b.parent_key == a.key or (a.parent_key and a.parent_key == b.parent_key):
        return True
    return bool(_camp(a, cues) & _camp(b, cues))


def _camp(ref: ActorRef, cues: _Cues) -> set[str]:
    """The states an actor fights for: its own state's bodies, and militias aligned with it."""
    out = {ref.country.lower()} if ref.country and ref.type in ("state", "government", "military") else set()
    return out | _aligned_states(cues.aligned_with).get(ref.key.lower(), set())


@functools.lru_cache(maxsize=1)
def _aligned_states(aligned_with: frozenset) -> dict[str, set[str]]:
    """'actor>state' pairs read once: actor key -> the states it fights for."""
    out: dict[str, set[str]] = {}
    for pair in aligned_with:
        key, _, state = pair.partition(">")
        out.setdefault(key, set()).add(state)
    return out


def _nearest_arguments(doc, trig: Trigger, idx: _Index) -> _Args:
    """The ablation without dependency arguments: the nearest actor before the trigger initiates,
    the nearest after it is the target (same sentence)."""
    args = _Args(assault=trig.plover == "ASSAULT")
    tok = doc[trig.head]
    args.anchors.append(tok)
    sent = tok.sent
    before = [idx.actor_at[i] for i in range(tok.i - 1, sent.start - 1, -1) if i in idx.actor_at]
    after = [idx.actor_at[i] for i in range(tok.i + 1, sent.end) if i in idx.actor_at]
    args.add("actor1", before[:1], "nearest-before")
    # not the initiator again, nor its own side ("regime shelling ..., regime forces battled")
    cues = _cues()
    args.add("actor2", [r for r in after if not before or not _same_side(r, before[0], cues)][:1], "nearest-after")
    return args


def _side_marks(text: str, marks: frozenset) -> list[tuple[int, int]]:
    return sorted((m.start(), m.end()) for mark in marks
                  for m in re.finditer(r"\b" + re.escape(mark) + r"\b", text, re.IGNORECASE))


def _marked_sides(tok, idx: _Index, cues: _Cues, args: _Args) -> None:
    """ "Clashes between the army, supported by allied militias, on one hand and ISIS on the
    other": the text names both sides outright, whatever the parse made of the phrase. The first
    actor named before "on one hand" leads one side, the first named between it and "on the
    other" leads the other; the rest of each side is associated."""
    sent = tok.sent
    text = sent.text
    firsts = _side_marks(text, cues.first_side_marks)
    if not firsts:
        return
    a_end = firsts[0][0]
    seconds = [m for m in _side_marks(text, cues.second_side_marks) if m[0] >= firsts[0][1]]
    if not seconds:
        return
    b_start, b_end = firsts[0][1], seconds[0][0]
    # the first side starts at its "between", where there is one, else with the sentence
    a_start = max((end for _, end in _side_marks(text[:a_end], cues.pair_preps)), default=0)
    base = sent.start_char
    side_a: list[ActorRef] = []
    side_b: list[ActorRef] = []
    for i in range(sent.start, sent.end):
        ref = idx.actor_at.get(i)
        if ref is None or ref.key.startswith("ner:"):
            continue
        at = tok.doc[i].idx - base
        side = side_a if a_start <= at < a_end else side_b if b_start <= at < b_end else None
        if side is not None and all(ref.key != r.key for r in side_a + side_b):
            side.append(ref)
    if not side_a or not side_b:
        return
    found = {r.key for r in args.actor1 + args.actor2}
    if found and not found & {r.key for r in side_a + side_b}:
        return  # the trigger's own arguments are elsewhere: another event in the same sentence
    args.actor1, args.actor2 = side_a[:1], side_b[:1]
    args.associated_side = side_a[1:] + side_b[1:]
    args.pair_rest = []
    args.rules.append("sides:one-hand-other")


def _sentence_opponent(tok, idx: _Index, cues: _Cues, args: _Args) -> None:
    """A battle with one side found: the nearest other party to the conflict in its clause is the
    other side ("QSD achieved partial control of the town from IS", where the parser loses "from
    IS"), else the nearest in its sentence ("the army fired rockets at Dar'a, and Islamist militias
    answered"). Backers ("backed by US Special Forces"), NER-only names (often a village the NER
    took for a person), the known side's camp and non-parties (an observatory, civilians) are not
    sides, so an attack on civilians keeps its unknown target; outside the clause, neither is the
    speaker ("the SDF said ISIS attacked Raqqa" does not make the SDF the target)."""
    have = (args.actor1 or args.actor2)[0]
    if not args.actor1 and tok.dep_ in ("xcomp", "ccomp", "acl") and not any(
            c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON" for c in tok.children):
        # "ISIS claims killing 30 soldiers", "the SDF claimed to have killed", "ISIS says it
        # killed": a deed the speaker tells of without another subject is the speaker's own
        for c in tok.head.children:
            ref = idx.actor_at.get(c.i) if speaks(c) else None
            if ref is not None and ref.type in cues.party_types and not _same_side(ref, have, cues):
                args.add("actor1", [ref], "speaker-subject")
                return
    taken = {r.key for r in args.actor1 + args.actor2 + args.associated} | {have.parent_key}
    clause = tok
    # the root heads itself; "following" and "during" can be tagged as verbs but head no clause
    while (clause.pos_ not in ("VERB", "AUX") or clause.dep_ == "prep") and clause.head.i != clause.i:
        clause = clause.head
    # the event's own clause first, then the whole sentence
    for scope, rule in ((clause.subtree, "sentence-opponent"), (tok.sent, "sentence-party")):
        found: dict[str, tuple[int, ActorRef]] = {}
        for t in scope:
            ref = idx.actor_at.get(t.i)
            if ref is None or ref.key.startswith("ner:") or ref.key in taken or _same_side(ref, have, cues):
                continue
            if ref.type not in cues.party_types or _backed(t, cues) or (rule == "sentence-party" and speaks(t)):
                continue
            dist = abs(t.i - tok.i)
            if ref.key not in found or dist < found[ref.key][0]:
                found[ref.key] = (dist, ref)
        if found:
            ref = min(found.values(), key=lambda dr: (dr[0], dr[1].mention.start))[1]
            args.add("actor2" if args.actor1 else "actor1", [ref], rule)
            return


_hops = event_places.hops


def _choose_place(doc, trig: Trigger, sent, args: _Args, idx: _Index, *, learned: bool = True,
                  country: event_places.Focus | None = None) -> tuple[PlaceRef | None, str]:
    """The event's place: ranked by the learned model (``event_places``), else by fewest hops.
    ``country`` is the document's focus (:func:`event_places.document_country`)."""
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
                 and _hops(doc[best.head], [doc[c.head]], doc[c.head].sent, limit=3) is not None]
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


def _choose_place_rules(doc, trig: Trigger, sent, args: _Args, idx: _Index) -> tuple[PlaceRef | None, str]:
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


def _inconsistent_container(doc, best: PlaceRef, best_head: int, idx: _Index, focus=None) -> PlaceRef | None:
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


def _choose_date(doc, sent, args: _Args, dates: list[tuple[Mention, EventDate, int]]):
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


def _source(doc, cue: Mention | None, idx: _Index) -> str:
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


def _party_checker(idx: _Index, cues: _Cues):
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
    published: date | None = None,
    ablate: Iterable[str] | None = None,
) -> Iterator[Event]:
    """Yield one :class:`Event` per conflict trigger (or actor-bearing trigger) of the document.

    ``actors``/``places`` are the document's mentions after arbitration; ``published`` anchors
    relative dates and defaults to ``document.published``. ``ablate`` switches components off
    for the ablations of docs/events.md (``ABLATIONS``; default: the ``SITREP_EVENT_ABLATE``
    setting, normally empty).
    """
    off = ablation_setting() if ablate is None else _checked(ablate)
    cues = _cues()
    idx = _Index(doc, actors, places)
    country = event_places.document_country(idx.place_heads, idx.actor_at.values())
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
            args = _nearest_arguments(doc, trig, idx)
        else:
            args = _arguments(doc, trig, idx, cues)
            if not (args.actor1 or args.actor2):
                # the parse gave no argument at all ("Libya has offered to hand over to Great
                # Britain ..."): the nearest actors before and after the trigger, marked as such
                near = _nearest_arguments(doc, trig, idx)
                near.anchors = args.anchors
                near.rules = [f"{r}:fallback" for r in near.rules]
                args = near
            elif args.actor1 and not args.actor2 and trig.plover != "ASSAULT" and not args.pair_rest:
                # "Libya has offered to hand over to Great Britain ...": the recipient the parse
                # missed is the nearest other actor after the trigger (fighting has its own,
                # stricter rule below: only a party to the conflict on the other side)
                near = _nearest_arguments(doc, trig, idx)
                taken = {r.key for r in args.actor1 + args.associated}
                refs = [r for r in near.actor2 if r.key not in taken]
                args.add("actor2", refs, "nearest-after:fallback")
            if args.assault and bool(args.actor1) != bool(args.actor2) and not args.pair_rest:
                _sentence_opponent(tok, idx, cues, args)
        if trig.plover not in cues.conflict_types and not trig.acled and not (args.actor1 or args.actor2):
            continue  # a CAMEO verb with no conflict reading and nobody doing it: not an event
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
