"""Who says what: attribution read on the dependency parse, with cues from ``data/attribution_cues.tsv``.

One pass finds, in this order (a token used by an earlier form is not reused by a later one):

1. **direct quotes** of four words or more that a sentence opens, or that follow a colon, a dash
   or a verb of saying; the speaker is the subject of the verb of saying after the quote
   (``"…," the army said``), or before it (``X said: "…"``); with no such verb, the subject of
   the clause before the colon or dash (``A senior official was more direct – "…"``). Quotes may
   run over several sentences;
2. **verbs of saying** (``speech``): the complement clause is the claim (``X said (that) …`` and
   the trailing ``…, X said``); a verb between commas with no complement is a parenthetical and
   its host clause is the claim (``This shift, experts argue, was …``); ``claimed to have …``
   takes its infinitive; a subject-less verb (``…, adding that …``, ``… indicating that …``)
   takes its speaker from the verb it hangs on, and when that verb publishes a publication
   (``released a report``) the cue is that phrase; a relative clause (``photographs that it said
   showed …``) claims its whole noun phrase; ``object`` verbs with no clause take their object
   (``confirmed the death of …``). Negated or unrealised verbs (``did not say``, ``to deny``,
   ``will announce``) and speakers that are nobody (``no one claimed``) attribute nothing;
3. **agentless passives** (``it was reported that``, ``X is believed to``, ``explosions reported
   at``): an unnamed source;
4. **figures**: ``X puts the death toll at 31`` (``toll_verb`` with a ``toll_noun`` object): the
   clause is X's claim;
5. **report nouns** with nobody named: ``reports are coming in of heavy shelling`` claims the
   ``of`` phrase for an unnamed source;
6. **according to X**: the rest of the sentence, on the longer side of the phrase.

The kind is ``unnamed_source`` when a speaker phrase names nobody: its head is a generic source
noun (``unnamed``: sources, officials, experts …) or it opens with an indefinite (``a military
source``, ``one blogger``), and no proper name other than a place and no named actor sits in it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import ModelError
from ..nlp import doc_text
from .quantities import DATA_DIR, read_tsv

_ROLES = ("speech", "object", "passive", "publish", "publication", "unnamed", "indefinite", "not_source",
          "toll_verb", "toll_noun", "report_noun", "not_object", "denial", "pronoun")
_QUOTE_RE = re.compile(r"\u201c([^\u201d]{1,3000})\u201d|\"([^\"]{1,3000})\"")
_DASHES = frozenset("-\u2013\u2014")
_MIN_QUOTE_WORDS = 4
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
_CUT = frozenset({"appos", "relcl"})
_IRREALIS = frozenset({"to", "should", "must", "could", "might", "would", "can", "will", "shall", "may", "'ll", "wo"})
_RELATIVES = frozenset({"that", "which", "who", "what"})
_NOBODY = frozenset({"nobody", "none", "neither"})


@dataclass(frozen=True, slots=True)
class Cues:
    by_role: dict[str, frozenset[str]]
    pronoun_type: dict[str, str]


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    sets: dict[str, set[str]] = {r: set() for r in _ROLES}
    pronoun_type: dict[str, str] = {}
    for role, word, extra in read_tsv("attribution_cues.tsv", 3):
        if role not in sets:
            raise ModelError(f"{DATA_DIR / 'attribution_cues.tsv'}: unknown role {role!r} for {word!r}")
        sets[role].add(word.lower())
        if role == "pronoun":
            pronoun_type[word.lower()] = extra or "group"
    return Cues({r: frozenset(s) for r, s in sets.items()}, pronoun_type)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A claim found on the parse: character spans of the claim and cue, token span of the speaker."""

    claim: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None  # token indices [start, end)
    unnamed: bool = False


def _trim(doc, lo: int, hi: int) -> tuple[int, int] | None:
    """Character span of tokens lo..hi (inclusive) without leading "that" and edge punctuation."""
    def skip(t) -> bool:
        return t.is_punct and not t.is_quote or t.dep_ == "mark" and t.lower_ == "that"

    while lo <= hi and skip(doc[lo]):
        lo += 1
    while hi >= lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    if hi < lo:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _speaker_span(tok) -> tuple[int, int]:
    """The speaker phrase: the subject's words up to a comma, appositive or relative clause."""
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    # A name the parser split into sibling subjects ("Haider al - Abadi"): take them all.
    while hi + 1 < len(doc) and doc[hi + 1].dep_ == tok.dep_ and doc[hi + 1].head.i == tok.head.i:
        hi = doc[hi + 1].right_edge.i
    for i in range(tok.i + 1, hi + 1):
        if doc[i].text == "," or doc[i].lower_ in _RELATIVES or doc[i].dep_ == "relcl" and doc[i].head.i == tok.i:
            hi = i - 1
            break
    for i in range(tok.i - 1, lo - 1, -1):
        if doc[i].text == ",":
            lo = i + 1
            break
    return lo, hi + 1


