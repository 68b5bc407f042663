"""The offline gazetteer: GeoNames places, admin areas, Natural Earth features, curated extras.

The index (``data/gazetteer.json.gz``) is built by ``scripts/build_gazetteer.py`` from installed
packages and public-domain Natural Earth data, plus the curated files beside it. It is columnar
(one list per field) so loading is a single ``json.loads`` and memory stays small.

Names are looked up through two keys computed by the same functions at build time and at match
time: :func:`name_key` (case, accents, punctuation folded) and :func:`loose_key`, which also folds
Arabic-article prefixes and common transliteration differences ("Deir ez-Zor", "Dayr az Zawr",
"Deir Ezzor" and "Deir al-Zour" share one loose key). A loose-only match is a weaker signal.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

DATA_DIR = Path(__file__).resolve().parent / "data"
INDEX_FILE = DATA_DIR / "gazetteer.json.gz"
INDEX_VERSION = 1

_APOSTROPHES = "'’‘`´ʼʻʿʾ′"
_APOS_RE = re.compile(f"[{_APOSTROPHES}]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain"}
# Arabic definite-article forms written as separate words ("Deir ez-Zor", "Dayr az Zawr").
_ARTICLES = frozenset(
    "al el il ul ad ed ud adh ath az ez as es ash esh ar er an en at et a".split()
)
# How gazetteers spell the Arabic article before a name, most common first.
_ARTICLE_SPELLINGS = ("al", "as", "ash", "ar", "ad", "at", "az", "an", "el", "es", "ed", "er", "ez", "en", "et")
# A glued, sun-letter-assimilated article on a later word: "Ezzor", "Arraqqa", "Assuwayda".
_GLUED_ARTICLE = re.compile(r"^[ae]([tdszrn])(?=\1[a-z]{2})")
_LOOSE_RULES = (
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"q|ck|c(?=[aou])"), "k"),
    (re.compile(r"y"), "i"),
    (re.compile(r"w"), "u"),
    (re.compile(r"e"), "a"),
    (re.compile(r"au|ou|oo|o"), "u"),
    (re.compile(r"ai|ia"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"(?<=[aiu])h$"), ""),
)


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits separated by single spaces; accents and apostrophes go."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _APOS_RE.sub("", stripped).lower()
    return _NON_ALNUM.sub(" ", stripped).strip()


def name_key(text: str) -> str:
    """The exact lookup key: folded text, common abbreviations expanded, a leading 'the' dropped."""
    words = fold(text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_ABBREV.get(w, w) for w in words)


def loose_key(text: str) -> str:
    """The transliteration-tolerant key: articles dropped, spellings folded, spaces removed."""
    words = name_key(text).split()
    kept = [w for w in words if w not in _ARTICLES] or words
    out = []
    for i, w in enumerate(kept):
        if (i > 0 and len(w) > 4) or (len(kept) == 1 and len(w) > 6):
            w = _GLUED_ARTICLE.sub("", w)
        for pattern, repl in _LOOSE_RULES:
            w = pattern.sub(repl, w)
        out.append(w)
    return "".join(out)


def is_ascii_name(text: str) -> bool:
    """True when the name folds to something non-empty: Latin-script names only are indexed."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = [c for c in decomposed if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters)


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record. ``key`` is stable: ``gn:<geonameid>``, ``adm1:<CC>.<code>``,
    ``adm2:US.<fips>``, ``ne:river:<id>``, ``ne:lake:<id>``, ``cont:<code>`` or ``cur:<slug>``."""

    key: str
    name: str
    feature: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    population: int
    geonames_id: int | None
    index: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Lookup by name (exact or loose key) and by stable key."""

    def __init__(self, data: dict):
        cols = data["entries"]
        self._key: list[str] = cols["key"]
        self._name: list[str] = cols["name"]
        self._feature_codes: list[str] = data["features"]
        self._feature: list[int] = cols["feature"]
        self._lat: list[float] = cols["lat"]
        self._lon: list[float] = cols["lon"]
        self._countries: list[str] = data["countries"]
        self._country: list[int] = cols["country"]
        self._admin1: list[str | None] = cols["admin1"]
        self._pop: list[int] = cols["population"]
        self._gid: list[int | None] = cols["geonames_id"]
        self._exact: dict[str, int | list[int]] = data["exact"]
        self._loose: dict[str, int | list[int]] = data["loose"]
        self._by_key: dict[str, int] | None = None  # built on first get(): most runs never need it
        self.user_places: int = data.get("user_places", 0)  # added from SITREP_GAZETTEER_EXTRA
        # ISO3 -> index of the country's entry, for country-focus lookups.
        self.country_entries: dict[str, int] = {
            self._countries[self._country[i]]: i
            for i, f in enumerate(self._feature)
            if self._feature_codes[f] == "country" and self._key[i].startswith("gn:")
        }

    def __len__(self) -> int:
        return len(self._key)

    def entry(self, i: int) -> Entry:
        c = self._country[i]
        return Entry(
            key=self._key[i],
            name=self._name[i],
            feature=self._feature_codes[self._feature[i]],
            lat=self._lat[i],
            lon=self._lon[i],
            country=self._countries[c] if c >= 0 else None,
            admin1=self._admin1[i],
            population=self._pop[i],
            geonames_id=self._gid[i],
            index=i,
        )

    def get(self, key: str) -> Entry | None:
        if self._by_key is None:
            self._by_key = {k: i for i, k in enumerate(self._key)}
        i = self._by_key.get(key)
        return None if i is None else self.entry(i)

    def _ids(self, table: dict, k: str) -> list[int]:
        hit = table.get(k)
        if hit is None:
            return []
        return [hit] if isinstance(hit, int) else hit

    def _exact_ids(self, key: str) -> list[int]:
        """Exact matches, trying the other spellings of a leading Arabic article: the sun-letter
        forms make "al-Sukhnah", "as-Sukhnah" and "es Sukhna" one name ("As Sukhnah")."""
        ids = self._ids(self._exact, key)
        first, _, rest = key.partition(" ")
        if ids or not rest or first not in _ARTICLES or first == "a":
            return ids
        for article in _ARTICLE_SPELLINGS:
            if article != first:
                ids = self._ids(self._exact, f"{article} {rest}")
                if ids:
                    return ids
        return []

    def lookup(self, name: str) -> list[tuple[Entry, bool]]:
        """Entries whose names match ``name``; the flag says the match was exact (not loose)."""
        exact = self._exact_ids(name_key(name))
        seen = set(exact)
        out = [(self.entry(i), True) for i in exact]
        for i in self._ids(self._loose, loose_key(name)):
            if i not in seen:
                seen.add(i)
                out.append((self.entry(i), False))
        if not exact:
            for i in self._variant_ids(name_key(name)):
                if i not in seen:
                    seen.add(i)
                    out.append((self.entry(i), False))
        return out

    def _variant_ids(self, key: str) -> list[int]:
        """Exact matches of common Arabic transliteration variants, read as loose matches: the
        article the text left out ("Sukhnah" for "As Sukhnah") and a long vowel written double
        ("Maadan" for "Ma'dan")."""
        if not key:
            return []
        variants = [re.sub(r"([aeiou])\1", r"\1", key)]
        first = key.partition(" ")[0]
        if first not in _ARTICLES:
            variants += [f"{article} {v}" for v in dict.fromkeys([key, variants[0]]) for article in _ARTICLE_SPELLINGS]
        out: list[int] = []
        for v in dict.fromkeys(variants):
            if v != key:
                out.extend(i for i in self._ids(self._exact, v) if i not in out)
        return out

    def candidates(self, name: str) -> list[Entry]:
        """Every entry a name may refer to, exact matches first, then by population."""
        found = self.lookup(name)
        found.sort(key=lambda t: (not t[1], -t[0].population))
        return [e for e, _ in found]

    def knows(self, name: str) -> bool:
        return bool(self._exact_ids(name_key(name))) or loose_key(name) in self._loose


def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The bundled gazetteer index, with the places of the files ``SITREP_GAZETTEER_EXTRA`` names.

    Loaded once per process, and again only when the index or the extra files change.
    """
    from .. import settings

    return _load(path, settings.get("SITREP_GAZETTEER_EXTRA"))


@functools.lru_cache(maxsize=1)  # one index in memory: switching the extra files reloads
def _load(path: str | None, extra: str) -> Gazetteer:
    file = Path(path) if path else INDEX_FILE
    try:
        with gzip.open(file, "rb") as fh:
            data = json.loads(fh.read())  # the bytes are dropped at once, keeping peak memory low
    except FileNotFoundError as exc:
        raise ModelError(
            f"{file}: gazetteer index missing; run scripts/build_gazetteer.py"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"{file}: gazetteer index unreadable ({exc})") from exc
    if data.get("version") != INDEX_VERSION:
        raise ModelError(
            f"{file}: gazetteer index version {data.get('version')} != {INDEX_VERSION}; "
            "rebuild with scripts/build_gazetteer.py"
        )
    if extra:
        from .local_places import extend_index, extra_paths, read_records

        for extra_file in extra_paths(extra):
            extend_index(data, read_records(extra_file))
    return Gazetteer(data)
