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
    for key in ("claims", "techniques", "relations"):
        if situation.get(key):
            lines.append(f"\n{key.capitalize()}: {len(situation[key])}")
    return "\n".join(lines) + "\n"


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