def is_unnamed(doc, span: tuple[int, int], named_tokens: frozenset[int],
               place_tokens: frozenset[int] = frozenset()) -> bool:
    """Whether a speaker phrase names nobody (see the module docstring)."""
    c = cues()
    toks = doc[span[0] : span[1]]
    if not len(toks):
        return True
    # a named actor names someone only by its name: "Rebel commanders" and "regime officials" are
    # as anonymous as "Turkish officials", "a YPG spokesman" is not
    if any(t.i in named_tokens and (t.pos_ == "PROPN" or t.is_upper) for t in toks):
        return False
    if any(t.pos_ == "PROPN" and t.ent_type_ not in _PLACE_ENTS and t.i not in place_tokens for t in toks):
        return False
    head = toks.root
    return head.lemma_.lower() in c.by_role["unnamed"] or toks[0].lower_ in c.by_role["indefinite"]


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            if c.lower_ in _RELATIVES and verb.dep_ == "relcl":
                return verb.head  # "the Observatory, which said …"
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _irrealis(verb) -> bool:
    """A verb of saying that nobody has used yet: "to deny Daesh …", "should add", "will announce"."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in _IRREALIS for c in verb.children)


def _nobody(subject) -> bool:
    """ "No one claimed responsibility", "none of the groups said": a negated speaker says nothing."""
    return subject.lower_ in _NOBODY or any(c.lower_ == "no" for c in subject.children)


def _lemma(tok) -> str:
    return tok.lemma_.lower()


class _Finder:
    def __init__(self, doc, named_tokens: frozenset[int], place_tokens: frozenset[int]):
        self.doc = doc
        self.text = doc_text(doc)
        self.named = named_tokens
        self.places = place_tokens
        self.c = cues()
        self.used: set[int] = set()  # verbs already serving as an attribution cue
        self.quoted: set[int] = set()  # tokens inside accepted direct quotes
        self.out: list[Attribution] = []

    def tok_span(self, tok) -> tuple[int, int]:
        return tok.idx, tok.idx + len(tok)

    def emit(self, claim, kind, cue, speaker_tok=None, speaker_span=None) -> None:
        if claim is None:
            return
        if speaker_tok is not None and speaker_span is None:
            speaker_span = _speaker_span(speaker_tok)
        unnamed = speaker_span is None or is_unnamed(self.doc, speaker_span, self.named, self.places)
        if kind == "indirect" and unnamed:
            kind = "unnamed_source"
        self.out.append(Attribution(claim, kind, cue, speaker_span, unnamed))

    # -- 1. direct quotes --------------------------------------------------------------------
    def quotes(self) -> None:
        doc, text = self.doc, self.text
        for m in _QUOTE_RE.finditer(text):
            g = 1 if m.group(1) is not None else 2
            qs, qe = m.start(g), m.end(g)
            if len(text[qs:qe].split()) < _MIN_QUOTE_WORDS:
                continue
            first = doc.char_span(qs, qe, alignment_mode="expand")
            if first is None or not len(first):
                continue
            inner = range(first.start, first.end)
            found = self._quote_after(m.end(), text[qs:qe]) or self._quote_before(m.start(), first.start)
            if found is None:
                continue
            cue, speaker_tok = found
            claim = _strip_span(text, qs, qe)
            if claim is None:
                continue
            self.quoted.update(inner)
            self.emit(claim, "direct_quote", cue, speaker_tok)

    def _quote_after(self, close: int, content: str):
        doc, text = self.doc, self.text
        after = text[close : close + 2].lstrip()
        if not (content.rstrip().endswith((",", "?", "!")) or after.startswith(",")):
            return None
        span = doc.char_span(close, min(len(text), close + 200), alignment_mode="expand")
        if span is None:
            return None
        for tok in list(span)[:12]:
            if tok.text in (".", "\u201c") or tok.text == '"' and tok.idx > close:
                break
            if tok.pos_ == "VERB" and _lemma(tok) in self.c.by_role["speech"]:
                self.used.add(tok.i)
                return self.tok_span(tok), _subject(tok)
        return None

    def _quote_before(self, open_char: int, first_tok: int):
        doc = self.doc
        sent = doc[first_tok].sent
        toks = [t for t in doc[sent.start : first_tok] if t.idx < open_char and not t.is_quote]
        if not toks:
            return None
        last = toks[-1]
        if last.text == ":" or last.text in _DASHES:
            for tok in reversed(toks):
                if tok.pos_ == "VERB" and _lemma(tok) in self.c.by_role["speech"]:
                    self.used.add(tok.i)
                    return self.tok_span(tok), _subject(tok)
            subject = next((t for t in reversed(toks) if t.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                return None
            return self.tok_span(last), subject
        if last.pos_ == "VERB" and _lemma(last) in self.c.by_role["speech"]:
            self.used.add(last.i)
            return self.tok_span(last), _subject(last)
        return None

    # -- 2./3. verbs of saying and agentless passives -----------------------------------------
    def verbs(self, candidates) -> None:
        c = self.c
        for tok in candidates:
            if tok.i in self.used or tok.i in self.quoted:
                continue
            lemma = _lemma(tok)
            if lemma in c.by_role["toll_verb"]:
                self._toll(tok)
                continue
            if lemma not in c.by_role["speech"] and lemma not in c.by_role["passive"]:
                continue
            if _negated(tok) or _irrealis(tok) or self._question(tok):
                continue
            agent = any(ch.dep_ == "agent" for ch in tok.children)
            if _is_passive(tok) and lemma in c.by_role["passive"] and not agent:
                self._passive(tok)
            elif lemma in c.by_role["speech"]:
                self._speech(tok)

    def _question(self, tok) -> bool:
        sent = tok.sent
        return self.text[sent.start_char : sent.end_char].rstrip().endswith("?")

    def _complement(self, verb):
        for ch in verb.children:
            if ch.dep_ == "ccomp":
                return ch
        for ch in verb.children:
            if ch.dep_ == "xcomp" and any(g.lower_ == "to" for g in ch.children):
                if _lemma(verb) in self.c.by_role["object"] or _lemma(verb) in ("allege", "admit"):
                    return ch
        return None

    def _publication(self, verb):
        """The publication object of a verb of publishing ("released a report"), or None."""
        if _lemma(verb) not in self.c.by_role["publish"]:
            return None
        obj = next((o for o in verb.children if o.dep_ == "dobj"), None)
        return obj if obj is not None and _lemma(obj) in self.c.by_role["publication"] else None

    def _host_speaker(self, verb):
        """The speaker of a subject-less verb and the verb it borrows it from: the nearest verb
        above it, a few steps up at most, that publishes a publication ("released a report on
        its website indicating …") or is a verb of saying with a subject ("…, X said, adding")."""
        if verb.dep_ not in ("advcl", "conj", "xcomp", "acl"):
            return None, None
        tok = verb
        for _ in range(4):
            head = tok.head
            if head.i == tok.i:
                break
            if head.pos_ == "VERB" and _subject(head) is not None and (
                self._publication(head) is not None or _lemma(head) in self.c.by_role["speech"]
            ):
                return _subject(head), head
            tok = head
        return None, None

    def _speech(self, verb) -> None:
        doc, c = self.doc, self.c
        comp = self._complement(verb)
        subject = _subject(verb)
        cue = self.tok_span(verb)
        if subject is None:
            subject, host = self._host_speaker(verb)
            obj = self._publication(host) if host is not None else None
            if obj is not None:
                lo, hi = min(host.i, obj.i), max(host.i, obj.i)
                cue = (doc[lo].idx, doc[hi].idx + len(doc[hi]))
        if subject is None or subject.i in self.quoted or _nobody(subject):
            return
        if comp is not None:
            if comp.i in self.quoted:
                return
            if verb.dep_ == "relcl" and not any(
                ch.dep_ in ("nsubj", "nsubjpass") and ch.lower_ not in _RELATIVES for ch in comp.children
            ):
                head = verb.head
                claim = _trim(doc, head.left_edge.i, head.right_edge.i)
            else:
                claim = _trim(doc, comp.left_edge.i, comp.right_edge.i)
            self.used.add(verb.i)
            self.emit(claim, "indirect", cue, subject)
            return
        if verb.dep_ in ("parataxis", "advcl", "ccomp") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            host = verb.head
            lo, hi = host.left_edge.i, host.right_edge.i
            a, b = verb.left_edge.i, verb.right_edge.i
            if b >= hi - 1:
                hi = a - 1
            elif a <= lo + 1:
                lo = b + 1
            self.used.add(verb.i)
            self.emit(_trim(doc, lo, hi), "indirect", cue, subject)
            return
        if _lemma(verb) in c.by_role["object"]:
            obj = next((o for o in verb.children if o.dep_ == "dobj" and o.pos_ in ("NOUN", "PROPN")), None)
            if obj is not None and _lemma(obj) not in c.by_role["not_object"]:
                self.used.add(verb.i)
                self.emit(_trim(doc, obj.left_edge.i, obj.right_edge.i), "indirect", cue, subject)

    def _passive(self, verb) -> None:
        doc = self.doc
        cue = self.tok_span(verb)
        comp = self._complement(verb) if any(ch.dep_ == "ccomp" for ch in verb.children) else None
        if comp is not None:
            claim = _trim(doc, comp.left_edge.i, comp.right_edge.i)
        elif verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            head = verb.head
            claim = _trim(doc, head.left_edge.i, head.right_edge.i)
        elif any(ch.dep_ == "xcomp" for ch in verb.children):
            claim = _trim(doc, verb.left_edge.i, verb.right_edge.i)
        else:
            return
        if claim is not None:
            self.used.add(verb.i)
            self.out.append(Attribution(claim, "unnamed_source", cue, None, True))

    def _toll(self, verb) -> None:
        obj = next((o for o in verb.children if o.dep_ == "dobj"), None)
        subject = _subject(verb)
        if obj is None or subject is None or _lemma(obj) not in self.c.by_role["toll_noun"] or _negated(verb):
            return
        self.used.add(verb.i)
        self.emit(_trim(self.doc, verb.left_edge.i, verb.right_edge.i), "indirect", self.tok_span(verb), subject)

    def report_nouns(self, candidates) -> None:
        doc = self.doc
        for tok in candidates:
            if tok.i in self.quoted:
                continue
            if any(ch.dep_ == "poss" or ch.pos_ == "PROPN" or ch.lower_ == "no" for ch in tok.children):
                continue
            of = next((ch for ch in tok.children if ch.dep_ == "prep" and ch.lower_ == "of"), None)
            if of is None and tok.dep_ in ("nsubj", "nsubjpass"):
                # "Reports are coming in of …": the "of" phrase hangs off the verb's particle.
                near = [g for ch in tok.head.children for g in (ch, *ch.children)]
                of = next((g for g in near if g.dep_ == "prep" and g.lower_ == "of" and g.i > tok.i), None)
            pobj = next((ch for ch in of.children if ch.dep_ == "pobj"), None) if of is not None else None
            if pobj is None:
                continue
            claim = _trim(doc, pobj.left_edge.i, pobj.right_edge.i)
            if claim is not None:
                self.out.append(Attribution(claim, "unnamed_source", self.tok_span(tok), None, True))

    # -- 4. according to ----------------------------------------------------------------------
    def according(self, candidates) -> None:
        doc = self.doc
        for tok in candidates:
            if tok.i in self.quoted:
                continue
            to = next((ch for ch in tok.children if ch.lower_ == "to"), None)
            if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                to = doc[tok.i + 1]
            if to is None:
                continue
            pobj = next((ch for ch in to.children if ch.dep_ == "pobj"), None)
            if pobj is not None and _lemma(pobj) in self.c.by_role["not_source"]:
                continue
            sent = tok.sent
            a = tok.i
            b = max(tok.right_edge.i, to.right_edge.i)
            left = (sent.start, a - 1)
            right = (b + 1, sent.end - 1)
            lo, hi = left if (left[1] - left[0]) >= (right[1] - right[0]) else right
            cue = (tok.idx, to.idx + len(to))
            self.emit(_trim(doc, lo, hi), "according_to", cue, pobj)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def find_attributions(
    doc, *, named_tokens: frozenset[int] = frozenset(), place_tokens: frozenset[int] = frozenset()
) -> list[Attribution]:
    """Every attributed claim of a parsed document, in the order of the forms above.

    ``named_tokens`` are tokens of named actor mentions (they make a speaker named);
    ``place_tokens`` those of place mentions (a place name does not: "activists in Daraa").
    """
    finder = _Finder(doc, named_tokens, place_tokens)
    # One pass over the tokens (each access builds a Token object) sorts out the candidates.
    verbs, nouns, according = [], [], []
    report_nouns = finder.c.by_role["report_noun"]
    for tok in doc:
        pos = tok.pos_
        if pos == "VERB":
            verbs.append(tok)
        elif pos == "NOUN" and tok.lemma_.lower() in report_nouns:
            nouns.append(tok)
        if tok.lower_ == "according":
            according.append(tok)
    finder.quotes()
    finder.verbs(verbs)
    finder.report_nouns(nouns)
    finder.according(according)
    seen: set[tuple[int, int]] = set()
    out = []
    for att in finder.out:
        if att.claim in seen:
            continue
        seen.add(att.claim)
        out.append(_without_trailing_claim(finder.text, att, finder.out))
    return out


def _without_trailing_claim(text: str, att: Attribution, others: list[Attribution]) -> Attribution:
    """Cut an appended, separately attributed phrase off a claim: in "15 were killed, a figure
    that officials say is exaggerated" the officials' claim is not the statement's."""
    s, e = att.claim
    for other in others:
        os_, oe = other.claim
        if other is att or not (s < os_ and oe >= e - 1 and os_ < e):
            continue
        head = text[s:os_].rstrip()
        if head.endswith((",", ";", "–", "—")):
            return Attribution((s, s + len(head) - 1), att.kind, att.cue, att.speaker, att.unnamed)
    return att
