"""Whether an event is asserted, reported, claimed, hypothetical, negated, future or denied.

The cues (``data/modality_cues.tsv``) are read on the dependency parse. Starting at the event's
trigger token we look at its own children (a negation, an auxiliary, "if", "reportedly",
"according to …", a trailing "…, the army said"), then climb to the word it depends on and ask
how that word governs it ("failed to", "plans to", "denied that", "said that"), and so on up to
the root. The innermost cue wins ("ISIS said it did not attack" is negated), except that a weak
cue on a noun ("reports that …") gives way to a denial above it ("denied reports that …").

A verb of saying makes the event *claimed* when its subject is a party to the conflict (an armed
actor, a ministry, a spokesman) and *reported* otherwise. Pass ``is_party`` to let the actor
registry decide; the default looks for party words from the cue file in the subject.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from ..errors import ModelError
from ..model import MODALITIES, Document, Mention
from .quantities import DATA_DIR, read_tsv

_SLOTS = ("neg", "det", "aux", "mark", "adverb", "governor", "speech", "source", "noun", "party", "toll")
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_MAX_CLIMB = 12


@dataclass(frozen=True, slots=True)
class ModalityResult:
    """``modality`` is one of :data:`sitrep.model.MODALITIES`; ``cue`` is the evidence (None when
    asserted); ``rule`` names the slot that decided (``aux:will``, ``speech:say+party`` …)."""

    modality: str
    cue: Mention | None
    rule: str


@dataclass(frozen=True, slots=True)
class _Cues:
    by_slot: dict[str, dict[str, str]]


@functools.lru_cache(maxsize=1)
def _cues() -> _Cues:
    path = DATA_DIR / "modality_cues.tsv"
    by_slot: dict[str, dict[str, str]] = {slot: {} for slot in _SLOTS}
    for modality, slot, cue in read_tsv("modality_cues.tsv", 3):
        if slot not in by_slot:
            raise ModelError(f"{path}: unknown slot {slot!r} for cue {cue!r}")
        if slot not in ("party", "toll") and modality not in MODALITIES:
            raise ModelError(f"{path}: unknown modality {modality!r} for cue {cue!r}")
        by_slot[slot][cue.lower()] = modality
    return _Cues(by_slot)


def default_is_party(span) -> bool:
    """A speaker is a party to the conflict when it names an armed or state actor's organ."""
    party = _cues().by_slot["party"]
    return any(t.lower_ in party or t.lemma_.lower() in party for t in span)


def _lookup(slot: str, tok) -> str | None:
    table = _cues().by_slot[slot]
    return table.get(tok.lower_) or table.get(tok.lemma_.lower())


