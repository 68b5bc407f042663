"""Place extraction and toponym resolution against the offline gazetteer.

Candidate spans come from two sources: the NER's place labels (GPE, LOC, FAC; ORG, PERSON and
NORP only when the gazetteer knows the name), and a scan of capitalised token n-grams matched
against the gazetteer, which finds names the NER misses or mislabels ("Deir ez-Zor", "Palmyra"
tagged PERSON). The scan is gated for precision: a stoplist, words the document also uses in
lower case, a context cue ("in", "near", "province"), or a strong prior (country, admin area,
large city, curated feature, a place in a country the document is about).

Each span is resolved by scoring its gazetteer candidates with document context: the countries
the document names (and its demonyms), proximity to the document's other places, population,
feature cues ("Idlib province", "the Euphrates river") and "Town, State" containment. Scoring
runs twice: the second pass uses the first pass's answers as the context.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import ModelError
from ..model import PLACE_FEATURES, Document, PlaceRef
from ..nlp import doc_text
from ..registry.gazetteer import Entry, Gazetteer, haversine_km, name_key
from ..registry.local_places import KEY_PREFIX as USER_KEY_PREFIX

DATA = Path(__file__).resolve().parent / "data"
REGISTRY_DATA = Path(__file__).resolve().parents[1] / "registry" / "data"

NER_PLACE = {"GPE", "LOC", "FAC"}
NER_MAYBE = {"ORG", "PERSON", "NORP"}
MAX_NGRAM = 5
# Lower-case words allowed inside a capitalised name ("Bab al-Hawa", "Rio de Janeiro").
_CONNECTORS = {"al", "el", "ez", "az", "as", "ash", "ad", "ar", "an", "at", "de", "del", "da",
               "do", "dos", "la", "le", "of", "on", "upon", "-", "bin", "ibn", "abu", "the"}

FEATURE_PRIOR = {
    "country": 1.1, "region": 0.6, "admin1": 0.65, "river": 0.45, "lake": 0.4, "mountain": 0.45,
    "airbase": 0.5, "military_base": 0.5, "oil_field": 0.5, "gas_field": 0.5, "dam": 0.5,
    "border_crossing": 0.5, "road": 0.35, "other": 0.4, "admin2": 0.3, "admin3": 0.3, "city": 0.3,
    "town": 0.12, "village": 0.0, "neighbourhood": 0.0,
}
POPULATED = {"city", "town", "village", "neighbourhood"}
_JOINERS = {"-", "'", "\u2019"}
# A place read only from a capitalised word (no NER place label) whose country the document names
# nowhere else needs a locative cue ("in", "near", "province") and this much confidence, or a
# high confidence alone: "Media contact" is not Médéa, Algeria.
MIN_WEAK_CONFIDENCE = 0.45
MIN_UNCUED_CONFIDENCE = 0.75
# A populated place below this size, named once in a document about another country, is more
# likely a local village the gazetteer lacks than a foreign town of the same name.
SMALL_PLACE = 100_000


@dataclass(frozen=True)
class _Lexicon:
    qualifiers: tuple[re.Pattern, ...]
    stoplist: frozenset[str]
    context: frozenset[str]
    cues_after: dict[str, tuple[str, ...]]
    cues_before: dict[str, tuple[str, ...]]
    demonyms: dict[str, str]
    place_verbs: frozenset[str]
    toponym_prefixes: frozenset[str]
    group_openers: frozenset[str]


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{path}: cannot read place data file ({exc.strerror})") from exc
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    quals = []
    for ln in _lines(DATA / "place_qualifiers.tsv"):
        try:
            quals.append(re.compile(r"(?:^|\b)(" + ln.split("\t")[0] + r")\s+(?:the\s+)?$", re.I))
        except re.error as exc:
            raise ModelError(f"{DATA / 'place_qualifiers.tsv'}: bad pattern {ln!r} ({exc})") from exc
    after, before = {}, {}
    for ln in _lines(DATA / "place_cues.tsv"):
        word, pos, feats = ln.split("\t")
        bad = [f for f in feats.split("|") if f not in PLACE_FEATURES]
        if bad:
            raise ModelError(f"{DATA / 'place_cues.tsv'}: unknown feature {bad[0]!r}")
        (after if pos == "after" else before)[word] = tuple(feats.split("|"))
    demonyms = {}
    path = REGISTRY_DATA / "demonyms.tsv"
    if path.exists():
        for ln in _lines(path):
            parts = ln.split("\t")
            if len(parts) >= 2:
                demonyms[name_key(parts[0])] = parts[1].strip()
    return _Lexicon(
        qualifiers=tuple(quals),
        stoplist=frozenset(name_key(w) for w in _lines(DATA / "place_stoplist.txt")),
        context=frozenset(w.strip().lower() for w in _lines(DATA / "place_context.txt")),
        cues_after=after,
        cues_before=before,
        demonyms=demonyms,
        place_verbs=frozenset(w.strip().lower() for w in _lines(DATA / "place_verbs.txt")),
        toponym_prefixes=frozenset(w.strip().lower() for w in _lines(DATA / "toponym_prefixes.txt")),
        group_openers=frozenset(w.strip().lower() for w in _lines(DATA / "group_name_openers.txt")),
    )


@dataclass
class _Span:
    start: int  # character offsets of the name (cue words excluded)
    end: int
    text: str
    via: str
    cue_features: tuple[str, ...] = ()
    mention_start: int = 0  # the evidence span (cue words included: "Idlib province")
    mention_end: int = 0
    context_cue: bool = False
    strong_source: bool = False  # NER place label or given gold span
    cands: list[tuple[Entry, bool]] = field(default_factory=list)
    demonym: str | None = None  # ISO3 when the span is an adjective naming a country
    key: str = ""  # name_key of the text that matched the gazetteer
    single: bool = False  # one token
    acronym: bool = False  # "WHO", "FDA": all capitals
    in_org: bool = False  # a part of a longer ORG name ("Drug" in "Food and Drug Administration")
    surname: bool = False  # the last word of a PERSON named in full elsewhere in the document


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(c.isalpha() for c in t)


def _cue_after(doc, end_tok: int, lex: _Lexicon) -> tuple[tuple[str, ...], int]:
    """Feature cue words right after a name ("province", "river"): (features, end char)."""
    if end_tok < len(doc):
        w = doc[end_tok].lower_
        if w in lex.cues_after:
            return lex.cues_after[w], doc[end_tok].idx + len(doc[end_tok])
    return (), -1


def _cue_before(doc, start_tok: int, lex: _Lexicon) -> tuple[str, ...]:
    if start_tok >= 2:
        two = f"{doc[start_tok - 2].lower_} {doc[start_tok - 1].lower_}"
        if two in lex.cues_before:
            return lex.cues_before[two]
    return ()


def _has_context(doc, start_tok: int, lex: _Lexicon) -> bool:
    i = start_tok - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and (doc[i].lower_ in lex.context or doc[i].text == ",")


def _dep_cue(tok, lex: _Lexicon) -> bool:
    """The parse says place: object of "shelled"/"captured", passive subject of them, or the
    object of a locative preposition; a conjunct ("Afrin and Azaz") inherits its head's cue."""
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
            continue
        break
    if tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in lex.place_verbs:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in lex.context


