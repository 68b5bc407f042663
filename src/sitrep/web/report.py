"""``sitrep report``: one self-contained HTML file that shows a situation model.

The file carries everything it needs (scripts, styles, the Natural Earth basemap, the data) and
makes no network request, so it can be mailed, archived and opened from ``file://``. Documents
are untrusted input: every string they contribute is escaped by Jinja in the HTML and escaped
again inside the embedded JSON, the script never writes HTML from data, and a
Content-Security-Policy with hashes of the inline scripts and styles stops anything else running.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ConfigError, ModelError

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
LEAFLET = STATIC / "vendor" / "leaflet@1.9.4"
BASEMAP_LAYERS = ("countries", "lakes", "rivers")
LISTS = ("documents", "actors", "places", "events", "claims", "techniques", "relations")

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace, or at a blank line. Approximate on purpose: co-mention edges are labelled as such.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+|\n\s*\n")
MAX_COMENTION_EVIDENCE = 12


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{path}: report asset missing ({exc.strerror}); reinstall sitrep") from None


def _check_inline(name: str, text: str) -> str:
    """Refuse an asset that would end its own <script>/<style> element early."""
    lowered = text.lower()
    for bad in ("</script", "<!--", "</style"):
        if bad in lowered:
            raise ModelError(f"{name}: contains {bad!r}, which cannot be inlined safely")
    return text


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    # Leaflet's stylesheet points at marker and layer-control images that the report never
    # uses; dropping the urls keeps the page free of file requests that the CSP would block.
    leaflet_css = re.sub(r"url\(images/[^)]*\)", "none", _read(LEAFLET / "leaflet.css"))
    basemap = {layer: json.loads(_read(STATIC / "basemap" / f"{layer}.geojson")) for layer in BASEMAP_LAYERS}
    return {
        "css": _check_inline("leaflet.css + report.css", leaflet_css + "\n" + _read(STATIC / "report.css")),
        "leaflet_js": _check_inline("leaflet.js", _read(LEAFLET / "leaflet.js")),
        "report_js": _check_inline("report.js", _read(STATIC / "report.js")),
        "basemap_json": script_json(basemap),
    }


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where their ``\\u`` escapes mean
    the same thing, so no text can close the element or open a comment. U+2028/2029 are escaped
    for old parsers that treat them as line ends.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: Iterable[str], styles: Iterable[str]) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(s) for s in scripts),
            "style-src " + " ".join(csp_hash(s) for s in styles),
            "img-src data:",
            "font-src 'none'",
            "connect-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _normalise(situation: Any) -> dict[str, Any]:
    """The situation as a dict with every list present (missing lists are empty)."""
    if hasattr(situation, "to_dict"):
        situation = situation.to_dict()
    if not isinstance(situation, Mapping) or not isinstance(situation.get("documents"), list):
        raise ConfigError(
            "report: input is not a sitrep situation model (no documents list); "
            "make one with `sitrep analyze ... --format json`"
        )
    data = dict(situation)
    for key in LISTS:
        value = data.get(key)
        data[key] = [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []
    data.setdefault("schema_version", None)
    return data


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Approximate sentence boundaries of a normalised text, as (start, end) offsets."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(1) or "")  # a closing quote belongs to its sentence
        if end > start:
            spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def comention_edges(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Pairs of actors named in the same sentence: a weak stand-in until relations are extracted.

    Each edge keeps the sentences as evidence (Mentions over the normalised text), so the network
    links back to the document like every other mark.
    """
    texts = {d.get("id"): d.get("text") or "" for d in data["documents"]}
    by_sentence: dict[tuple[str, int], set[str]] = {}
    bounds_cache: dict[str, list[tuple[int, int]]] = {}
    for actor in data["actors"]:
        for m in actor.get("mentions") or ():
            doc = m.get("doc")
            if doc not in texts or not isinstance(m.get("start"), int):
                continue
            if doc not in bounds_cache:
                bounds_cache[doc] = sentence_spans(texts[doc])
            bounds = bounds_cache[doc]
            index = _locate(bounds, m["start"])
            if index is not None:
                by_sentence.setdefault((doc, index), set()).add(actor["id"])
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for (doc, index), actor_ids in sorted(by_sentence.items()):
        if len(actor_ids) < 2:
            continue
        start, end = bounds_cache[doc][index]
        evidence = {"doc": doc, "start": start, "end": end, "text": texts[doc][start:end]}
        ids = sorted(actor_ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                edge = edges.setdefault((a, b), {"source": a, "target": b, "weight": 0, "evidence": []})
                edge["weight"] += 1
                if len(edge["evidence"]) < MAX_COMENTION_EVIDENCE:
                    edge["evidence"].append(evidence)
    return list(edges.values())


def _locate(bounds: list[tuple[int, int]], offset: int) -> int | None:
    lo, hi = 0, len(bounds) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        start, end = bounds[mid]
        if offset < start:
            hi = mid - 1
        elif offset >= end:
            lo = mid + 1
        else:
            return mid
    return None


def _summary(data: Mapping[str, Any]) -> list[tuple[str, int]]:
    failed = sum(1 for d in data["documents"] if d.get("status") == "error")
    parts = [
        ("documents", len(data["documents"])),
        ("actors", len(data["actors"])),
        ("places", len(data["places"])),
        ("events", len(data["events"])),
        ("claims", len(data["claims"])),
    ]
    if failed:
        parts.append(("failed", failed))
    return parts


def render_report(
    situation: Mapping[str, Any] | Any,
    *,
    title: str | None = None,
    generated: datetime | None = None,
) -> str:
    """Render a situation model (its dict, or a :class:`~sitrep.model.Situation`) as HTML."""
    from .. import __version__

    data = _normalise(situation)
    assets = _assets()
    generated = generated or datetime.now(timezone.utc)
    payload = {
        "situation": data,
        "comentions": comention_edges(data),
        "meta": {
            "title": title or "sitrep report",
            "generated": generated.isoformat(timespec="seconds"),
            "version": __version__,
        },
    }
    scripts = [assets["leaflet_js"], assets["report_js"]]
    return _template().render(
        title=title or "sitrep report",
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        summary=_summary(data),
        csp=content_security_policy(scripts, [assets["css"]]),
        css=assets["css"],
        leaflet_js=assets["leaflet_js"],
        report_js=assets["report_js"],
        data_json=script_json(payload),
        basemap_json=assets["basemap_json"],
    )


def write_report(
    situation: Mapping[str, Any] | Any,
    path: str | Path,
    *,
    title: str | None = None,
) -> Path:
    """Render the report and write it atomically to ``path``; return the path."""
    from ..cliopts import write_output

    path = Path(path)
    write_output(render_report(situation, title=title), path)
    return path
