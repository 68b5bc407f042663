"""Places a user adds to the gazetteer: village lists, admin boundaries, neighbourhoods.

The shipped index knows GeoNames places of 500 people and more; conflict reporting names villages,
subdistricts and city quarters below that. Analysts often hold those lists already (OCHA's common
operational datasets, a project's own coding sheet), under terms that let them use the data but not
us ship it. ``SITREP_GAZETTEER_EXTRA`` names JSON-lines files of such places, one object per line::

    {"key": "usr:ocha-syr:SY020100", "name": "Jebel Saman", "names": ["Jabal Semaan"],
     "feature": "admin3", "lat": 36.2, "lon": 37.1, "country": "SYR", "admin1": "Aleppo"}

``key``, ``name``, ``feature``, ``lat`` and ``lon`` are required; ``key`` starts with ``usr:`` and
is what the situation model stores, so keep it stable between imports. ``sitrep gazetteer import``
writes such files from shapefiles, GeoJSON or CSV.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ConfigError
from ..model import PLACE_FEATURES
from .gazetteer import is_ascii_name, loose_key, name_key

SETTING = "SITREP_GAZETTEER_EXTRA"
KEY_PREFIX = "usr:"
_FIELDS = {"key", "name", "names", "feature", "lat", "lon", "country", "admin1", "population", "source"}


def read_records(path: Path) -> Iterator[dict]:
    """The validated place records of one file; a bad line raises one line naming file and line."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read this {SETTING} file ({exc.strerror or exc})") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield _checked(line, f"{path}:{n}")


def _checked(line: str, where: str) -> dict:
    def bad(reason: str) -> ConfigError:
        return ConfigError(f"{where}: {reason}; fix the line or drop the file from {SETTING}")

    try:
        r = json.loads(line)
    except ValueError:
        raise bad("not a JSON object") from None
    if not isinstance(r, dict):
        raise bad("not a JSON object")
    missing = [f for f in ("key", "name", "feature", "lat", "lon") if f not in r]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    unknown = sorted(set(r) - _FIELDS)
    if unknown:
        raise bad(f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(_FIELDS))})")
    if not isinstance(r["key"], str) or not r["key"].startswith(KEY_PREFIX) or len(r["key"]) <= len(KEY_PREFIX):
        raise bad(f"key must be a string starting with {KEY_PREFIX!r}")
    if not isinstance(r["name"], str) or not r["name"].strip():
        raise bad("name must be a non-empty string")
    if r["feature"] not in PLACE_FEATURES:
        raise bad(f"feature {r['feature']!r} is not one of {', '.join(PLACE_FEATURES)}")
    for axis, limit in (("lat", 90.0), ("lon", 180.0)):
        v = r[axis]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > limit:
            raise bad(f"{axis} must be a number within ±{limit:g}")
    names = r.get("names", [])
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise bad("names must be a list of strings")
    pop = r.get("population", 0)
    if isinstance(pop, bool) or not isinstance(pop, int) or pop < 0:
        raise bad("population must be a whole number ≥ 0")
    for field in ("country", "admin1", "source"):
        if r.get(field) is not None and not isinstance(r[field], str):
            raise bad(f"{field} must be a string")
    return r


def extend_index(data: dict, records: Iterable[dict]) -> int:
    """Append records to a loaded index (its columnar dict, before a Gazetteer is built on it).

    A key already in the index fails: a user file must not silently replace a shipped place, nor
    another file's. Returns how many places were added.
    """
    cols = data["entries"]
    keys = set(cols["key"])
    features, countries = data["features"], data["countries"]
    added = 0
    for r in records:
        if r["key"] in keys:
            raise ConfigError(f"{r.get('source') or r['key']}: key {r['key']!r} is already in the gazetteer; "
                              "give each place one key across all files")
        keys.add(r["key"])
        i = len(cols["key"])
        if r["feature"] not in features:
            features.append(r["feature"])
        country = r.get("country")
        if country and country not in countries:
            countries.append(country)
        cols["key"].append(r["key"])
        cols["name"].append(r["name"])
        cols["feature"].append(features.index(r["feature"]))
        cols["lat"].append(round(float(r["lat"]), 5))
        cols["lon"].append(round(float(r["lon"]), 5))
        cols["country"].append(countries.index(country) if country else -1)
        cols["admin1"].append(r.get("admin1"))
        cols["population"].append(int(r.get("population", 0)))
        cols["geonames_id"].append(None)
        for name in dict.fromkeys([r["name"], *r.get("names", [])]):
            if is_ascii_name(name) and len(name) <= 60:
                _index(data["exact"], name_key(name), i)
                _index(data["loose"], loose_key(name), i)
        added += 1
    data["user_places"] = data.get("user_places", 0) + added
    return added


def _index(table: dict, key: str, i: int) -> None:
    if not key:
        return
    hit = table.get(key)
    if hit is None:
        table[key] = i
    elif isinstance(hit, int):
        if hit != i:
            table[key] = [hit, i]
    elif i not in hit:
        table[key] = [*hit, i]


def extra_paths(value: str) -> tuple[Path, ...]:
    """The files a ``SITREP_GAZETTEER_EXTRA`` value names (separated like PATH: ':' or ';')."""
    return tuple(Path(p) for p in value.split(os.pathsep) if p.strip())