def _strip_name(text: str) -> str:
    t = re.sub(r"['’]s$", "", text.strip())
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return t.strip(" .,;:")


def _lookup(gaz: Gazetteer, text: str, lex: _Lexicon) -> tuple[list[tuple[Entry, bool]], str]:
    """Candidates for a span's text, trying a few clean-ups ('the', possessive, cue word)."""
    tries = [text, _strip_name(text)]
    words = tries[-1].split()
    if len(words) > 1 and words[-1].lower() in lex.cues_after:
        tries.append(" ".join(words[:-1]))
    for t in tries:
        if t:
            found = gaz.lookup(t)
            if found:
                return found, t
    return [], tries[-1]


def _prefix_of_a_name(doc, i: int, lex: _Lexicon) -> bool:
    """A first word of Levantine place names ("Kafr", "Tal", "Deir"), not an adjective ("Arab
    East Jerusalem")."""
    return doc[i].lower_ in lex.toponym_prefixes and doc[i].pos_ != "ADJ" and doc[i].ent_type_ != "NORP"


def _ngram_spans(doc, taken: list[bool], gaz: Gazetteer, lex: _Lexicon, lower_words: set[str]):
    """Capitalised n-grams the gazetteer knows, longest first, not overlapping taken tokens."""
    n = len(doc)
    text_of_doc = doc_text(doc)
    i = 0
    while i < n:
        if taken[i] or not _is_cap(doc[i]) or doc[i].lower_ == "the":
            i += 1
            continue
        found = None
        for j in range(min(n, i + MAX_NGRAM), i, -1):
            toks = doc[i:j]
            if any(taken[k] for k in range(i, j)) or not _is_cap(doc[j - 1]):
                continue
            if any(not _is_cap(t) and t.lower_ not in _CONNECTORS for t in toks):
                continue
            if j - i > 1 and any(_is_cap(t) and t.pos_ == "PRON" for t in toks):
                continue  # "When I", "Now I"
            text = text_of_doc[toks[0].idx : toks[-1].idx + len(toks[-1])]
            key = name_key(text)
            if not key or key in lex.stoplist:
                continue
            if j - i == 1 and doc[i].lower_ in lex.group_openers and j < n and (
                    _is_cap(doc[j]) or doc[j].lower_ in ("al", "el")):
                continue  # "Liwa Suqour al-Hamad": a brigade's name, not Liwa, Oman
            if j - i == 1 and (doc[i].is_stop or key in lower_words or len(key) < 3):
                continue
            if _adjective(key, gaz, lex):
                continue
            if j - i == 1 and doc[i].pos_ not in ("PROPN", "") and not doc[i].text.isupper():
                continue  # "Nearly", "Officer": capitalised, but not a name
            if gaz.knows(text):
                found = (i, j, text)
                break
        prefix = _prefix_of_a_name(doc, i, lex) and i + 1 < n and _is_cap(doc[i + 1])
        if found and not (prefix and found[1] == i + 1):
            yield found
            i = found[1]
        elif prefix:
            # "Kafr Nan" unknown: "Nan" is only its tail, not the province of Thailand (a name
            # further on stays readable: "Tal Khazim Hama")
            i += 2
        else:
            i += 1


