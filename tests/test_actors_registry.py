"""The actor registry's data files and its loader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.errors import ModelError
from sitrep.model import ACTOR_TYPES
from sitrep.registry.actors import (
    ACTOR,
    CAPITAL,
    DATA_DIR,
    DEMONYM,
    TITLE,
    case_mode,
    load_registry,
    read_entries,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _raw_entries():
    for name in ("actors_curated.jsonl", "actors_petrarch2.jsonl"):
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield name, json.loads(line)


def test_every_entry_has_the_published_fields_and_an_allowed_type():
    for name, e in _raw_entries():
        assert set(e) >= {"key", "name", "type", "country", "codes", "aliases", "parent", "source"}, (name, e)
        assert e["type"] in ACTOR_TYPES, (name, e["key"], e["type"])
        assert e["source"] in ("curated", "petrarch2")
        assert e["country"] is None or (len(e["country"]) == 3 and e["country"].isupper()), e["key"]
        assert e["aliases"] and e["name"], e["key"]


def test_keys_are_unique_and_every_parent_exists():
    keys = [e["key"] for _n, e in _raw_entries()]
    assert len(keys) == len(set(keys))
    known = set(keys)
    missing = {e["key"]: e["parent"] for _n, e in _raw_entries() if e["parent"] and e["parent"] not in known}
    assert not missing


def test_no_alias_names_two_actors():
    """Aliases are unique across the registry (case-folded), so a name never has two readings."""
    owners: dict[str, set[str]] = {}
    for _n, e in _raw_entries():
        for alias in e["aliases"]:
            owners.setdefault(alias.lower(), set()).add(e["key"])
    shared = {a: k for a, k in owners.items() if len(k) > 1}
    assert not shared


def test_capitals_point_at_governments_that_exist(registry):
    for name, key in registry.capitals.items():
        assert key in registry, name


def test_loader_rejects_an_entry_with_an_unknown_type(tmp_path):
    for f in DATA_DIR.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    bad = {"key": "x", "name": "X", "type": "gang", "country": None, "codes": {}, "aliases": ["X"],
           "parent": None, "source": "curated"}
    with (tmp_path / "actors_curated.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(bad) + "\n")
    with pytest.raises(ModelError, match="actors_curated.jsonl:.*unknown actor type 'gang'"):
        read_entries(tmp_path)


def test_loader_rejects_a_parent_that_does_not_exist(tmp_path):
    for f in DATA_DIR.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    bad = {"key": "x", "name": "X", "type": "militia", "country": None, "codes": {}, "aliases": ["Xyzzy"],
           "parent": "no-such-parent", "source": "curated"}
    with (tmp_path / "actors_curated.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(bad) + "\n")
    with pytest.raises(ModelError, match="unknown parent 'no-such-parent'"):
        read_entries(tmp_path)


def test_registry_covers_the_current_conflicts(registry):
    for name in ["SAA", "Tiger Forces", "Russian Aerospace Forces", "Wagner", "Africa Corps", "SDF", "QSD",
                 "YPG", "YPJ", "HTS", "Jaysh al-Islam", "Ahrar al-Sham", "SNA", "TFSA", "ISIS", "AQAP",
                 "Houthis", "Ansar Allah", "Saudi-led coalition", "STC", "PMF", "Hashd al-Shaabi",
                 "Peshmerga", "LNA", "Haftar", "GNA", "GNU", "AFU", "RSF", "SAF", "JNIM", "ISGS", "Hamas",
                 "Qassam Brigades", "PIJ", "IDF", "Hezbollah", "Hizbullah", "UNIFIL", "UN", "NATO",
                 "Global Coalition", "CJTF-OIR", "US-led coalition", "Assad", "al-Sharaa", "al-Julani",
                 "Putin", "Zelensky", "Erdogan", "Netanyahu", "Khamenei", "Burhan", "Hemedti", "Nasrallah",
                 "Zarif", "Lavrov", "Shoigu", "Suheil al-Hassan", "Mazloum Abdi"]:
        assert registry.lookup(name), name


def test_units_sit_under_their_parent(registry):
    assert registry.get("syr-tiger-forces").parent == "SYR-MIL"
    assert registry.get("syr-4th-armoured-division").parent == "SYR-MIL"
    assert registry.get("qassam-brigades").parent == "hamas"
    assert registry.get(registry.lookup("YPJ")[0].parent).name == "Syrian Democratic Forces"


def test_petrarch_seed_keeps_states_with_government_and_military(registry):
    syria = registry.get("SYR")
    assert syria.type == "state" and syria.source == "petrarch2"
    assert registry.get("SYR-GOV").parent == "SYR"
    assert registry.get("NOR-MIL").parent == "NOR-GOV"
    assert registry.lookup("Boko Haram")  # a PETRARCH non-state group


def test_petrarch_state_aliases_leave_out_cities_and_demonyms(registry):
    aliases = {a.lower() for a in registry.get("SYR").aliases}
    assert "syria" in aliases
    assert not aliases & {"damascus", "aleppo", "syrian", "homs"}


def test_short_abbreviations_match_only_as_written(registry):
    assert case_mode("IS") == "exact" and case_mode("U.N.") == "exact"
    assert registry.lookup("IS")[0].key == "isis"
    assert registry.lookup("is") == ()
    assert registry.lookup("Sdf") == ()


def test_long_names_match_in_any_capitalisation(registry):
    assert registry.lookup("SYRIAN DEMOCRATIC FORCES")[0].key == "sdf"
    assert registry.lookup("syrian democratic forces")[0].key == "sdf"
    assert registry.lookup("Hizbullah")[0].key == "hezbollah"


def test_capitalised_names_need_a_capital_in_running_text(registry):
    assert [m.of(ACTOR)[0].value for m in registry.scan("Wagner fighters") if m.of(ACTOR)] == ["wagner"]
    assert not [m for m in registry.scan("an opera by wagner") if m.of(ACTOR)]


def test_demonym_capital_and_title_lookups(registry):
    assert registry.demonym("Syrian") == "SYR"
    assert registry.capital("Damascus").key == "SYR-GOV"
    assert registry.title("Foreign Minister") == "GOV" and registry.title("Gen.") == "MIL"


def test_scan_reads_demonyms_capitals_and_titles(registry):
    ms = registry.scan("Iranian Foreign Minister met Moscow")
    kinds = [{h.kind for h in m.hits} for m in ms]
    assert DEMONYM in kinds[0] and TITLE in kinds[1] and CAPITAL in kinds[2]
    assert registry.scan("Syrian Democratic Forces")[0].of(ACTOR)[0].value == "sdf"


def test_registry_loads_fast_in_a_fresh_process():
    # CPU time, not wall time: the bound is about our work, not about other processes on the box
    code = ("import time; t=time.process_time(); from sitrep.registry.actors import load_registry; "
            "load_registry(); print(time.process_time()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO / "src")})
    assert float(out.stdout) < 0.5


def test_registry_is_cached_per_process():
    assert load_registry() is load_registry()


def test_build_script_regenerates_the_seed_unchanged(shared_dir, tmp_path):
    petrarch = shared_dir / "reference" / "petrarch2"
    if not petrarch.is_dir():
        pytest.skip(f"PETRARCH2 dictionaries not found at {petrarch}")
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_actor_registry.py"), "--petrarch",
                    str(petrarch), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ("actors_petrarch2.jsonl", "agents.tsv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_only_a_capital_inside_a_word_makes_a_short_alias_case_exact():
    from sitrep.registry.actors import case_mode

    assert case_mode("FaR") == "exact" and case_mode("JaT") == "exact" and case_mode("SDF") == "exact"
    assert case_mode("al-Aqsa") != "exact" and case_mode("US Army") != "exact"


@pytest.mark.parametrize("name, key", [
    ("Hayat Tahrr al-Sham", "hts"),
    ("Manbej Military Council", "manbij-military-council"),
    ("Jabhet Tahrir Souriya", "syrian-liberation-front"),
])
def test_a_misspelt_long_name_finds_its_curated_entry(registry, name, key):
    assert registry.spelled_like(name).key == key


@pytest.mark.parametrize("name", ["Ansar al-Dine", "Liwa al-Haqq", "Syrian Democratic Council",
                                  "Kurdish National Council"])
def test_short_names_and_different_groups_are_not_read_as_misspellings(registry, name):
    assert registry.spelled_like(name) is None


@pytest.mark.parametrize("name, key", [
    ("LaQ", "liwa-al-quds"),
    ("SLF", "syrian-liberation-front"),
    ("JOS", "jaysh-usud-al-sharqiya"),
    ("HXP", "hxp"),
    ("International Coalition", "global-coalition"),
    ("Islamic battalions", "syr-islamist-militias"),
    ("Islamic and rebel militias", "syr-opposition-rebels"),
])
def test_the_abbreviations_and_descriptions_of_acled_notes_name_their_groups(registry, name, key):
    assert [e.key for e in registry.lookup(name)] == [key]
