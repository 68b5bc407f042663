"""Who did it to whom: an event trigger's arguments read on the dependency parse.

The initiator and target of a trigger (:func:`read_arguments`), with the repairs the parse needs
(misparsed verbs, "between A and B" lists, backers and umbrella groups, sides named "on one hand
... on the other", an initiator the text calls unknown), the nearest-actor reading used as a
fallback and for ablations (:func:`nearest_arguments`), and a battle's other side found elsewhere
in its clause or sentence (:func:`sentence_opponent`, which the caller runs after either). The cue words are data
(``data/event_arguments.json``, :func:`load_cues`). :mod:`sitrep.extract.events` assembles the
events; the choices and their measured effect are in docs/events.md.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Iterable

from ..errors import ModelError
from ..model import ActorRef, Mention, PlaceRef
from ..nlp import doc_text
from .event_types import Trigger
from .modality import speaks
from .quantities import DATA_DIR

_SUBJ = ("nsubj",)
_PASSIVE_SUBJ = ("nsubjpass",)
_OBJ = ("dobj",)
# "US-backed": a hyphened word right after an actor's name, or ending its mention
_MARK_AFTER = re.compile(r"\s*-\s*(\w+)")
_MARK_INSIDE = re.compile(r"-(\w+)$")
_NP_SKIP = frozenset({"prep", "conj", "cc", "relcl", "acl", "advcl", "punct", "ccomp", "appos"})


@dataclass(frozen=True, slots=True)
class Cues:
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
    umbrella_cues_unnamed: frozenset
    umbrella_types: frozenset
    identity_cues: frozenset
    aligned_with: frozenset
    intra_group_nouns: frozenset
    reciprocal_pronouns: frozenset
    unidentified_marks: frozenset
    unidentified_heads: frozenset
    generic_groups: tuple  # most specific first
    relation_nouns: frozenset
    facility_heads: frozenset
    holding_verbs: frozenset
    anaphors: tuple  # first the word for the first party, then the one for the last


_ORDERED_CUES = frozenset({"generic_groups", "anaphors"})  # lists whose order matters


@functools.lru_cache(maxsize=1)
def load_cues() -> Cues:
    path = DATA_DIR / "event_arguments.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Cues(**{f: (tuple if f in _ORDERED_CUES else frozenset)(w.lower() for w in data[f])
                       for f in Cues.__slots__})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read the event argument cues ({exc})") from exc


class Index:
    """Token-level lookups of a document's actor and place mentions."""

    def __init__(self, doc, actors: Iterable[ActorRef], places: Iterable[PlaceRef],
                 holders: Iterable[ActorRef] = ()):
        self.actor_at: dict[int, ActorRef] = {}
        # "the IS-held village": who holds a place, never a participant by itself (extract/holders.py)
        self.holder_at: dict[int, ActorRef] = {i: ref for ref in holders for i in self._tokens(doc, ref.mention)}
        self.place_at: dict[int, PlaceRef] = {}
        self.place_heads: list[tuple[int, PlaceRef]] = []
        self.place_spans: dict[int, range] = {}
        self.text = text = doc_text(doc)
        cues = load_cues()
        marks = cues.affiliate_marks
        for ref in actors:
            # "US-backed forces", "ISIS-affiliated group": the name qualifies another actor, the one
            # taking part, so it never fills an argument slot
            mark = _MARK_AFTER.match(text, ref.mention.end) or _MARK_INSIDE.search(ref.mention.text)
            if mark and mark.group(1).lower() in marks:
                continue
            if ref.key.startswith("ner:") and ref.mention.text.split()[-1].lower() in cues.facility_heads:
                continue  # "the Regiment 111 Army Base": a name only the NER knows, of a place
            for i in self._tokens(doc, ref.mention):
                self.actor_at.setdefault(i, ref)
        # "JWS, which operates under OPS, clashed with QSD": the group a unit operates under stands
        # for the unit (ACLED codes the umbrella) and is no side of its own
        self.umbrella_at: dict[int, ActorRef] = {}
        self._lead_of: dict[int, ActorRef] = {}  # id(unit's ref) -> its umbrella's ref
        for ref in {id(r): r for r in self.actor_at.values()}.values():
            lead = _umbrella(ref, self, doc, cues)
            if lead is not ref:
                self._lead_of[id(ref)] = lead
                for i in [i for i, r in self.actor_at.items() if r is lead]:
                    self.umbrella_at[i] = self.actor_at.pop(i)
        for ref in places:
            toks = self._tokens(doc, ref.mention)
            if not toks:
                continue
            for i in toks:
                self.place_at.setdefault(i, ref)
            span = doc[toks[0] : toks[-1] + 1]
            self.place_heads.append((span.root.i, ref))
            self.place_spans.setdefault(span.root.i, range(toks[0], toks[-1] + 1))

    def lead(self, ref: ActorRef) -> ActorRef:
        """The group ``ref`` operates under, else ``ref`` itself (found once, when indexing)."""
        return self._lead_of.get(id(ref), ref)

    @staticmethod
    def _tokens(doc, m: Mention) -> list[int]:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return list(range(span.start, span.end)) if span is not None else []


