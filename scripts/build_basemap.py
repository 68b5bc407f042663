"""Regenerate the offline basemap that the HTML report inlines.

Reads Natural Earth 1:50m countries, rivers/lake centrelines and lakes (public domain) from
shared/reference/natural_earth, simplifies every line and ring (Douglas-Peucker), rounds the
coordinates, keeps only the properties the map shows, and writes one small GeoJSON per layer to
src/sitrep/web/static/basemap/.

Usage: python scripts/build_basemap.py [--source DIR] [--tolerance DEG] [--digits N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")) / "reference" / "natural_earth"
TARGET = REPO / "src" / "sitrep" / "web" / "static" / "basemap"

LAYERS = {
    # layer: (source file, properties kept as {output name: source name})
    # LABEL_X/LABEL_Y: Natural Earth's own label point, inside the country's main body
    "countries": ("ne_50m_admin_0_countries.geojson", {"name": "NAME", "iso": "ADM0_A3", "lx": "LABEL_X", "ly": "LABEL_Y"}),
    "rivers": ("ne_50m_rivers_lake_centerlines.geojson", {"name": "name"}),
    "lakes": ("ne_50m_lakes.geojson", {"name": "name"}),
}


def _perpendicular(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative so long coastlines do not hit the recursion limit."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def _round(points: list, digits: int) -> list:
    out = []
    for x, y in points:
        q = [round(x, digits), round(y, digits)]
        if not out or out[-1] != q:
            out.append(q)
    return out


def _ring(ring: list, tolerance: float, digits: int) -> list | None:
    ring = _round(simplify(ring, tolerance), digits)
    if len(ring) < 4:  # a ring that collapsed to a line or a point is too small to draw
        return None
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _lines(geometry: dict) -> list:
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return geometry["coordinates"]
    return []


def build_layer(features: list, keep: dict, tolerance: float, digits: int) -> dict:
    out = []
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        props = {name: feature["properties"].get(src) for name, src in keep.items()}
        props = {k: round(v, 2) if isinstance(v, float) else v for k, v in props.items()}
        polygons = []
        for polygon in _polygons(geometry):
            outer = _ring(polygon[0], tolerance, digits)
            if outer is None:
                continue
            holes = [h for h in (_ring(r, tolerance, digits) for r in polygon[1:]) if h]
            polygons.append([outer, *holes])
        if polygons:
            out.append({"type": "Feature", "properties": props,
                        "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
            continue
        lines = [_round(simplify(line, tolerance), digits) for line in _lines(geometry)]
        lines = [line for line in lines if len(line) >= 2]
        if lines:
            out.append({"type": "Feature", "properties": props,
                        "geometry": {"type": "MultiLineString", "coordinates": lines}})
    return {"type": "FeatureCollection", "features": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--tolerance", type=float, default=0.03, help="simplification, degrees")
    parser.add_argument("--digits", type=int, default=2, help="decimal places kept")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"build_basemap: {args.source}: not found; set SITREP_SHARED or --source", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for layer, (filename, keep) in LAYERS.items():
        data = json.loads((args.source / filename).read_text(encoding="utf-8"))
        built = build_layer(data["features"], keep, args.tolerance, args.digits)
        path = TARGET / f"{layer}.geojson"
        path.write_text(json.dumps(built, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{path.relative_to(REPO)}: {len(built['features'])} features, {path.stat().st_size:,} bytes")
    (TARGET / "LICENSE").write_text(
        "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.\n"
        "Natural Earth data is in the public domain.\n"
        "Source: 1:50m Admin 0 countries, rivers + lake centerlines, lakes; simplified by\n"
        "scripts/build_basemap.py.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
