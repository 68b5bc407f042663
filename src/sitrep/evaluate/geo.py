"""Toponym resolution benchmark on the geoparsing corpora (Gritta et al.'s collection).

Corpora (``shared/eval/geoparsing``): GeoVirus (dev: the only corpus any setting was tuned on),
and TR-News, GeoWebNews (GWN) and LGL (test: never tuned on).

Gold toponyms are the annotated spans that carry coordinates. For GWN only literal readings are
kept: types Literal, Literal_Modifier, Embedded_Literal, Mixed and Coercion (the "literal" group
of Gritta et al. 2019); metonymic, associative and demonym annotations are left out.

Two modes:
- ``gold``: the gold spans are given; :func:`sitrep.extract.places.resolve_spans` resolves them.
- ``e2e``: :func:`sitrep.extract.places.extract_places` runs on the text; a gold toponym is found
  when a predicted place span overlaps it (the predicted span with the largest overlap is used).
  ``precision`` is the share of predicted places with coordinates that overlap a gold toponym: a
  lower bound, since the gold annotation of some corpora is not exhaustive (GWN literal-only
  scoring leaves out its other toponym types).

Metrics, over all gold toponyms (a missed or unresolved toponym counts at the maximum error,
20,039 km, half the Earth's circumference):
- ``recall``: share of gold toponyms found (gold mode: resolved to coordinates);
- ``acc161``: share with error <= 161 km;
- ``median_km``: median error;
- ``auc``: mean of log(1 + error_km) / log(20039) (Gritta et al. 2018; lower is better).
The same three error metrics restricted to resolved toponyms are reported with a ``_resolved``
suffix, and ``exact_id`` is the share of gold toponyms with a GeoNames id that got that id.
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..errors import EvaluationError
from ..ingest.offsets import OffsetMap
from ..model import Document
from ..registry.gazetteer import haversine_km, load_gazetteer

MAX_KM = 20039.0
GWN_LITERAL = {"Literal", "Literal_Modifier", "Embedded_Literal", "Mixed", "Coercion"}
DEV = ("GeoVirus.xml",)
TEST = ("TR-News.xml", "GWN.xml", "lgl.xml")


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonames_id: int | None


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def _num(el, tag: str) -> float | None:
    t = el.findtext(tag)
    try:
        return float(t) if t not in (None, "") else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, phrase: str | None) -> tuple[int, int] | None:
    """Fix a gold span whose offsets drift from its phrase (GeoVirus offsets are one off).

    The phrase is searched within 50 characters of the given start; the nearest hit wins.
    """
    if not phrase or text[start:end] == phrase:
        return (start, end) if 0 <= start < end <= len(text) else None
    best = None
    lo = max(0, start - 50)
    i = text.find(phrase, lo, start + 50 + len(phrase))
    while i != -1:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(phrase, i + 1, start + 50 + len(phrase))
    return None if best is None else (best, best + len(phrase))


def read_corpus(path: str | Path, *, literal_only: bool = True) -> list[Article]:
    """Parse one of the four corpora into articles with gold toponyms that carry coordinates.

    ``literal_only`` (GWN only) keeps the literal group; False keeps every typed toponym that
    has coordinates (metonymic and associative readings included)."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError as exc:
        raise EvaluationError(f"{path}: corpus not found") from exc
    except ET.ParseError as exc:
        raise EvaluationError(f"{path}: not well-formed XML ({exc})") from exc
    articles = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            g = t.find("gaztag")
            if g is not None:  # LGL and TR-News
                lat, lon = _num(g, "lat"), _num(g, "lon")
                gid = g.get("geonameid")
            else:  # GeoWebNews
                if literal_only and t.findtext("type") not in GWN_LITERAL:
                    continue
                lat, lon = _num(t, "latitude"), _num(t, "longitude")
                gid = t.findtext("geonamesID")
            if lat is None or lon is None:
                continue
            tops.append((t, lat, lon, int(gid) if gid and gid.strip().isdigit() else None))
        for loc in art.iter("location"):  # GeoVirus
            lat, lon = _num(loc, "lat"), _num(loc, "lon")
            if lat is not None and lon is not None:
                tops.append((loc, lat, lon, None))
        gold = []
        for el, lat, lon, gid in tops:
            try:
                start, end = int(el.findtext("start")), int(el.findtext("end"))
            except (TypeError, ValueError) as exc:
                raise EvaluationError(f"{path}: article {n}: toponym without offsets") from exc
            phrase = el.findtext("phrase") or el.findtext("extractedName") or el.findtext("name")
            span = _align(text, start, end, phrase)
            if span is None:
                continue  # the phrase is not in the text near its offsets: unscoreable
            gold.append(GoldToponym(span[0], span[1], text[span[0]:span[1]], lat, lon, gid))
        gold.sort(key=lambda g: (g.start, g.end))
        articles.append(Article(art.get("docid") or art.get("file") or str(n), text, tuple(gold)))
    return articles