def _np_actors(tok, idx: Index) -> list[ActorRef]:
    """The actors a noun phrase names, its conjuncts included: "regime forces and Hezbollah".

    In a phrase headed by a place noun ("Kaba Jeb village", "T3 Station") a name known only to the
    NER is the place's name, not an actor.
    """
    out: list[ActorRef] = []
    cues = load_cues()
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
            found = _with_coordinated_modifiers(h, idx)
        before = h.left_edge.i - 1
        if not found and before >= 0 and doc[before].dep_ in ("aux", "auxpass", "npadvmod", "attr"):
            # "IS members attacked": the small model reads "IS" as an auxiliary, or after "believed
            # to be" as the complement of "be"
            found = [idx.actor_at[before]] if before in idx.actor_at else []
        if not found and h.lower_ in cues.relation_nouns and h.i + 1 < len(doc):
            # "the Islamic State ally, Khalid ibn al Walid Army", "ISIS affiliate Jaish Khalid":
            # the name after the noun is the group, wherever the parser hung it
            named = h.i + 2 if doc[h.i + 1].text == "," else h.i + 1
            found = [idx.actor_at[named]] if named in idx.actor_at else []
        if not found and h.lower_ in cues.anaphors and any(c.lower_ == "the" for c in h.children):
            found = _earlier_party(h, idx, cues)
        if not found:
            # modifiers name the actors: "Islamic State fighters", "members of the SDF",
            # "Islamic State and Syrian Democratic Forces fighters"
            stack = [c for c in h.children if c.dep_ not in _NP_SKIP or (c.dep_ == "prep" and c.lower_ == "of")]
            while stack:
                c = stack.pop(0)
                if c.lower_ in cues.affiliate_marks:
                    continue  # "US-backed forces" are not the US
                if c.i in idx.actor_at:
                    # "fighters of HTS and rebel factions": the parse hangs "HTS and rebel" on
                    # "factions"; each coordinated modifier names its own group
                    found.extend(_with_coordinated_modifiers(c, idx))
                    stack.extend(g for g in c.children if g.dep_ == "conj")
                    continue
                stack.extend(g for g in c.children if g.dep_ not in _NP_SKIP or g.dep_ in ("pobj", "conj"))
        if h.lower_ in place_heads and h.i not in idx.actor_at:
            # "Kaba Jeb village": a name the NER took for an actor; "the army base" keeps the army
            found = [ref for ref in found if not ref.key.startswith("ner:")]
        for named in found:
            # the group a unit operates under leads (ACLED codes the umbrella); the unit stays associated
            for ref in (idx.lead(named), named):
                if all(ref.key != o.key for o in out):
                    out.append(ref)
    return out


def _earlier_party(tok, idx: Index, cues: Cues) -> list[ActorRef]:
    """ "Regime forces advanced on a village. The former clashed with HTS", "following an attack by
    the latter": the first or the last party of the sentence that names the last one before the
    word (the group each operates under leading)."""
    doc = tok.doc
    at = [i for i in sorted(idx.actor_at) if i < tok.i and not idx.actor_at[i].key.startswith("ner:")
          and idx.actor_at[i].type in cues.party_types]
    if not at:
        return []
    first = tok.lower_ == cues.anaphors[0]
    if not first and any(t.tag_ == "NNS" and t.dep_ in ("pobj", "dobj", "conj") and t.i not in idx.actor_at
                         for t in doc[at[-1] + 1:tok.i]):
        return []  # "clashed with unidentified gunmen after the latter attacked": the gunmen, no actor
    since = doc[at[-1]].sent.start
    named = [idx.lead(idx.actor_at[i]) for i in at if i >= since]
    return [named[0] if first else named[-1]]


def _with_coordinated_modifiers(tok, idx: "Index") -> list[ActorRef]:
    """The actor of ``tok`` and those of its coordinated modifiers, in text order, once each:
    "Syrian and Russian soldiers", "HTS and rebel factions"."""
    refs = {id(idx.actor_at[tok.i]): idx.actor_at[tok.i]}
    doc = tok.doc
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod") and any(g.dep_ == "conj" for g in c.children):
            refs.update((id(idx.actor_at[t.i]), idx.actor_at[t.i]) for t in (c, *c.conjuncts) if t.i in idx.actor_at)
        elif c.i in idx.actor_at and c.i + 2 == tok.i and doc[c.i + 1].text in ("/", "\\"):
            # "QSD/YPG commanders": slashed names are one side, the first written leading (ACLED
            # codes it in 25 of the 43 train notes that slash two of QSD, SDF and YPG)
            refs[id(idx.actor_at[c.i])] = idx.actor_at[c.i]
    return sorted(refs.values(), key=lambda r: r.mention.start)