def _collect_spans(doc, gaz: Gazetteer, lex: _Lexicon) -> list[_Span]:
    spans: list[_Span] = []
    taken = [False] * len(doc)
    text_of_doc = doc_text(doc)
    org_tok = {k: (e.start, e.end) for e in doc.ents if e.label_ == "ORG" for k in range(e.start, e.end)}
    surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}

    def add(start_tok: int, end_tok: int, via: str, strong: bool):
        name_end = end_tok
        if end_tok - start_tok > 1 and doc[end_tok - 1].lower_ in lex.cues_after:
            name_end = end_tok - 1  # "Homs province" as one entity: name + cue
            cue, cue_end = lex.cues_after[doc[end_tok - 1].lower_], doc[end_tok - 1].idx + len(doc[end_tok - 1])
        else:
            cue, cue_end = _cue_after(doc, end_tok, lex)
        before = _cue_before(doc, start_tok, lex)
        text_start = doc[start_tok].idx
        text_end = doc[name_end - 1].idx + len(doc[name_end - 1])
        text = text_of_doc[text_start:text_end]
        sp = _Span(
            start=text_start, end=text_end, text=text, via=via,
            cue_features=cue or before,
            mention_start=text_start, mention_end=cue_end if cue else text_end,
            context_cue=(_has_context(doc, start_tok, lex) or bool(cue or before)
                         or _dep_cue(doc[name_end - 1], lex)),
            strong_source=strong,
            single=name_end - start_tok == 1,
            acronym=text.replace(".", "").isupper() and len(text.replace(".", "")) <= 5,
            in_org=any(org_tok.get(k, (0, 0))[1] - org_tok.get(k, (0, 0))[0] > name_end - start_tok
                       for k in range(start_tok, name_end)),
            surname=name_end - start_tok == 1 and doc[start_tok].lower_ in surnames,
        )
        spans.append(sp)
        for k in range(start_tok, end_tok):
            taken[k] = True

    def trimmed(ent) -> tuple[int, int] | None:
        s, e = ent.start, ent.end
        while s < e and doc[s].lower_ == "the":
            s += 1
        while e > s and doc[e - 1].is_punct:
            e -= 1
        if s >= e or not doc[s].text[:1].isupper():
            return None  # "the east bank": a description, not a name
        return s, e

    def extended(start_tok: int, end_tok: int) -> int:
        """The end of the longest gazetteer name that starts with this NER span: the NER often
        stops early on transliterated names ("Deir" of "Deir ez-Zor")."""
        for j in range(min(len(doc), start_tok + MAX_NGRAM), end_tok, -1):
            tail = doc[end_tok:j]
            if taken[j - 1] or not _is_cap(doc[j - 1]):
                continue
            if any(not (_is_cap(t) or t.lower_ in _CONNECTORS or t.text in _JOINERS) for t in tail):
                continue
            if gaz.knows(text_of_doc[doc[start_tok].idx : doc[j - 1].idx + len(doc[j - 1])]):
                return j
        return end_tok

    maybe = []
    for ent in doc.ents:
        if ent.label_ in NER_PLACE:
            se = trimmed(ent)
            if se:
                start = se[0]
                if start > 0 and _prefix_of_a_name(doc, start - 1, lex) and _is_cap(doc[start - 1]) \
                        and not taken[start - 1]:
                    start -= 1  # the NER left "Kafr" out of "Kafr Nan"
                add(start, extended(start, se[1]), "ner", True)
        elif ent.label_ in NER_MAYBE:
            maybe.append(ent)

    # The gazetteer scan runs before the NER's non-place labels get a say, so a name the NER
    # split into two PERSONs ("Dayr" + "Zawr") is still read whole.
    lower_words = {t.lower_ for t in doc if t.text.islower()}
    maybe_label = {k: ent.label_.lower() for ent in maybe for k in range(ent.start, ent.end)}
    for i, j, text in _ngram_spans(doc, taken, gaz, lex, lower_words):
        labels = sorted({maybe_label[k] for k in range(i, j) if k in maybe_label})
        # "gazetteer+ner-person": the arbitration step can see what the NER thought it was.
        add(i, j, "+".join(["gazetteer", *(f"ner-{x}" for x in labels)]), False)

    for ent in maybe:
        se = trimmed(ent)
        if not se or any(taken[k] for k in range(*se)):
            continue
        text = text_of_doc[doc[se[0]].idx : doc[se[1] - 1].idx + len(doc[se[1] - 1])]
        key = name_key(_strip_name(text))
        if _adjective(key, gaz, lex) or not gaz.knows(_strip_name(text)):
            continue  # adjectives are country hints, not places; unknown names are not places
        if ent.label_ == "PERSON" and se[1] - se[0] > 1 and not _has_context(doc, se[0], lex):
            continue
        add(*se, f"ner-{ent.label_.lower()}", False)
    spans.sort(key=lambda s: s.start)
    return spans


