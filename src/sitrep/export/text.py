"""A readable summary of a situation model, for terminals.

It works on the JSON form (``Situation.to_dict()``), so it can render a saved ``situation.json``
as well as a fresh analysis. Document strings are untrusted: control characters are replaced so a
document cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: Any) -> str:
    """``text`` with terminal control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", str(text))


def _fmt_coord(lat, lon) -> str:
    if lat is None or lon is None:
        return "no coordinates"
    return f"{lat:.3f}, {lon:.3f}"


def render(situation: dict[str, Any], *, top: int = 15) -> str:
    docs = situation["documents"]
    ok = [d for d in docs if d["status"] == "ok"]
    lines = [
        f"sitrep situation (schema {situation['schema_version']}): "
        f"{len(ok)} of {len(docs)} documents analysed, {len(situation['actors'])} actors, "
        f"{len(situation['places'])} places",
        "",
        "Documents",
    ]
    for d in docs:
        when = d["published"] or "date unknown"
        label = d["title"] or d["source"]
        status = "ok" if d["status"] == "ok" else f"FAILED: {d['error']}"
        lines.append(f"  {safe(d['id'])}  {safe(label)}  ({when})  {safe(status)}")

    actor_names = {a["id"]: a["name"] for a in situation["actors"]}
    lines += ["", f"Actors (top {min(top, len(situation['actors']))} by mentions)"]
    for a in situation["actors"][:top]:
        extra = []
        if a["country"]:
            extra.append(a["country"])
        if a["parent"]:
            extra.append(f"part of {actor_names.get(a['parent'], a['parent'])}")
        surfaces = Counter(m["text"] for m in a["mentions"])
        seen = ", ".join(f'"{s}"' for s, _ in surfaces.most_common(4))
        lines.append(
            f"  {len(a['mentions']):>3}x  {safe(a['name'])} [{a['type']}{'; ' + '; '.join(extra) if extra else ''}]"
            f"  as {safe(seen)}"
        )

    lines += ["", f"Places (top {min(top, len(situation['places']))} by mentions)"]
    for p in situation["places"][:top]:
        quals = sorted({m["qualifier"] for m in p["mentions"] if m.get("qualifier")})
        where = ", ".join(x for x in (p["admin1"], p["country"]) if x)
        lines.append(
            f"  {len(p['mentions']):>3}x  {safe(p['name'])} [{p['feature']}; {safe(where) or 'n/a'}] "
            f"({_fmt_coord(p['lat'], p['lon'])}; confidence {p['confidence']:.2f})"
            + (f"  qualified: {safe(', '.join(quals))}" if quals else "")
        )
    events = situation.get("events") or []
    if events:
        place_names = {p["id"]: p["name"] for p in situation["places"]}
        lines += ["", f"Events ({min(top, len(events))} of {len(events)}, in document order)"]
        lines += ["  " + safe(_event_line(e, actor_names, place_names)) for e in events[:top]]
    lines += _argument_lines(situation, actor_names, top=top)
    relations = situation.get("relations") or []
    if relations:
        lines += ["", f"Relations ({min(top, len(relations))} of {len(relations)}, heaviest first)"]
        for r in sorted(relations, key=lambda r: -r["weight"])[:top]:
            span = " .. ".join(dict.fromkeys(x for x in (r.get("first"), r.get("last")) if x)) or "undated"
            lines.append(safe(f"  {actor_names.get(r['source'], '?')} -{r['kind']}-> "
                              f"{actor_names.get(r['target'], '?')}  x{r['weight']}  ({span})"))
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _argument_lines(situation: dict[str, Any], actor_names: dict[str, str], *, top: int) -> list[str]:
    """The "who says what, how" section: attributed claims, their certainty, and techniques."""
    claims = situation.get("claims") or []
    summaries = situation.get("technique_summaries") or []
    if not claims and not situation.get("techniques"):
        return []
    lines = ["", "Who says what, how"]
    if claims:
        kinds = Counter(c["kind"] for c in claims)
        lines.append(f"  {len(claims)} claims: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in kinds.most_common()))
        # Attributed claims first: the author's own voice is most of any article.
        attributed = [c for c in claims if c["kind"] != "author"]
        authored = [c for c in claims if c["kind"] == "author"]
        ranked = sorted(attributed, key=lambda c: -c["checkworthiness"])[:top]
        ranked += sorted(authored, key=lambda c: -c["checkworthiness"])[: max(3, top - len(ranked))]
        for c in ranked:
            who = actor_names.get(c["speaker"]) or c.get("speaker_text") or (
                "the author" if c["kind"] == "author" else "unnamed source")
            how = c["kind"].replace("_", " ") + (f' "{c["cue"]}"' if c.get("cue") else "")
            sure = "" if c["certainty"] == "neutral" else f" [{c['certainty']}: " + ", ".join(
                m["text"] for m in c.get("certainty_cues", [])) + "]"
            lines.append(safe(f"  {who} ({how}){sure}: \"{_clip(c['text'])}\""))
    for s in summaries:
        if not s["counts"]:
            continue
        counts = ", ".join(f"{t} {n}" for t, n in sorted(s["counts"].items(), key=lambda kv: -kv[1]))
        lines.append(safe(f"  techniques in {s['doc']}: {s['per_1000_words']:.1f} per 1,000 words ({counts})"))
        for m in s["passages"]:
            lines.append(safe(f"    most flagged: \"{_clip(m['text'])}\""))
    return lines


def _event_line(event: dict[str, Any], actors: dict[str, str], places: dict[str, str]) -> str:
    """'ASSAULT/aerial  Russian Aerospace Forces -> Islamic State  near Deir ez-Zor  2017-09-05 …'"""
    kind = event["type"] + (f"/{event['mode']}" if event.get("mode") else "")
    who = f"{actors.get(event.get('actor1'), '?')} -> {actors.get(event.get('actor2'), '?')}"
    parts = [f"{kind:<18}", who]
    if event.get("place"):
        qualifier = f"{event['place_qualifier']} " if event.get("place_qualifier") else "at "
        parts.append(qualifier + places.get(event["place"], "?"))
    date = event.get("date") or {}
    if date.get("start"):
        span = date["start"] if date.get("end") in (None, date["start"]) else f"{date['start']}..{date['end']}"
        parts.append(f"{span} ({date.get('precision')})")
    if event.get("fatalities") is not None:
        parts.append(f"{event['fatalities']} killed")
    if event.get("modality") and event["modality"] != "asserted":
        parts.append(event["modality"])
    evidence = " ".join((event.get("evidence") or {}).get("text", "").split())
    excerpt = evidence if len(evidence) <= 80 else evidence[:77] + "..."
    return "  ".join(parts) + f'  "{excerpt}"'
