"""Derive the CAMEO-based event trigger lexicon and verb patterns from the PETRARCH2 dictionary.

Inputs (read-only, from the shared folder):
  reference/petrarch2/CAMEO.2.0.txt   CAMEO verb dictionary, MIT licence, (c) Open Event Data Alliance
  eval/plover/CAMEO2PLOVER-2021.txt   CAMEO -> PLOVER conversion table (CC BY-SA 4.0, P. Schrodt /
                                      Open Event Data Alliance); we use its mapping facts only

Outputs (in src/sitrep/extract/data/):
  event_triggers.jsonl   one verb (or multi-word verb) per line -> CAMEO code -> PLOVER type/mode
  event_patterns.jsonl   verb group + object/subject words -> a more specific CAMEO code -> PLOVER
                         type/mode (a trigger's "groups" name the pattern groups it belongs to)
  event_synsets.json     the CAMEO synonym sets (&MILITARY ...) that patterns refer to
  cameo_plover.tsv       the CAMEO code -> PLOVER type/mode table in our own format

The hand-curated conflict lexicon (nominalisations, ACLED types) lives in
event_triggers_conflict.jsonl and is not generated. Output is deterministic: sorted, no timestamps.

    python scripts/build_event_triggers.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "sitrep" / "extract" / "data"

NOTICE = (
    "Derived from the CAMEO 2.0 verb dictionary of PETRARCH2 (MIT licence, Copyright (c) 2014-2015 "
    "Open Event Data Alliance) and the CAMEO-to-PLOVER table of the PLOVER project "
    "(CC BY-SA 4.0, Open Event Data Alliance); regenerate with scripts/build_event_triggers.py"
)

# PETRARCH placeholders in patterns: source, target, skip, compound marker
_PLACEHOLDERS = {"$", "+", "^", "%", "*"}
# Function words that carry no evidence of their own when matching a pattern's context.
_STOP = {"to", "of", "in", "on", "at", "by", "for", "with", "from", "into", "over", "against",
         "the", "a", "an", "as", "and", "or", "about", "toward", "towards", "up", "off", "out",
         "down", "back", "upon", "after", "before", "across", "through", "under", "be", "that"}


def read_plover_table(path: Path, types: dict) -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode or None), modes normalised to the manual's names."""
    table: dict[str, tuple[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        code, rest = m.groups()
        fields = [f.strip() for f in rest.split(",")]
        ptype = fields[0].upper()
        if ptype not in types["types"]:
            continue
        mode = fields[1].strip().lower() if len(fields) > 1 and fields[1].strip() else None
        mode = normalise_mode(ptype, mode, types)
        if len(code) == 2 and code in table:
            continue  # "08: CONCEDE" and "08: RETREAT" both exist; 3-digit rows decide
        table.setdefault(code, (ptype, mode))
    for code, (ptype, mode) in types.get("cameo_overrides", {}).items():
        table[code] = (ptype, mode)
    return table


def normalise_mode(ptype: str, mode: str | None, types: dict) -> str | None:
    if not mode:
        return None
    mode = types.get("mode_aliases", {}).get(ptype, {}).get(mode, mode)
    return mode if mode in types["types"][ptype]["modes"] else None


def plover_for(code: str | None, table: dict) -> tuple[str | None, str | None]:
    """Longest-prefix lookup; CAMEO 01 (statements) and 02 (appeals) are dropped by PLOVER."""
    if not code or code.startswith(("01", "02")):
        return None, None
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None, None


def acled_for(code: str, acled: dict) -> list:
    """ACLED candidates for a CAMEO code, by longest prefix (acled_types.json "cameo")."""
    for n in range(len(code), 1, -1):
        if code[:n] in acled:
            return acled[code[:n]]
    return []


def parse_code(text: str) -> str | None:
    m = re.search(r"\[([^\]]*)\]", text)
    if not m:
        return None
    code = m.group(1).split(":")[0].strip()
    return code if re.fullmatch(r"\d{2,4}", code) else None


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    current = None
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = line.split()[0]
            synsets[current] = []
        elif line.startswith("+") and current:
            word = line[1:].split()[0].strip("_").replace("_", " ").lower()
            if word:
                synsets[current].append(word)
    return synsets


def pattern_words(part: str, synsets: dict) -> list[str]:
    """The content words of a pattern half; ``&NAME`` stands for any word of that synonym set."""
    part = re.sub(r"[{}()]", " ", part)
    out = []
    for tok in part.split():
        if tok in _PLACEHOLDERS:
            continue
        if tok.startswith("&"):
            name = tok if tok in synsets else tok.rstrip("_")
            if synsets.get(name):
                out.append(name)  # expanded at load time from event_synsets.json
            continue
        word = tok.strip("_").replace("_", " ").lower()
        if word and word not in _STOP and re.fullmatch(r"[a-z][a-z' -]*", word):
            out.append(word.split()[-1])
    return out


def parse_verbs(path: Path, table: dict):
    text = path.read_text(encoding="latin-1")
    head, _, body = text.partition("####### VERB PATTERNS #######")
    body = body.split("######## TRANSFORMATIONS", 1)[0]
    synsets = read_synsets(head.splitlines())
    triggers: dict[str, dict] = {}
    patterns: dict[tuple, dict] = {}
    block = None
    block_code = None
    verbs: list[str] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---", line)
        if m:
            block = m.group(1).lower()
            block_code = parse_code(line)
            verbs = []
            continue
        if block is None:
            continue
        if line.startswith("-"):
            code = parse_code(line)
            if code is None and "[---]" not in line:
                continue
            pat = line[1:].split("[", 1)[0]
            if "*" not in pat:
                continue
            before, after = pat.split("*", 1)
            b, a = pattern_words(before, synsets), pattern_words(after, synsets)
            if not b and not a:
                continue
            ptype, mode = plover_for(code, table)
            key = (block, json.dumps(b), json.dumps(a))
            patterns.setdefault(key, {
                "group": block, "before": b, "after": a, "cameo": code or "---",
                "plover": ptype, "mode": mode,
            })
            continue
        # a verb line: WORD or +MULTI_WORD, optional {forms}, optional [code]
        content = line.split("#", 1)[0]
        forms = re.findall(r"\{([^}]*)\}", content)
        word_part = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", content).split()
        if not word_part:
            continue
        lemma = word_part[0].lstrip("+").strip("_").replace("_", " ").lower()
        if not re.fullmatch(r"[a-z][a-z' -]*", lemma):
            continue
        verbs.append(lemma)
        code = parse_code(content) or block_code
        ptype, mode = plover_for(code, table)
        entry = {
            "lemma": lemma, "pos": "VERB", "cameo": code or "---", "plover": ptype, "mode": mode,
        }
        alt = sorted({f.lstrip("+").strip("_").replace("_", " ").lower()
                      for chunk in forms for f in chunk.split() if f.strip("+_")})
        if alt:
            entry["forms"] = alt
        prev = triggers.get(lemma)
        # a verb listed in several blocks keeps its coded reading over an uncoded one, and the
        # patterns of every block it belongs to
        groups = sorted(set(prev["groups"] if prev else []) | {block})
        if prev is None or (prev["cameo"] == "---" and entry["cameo"] != "---"):
            triggers[lemma] = entry
        triggers[lemma]["groups"] = groups
    return triggers, patterns, synsets


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")))
    args = ap.parse_args(argv)
    types = json.loads((DATA / "plover_types.json").read_text(encoding="utf-8"))
    table = read_plover_table(args.shared / "eval" / "plover" / "CAMEO2PLOVER-2021.txt", types)
    acled = json.loads((DATA / "acled_types.json").read_text(encoding="utf-8"))["cameo"]
    triggers, patterns, synsets = parse_verbs(args.shared / "reference" / "petrarch2" / "CAMEO.2.0.txt", table)

    for entry in list(triggers.values()) + list(patterns.values()):
        entry["acled"] = acled_for(entry["cameo"], acled) if entry["plover"] else []

    def dump(path: Path, rows: list[dict]) -> None:
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps({"_notice": NOTICE}) + "\n")
            for row in rows:
                fh.write(json.dumps(row, sort_keys=True, separators=(",", ":")) + "\n")

    dump(DATA / "event_triggers.jsonl", [triggers[k] for k in sorted(triggers)])
    dump(DATA / "event_patterns.jsonl", [patterns[k] for k in sorted(patterns)])
    used = {w for p in patterns.values() for w in p["before"] + p["after"] if w.startswith("&")}
    # multi-word members ("cease fire") are left out: their last word alone ("fire") misleads
    words = {name: sorted({w for w in synsets[name] if " " not in w}) for name in sorted(used)}
    (DATA / "event_synsets.json").write_text(
        json.dumps({"_notice": NOTICE, "synsets": words}, indent=0, sort_keys=True) + "\n",
        encoding="utf-8")
    with (DATA / "cameo_plover.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# {NOTICE}\ncameo\tplover\tmode\n")
        for code in sorted(table):
            ptype, mode = table[code]
            fh.write(f"{code}\t{ptype}\t{mode or ''}\n")
    print(f"{len(triggers)} triggers, {len(patterns)} patterns, {len(table)} CAMEO codes")


if __name__ == "__main__":
    main()
