"""Actor mentions: registry names, metonymic capitals and countries, demonyms, titled persons, NER.

``extract_actors(doc, document, *, registry)`` scans the text once with the registry's trie and
reads each match in its syntactic context:

- a registry alias of an organisation, armed group or person is an actor wherever it occurs;
  short all-capital abbreviations ("IS") are dropped where spaCy reads them as a verb or
  function word, or inside an all-capital headline; a name hyphened to a stance ("pro-regime",
  "anti-ISIS") or to a word of territory ("regime-held", "HTS-controlled") describes someone's
  loyalty or an area, not the actor taking part, and is dropped too;
- a capital ("Moscow") or a country ("Turkey") is an actor only when it acts: subject of a verb,
  possessor ("Washington's plan"), agent of a passive ("by Ankara"), or conjoined with another
  actor ("Moscow and Tehran"); after a locative preposition ("in Damascus") it is a place and
  nothing is emitted. These refs carry ``via="metonymy"``;
- a demonym followed by a role noun ("Russian soldiers", "Iranian officials") is that state's
  military or government; "Turkish-backed" makes the state a backer (``via="demonym"``);
- a title followed by a name ("Iranian Foreign Minister Mohammad Javad Zarif", "Gen. X") is a
  person whose parent is the government, military or organisation named before the title;
- NER entities (ORG, PERSON, NORP, and GPE used as an agent) that none of the above explain are
  kept as ``ner:<LABEL>:<name>`` with ``via="ner"``, so arbitration can still drop a PERSON that
  the gazetteer knows as a place; but not where the grammar says the name is ground (after
  "in"/"near", the object of "captured", "Ein Terma town", "Tantur Mountain"), since the small
  model tags many villages it does not know as people or organisations;
- a surname alone ("Zarif") takes the key of the full name met in the same document.
"""

from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path
from typing import Iterator

from ..errors import ModelError
from ..model import ActorRef, Document
from ..nlp import doc_text
from ..registry.actors import ACTOR, AGENT, CAPITAL, DEMONYM, TITLE, ActorRegistry, RegistryEntry
from ..resolve.arbitrate import NER_SPELLING

DATA_DIR = Path(__file__).resolve().parent / "data"

NER_TYPES = {"ORG": "other", "PERSON": "person", "NORP": "ethnic_or_religious_group", "GPE": "other"}
MIL_SECTORS = {"MIL", "COP"}
GOV_SECTORS = {"GOV", "SPY", "LEG", "JUD"}
# A word before an all-capital "IS"/"US"/"WHO" that makes it the English word ("it IS", "let US").
VERBAL_CONTEXT = {"PRON", "ADV", "VERB", "AUX", "SCONJ", "PART"}
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "de", "van", "von", "ag", "ould", "-", "'", "."}
MAX_NAME_TOKENS = 6
# Prepositions whose objects, when conjoined, act together ("talks between Moscow and Kyiv").
PARTNER_PREPS = {"between", "among", "by", "with"}
# Locative prepositions whose object is a place even when the NER calls it a person or
# organisation; "from", "to", "at" are left out ("a letter to Smith", "an analyst at Chatham House").
GROUND_PREPS = {"in", "into", "inside", "near", "nearby", "outside", "toward", "towards", "around",
                "throughout", "within", "across", "along"}
_GAP_RE = re.compile(r"\s*(?:['\u2019]s?\s*)?$")
_COORD_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|or\s+|and/or\s+)")
# A word and a conjunction right before a name: "opposition and " of "opposition and regime forces".
_SHARED_HEAD_RE = re.compile(r"\b([A-Za-z][\w'-]*) (?:and|or|&) $")


@functools.lru_cache(maxsize=1)
def rule_words() -> dict[str, frozenset[str]]:
    """The actor reader's word lists (``data/actor_*.txt``), by name; shared with the holder reader
    and the pipeline."""
    out = {}
    for name in ("locative_preps", "nonagentive_verbs", "place_heads", "affiliation_suffixes",
                 "stance_prefixes", "territory_suffixes", "ner_place_words", "capture_verbs", "former_words",
                 "toponym_prefixes"):
        # the first words of Levantine place names serve the place extractor too
        path = DATA_DIR / (f"{name}.txt" if name == "toponym_prefixes" else f"actor_{name}.txt")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ModelError(f"{path}: cannot read actor rule file ({exc.strerror})") from exc
        out[name] = frozenset(l.strip().lower() for l in lines if l.strip() and not l.startswith("#"))
    return out