def _demonym(key: str, lex: _Lexicon) -> str | None:
    """ISO3 of the country an adjective or plural demonym names ("Syrian", "Syrians")."""
    iso3 = lex.demonyms.get(key)
    if iso3 is None and key.endswith("s"):
        iso3 = lex.demonyms.get(key[:-1])
    return iso3


def _adjective(key: str, gaz: Gazetteer, lex: _Lexicon) -> bool:
    """A demonym that is not also a country's name ("Syrian" yes; "U.S." no)."""
    if not _demonym(key, lex):
        return False
    return not any(ex and e.feature == "country" for e, ex in gaz.lookup(key))


def _demonym_countries(doc, lex: _Lexicon) -> Counter:
    hits: Counter = Counter()
    for tok in doc:
        if tok.text[:1].isupper():
            iso3 = lex.demonyms.get(tok.lower_)
            if iso3:
                hits[iso3] += 1
    return hits


def _score(entry: Entry, exact: bool, sp: _Span, focus: dict[str, float],
           anchors: list[tuple[float, float]], admin_ctx: set[tuple[str | None, str]]) -> float:
    s = FEATURE_PRIOR.get(entry.feature, 0.2)
    if entry.key.startswith("cur:"):
        s += 0.3  # curated on purpose: beats a same-name hamlet ("Atlantic", Virginia)
    if entry.feature == "river" and "river" not in sp.cue_features and "river" not in sp.text.lower():
        s -= 0.15  # a bare "Ohio" or "Jordan" is rarely the river
    if entry.feature in POPULATED:
        s += 0.5 * min(1.0, math.log10(entry.population + 1) / 7)
    if not exact:
        s -= 0.4
    elif name_key(entry.name) == sp.key:
        s += 0.2  # the place's own name, not one of its alternates ("Mexico" the country)
    if sp.cue_features:
        s += 0.6 if entry.feature in sp.cue_features else -0.3
    if entry.country:
        s += 0.7 * focus.get(entry.country, 0.0)
    if entry.admin1 and (entry.country, entry.admin1) in admin_ctx:
        s += 0.4
    if anchors and entry.feature not in ("country", "region"):
        d = min(haversine_km(entry.lat, entry.lon, a, b) for a, b in anchors)
        s += (0.15 if entry.feature == "admin1" else 0.35) * math.exp(-d / 250.0)
    return s