def _umbrella(ref: ActorRef, idx: "Index", doc, cues: Cues) -> ActorRef:
    """The known group an actor operates under ("Northern Hawks Brigade, operating under the Syrian
    Liberation Front", "rebels operating as part of Operation Peace Spring") or, after a comma,
    probably is ("pro-regime militias, likely Hezbollah"), else the actor itself."""
    after = idx.text[ref.mention.end:ref.mention.end + 60].lower()
    unnamed = ref.key.lower() in cues.generic_groups or ref.key.startswith("ner:")
    for cue in cues.umbrella_cues | cues.identity_cues | (cues.umbrella_cues_unnamed if unnamed else frozenset()):
        if cue in cues.identity_cues:
            # "pro-regime militias, likely Hezbollah": only as an aside after a comma, never in a
            # list ("Hamas and possibly Islamic Jihad")
            hit = re.match(r",\s*" + re.escape(cue) + r"\b", after)
            at = hit.end() - len(cue) if hit else -1
        else:
            hit = re.search(r"\b" + re.escape(cue) + r"\b", after)
            at = hit.start() if hit else -1
        if 0 <= at <= 12:
            start = ref.mention.end + at + len(cue)
            span = doc.char_span(start, min(len(idx.text), start + 48), alignment_mode="expand")
            # the cue's own object, not any name further on ("operating under cover of darkness,
            # attacked SDF positions")
            words = [t for t in span or () if t.lower_ != "the"][:1]
            for t in words:
                other = idx.actor_at.get(t.i) or idx.umbrella_at.get(t.i)
                if (other is not None and other.key != ref.key and not other.key.startswith("ner:")
                        and (cue not in cues.umbrella_cues_unnamed or other.type in cues.umbrella_types)):
                    return other
    return ref


def _backed(tok, cues: Cues, upto=None) -> bool:
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


def _partners(prep) -> list:
    """The objects of a partner preposition, but for a clause: "clashed ..., with regime forces
    establishing control" says what else happened, not whom they fought."""
    return [p for p in _pobjs(prep) if not (p.dep_ == "pcomp" and p.tag_ == "VBG")]


class Args:
    def __init__(self, assault: bool = False):
        self.assault = assault
        self.actor1: list[ActorRef] = []
        self.actor2: list[ActorRef] = []
        self.rules: list[str] = []
        self.anchors: list = []  # tokens whose subtrees the event's clause spans
        self.pair_rest: list[ActorRef] = []  # "between A and B": the partners after A
        self.associated: list[ActorRef] = []
        self.associated_side: list[ActorRef] = []  # allies of the initiator ("between A, B against C")
        self.unidentified = False  # the text says nobody knows who did it: the initiator stays null

    def add(self, slot: str, refs: list[ActorRef], rule: str) -> None:
        target = self.actor1 if slot == "actor1" else self.actor2
        if slot == "actor1" and self.unidentified:
            return
        if refs and not target:
            target.extend(refs)
            self.rules.append(f"{slot}:{rule}")

    def replace(self, slot: str, refs: list[ActorRef], rule: str) -> None:
        """A later reading overrides what an earlier rule put in ``slot``."""
        (self.actor1 if slot == "actor1" else self.actor2).clear()
        self.rules = [r for r in self.rules if not r.startswith(f"{slot}:")]
        self.add(slot, refs, rule)


