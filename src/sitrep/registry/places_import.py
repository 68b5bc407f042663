"""Turn a user's place list (shapefile, GeoJSON or CSV) into gazetteer records.

Each feature or row becomes one record of the format ``local_places`` reads: its name fields, one
point (a polygon's is the area centroid of its largest part), a feature class the user chooses, and
the country and admin-1 names spelled as the shipped gazetteer spells them, so that province checks
and document focus work for imported places as for GeoNames ones.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import ConfigError, InputError
from .gazetteer import Gazetteer, fold, is_ascii_name
from .local_places import KEY_PREFIX

FORMATS = ("shapefile", "geojson", "csv")
# Field names tried, in order, when the user names none (OCHA CODs, Natural Earth, plain sheets).
NAME_GUESSES = ("NAME_EN", "ADM4_EN", "ADM3_EN", "ADM2_EN", "name_en", "name", "NAME", "Name")
KEY_GUESSES = ("PCODE", "ADM4_PCODE", "ADM3_PCODE", "ADM2_PCODE", "pcode", "id", "ID", "geonameid")
LAT_GUESSES = ("LATITUDE", "latitude", "lat", "LAT", "Lat", "y")
LON_GUESSES = ("LONGITUDE", "longitude", "lon", "lng", "LON", "Lon", "x")


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".shp":
        return "shapefile"
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise InputError(str(path), f"cannot tell the format from {suffix or 'no suffix'!r}; use .shp, .geojson or .csv")


def ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Planar centroid (lat, lon) and absolute area of a closed lon/lat ring."""
    a = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return statistics.fmean(p[1] for p in ring), statistics.fmean(p[0] for p in ring), 0.0
    return cy / (3 * a), cx / (3 * a), abs(a) / 2


def point_of(geometry: dict | None) -> tuple[float, float] | None:
    """(lat, lon) of a GeoJSON geometry: a point itself, else the centroid of the largest polygon."""
    if not geometry:
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not coords:
        return None
    if kind == "Point":
        return float(coords[1]), float(coords[0])
    if kind == "MultiPoint":
        return float(coords[0][1]), float(coords[0][0])
    if kind in ("Polygon", "MultiPolygon"):
        polys = coords if kind == "MultiPolygon" else [coords]
        lat, lon, _ = max((ring_centroid(p[0]) for p in polys if p and len(p[0]) > 2), key=lambda t: t[2])
        return lat, lon
    return None


def _rows(path: Path, fmt: str, lat_field: str | None, lon_field: str | None) -> Iterator[tuple[dict, tuple | None]]:
    """(properties, (lat, lon) or None) for each feature or row of the file."""
    if fmt == "shapefile":
        import shapefile  # pyshp

        try:
            reader = shapefile.Reader(str(path), encoding="utf-8")
        except (shapefile.ShapefileException, OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"not a readable shapefile ({exc})") from None
        with reader:
            for sr in reader.iterShapeRecords():
                props = sr.record.as_dict()
                point = _point_fields(props, lat_field, lon_field) or point_of(sr.shape.__geo_interface__)
                yield props, point
    elif fmt == "geojson":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(str(path), f"not readable GeoJSON ({exc})") from None
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            raise InputError(str(path), "not a GeoJSON FeatureCollection (no 'features' list)")
        for f in features:
            props = (f or {}).get("properties") or {}
            yield props, _point_fields(props, lat_field, lon_field) or point_of((f or {}).get("geometry"))
    else:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
                for props in csv.DictReader(fh, dialect=dialect):
                    yield props, _point_fields(props, lat_field, lon_field)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(str(path), f"not a readable CSV file ({exc})") from None


def _point_fields(props: dict, lat_field: str | None, lon_field: str | None) -> tuple[float, float] | None:
    """A point from the record's own coordinate fields (named, or guessed), where it has them."""
    lat_name = lat_field or _guess(props, LAT_GUESSES)
    lon_name = lon_field or _guess(props, LON_GUESSES)
    if not lat_name or not lon_name:
        return None
    try:
        return float(props[lat_name]), float(props[lon_name])
    except (KeyError, TypeError, ValueError):
        return None