def _resolve(spans: list[_Span], doc_countries: Counter, text: str):
    """Pick an entry for every span; returns [(entry, confidence) | None] aligned with spans."""
    # Country focus: countries named outright, demonyms, and (after pass 1) resolved places.
    results: list[tuple[Entry, float] | None] = [None] * len(spans)
    anchors_by_span: list[tuple[float, float] | None] = [None] * len(spans)
    for pass_no in range(2):
        counts = Counter(doc_countries)
        admin_ctx: set[tuple[str | None, str]] = set()
        for k, r in enumerate(results if pass_no else []):
            if r:
                counts[r[0].country] += 1 if r[0].feature != "country" else 2
                if r[0].feature == "admin1":
                    admin_ctx.add((r[0].country, r[0].name))
        if not pass_no:
            for sp in spans:
                best_country = [e for e, ex in sp.cands if ex and e.feature == "country"]
                if best_country:
                    counts[best_country[0].country] += 2
                admin = [e for e, ex in sp.cands if ex and e.feature == "admin1"]
                if len(admin) == 1:
                    admin_ctx.add((admin[0].country, admin[0].name))
        counts.pop(None, None)
        total = sum(counts.values()) or 1
        focus = {c: n / total for c, n in counts.items()}
        new: list[tuple[Entry, float] | None] = []
        for k, sp in enumerate(spans):
            if not sp.cands:
                new.append(None)
                continue
            # A place named ten times is one anchor: distinct points give the same minimum distance.
            anchors = list({a for j, a in enumerate(anchors_by_span) if a and j != k})
            local_admin = set(admin_ctx)
            # "Gainesville, Ga." - the name right after a comma contains this one.
            if k + 1 < len(spans) and text[sp.end : spans[k + 1].start].strip() == ",":
                nxt = results[k + 1] if pass_no else None
                for e, ex in spans[k + 1].cands if nxt is None else [(nxt[0], True)]:
                    if e.feature == "admin1":
                        local_admin.add((e.country, e.name))
                    if e.feature == "country":
                        local_admin.add((e.country, "*"))
            scored = []
            for e, ex in sp.cands:
                s = _score(e, ex, sp, focus, anchors, local_admin)
                if (e.country, "*") in local_admin and e.feature != "country":
                    s += 0.3
                scored.append((s, -e.index, e))
            scored.sort(reverse=True)
            best_s, _, best = scored[0]
            margin = best_s - scored[1][0] if len(scored) > 1 else 1.0
            conf = 1 / (1 + math.exp(-3 * (best_s - 0.4))) * (0.5 + 0.5 * min(1.0, margin / 0.5))
            new.append((best, round(min(1.0, max(0.0, conf)), 3)))
        results = new
        for k, r in enumerate(results):
            if r and r[1] >= 0.35 and r[0].feature not in ("country", "region"):
                anchors_by_span[k] = (r[0].lat, r[0].lon)
    return results