def _verb_args(verb, idx: Index, cues: Cues, args: Args, *, own: bool = True) -> None:
    agentive: list[tuple[list[ActorRef], str]] = []
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
            # "On 19 December 2020, JWS, ...": a date, whatever the parser hung on it, is no target
            for p in _pobjs(c):
                if p.ent_type_ != "DATE":
                    args.add("actor2", _np_actors(p, idx), f"prep-{c.lower_}")
        elif c.dep_ == "prep" and c.lower_ in cues.pair_preps:
            _pair(c, idx, args)
        elif c.dep_ == "prep" and c.lower_ in cues.partner_preps and args.assault:
            for p in _partners(c):
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
                    agentive.append((refs, f"agentive-noun:{c.lower_}"))
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
    if not args.actor1 and own and verb.dep_ == "ROOT" and not any(
            c.dep_ in _SUBJ or c.dep_ in _PASSIVE_SUBJ for c in verb.children):
        doc = verb.doc
        # "On 19 December 2020, JWS, which operates under OPS, clashed with QSD": the parser
        # hung the subject on the opening date as an apposition
        for t in doc[verb.sent.start:verb.i]:
            if t.dep_ == "appos" and t.head.ent_type_ == "DATE" and t.i in idx.actor_at:
                args.add("actor1", [idx.actor_at[t.i]], "date-apposition-subject")
                break
        # "Following clashes with HTS, regime forces and NDF fighters captured the town": the
        # parser joined the subject to the fronted phrase's list; the names between its comma and
        # the verb are the subject
        comma = max((t.i for t in doc[verb.sent.start:verb.i] if t.text == ","), default=None)
        if not args.actor1 and comma is not None:
            found = {idx.actor_at[i].key: idx.actor_at[i] for i in range(comma + 1, verb.i) if i in idx.actor_at}
            args.add("actor1", [idx.lead(r) for r in found.values()], "subject-after-comma")
    governor = verb.head
    if verb.dep_ == "xcomp" and governor.pos_ == "ADJ" and governor.dep_ == "acomp":
        governor = governor.head  # "QSD forces were able to capture the village"
    if not args.actor1 and verb.dep_ in ("conj", "xcomp", "advcl") and governor.pos_ in ("VERB", "AUX"):
        # "IS attacked and captured the village", "continued to shell", "..., killing 3"
        if verb.dep_ != "advcl" or verb.tag_ == "VBG":
            for c in governor.children:
                if c.dep_ in _SUBJ:
                    args.add("actor1", _np_actors(c, idx), f"shared-subject:{verb.dep_}")
    # the attacker an agentive noun names, only where no subject did: "were killed in IS attacks",
    # but "the army managed to recapture villages after clashes against HTS" is the army's
    for refs, rule in agentive:
        args.add("actor1", refs, rule)


def _holders(verb, idx: Index, cues: Cues, first_side: list[ActorRef]) -> list[ActorRef]:
    """Who holds the place a verb's object or preposition names: "the town, which was controlled
    by HTS", "the area held by IS", "the IS-held village"."""
    for c in verb.children:
        if c.dep_ in _SUBJ or c.dep_ in _PASSIVE_SUBJ or c.dep_ == "agent":
            continue
        for t in c.subtree:
            if t.lemma_.lower() not in cues.holding_verbs:
                continue
            if any(a.pos_ in ("VERB", "AUX") for a in t.ancestors if a.i != verb.i and c.is_ancestor(a)):
                continue  # held inside another clause: "which prompted shelling on regime-held areas"
            refs = [r for a in t.children if a.dep_ == "agent" for p in _pobjs(a) for r in _np_actors(p, idx)]
            if not refs and t.i >= 2 and t.doc[t.i - 1].text == "-" and (t.i - 2) in idx.holder_at:
                refs = [idx.holder_at[t.i - 2]]  # "the IS-held village"
            # the attacker's own camp holds nothing it attacks
            refs = [r for r in refs if not r.key.startswith("ner:")
                    and not any(_same_side(r, a, cues) for a in first_side)]
            if refs:
                return refs
    return []


def _pair(prep, idx: Index, args: Args) -> None:
    """ "between A and B": A initiates, B is the target unless an on/against phrase names one."""
    cues = load_cues()
    refs: list[ActorRef] = []
    for p in _pobjs(prep):
        obj = _backed_object(p.i, prep, cues)
        for r in _np_actors(obj if obj is not None else p, idx):
            # "between QSD and Turkey backed JWS": a backer's object is the side, not the backer
            backed = _backed_object(Index._tokens(p.doc, r.mention)[-1], prep, cues)
            refs.extend(_np_actors(backed, idx) if backed is not None and obj is None else [r])
    if not _pobjs(prep) and not list(prep.children):
        # "between regime forces supported by Russian warplanes airstrikes, against IS": the
        # parser left "between" empty; its side is the first actor after it that backs no one
        for t in prep.doc[prep.i + 1:prep.sent.end]:
            if t.lower_ in cues.target_preps or t.lower_ in cues.pair_preps:
                break
            if t.i in idx.actor_at and not _backed(t, cues):
                refs.append(idx.actor_at[t.i])
                break
    if len(refs) < 2 or all(_same_group(r, refs[0]) for r in refs[1:]):
        # a coordination the parser broke: every actor in the phrase, in text order, but for
        # one that only qualifies the next ("ISIS-affiliate Khalid ibn al Walid Army"); a side
        # and the group it operates under are still one side ("between JWS operating under OPS
        # and QSD")
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
    if refs:
        # the group the first side operates under leads it, as in _np_actors
        lead = idx.lead(refs[0])
        if lead.key != refs[0].key and any(r.key == lead.key for r in refs):
            refs = [lead] + [r for r in refs if r.key != lead.key]
    if len(refs) == 1 and _within_one_group(prep, refs[0], idx):
        # "clashes among opposition rebels", "between two groups of the 1st Division": one actor
        # fought itself, and ACLED codes it on both sides
        args.add("actor1", refs, "intra-group")
        args.add("actor2", refs, "intra-group")
        return
    if refs:
        args.add("actor1", refs[:1], "between")
        args.pair_rest = refs[1:]