def _summary(errors: list[float], resolved: list[bool], exact: list[bool | None],
             adjectival: list[bool]) -> dict:
    n = len(errors)
    if n == 0:
        return {"toponyms": 0}
    ided = [e for e, x in zip(errors, exact) if x is not None]
    plain = [r for r, a in zip(resolved, adjectival) if not a]
    res = [e for e, r in zip(errors, resolved) if r]
    auc = lambda es: sum(math.log1p(e) / math.log(MAX_KM) for e in es) / len(es)  # noqa: E731
    with_id = [x for x in exact if x is not None]
    return {
        "toponyms": n,
        "recall": round(len(res) / n, 4),
        "acc161": round(sum(e <= 161 for e in errors) / n, 4),
        "median_km": round(statistics.median(errors), 1),
        "auc": round(auc(errors), 4),
        "acc161_resolved": round(sum(e <= 161 for e in res) / len(res), 4) if res else 0.0,
        "median_km_resolved": round(statistics.median(res), 1) if res else None,
        "auc_resolved": round(auc(res), 4) if res else None,
        "exact_id": round(sum(with_id) / len(with_id), 4) if with_id else None,
        # Toponyms whose gold has a GeoNames id (for GWN, the ones a GeoNames geoparser can get).
        "geonames_toponyms": len(ided),
        "acc161_geonames": round(sum(e <= 161 for e in ided) / len(ided), 4) if ided else None,
        "auc_geonames": round(auc(ided), 4) if ided else None,
        # Adjectival toponyms ("Turkish"): extract_places does not emit them as places.
        "adjectival": n - len(plain),
        "recall_non_adjectival": round(sum(plain) / len(plain), 4) if plain else None,
    }


def evaluate_geo(corpus_path: str | Path, *, mode: str = "gold", limit: int | None = None,
                 nlp=None, gazetteer=None, literal_only: bool = True) -> dict:
    """Score toponym resolution on one corpus; see the module docstring for the metrics."""
    from .. import nlp as nlp_module
    from ..extract.places import extract_places, resolve_spans

    if mode not in ("gold", "e2e"):
        raise EvaluationError(f"mode must be 'gold' or 'e2e', not {mode!r}")
    t0 = time.perf_counter()
    articles = read_corpus(corpus_path, literal_only=literal_only)[:limit]
    nlp = nlp if nlp is not None else nlp_module.load()
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    from ..extract.places import is_adjectival

    errors: list[float] = []
    adjectival: list[bool] = []
    resolved: list[bool] = []
    exact: list[bool | None] = []
    predicted = hits = 0  # e2e precision: resolved predictions that overlap a gold toponym
    texts = ((a.text, i) for i, a in enumerate(articles))
    for doc, i in nlp.pipe(texts, as_tuples=True, batch_size=16):
        art = articles[i]
        document = Document(id=art.id, source=str(corpus_path), text=art.text, raw=art.text,
                            offsets=OffsetMap.identity(len(art.text)))
        if mode == "gold":
            preds = resolve_spans(doc, document, [(g.start, g.end) for g in art.toponyms],
                                  gazetteer=gaz)
        else:
            refs = list(extract_places(doc, document, gazetteer=gaz))
            for r in refs:
                if r.lat is None:
                    continue
                predicted += 1
                hits += any(min(g.end, r.mention.end) > max(g.start, r.mention.start) for g in art.toponyms)
            preds = []
            for g in art.toponyms:
                best, best_overlap = None, 0
                for r in refs:
                    ov = min(g.end, r.mention.end) - max(g.start, r.mention.start)
                    if ov > best_overlap:
                        best, best_overlap = r, ov
                preds.append(best)
        for g, p in zip(art.toponyms, preds):
            ok = p is not None and p.lat is not None
            err = haversine_km(g.lat, g.lon, p.lat, p.lon) if ok else MAX_KM
            errors.append(err)
            adjectival.append(is_adjectival(g.text, gaz))
            resolved.append(ok)
            exact.append(None if g.geonames_id is None else bool(ok and p.geonames_id == g.geonames_id))
    out = {"corpus": Path(corpus_path).name, "mode": mode, "articles": len(articles)}
    out.update(_summary(errors, resolved, exact, adjectival))
    if mode == "e2e":
        out["precision"] = round(hits / predicted, 4) if predicted else None
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m sitrep.evaluate.geo [DIR] [--limit N]``: both modes on all four corpora."""
    import argparse
    import json
    import os

    ap = argparse.ArgumentParser(description="toponym resolution benchmark")
    default = Path(os.environ.get("SITREP_SHARED", Path(__file__).resolve().parents[3].parent / "shared"))
    ap.add_argument("dir", nargs="?", type=Path, default=default / "eval" / "geoparsing")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--mode", choices=("gold", "e2e", "both"), default="both")
    args = ap.parse_args(argv)
    modes = ("gold", "e2e") if args.mode == "both" else (args.mode,)
    for name in (*DEV, *TEST):
        for mode in modes:
            res = evaluate_geo(args.dir / name, mode=mode, limit=args.limit)
            res["split"] = "dev" if name in DEV else "test"
            print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