def _qualifier(text: str, start: int, lex: _Lexicon) -> str | None:
    window = text[max(0, start - 60) : start]
    for pat in lex.qualifiers:
        m = pat.search(window)
        if m:
            q = re.sub(r"\s+", " ", m.group(1).lower()).strip()
            return re.sub(r"^the ", "", q)
    return None


def _accept(sp: _Span, best: Entry, exact: bool, accepted: set[str],
            focus_countries: set[str]) -> bool:
    """Precision gate for spans that neither the NER's place labels nor a caller vouched for."""
    if sp.strong_source:
        return True
    if best.key in accepted:
        return True  # the same place was read confidently elsewhere in the document
    if sp.single and not exact:
        return False
    major = best.feature in ("country", "admin1", "region") or (
        best.feature not in POPULATED and not best.key.startswith("adm2:"))
    if sp.acronym:
        return major and exact
    if sp.in_org or sp.surname:
        return major or (best.feature == "city" and best.population >= 1_000_000)
    if major:
        return True
    if sp.context_cue and exact and best.key.startswith(USER_KEY_PREFIX):
        return True  # the user's own place list vouches for a name that small
    if sp.context_cue and best.population >= 1000:
        return True
    if best.population >= 100_000 and (not sp.via.endswith("person") or not sp.single):
        return True
    return best.country in focus_countries and best.population >= 5000 and sp.context_cue


def _foreign_guess(best: Entry, exact: bool, country_keys: Counter, doc_countries: Counter) -> bool:
    """A lone match abroad while the document's places and demonyms point to another country.

    A spelling-tolerant (loose) match is dropped once another country has at least two mentions
    (other places, demonyms, the caller's hints), whatever else is named: "Ash Shula" (Deir ez-Zor)
    is not Cholet, nor "Al-Morour" in Ar-Raqqa Morón de la Frontera where US forces are named too;
    the loose key exists for transliteration variants of the region's own names. An exact match is
    dropped only where that other country also outweighs the rest three to one, and only when it
    is a small populated place: "Hit and Jellin villages in Dar'a countryside" is not Hit, Iraq."""
    if best.country is None or best.feature in ("country", "region", "admin1"):
        return False
    if country_keys[best.country] > 1 or best.country in doc_countries:
        return False
    support = Counter(country_keys)
    support.update(doc_countries)
    others = sorted((n for c, n in support.items() if c != best.country), reverse=True)
    if not others or others[0] < 2:
        return False  # too little to go on
    if not exact:
        # a loose match in a country nothing else names, beside one that is named twice: "Al-Morour"
        # in Ar-Raqqa is not Morón de la Frontera even where US forces are named too
        return True
    if others[0] < 3 * sum(others[1:]):
        return False  # a document about several countries
    return best.feature in POPULATED and best.population < SMALL_PLACE


def _to_ref(document: Document, sp: _Span, entry: Entry | None, conf: float, lex: _Lexicon) -> PlaceRef:
    mention = document.mention(sp.mention_start, sp.mention_end,
                               qualifier=_qualifier(document.text, sp.mention_start, lex))
    if entry is None:
        return PlaceRef(key=f"unresolved:{name_key(sp.text)}", name=sp.text, feature="other",
                        mention=mention, via=sp.via, confidence=0.1)
    return PlaceRef(
        key=entry.key, name=entry.name, feature=entry.feature, mention=mention, via=sp.via,
        lat=entry.lat, lon=entry.lon, geonames_id=entry.geonames_id, country=entry.country,
        admin1=entry.admin1, confidence=conf,
    )