def _backed_object(i: int, prep, cues: Cues):
    """ "between Turkey backed opposition rebels and YPG": the parser read the unhyphened "Turkey
    backed" as a clause outside the pair, whose object lists the sides; that object, else None."""
    doc = prep.doc
    verb = doc[i + 1] if i + 1 < len(doc) else None
    if verb is None or prep.is_ancestor(verb) or not (
            verb.lemma_.lower() in cues.backing_verbs or verb.lower_ in cues.backing_verbs):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _within_one_group(prep, ref: ActorRef, idx: Index) -> bool:
    """ "among X", or "between" with X inside "groups of" / "members of" (the only actor named)."""
    if prep.lower_ == "among":
        # the group itself is what "among" governs, not "among airstrikes ... by IS"
        return any(idx.actor_at.get(p.i) is ref for p in _pobjs(prep))
    cues = load_cues()
    for t in prep.subtree:
        if idx.actor_at.get(t.i) is ref:
            return any(a.lower_ == "of" and a.head.lower_ in cues.intra_group_nouns and a.head.i > prep.i
                       for a in t.ancestors if a.i > prep.i)
    return False


def _noun_args(noun, idx: Index, cues: Cues, args: Args) -> None:
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
            for p in _partners(c):
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


def _stray_subject(tok, idx: Index) -> list[ActorRef]:
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


def _unidentified(tok, idx: Index, cues: Cues) -> bool:
    """Whether the text names the initiator as unknown: "unknown gunmen shot ...", "an attack by
    unidentified assailants", "... were killed by an unidentified armed group"."""
    heads = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    heads += [g for c in tok.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
              for g in c.children if g.dep_ == "pobj"]
    if not heads and tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i:
        heads = [c for c in tok.head.children if c.dep_ == "nsubj"]  # "unknown gunmen opened fire, killing ..."
    for h in heads:
        if h.dep_ == "nsubjpass":
            continue  # the victims
        if any(t.i in idx.actor_at for t in h.subtree):
            continue  # "unknown gunmen believed to be IS members", "an unknown local armed group"
        words = {t.lower_ for t in h.subtree if t.i <= h.i}
        if words & cues.unidentified_marks and (h.lemma_.lower() in cues.unidentified_heads or h.lower_ in cues.unidentified_heads):
            return True
    return False