def _guess(props: dict, names: Sequence[str]) -> str | None:
    return next((n for n in names if n in props), None)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "places"


def import_places(path: Path, *, feature: str, gazetteer: Gazetteer, fmt: str | None = None,
                  name_field: str | None = None, alt_fields: Sequence[str] = (), key_field: str | None = None,
                  namespace: str | None = None, country: str | None = None, admin1_field: str | None = None,
                  lat_field: str | None = None, lon_field: str | None = None,
                  population_field: str | None = None) -> Iterator[dict]:
    """Gazetteer records for every named, located feature of ``path``.

    Features without a Latin-script name or a usable point are skipped (the shipped matcher reads
    Latin-script names only); coordinates that are not degrees fail, naming the file.
    """
    fmt = fmt or format_of(path)
    namespace = _slug(namespace or path.stem)
    country = country.upper() if country else None
    if country and country not in gazetteer.country_entries:
        raise ConfigError(f"--country {country!r} is not an ISO 3166 alpha-3 code the gazetteer knows (e.g. SYR)")
    admin1_names: dict[str, str | None] = {}
    seen: set[str] = set()
    for n, (props, point) in enumerate(_rows(path, fmt, lat_field, lon_field), 1):
        name_col = name_field or _guess(props, NAME_GUESSES)
        if name_col is None or name_col not in props:
            raise InputError(str(path), f"no name field {name_field or 'among ' + ', '.join(NAME_GUESSES)}; "
                             f"pass --name-field (fields: {', '.join(map(str, props))})")
        name = str(props.get(name_col) or "").strip()
        alts = [str(props[a]).strip() for a in alt_fields if props.get(a)]
        if not is_ascii_name(name):
            name = next((a for a in alts if is_ascii_name(a)), "")
        if not name or point is None:
            continue
        lat, lon = point
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(str(path), f"feature {n} lies at ({lat}, {lon}), which is not longitude/latitude "
                             "in degrees; reproject the file to WGS 84 (EPSG:4326) first")
        key_col = key_field or _guess(props, KEY_GUESSES)
        ident = str(props.get(key_col) or "").strip() if key_col else ""
        key = f"{KEY_PREFIX}{namespace}:{_slug(ident) if ident else n}"
        if key in seen:
            key = f"{key}-{n}"
        seen.add(key)
        record = {"key": key, "name": name, "feature": feature, "lat": round(lat, 5), "lon": round(lon, 5)}
        names = [a for a in dict.fromkeys(alts) if a != name and is_ascii_name(a)]
        if names:
            record["names"] = names
        if country:
            record["country"] = country
            if admin1_field and props.get(admin1_field):
                raw = str(props[admin1_field]).strip()
                if raw not in admin1_names:
                    admin1_names[raw] = _admin1(gazetteer, raw, country)
                if admin1_names[raw]:
                    record["admin1"] = admin1_names[raw]
        if population_field and str(props.get(population_field) or "").strip().isdigit():
            record["population"] = int(str(props[population_field]).strip())
        record["source"] = f"{path.name} #{n}"
        yield record


def _admin1(gazetteer: Gazetteer, raw: str, country: str) -> str | None:
    """The shipped gazetteer's spelling of a province name, so that province checks compare equal:
    the province entry of that name, else the province of the country's place of that name
    (GeoNames calls the governorate of Damascus "Dimashq")."""
    names = dict.fromkeys([raw, fold(raw).replace(" governorate", "")])
    found = [e for n in names for e in gazetteer.candidates(n) if e.country == country and e.admin1]
    best = next((e for e in found if e.feature == "admin1"), found[0] if found else None)
    return best.admin1 if best else None