def _norm(text: str) -> str:
    text = re.sub(r"^(?:the|The|THE)\s+", "", text.strip())
    text = re.sub(r"['\u2019]s?$", "", text)
    return re.sub(r"\s+", " ", text).lower()


class _Reader:
    """The state of one pass over one document; never outlives the call."""

    def __init__(self, doc, document: Document, registry: ActorRegistry):
        self.doc = doc
        self.text = doc_text(doc)
        self.document = document
        self.reg = registry
        self.lex = rule_words()
        self.matches = registry.scan(self.text)
        self.match_starts = [m.start for m in self.matches]
        self.refs: list[ActorRef] = []
        self.covered: list[tuple[int, int]] = []
        # head tokens of spans that may name an actor, for "conjoined with an actor"
        self.actor_tokens: set[int] = set()
        for m in self.matches:
            if m.of(ACTOR) or m.of(CAPITAL):
                span = self.span(m.start, m.end)
                if span is not None:
                    self.actor_tokens.add(span.root.i)

    # --- helpers ---------------------------------------------------------------------------------

    def span(self, start: int, end: int):
        return self.doc.char_span(start, end, alignment_mode="expand")

    def emit(self, entry_key: str | None, start: int, end: int, via: str, **over) -> None:
        entry = self.reg.get(entry_key)
        if entry is None and "key" not in over:
            return
        fields = _entry_fields(entry) if entry else dict(country=None, codes={}, parent_key=None, aliases=())
        fields.update(over)
        self.refs.append(ActorRef(mention=self.document.mention(start, end), via=via, **fields))

    def adjacent(self, left_end: int, right_start: int) -> bool:
        """Only spaces or a possessive between two matches ("Russia's Foreign Minister")."""
        return left_end <= right_start and bool(_GAP_RE.match(self.text[left_end:right_start]))

    # --- context tests ---------------------------------------------------------------------------

    def agentive(self, start: int, end: int) -> bool:
        span = self.span(start, end)
        if span is None:
            return False
        return self._agentive_token(span.root, span.end, depth=0)

    def _agentive_token(self, root, span_end: int, depth: int) -> bool:
        lex = self.lex
        doc = self.doc
        nxt = doc[span_end] if span_end < len(doc) else None
        if nxt is not None and nxt.lower_ in lex["place_heads"]:
            return False  # "the Damascus suburbs"
        if root.dep_ == "poss" or (nxt is not None and nxt.tag_ == "POS"):
            owned = root.head if root.dep_ == "poss" else nxt.head
            return owned.lemma_.lower() not in lex["place_heads"] and owned.lower_ not in lex["place_heads"]
        head = root.head
        if root.dep_ == "pobj":
            if head.dep_ == "agent":
                return True  # "condemned by Moscow"
            if head.lower_ in lex["locative_preps"]:
                return False
        if root.dep_ == "nsubj":
            return head.lemma_.lower() not in lex["nonagentive_verbs"]
        if root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children):
            first = root
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            group = {first.i} | {t.i for t in first.subtree if t.dep_ == "conj" and _conj_of(t, first)}
            if first.i != root.i and depth == 0 and self._agentive_token(first, first.i + 1, depth + 1):
                return True
            if first.dep_ == "pobj" and first.head.lower_ not in PARTNER_PREPS:
                return False  # "strikes on Syria and Iraq"
            return bool((group - {root.i}) & self.actor_tokens)
        return False

    def function_word(self, start: int, end: int) -> bool:
        """An all-capital abbreviation that is really a word: "it IS", "IS THIS", a shouted headline."""
        span = self.span(start, end)
        if span is None:
            return True
        for tok in (self._neighbour(span.start, -1), self._neighbour(span.end - 1, 1)):
            if tok is not None and len(tok) > 1 and tok.text.isupper() and tok.i not in self.actor_tokens:
                if not self.reg.lookup(tok.text):
                    return True
        if len(span) != 1 or not self.doc.vocab[span[0].lower_].is_stop:
            return False
        # "IS", "US", "WHO" spell English words; read them as words where the grammar asks for one
        tok = span[0]
        prev = self.doc[tok.i - 1] if tok.i > 0 and not tok.is_sent_start else None
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if prev is not None and prev.lemma_.lower() == "be":
            return False  # "gunmen believed to be IS": no verb "is" follows a form of "be"
        if prev is not None and prev.pos_ in ("SCONJ", "ADV") and nxt is not None and nxt.tag_ in ("VBD", "VBN"):
            return False  # "after IS attacked": a capitalised "is" before a participle is the group
        if (prev is not None and prev.tag_ in ("VBD", "VBN", "VBG") and prev.pos_ == "VERB"
                and (nxt is None or nxt.pos_ in ("ADP", "CCONJ") or nxt.text == ".")):
            return False  # "regime forces fought IS around the gas field": the object of a deed
        if prev is not None and prev.pos_ in VERBAL_CONTEXT:
            return nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "NUM")  # but "that IS fighters"
        return prev is None and nxt is not None and nxt.pos_ in ("PRON", "DET")

    def named_as_modifier(self, start: int, end: int) -> bool:
        """ "pro-regime", "anti-ISIS", "regime-held", "former rebels", "ex-ISIS": the name is a
        modifier, not the actor meant."""
        former = self.lex["former_words"]
        before = re.search(r"(\w+)-$", self.text[max(0, start - 12):start])
        if before and (before.group(1).lower() in self.lex["stance_prefixes"] or before.group(1).lower() in former):
            return True
        word = re.search(r"(\w+)\s+$", self.text[max(0, start - 16):start])
        if word and word.group(1).lower() in former:
            return True
        after = re.match(r"-(\w+)", self.text[end:end + 20])
        return bool(after) and after.group(1).lower() in self.lex["territory_suffixes"]

    def qualifies_next(self, k: int, entry: RegistryEntry) -> bool:
        """ "Syrian regime Tiger Forces": a force named right before one of its own units only says
        whose unit it is; the unit is the actor meant."""
        if k + 1 >= len(self.matches):
            return False
        nxt = self.matches[k + 1]
        if not nxt.of(ACTOR) or not self.text[self.matches[k].end:nxt.start].isspace():
            return False
        unit = self.reg.entries[nxt.of(ACTOR)[0].value]
        seen = set()
        while unit.parent is not None and unit.parent not in seen:
            if unit.parent == entry.key:
                return True
            seen.add(unit.parent)
            unit = self.reg.entries[unit.parent]
        return False

    def names_ground(self, end: int) -> bool:
        """ "Alloush Hill", "Assad Dam": a person's name followed by a place word names the place."""
        after = re.match(r"\s+(\w+)", self.text[end:end + 30])
        return bool(after) and after.group(1).lower() in self.lex["ner_place_words"]

    def _neighbour(self, i: int, step: int):
        j = i + step
        while 0 <= j < len(self.doc):
            if self.doc[j].is_alpha:
                return self.doc[j]
            if not self.doc[j].is_punct:
                return None
            j += step
        return None

    # --- the rules -------------------------------------------------------------------------------

    def run(self) -> list[ActorRef]:
        for k, m in enumerate(self.matches):
            actors = sorted((self.reg.entries[h.value] for h in m.of(ACTOR)), key=preference)
            if m.of(TITLE) and not actors:
                self.titled_person(k)
                continue
            if actors and actors[0].type != "state":
                hit = m.of(ACTOR)[0]
                if hit.exact and self.function_word(m.start, m.end):
                    continue
                if self.named_as_modifier(m.start, m.end) or self.qualifies_next(k, actors[0]):
                    self.covered.append((m.start, m.end))
                    continue
                if actors[0].type == "person" and self.names_ground(m.end):
                    self.covered.append((m.start, m.end))
                    continue
                self.emit(actors[0].key, m.start, m.end, "registry")
                self.covered.append((m.start, m.end))
                self.shared_head(m.start, m.end)
                continue
            if m.of(DEMONYM) and self.demonym(k, m.of(DEMONYM)[0].value):
                continue
            place = actors[0].key if actors else (m.of(CAPITAL)[0].value if m.of(CAPITAL) else None)
            if place is not None and self.reg.get(place).country and self.demonym(k, self.reg.get(place).country):
                continue
            if place is not None:
                self.covered.append((m.start, m.end))  # a place, or an actor: either way not NER's
                exact = any(h.exact for h in m.hits)
                if exact and self.function_word(m.start, m.end):
                    continue
                if self.agentive(m.start, m.end):
                    self.emit(place, m.start, m.end, "metonymy")
        self.ner_only()
        self.merge_persons()
        self.refs.sort(key=text_order)
        return self.refs

    def demonym(self, k: int, iso3: str) -> bool:
        """ "Russian soldiers" → RUS-MIL; "Turkish-backed" → TUR; headline "Syria army" → SYR-MIL.
        True when the word was read as an affiliation (whether or not that made an actor)."""
        m = self.matches[k]
        suffix = re.match(r"-(\w+)", self.text[m.end:m.end + 20])
        if suffix and suffix.group(1).lower() in self.lex["affiliation_suffixes"]:
            self.emit(iso3, m.start, m.end + suffix.end(), "demonym")
            self.covered.append((m.start, m.end + suffix.end()))
            return True
        span = self.span(m.start, m.end)
        if span is None:
            return False
        last = m.end
        for nxt in self.matches[k + 1:k + 4]:
            if nxt.of(TITLE) and self.adjacent(m.end, nxt.start):
                return True  # the title reads it as the person's affiliation
            coordinated = nxt.start > last and _COORD_RE.fullmatch(self.text[last:nxt.start])
            if coordinated and nxt.of(DEMONYM):
                last = nxt.end  # "Syrian and Russian soldiers": the role noun serves both
                continue
            if coordinated and last == m.end and self.shared_role(iso3, nxt, m):
                return True
            agent = nxt.of(AGENT)
            between = self.span(last, nxt.start) if nxt.start > last else None
            gap = len(between) if between is not None else 0
            if agent and gap <= 1 and (between is None or all(t.pos_ == "ADJ" for t in between)):
                sector = agent[0].value
                key = (f"{iso3}-MIL" if sector in MIL_SECTORS else f"{iso3}-GOV" if sector in GOV_SECTORS
                       else None)
                if key is None:
                    return True  # "Syrian rebels" are not the Syrian state
                if key not in self.reg:
                    key = iso3
                end = nxt.end if last == m.end else m.end  # a coordinated demonym names only itself
                self.emit(key, m.start, end, "demonym")
                self.covered.append((m.start, end))
                return True
            if not agent:
                break
        return False

    def shared_head(self, start: int, end: int) -> None:
        """ "between opposition and regime forces": the word before "and" shares the matched
        name's head noun, and names an actor where the registry knows that phrase."""
        words = self.text[start:end].split()
        before = _SHARED_HEAD_RE.search(self.text[max(0, start - 40):start])
        noun = re.match(r"\s+(\w+)", self.text[end:end + 24])
        if len(words) < 2 and noun and self.force_noun_after(end, None):
            words = [*words, noun.group(1)]  # "between regime and IS forces": the noun follows the name
        if len(words) < 2:
            return
        found = shared_head_actor(self.text, start, words[-1], self.reg, self.covered)
        if found is not None:
            entry, w_start, w_end = found
            self.emit(entry.key, w_start, w_end, "shared-head")
            self.covered.append((w_start, w_end))

    def shared_role(self, iso3: str, nxt, m) -> bool:
        """ "Syrian and Russian soldiers" where the registry knows "Russian soldiers" as a force:
        the first demonym takes the same role in its own state."""
        words = self.text[nxt.start:nxt.end].split()
        entries = [self.reg.entries[h.value] for h in nxt.of(ACTOR)]
        if entries and entries[0].type != "state" and self.force_noun_after(nxt.end):
            # "clashes between Turkish and YPG forces": the noun after the group serves both
            key = f"{iso3}-MIL"
            self.emit(key if key in self.reg else iso3, m.start, m.end, "demonym")
            self.covered.append((m.start, m.end))
            return True
        if not words or words[0] not in self.reg.demonyms or not entries:
            return False
        kind = entries[0].type
        if kind not in ("military", "government"):
            return False
        key = f"{iso3}-MIL" if kind == "military" else f"{iso3}-GOV"
        self.emit(key if key in self.reg else iso3, m.start, m.end, "demonym")
        self.covered.append((m.start, m.end))
        return True

    def force_noun_after(self, end: int, sectors=MIL_SECTORS) -> bool:
        """A role noun of one of ``sectors`` ("forces", "troops") right after ``end``; every
        sector when ``sectors`` is None ("fighters")."""
        k = bisect.bisect_left(self.match_starts, end)  # the first match from ``end`` on
        if k == len(self.matches) or self.matches[k].start > end + 1:
            return False
        m = self.matches[k]
        agent = m.of(AGENT)
        return self.adjacent(end, m.start) and bool(agent) and (sectors is None or agent[0].value in sectors)

    def titled_person(self, k: int) -> None:
        m = self.matches[k]
        sector = m.of(TITLE)[0].value
        lowercase_title = not m.of(TITLE)[0].alias[:1].isupper()
        context = self.context_before(k)
        if context is None and self.inside_a_name(m.start):
            return  # "Syrian Revolution General Commission": the title word is part of a name
        name_span = self.name_after(m.end, require_ner=lowercase_title)
        if name_span is None:
            return
        start, end = name_span
        nxt = self.matches[k + 1] if k + 1 < len(self.matches) else None
        if nxt is not None and nxt.start == start and nxt.of(ACTOR):
            entry = self.reg.entries[nxt.of(ACTOR)[0].value]
            if entry.type == "person":
                return  # the registry knows this person and its parent; the next match emits it
        if context is None:
            context = self.context_after(end)
        if lowercase_title and context is None:
            return  # "the leader Ahmed" with no organisation says too little
        country, parent = None, None
        if context is not None:
            ctx = self.reg.get(context)
            country = ctx.country if ctx else None
            if ctx is not None and ctx.type == "state":
                parent = (f"{country}-MIL" if sector in MIL_SECTORS else f"{country}-GOV")
                parent = parent if parent in self.reg else ctx.key
            else:
                parent = context
        name = re.sub(r"\s+", " ", self.text[start:end])
        known = self.known_person(name)
        if known is not None:
            self.emit(known.key, start, end, "title")
            self.covered.append((m.start, end))
            return
        self.emit(None, start, end, "title", key=f"ner:PERSON:{_norm(name)}", name=name, type="person",
                  country=country, parent_key=parent)
        self.covered.append((m.start, end))

    def inside_a_name(self, start: int) -> bool:
        span = self.span(start, start + 1)
        if span is None or span.start == 0:
            return False
        prev = self.doc[span.start - 1]
        if prev.is_sent_start or not (prev.is_title and prev.pos_ == "PROPN"):
            return False
        return not any(s <= prev.idx < e for s, e in self.covered)

    def known_person(self, name: str) -> RegistryEntry | None:
        """A registry person behind a name the scan missed, e.g. a possessive that lost its
        apostrophe in conversion ("President Bashar al-Assads forces")."""
        for candidate in (name, name[:-1] if name.endswith("s") else None):
            if candidate:
                found = [e for e in self.reg.lookup(candidate) if e.type == "person"]
                if found:
                    return found[0]
        return None

    def context_before(self, k: int) -> str | None:
        """The actor a title belongs to: "Iranian", "Russia's", "Hezbollah" right before it."""
        if k == 0:
            return None
        prev, m = self.matches[k - 1], self.matches[k]
        if not self.adjacent(prev.end, m.start):
            return None
        if prev.of(DEMONYM):
            return prev.of(DEMONYM)[0].value
        if prev.of(ACTOR):
            return prev.of(ACTOR)[0].value
        if prev.of(CAPITAL):
            return prev.of(CAPITAL)[0].value
        return None

    def context_after(self, end: int) -> str | None:
        """ "Col. Ahmed Youssef of the 4th Armoured Division": the actor after "of"/"from"."""
        gap = re.match(r"\s*,?\s*(?:of|from|with)\s+(?:the\s+)?", self.text[end:end + 30])
        if gap is None:
            return None
        at = end + gap.end()
        for m in self.matches:
            if m.start == at and m.of(ACTOR):
                return m.of(ACTOR)[0].value
            if m.start > at:
                break
        return None

    def name_after(self, pos: int, *, require_ner: bool) -> tuple[int, int] | None:
        span = self.span(pos, min(len(self.text), pos + 1)) if pos < len(self.text) else None
        doc = self.doc
        i = span.start if span is not None else len(doc)
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i >= len(doc):
            return None
        if doc[i].ent_type_ == "PERSON":
            j = i + 1
            while j < len(doc) and doc[j].ent_iob_ == "I":
                j += 1
            while i < j - 1 and doc[i].text in self.reg.titles:
                i += 1  # spaCy folds a second title into the name: "Lieutenant Colonel X"
            return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
        if require_ner:
            return None
        j, last = i, None
        while j < len(doc) and j - i < MAX_NAME_TOKENS:
            tok = doc[j]
            if j > i and tok.is_sent_start:
                break
            if tok.text[:1].isupper() and tok.is_alpha and tok.pos_ in ("PROPN", "NOUN", "ADJ"):
                last = j
            elif tok.lower_ not in NAME_PARTICLES or last is None and tok.lower_ in ("-", "'", "."):
                break
            elif tok.text == "." and len(doc[j - 1]) > 1:
                break  # a full stop, not an initial's
            j += 1
        if last is None or last == i or not all(t.pos_ == "PROPN" or t.lower_ in NAME_PARTICLES
                                                for t in doc[i:last + 1]):
            return None  # without the NER's word, ask for a full name: "General Commission" is not one
        return doc[i].idx, doc[last].idx + len(doc[last])

    def ner_only(self) -> None:
        covered = sorted(self.covered + [(r.mention.start, r.mention.end) for r in self.refs])
        for ent in self.doc.ents:
            if ent.label_ not in NER_TYPES:
                continue
            toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
            if ent and ent[-1].tag_ == "POS":
                toks = toks[:-1]
            if not toks:
                continue
            if ent.label_ != "NORP" and not any(t.pos_ == "PROPN" for t in toks):
                continue  # the NER's "Strikes" (GPE) is a common noun, not a name
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            if any(s < end and start < e for s, e in covered):
                continue
            name = re.sub(r"\s+", " ", self.text[start:end])
            if ent.label_ == "NORP" and (name in self.reg.demonyms or name.rstrip("s") in self.reg.demonyms
                                         or ent.root.pos_ == "ADJ" or ent.root.dep_ in ("amod", "compound")):
                continue  # "Kurdish", "Shiite": an affiliation, not an actor
            if ent.label_ == "GPE" and not self.agentive(start, end):
                continue
            if ent.label_ != "GPE" and self.ground(ent, toks):
                self.covered.append((start, end))
                continue
            known = self.known_person(name) if ent.label_ == "PERSON" else None
            if known is not None:
                self.emit(known.key, start, end, "registry")
                continue
            back = self.shortened(name, start) if ent.label_ == "ORG" else None
            if back is not None:
                # "The Syrian Army shelled the village ... rebels returned fire on the Army": the
                # last words of a group named before stand for it
                self.emit(back.key, start, end, "back-reference")
                continue
            near = self.reg.spelled_like(name)
            if near is not None:
                # "Hayat Tahrr al-Sham": a known group misspelt; still only the NER's word that it is one
                self.emit(near.key, start, end, NER_SPELLING)
                continue
            self.emit(None, start, end, "ner", key=f"ner:{ent.label_}:{_norm(name)}", name=name,
                      type=NER_TYPES[ent.label_])

    def shortened(self, name: str, start: int) -> ActorRef | None:
        """The one registry actor named before ``start`` whose mention ends with ``name``'s words."""
        words = name.split()
        found = [r for r in self.refs if r.mention.end <= start and r.key in self.reg
                 and _suffix(words, r.mention.text.split())]
        if len({r.key for r in found}) != 1:
            return None  # "the Army" after both the Syrian Army and the Free Syrian Army: no telling which
        return found[-1]

    def ground(self, ent, toks) -> bool:
        """Whether an NER-only name is the ground fought over rather than a party (see the module doc)."""
        words = self.lex["ner_place_words"]
        if len(toks) > 1 and toks[-1].lower_ in words:
            return True  # "Tantur Mountain", "T3 Station"
        if ent.label_ == "PERSON" and len(toks) > 1 and toks[0].lower_ in self.lex["toponym_prefixes"]:
            return True  # "shelled Kafr Amma": a village the NER took for a person
        nxt = self.doc[ent.end] if ent.end < len(self.doc) else None
        if nxt is not None and nxt.is_lower and nxt.lower_ in words:
            return True  # "Ein Terma town", "Elephant rockets"
        heads = words | self.lex["place_heads"]
        # The phrase the name sits in decides: climb from a modifier to what it modifies ("Jabal Az
        # Zarrab", "X east of Homs", "the Tishrine and Al-Nahdah neighborhoods") and from a later
        # conjunct to the first ("captured Tar Tarfawi, Bir Qusaybah and Qasr Tarfawi").
        root = ent.root
        for _ in range(MAX_NAME_TOKENS):
            if root.i != ent.root.i and root.is_lower and root.lower_ in heads:
                return True
            climbs = root.dep_ in ("compound", "nmod") or (root.dep_ == "conj" and root.head.i < root.i)
            if not climbs or root.head.i == root.i:
                break
            root = root.head
        head = root.head
        if root.dep_ == "pobj" and head.lower_ in GROUND_PREPS:
            return True
        if root.dep_ == "pobj" and head.lower_ == "of" and (head.head.lemma_.lower() == "control"
                                                           or head.head.lower_ in heads):
            return True  # "regained control of Hamadi Elomr", "the town of Ein Terma"
        return root.dep_ == "dobj" and head.lemma_.lower() in self.lex["capture_verbs"]

    def merge_persons(self) -> None:
        """Give "Zarif" the key of "Mohammad Javad Zarif" when the document names only one Zarif.

        A surname merged into a registry or titled person becomes ``via="person-merge"``; merged into
        another NER-only name it keeps ``via="ner"``, so arbitration can still drop it as a place."""
        full: dict[str, set[tuple]] = {}
        for r in self.refs:
            if r.type == "person" and " " in r.name.strip():
                sig = (r.key, r.name, r.country, r.parent_key, r.via)
                full.setdefault(r.name.split()[-1].lower(), set()).add(sig)
                for alias in self.reg.entries[r.key].aliases if r.key in self.reg else ():
                    full.setdefault(alias.split()[-1].lower(), set()).add(sig)
        out = []
        for r in self.refs:
            if r.via == "ner" and r.type == "person":
                words = r.name.split()
                cands = full.get(words[-1].lower(), set())
                cands = {c for c in cands if c[0] != r.key and _suffix(words, c[1].split())}
                if len({c[0] for c in cands}) == 1:
                    # One actor, maybe reached by several readings: take a fixed one (a
                    # non-NER reading first) so output never depends on set order / hash seed.
                    key, name, country, parent, via = min(
                        cands, key=lambda c: (c[4] == "ner", tuple("" if x is None else str(x) for x in c))
                    )
                    entry = self.reg.get(key)
                    via = "ner" if via == "ner" else "person-merge"
                    r = ActorRef(key=key, name=name, type="person", mention=r.mention, via=via,
                                 country=country, codes=dict(entry.codes) if entry else {},
                                 parent_key=parent, aliases=entry.aliases if entry else ())
            out.append(r)
        self.refs = out