def read_arguments(doc, trig: Trigger, idx: Index, cues: Cues) -> Args:
    args = Args(assault=trig.plover == "ASSAULT")
    tok = doc[trig.head]
    args.anchors.append(tok)
    if args.assault and _unidentified(tok, idx, cues):
        args.unidentified = True
        args.rules.append("actor1:unidentified")
    # a gerund modifying a noun is a noun trigger: "shelling exchange took place between ..."
    gerund = tok.tag_ == "VBG" and tok.dep_ in ("amod", "compound") and tok.head.pos_ == "NOUN"
    # and so is a gerund subject of a light verb: "shelling exchange took place between A and B"
    gerund = gerund or (tok.tag_ == "VBG" and tok.dep_ == "csubj" and tok.head.lemma_.lower() in cues.subject_light)
    if tok.pos_ in ("VERB", "AUX") and not gerund:
        _verb_args(tok, idx, cues, args)
        if args.assault and all(a.key.startswith("ner:") for a in args.actor2):
            # "stormed the island of Hawijat Katea which was controlled by IS": the holder of the
            # place attacked is the other side (an NER-only object is the place misread)
            holders = _holders(tok, idx, cues, args.actor1)
            if holders:
                args.replace("actor2", holders, "place-holder")
        root = tok.sent.root
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        if (root.i < tok.i and root.pos_ in ("NOUN", "PROPN") and root.i in idx.actor_at and not passive
                and all(a.key.lower() in cues.generic_groups for a in args.actor1)):
            # "Hayat Tahrir al-Sham, the Turkistan Islamic Party, with the rebel factions clashed
            # with the army": the parser rooted the sentence in the list's first name and hung the
            # verb inside it; the list is the subject, led by the name it opens with
            side = _np_actors(root, idx)
            side += [a for a in args.actor1 if all(a.key != r.key for r in side)]
            args.replace("actor1", side, "rooted-subject")
        if tok.dep_ in ("amod", "compound", "nmod"):
            # "SDF re-captured X village from IS": a verb the parser took for a modifier
            args.add("actor1", _stray_subject(tok, idx), "misparsed-verb")
            if args.assault and tok.dep_ == "amod" and tok.head.i > tok.i:
                # "regime forces ... fought rebel forces, Islamist militias and HTS", the verb read as
                # the modifier of the noun it governs: that noun's list is the object
                args.add("actor2", [r for r in _np_actors(tok.head, idx) if r not in args.actor1],
                         "misparsed-verb:object")
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
        if not (args.actor1 or args.actor2 or args.pair_rest):
            # "X took control as clashes, accompanied by shelling, took place between A and B": the
            # parser made the clashes an object and the light verb a conjunct; the next light verb
            # without a subject of its own still carries the sides
            light = next((t for t in doc[tok.i + 1:min(tok.sent.end, tok.i + 16)]
                          if t.lemma_.lower() in cues.subject_light and t.pos_ == "VERB"
                          and not any(c.dep_ in _SUBJ for c in t.children)), None)
            if light is not None:
                args.anchors.append(light)
                _verb_args(light, idx, cues, args, own=False)
    if args.assault and args.actor1 and not args.actor2 and not args.pair_rest:
        # "clashes between the SDF, backed by the Coalition, against IS": the target hangs deep
        refs, _ = _first_prep_actors((t for a in args.anchors for t in a.subtree), ("against",), idx,
                                     {a.key for a in args.actor1})
        args.add("actor2", refs, "clause-against")
    if args.assault and args.pair_rest and not args.actor2:
        # "between regime forces, allied militias and Russian forces against IS": the partners
        # of "between" are one side, the "against" phrase the other
        # partners listed after "against" are its objects ("between A and B against C and D",
        # when the parser hung the "against" phrase inside the pair), not the first side
        for prep in (t for a in args.anchors for t in a.subtree):
            if prep.dep_ != "prep" or prep.lower_ != "against" or prep.i in idx.actor_at:
                continue
            side = {r.key for r in args.actor1} | {r.key for r in args.pair_rest if r.mention.start < prep.idx}
            refs = [r for p in _pobjs(prep) for r in _np_actors(p, idx) if r.key not in side]
            if all(r.key.lower() in cues.generic_groups for r in refs):
                # "against Jaysh al Islam fighters and opposition rebel fighters": a named group the
                # parser nested inside the unnamed factions' phrase still leads the side
                refs += [r for r in _phrase_actors(prep, idx) if r.key not in side and r not in refs]
            if refs:
                args.add("actor2", refs, "between-against")
                break
    if args.assault and args.pair_rest and args.actor1 and args.actor2:
        # "between A and B against C": the partners of "between" before the other side are one
        # side, led by its lead (a parse may put C, or a group C is affiliated with, among them)
        other = min(r.mention.start for r in args.actor2)
        against = idx.text.rfind(" against ", args.actor1[0].mention.end, other)
        other = against if against >= 0 else other
        side = args.actor1[:1] + [r for r in args.pair_rest if r.mention.start < other]
        lead = _lead(side, cues, idx.text)
        args.actor1[:1] = [lead]
        args.associated_side = [r for r in side[1:] + side[:1] if r is not lead]
        args.pair_rest = []
    if args.assault and not (args.actor1 or args.actor2 or args.pair_rest):
        # "clashes took place after IS attacked a regime checkpoint": the clause that says how the
        # clashes began names their sides
        for anchor in args.anchors[1:]:
            for c in anchor.children:
                if c.dep_ == "advcl" and c.pos_ == "VERB":
                    sub = Args(assault=True)
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
    # a unit whose umbrella (or the group it probably is) leads the first side is on that side
    def under_first(r: ActorRef) -> bool:
        lead = idx.lead(r)
        return lead is not r and any(lead.key == a.key for a in args.actor1)

    rest = [r for r in args.pair_rest if not under_first(r)]
    units = [r for r in args.pair_rest if under_first(r)]
    if not rest:
        args.pair_rest = []  # the other side is elsewhere in the sentence
    if rest and not args.actor2:
        # the first partner not on the initiator's side: pro-regime militias listed after the
        # regime's forces fight with them
        pick = next((r for r in rest if not any(_same_side(r, a, cues) for a in args.actor1)), None)
        if pick is None:
            # all on one side: allies may still fight each other, but a unit never fights the
            # group it belongs to or operates under (the other side is elsewhere in the sentence)
            pick = next((r for r in rest if not any(_same_group(r, a) for a in args.actor1)), None)
        if pick is not None and (pick.key.lower() in cues.generic_groups or pick.key.startswith("ner:")):
            # "between the army and the Islamic and rebel factions and HTS": the named group
            others = [r for r in rest if not any(_same_side(r, a, cues) for a in args.actor1)]
            pick = _lead([pick] + [r for r in others if r is not pick], cues, idx.text)
        if pick is not None:
            # "and pro-regime militias, likely Hezbollah": the group it operates under or probably is
            lead = idx.lead(pick)
            pick = next((r for r in rest if r is lead), pick)
            args.actor2.append(pick)
            args.rules.append("actor2:between")
            rest = [r for r in rest if r is not pick]
        else:
            args.pair_rest = []
    for side in (args.actor1, args.actor2):
        _named_leads(side, cues, idx.text)
    args.associated = args.actor1[1:] + units + args.associated_side + args.actor2[1:] + rest
    return args