def speaks(tok) -> bool:
    """Whether ``tok`` heads the subject of a verb of saying ("the SDF" in "the SDF said ...")."""
    while tok.dep_ in ("compound", "amod", "poss", "det", "flat", "nmod", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and _lookup("speech", tok.head) is not None


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c.doc[c.left_edge.i : c.right_edge.i + 1]
    for c in verb.children:  # passive with its agent: "was reported by the army"
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g.doc[g.left_edge.i : g.right_edge.i + 1]
    return None


def _speech(verb, base: str, is_party) -> tuple[str, str]:
    subject = _subject(verb)
    if base == "reported" and subject is not None and is_party(subject):
        return "claimed", f"speech:{verb.lemma_.lower()}+party"
    return base, f"speech:{verb.lemma_.lower()}"


def _casualty_report(verb) -> bool:
    """ "... with no injuries reported", "..., no casualties reported": a participle telling of the
    toll, not a speaker reporting the event (it has no subject, or "no ..." is its subject)."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "agent") for c in verb.children)
    return any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in subject.children)


def _own(tok, is_party):
    """A cue among the token's own children: (modality, cue token(s), rule) or None."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ == "neg" and _lookup("neg", c):
            return "negated", c, f"neg:{c.lower_}"
    for c in tok.children:
        if c.dep_ == "det" and _lookup("det", c):
            return _lookup("det", c), c, f"det:{c.lower_}"
        if (c.dep_ in _SUBJECTS or c.dep_ in ("dobj", "attr")) and not _lookup("toll", c):
            # "took the village, no reported casualties": "no" denies the toll, not the event
            for g in c.children:
                if g.dep_ == "det" and _lookup("det", g):
                    return _lookup("det", g), g, f"det:{g.lower_}"
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and _lookup("aux", c):
            return _lookup("aux", c), c, f"aux:{c.lower_}"
    for c in tok.children:
        if c.dep_ == "mark" and _lookup("mark", c):
            return _lookup("mark", c), c, f"mark:{c.lower_}"
    for c in tok.children:
        if c.dep_ == "advmod" and _lookup("adverb", c):
            return _lookup("adverb", c), c, f"adverb:{c.lower_}"
    for c in tok.children:
        if c.dep_ == "prep" and _lookup("source", c):
            base = _lookup("source", c)
            source = [g for t in c.children for g in ([t] + list(t.children)) if g.dep_ == "pobj"]
            if source:
                s = source[0]
                if base == "reported" and is_party(doc[s.left_edge.i : s.right_edge.i + 1]):
                    return "claimed", c, f"source:{c.lower_}+party"
            return base, c, f"source:{c.lower_}"
    for c in tok.children:
        # "ISIS attacked the base, the army said": the reporting clause hangs off the event.
        if c.dep_ in ("parataxis", "ccomp", "advcl") and c.i > tok.i and _lookup("speech", c):
            if _casualty_report(c):
                continue
            modality, rule = _speech(c, _lookup("speech", c), is_party)
            return modality, c, rule
    return None


def modality_of(
    doc,
    trigger_index: int,
    *,
    is_party: Callable[[object], bool] | None = None,
    document: Document | None = None,
) -> ModalityResult:
    """The modality of the event whose trigger is ``doc[trigger_index]``.

    ``is_party(span) -> bool`` says whether a speaker is a party to the conflict (claimed vs
    reported). With ``document`` the cue is a full :class:`Mention`; without it the mention has
    the offsets and text but ``doc=""`` and no raw offsets.
    """
    if not 0 <= trigger_index < len(doc):
        raise IndexError(f"trigger index {trigger_index} outside a document of {len(doc)} tokens")
    is_party = is_party or default_is_party

    def result(modality: str, cue, rule: str) -> ModalityResult:
        start, end = cue.idx, cue.idx + len(cue)
        if document is not None:
            mention = document.mention(start, end)
        else:
            mention = Mention(doc="", start=start, end=end, text=doc.text[start:end])
        return ModalityResult(modality, mention, rule)

    weak = None  # a noun cue ("reports that …") kept until a stronger cue above overrides it
    tok = doc[trigger_index]
    for _ in range(_MAX_CLIMB):
        found = _own(tok, is_party)
        if found is not None:
            return result(*found) if weak is None or found[0] == "denied" else result(*weak)
        head = tok.head
        if head.i == tok.i:  # spaCy makes a new Token per access: compare indices, not identity
            break
        rel = tok.dep_
        if rel not in _SUBJECTS and rel != "conj":
            if _lookup("governor", head):
                modality = _lookup("governor", head)
                # "go" is future only as "going to": "went to attack" is not.
                if head.lemma_ != "go" or head.lower_ == "going":
                    if weak is None or modality == "denied":
                        return result(modality, head, f"governor:{head.lemma_.lower()}")
            if head.pos_ in ("VERB", "AUX") and _lookup("speech", head):
                modality, rule = _speech(head, _lookup("speech", head), is_party)
                if weak is None:
                    return result(modality, head, rule)
            if head.pos_ in ("NOUN", "PROPN") and _lookup("noun", head) and weak is None:
                weak = (_lookup("noun", head), head, f"noun:{head.lemma_.lower()}")
        tok = head
    if weak is not None:
        return result(*weak)
    return ModalityResult("asserted", None, "default")