def preference(entry: RegistryEntry) -> tuple:
    """Which of a name's registry readings the reader takes: a non-state body over a state,
    curated over derived (sort key)."""
    return (entry.type == "state", entry.source != "curated")


def text_order(ref: ActorRef) -> tuple:
    """Actor mentions in the order the text names them (sort key)."""
    return (ref.mention.start, ref.mention.end, ref.key)


def _entry_fields(entry: RegistryEntry) -> dict:
    return dict(key=entry.key, name=entry.name, type=entry.type, country=entry.country,
                codes=dict(entry.codes), parent_key=entry.parent, aliases=entry.aliases)


def registry_ref(entry: RegistryEntry, document: Document, start: int, end: int, via: str) -> ActorRef:
    """A mention of a registry actor, as every actor reader records it."""
    return ActorRef(mention=document.mention(start, end), via=via, **_entry_fields(entry))


def shared_head_actor(text: str, start: int, noun: str, registry: ActorRegistry,
                      covered=()) -> tuple[RegistryEntry, int, int] | None:
    """The actor a word before "and" names with the head ``noun`` of the name at ``start``
    ("between opposition and regime forces" -> "opposition forces"), with the word's span; None
    where no such word, it is already covered, or the registry knows no such phrase."""
    before = _SHARED_HEAD_RE.search(text[max(0, start - 40):start])
    if before is None:
        return None
    w_start = max(0, start - 40) + before.start(1)
    w_end = w_start + len(before.group(1))
    if any(s < w_end and w_start < e for s, e in covered):
        return None
    entries = [e for e in registry.lookup(f"{before.group(1)} {noun}") if e.type != "state"]
    return (entries[0], w_start, w_end) if entries else None


def _suffix(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and [w.lower() for w in long[-len(short):]] == [w.lower() for w in short]


def _conj_of(tok, first) -> bool:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
        if tok.i == first.i:
            return True
    return False


def extract_actors(doc, document: Document, *, registry: ActorRegistry) -> Iterator[ActorRef]:
    """Yield every actor mention in ``doc`` (whose text is ``document.text``), in text order."""
    if doc_text(doc) != document.text:
        raise ModelError(f"{document.id}: spaCy Doc text differs from the document's normalised text")
    yield from _Reader(doc, document, registry).run()


__all__ = ["extract_actors"]