def _named_leads(side: list[ActorRef], cues: Cues, text: str) -> None:
    """ "fought rebel forces, Islamist militias and Hayat Tahrir al-Sham": a side that opens with
    unnamed factions is led by the first group it names (ACLED codes the named group), else by
    the most specific kind of faction ("Islamist and rebel factions" are ACLED's rebels); the
    others stay associated. A side that opens with a name only the NER knows is led by the first
    group the registry knows ("Jaysh al-Asha'er and Lions of the East Army": ACLED codes the
    group it has an actor for, and the registry's groups are the ones it tracks)."""
    if len(side) < 2:
        return
    best = _lead(side, cues, text)
    side.remove(best)
    side.insert(0, best)


def _lead(refs: list[ActorRef], cues: Cues, text: str) -> ActorRef:
    """The member of a conjoined side that leads it (``_named_leads``). An NER-only name yields
    only to a group listed right after it: "Liwa Fajr al Umma of Ahrar al-Sham" is the brigade."""
    first = refs[0]
    patron = next((r for r in refs[1:] if r.type in _STATE_TYPES and r.country and r.country != first.country
                   and r.country.lower() in _camp(first, cues)), None)
    if patron is not None:
        # "Hezbollah and the Syrian army", "Russian and regime warplanes": the state whose camp
        # its allies fight in leads them (ACLED codes the Syrian forces, the allies associated)
        return patron
    if first.key.lower() in cues.generic_groups:
        return _best_named(refs, cues)
    if first.key.startswith("ner:"):
        return next((r for r in refs[1:] if _registry_party(r, cues) and _listed_after(first, r, text)), first)
    return first


_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?", re.IGNORECASE)


def _listed_after(a: ActorRef, b: ActorRef, text: str) -> bool:
    """``b`` follows ``a`` in the same list: only a comma, "and" or "&" between them."""
    gap = text[a.mention.end:b.mention.start]
    return a.mention.end <= b.mention.start and _LIST_GLUE.fullmatch(gap) is not None


_STATE_TYPES = frozenset({"state", "government", "military"})


def _registry_party(ref: ActorRef, cues: Cues) -> bool:
    key = ref.key.lower()
    return not key.startswith("ner:") and key not in cues.generic_groups and ref.type in cues.party_types


def _best_named(refs: list[ActorRef], cues: Cues) -> ActorRef:
    """The first group named by its name among ``refs``, else the first of the most specific
    kind of unnamed faction (``generic_groups`` order); NER-only names and non-parties never."""
    def rank(r: ActorRef) -> int | None:
        key = r.key.lower()
        if key in cues.generic_groups:
            return 1 + cues.generic_groups.index(key)
        return 0 if _registry_party(r, cues) else None

    best = min(((rank(r), i) for i, r in enumerate(refs) if rank(r) is not None), default=(None, 0))
    return refs[best[1]]


def _phrase_actors(prep, idx: Index) -> list[ActorRef]:
    """Every actor a prepositional phrase names, in text order, up to a nested phrase other than
    "of" ("against Jaysh al Islam fighters and opposition rebel fighters in Hosh" names two)."""
    found: dict[str, ActorRef] = {}
    for t in list(prep.subtree)[1:]:
        if t.dep_ == "prep" and t.lower_ != "of":
            break
        ref = idx.actor_at.get(t.i)
        if ref is not None:
            found.setdefault(ref.key, ref)
    return list(found.values())


def _first_prep_actors(tokens, preps, idx: Index, exclude: set[str]) -> tuple[list[ActorRef], object]:
    """The actors, but for ``exclude``'s keys, that the objects of the first preposition among
    ``tokens`` from ``preps`` name, with that preposition; ([], None) where none names any."""
    for t in tokens:
        # "the Global Coalition Against Daesh": a preposition inside a name is the name's
        if t.dep_ == "prep" and t.lower_ in preps and t.i not in idx.actor_at:
            refs = [r for p in _pobjs(t) for r in _np_actors(p, idx) if r.key not in exclude]
            if refs:
                return refs, t
    return [], None


def _same_side(a: ActorRef, b: ActorRef, cues: Cues) -> bool:
    """One of them is the other's unit, they share a parent, or both fight in the same camp."""
    if _same_group(a, b) or (a.parent_key and a.parent_key == b.parent_key):
        return True
    return bool(_camp(a, cues) & _camp(b, cues))


def _same_group(a: ActorRef, b: ActorRef) -> bool:
    """The same actor, or one is the other's unit (factions sharing a parent do fight each other)."""
    return a.key == b.key or a.parent_key == b.key or b.parent_key == a.key