def extract_places(doc, document: Document, *, gazetteer: Gazetteer,
                   keep_unresolved: bool = True,
                   country_hints: Sequence[str] = ()) -> Iterator[PlaceRef]:
    """Yield one PlaceRef per place mention in ``doc`` (a spaCy Doc over ``document.text``).

    ``country_hints`` are ISO3 codes the caller knows the document is about (the countries of the
    named armed groups it mentions): "Ariha" in a note about HTS is the Syrian town, not Jericho.

    NER place spans the gazetteer cannot resolve are kept (``key="unresolved:<name>"``, no
    coordinates, confidence 0.1) unless ``keep_unresolved`` is false.
    """
    lex = _lexicon()
    spans = _collect_spans(doc, gazetteer, lex)
    for sp in spans:
        sp.cands, matched = _lookup(gazetteer, sp.text, lex)
        sp.key = name_key(matched)
    doc_countries = _demonym_countries(doc, lex)
    doc_countries.update(set(country_hints))
    results = _resolve(spans, doc_countries, document.text)
    focus = {r[0].country for r in results if r and r[0].country} | set(doc_countries)
    exact = [bool(r) and any(ex and e.key == r[0].key for e, ex in sp.cands)
             for sp, r in zip(spans, results)]
    # Places vouched for by the NER or a context cue license bare repeats ("Palmyra was shelled").
    accepted = {r[0].key for sp, r, ex in zip(spans, results, exact)
                if r and (sp.strong_source or (sp.context_cue and ex and not (
                    sp.acronym or sp.in_org or sp.surname)))}
    country_counts = Counter(r[0].country for r in results if r and r[0].country)
    country_keys = Counter(c for _, c in {(r[0].key, r[0].country) for r in results if r and r[0].country})
    for sp, r, ex in zip(spans, results, exact):
        if r is None:
            if keep_unresolved and sp.strong_source:
                yield _to_ref(document, sp, None, 0.0, lex)
            continue
        if _foreign_guess(r[0], ex, country_keys, doc_countries):
            if keep_unresolved and sp.strong_source:
                yield _to_ref(document, sp, None, 0.0, lex)
            continue
        if not _accept(sp, r[0], ex, accepted, focus):
            continue
        named_elsewhere = country_counts[r[0].country] > 1 or r[0].country in doc_countries
        if (sp.strong_source or named_elsewhere or r[1] >= MIN_UNCUED_CONFIDENCE
                or (sp.context_cue and r[1] >= MIN_WEAK_CONFIDENCE)):
            yield _to_ref(document, sp, r[0], r[1], lex)


def resolve_spans(doc, document: Document, spans: Sequence[tuple[int, int]], *,
                  gazetteer: Gazetteer) -> list[PlaceRef | None]:
    """Resolve given toponym spans (character offsets into ``document.text``), in order.

    Used for the given-toponym benchmark: every span is trusted to be a place; adjectives that
    name a country ("Turkish") resolve to that country. Unknown names give ``None``.
    """
    lex = _lexicon()
    text = document.text
    own: list[_Span] = []
    char_tok = {}
    for t in doc:
        char_tok[t.idx] = t.i
    for start, end in spans:
        sp = _Span(start=start, end=end, text=text[start:end], via="given",
                   mention_start=start, mention_end=end, strong_source=True)
        ti = char_tok.get(start)
        if ti is not None:
            sp.context_cue = _has_context(doc, ti, lex)
            end_tok = ti
            while end_tok < len(doc) and doc[end_tok].idx < end:
                end_tok += 1
            sp.cue_features = _cue_after(doc, end_tok, lex)[0] or _cue_before(doc, ti, lex)
        words = _strip_name(sp.text).split()
        if words and words[-1].lower() in lex.cues_after:
            sp.cue_features = lex.cues_after[words[-1].lower()]
        sp.cands, matched = _lookup(gazetteer, sp.text, lex)
        sp.key = name_key(matched)
        iso3 = _demonym(name_key(_strip_name(sp.text)), lex)
        if iso3 and iso3 in gazetteer.country_entries:
            sp.demonym = iso3
            sp.cands = [(gazetteer.entry(gazetteer.country_entries[iso3]), True)]
        own.append(sp)
    doc_countries = _demonym_countries(doc, lex)
    results = _resolve(own, doc_countries, text)
    return [None if r is None else _to_ref(document, sp, r[0], r[1], lex)
            for sp, r in zip(own, results)]


def is_adjectival(text: str, gazetteer: Gazetteer) -> bool:
    """True for a demonym or adjective naming a country ("Turkish", "Syrians"), not a name."""
    return _adjective(name_key(_strip_name(text)), gazetteer, _lexicon())


__all__ = ["extract_places", "resolve_spans", "is_adjectival"]