def _camp(ref: ActorRef, cues: Cues) -> set[str]:
    """The camps an actor fights in: its own state (for a state's bodies) and the camps of
    ``aligned_with`` (a state's code for its militias, or a label such as NES)."""
    out = {ref.country.lower()} if ref.country and ref.type in _STATE_TYPES else set()
    return out | _aligned_states(cues.aligned_with).get(ref.key.lower(), set())


@functools.lru_cache(maxsize=1)
def _aligned_states(aligned_with: frozenset) -> dict[str, set[str]]:
    """'actor>camp' pairs read once: actor key -> the camps it fights in."""
    out: dict[str, set[str]] = {}
    for pair in aligned_with:
        key, _, state = pair.partition(">")
        out.setdefault(key, set()).add(state)
    return out


def nearest_arguments(doc, trig: Trigger, idx: Index, *, unidentified: bool = False) -> Args:
    """The ablation without dependency arguments: the nearest actor before the trigger initiates,
    the nearest after it is the target (same sentence). With ``unidentified`` (the text calls the
    initiator unknown) nobody stands in for it, and the nearest actor after the trigger, else
    before it, is the target ("a soldier's body was found ..., killed by an unknown armed group")."""
    args = Args(assault=trig.plover == "ASSAULT")
    args.unidentified = unidentified
    tok = doc[trig.head]
    args.anchors.append(tok)
    sent = tok.sent
    # a unit stands under the group it operates under, as in _np_actors; of conjoined actors
    # before the trigger the first leads ("Regime forces and Hezbollah announced the capture")
    before = [idx.lead(idx.actor_at[_first_conjunct(doc[i], idx)])
              for i in range(tok.i - 1, sent.start - 1, -1) if i in idx.actor_at]
    after = [idx.lead(idx.actor_at[i]) for i in range(tok.i + 1, sent.end) if i in idx.actor_at]
    args.add("actor1", before[:1], "nearest-before")
    # not the initiator again, nor its own side ("regime shelling ..., regime forces battled")
    cues = load_cues()
    args.add("actor2", [r for r in after if not before or not _same_side(r, before[0], cues)][:1], "nearest-after")
    if unidentified:
        args.add("actor2", before[:1], "nearest-before")
    return args


def _first_conjunct(tok, idx: Index) -> int:
    while tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.i in idx.actor_at:
        tok = tok.head
    return tok.i


def _list_head(tok) -> int:
    """The first item's head of the coordinated noun phrase a word belongs to."""
    while tok.dep_ in ("compound", "amod", "flat", "punct", "conj") and tok.head.i != tok.i and tok.head.pos_ in (
            "NOUN", "PROPN"):
        tok = tok.head
    return tok.i


def _side_marks(text: str, marks: frozenset) -> list[tuple[int, int]]:
    return sorted((m.start(), m.end()) for mark in marks
                  for m in re.finditer(r"\b" + re.escape(mark) + r"\b", text, re.IGNORECASE))


def _marked_sides(tok, idx: Index, cues: Cues, args: Args) -> None:
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


def sentence_opponent(tok, idx: Index, cues: Cues, args: Args) -> None:
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
    # "Jaysh al Islam and Al-Rahman Corps advanced ... following clashes with regime forces": a
    # name listed with the known side in a subject is its partner, never its opponent
    known = {h for i in Index._tokens(tok.doc, have.mention) for h in [_list_head(tok.doc[i])]
             if tok.doc[h].dep_ in _SUBJ}  # "between A and B" lists both sides
    for scope, rule in ((clause.subtree, "sentence-opponent"), (tok.sent, "sentence-party")):
        found: dict[str, tuple[int, ActorRef]] = {}
        for t in scope:
            if t.i not in idx.actor_at or _list_head(t) in known:
                continue
            if _backed(t, cues) or (rule == "sentence-party" and speaks(t)):
                continue
            # the first of conjoined actors leads ("regime forces and loyalist militias clashed"),
            # unless it is the known side ("between HTS and HNDZ") or no party to the conflict
            ref = next((r for r in (idx.lead(idx.actor_at[_first_conjunct(t, idx)]), idx.lead(idx.actor_at[t.i]))
                        if not r.key.startswith("ner:") and r.key not in taken and not _same_side(r, have, cues)
                        and r.type in cues.party_types), None)
            if ref is None:
                continue
            dist = abs(t.i - tok.i)
            if ref.key not in found or dist < found[ref.key][0]:
                found[ref.key] = (dist, ref)
        if found:
            ref = min(found.values(), key=lambda dr: (dr[0], dr[1].mention.start))[1]
            args.add("actor2" if args.actor1 else "actor1", [ref], rule)
            return


__all__ = ["Args", "Cues", "Index", "load_cues", "nearest_arguments", "read_arguments", "sentence_opponent"]
