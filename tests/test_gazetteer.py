"""The offline gazetteer: one key per place across spellings, curated data that is well formed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import ModelError
from sitrep.model import PLACE_FEATURES
from sitrep.registry.gazetteer import DATA_DIR, load_gazetteer, loose_key, name_key


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize(
    "variants",
    [
        ["Deir ez-Zor", "Dayr az Zawr", "Deir Ezzor", "Deir al-Zour", "Deir el-Zor"],
        ["Raqqa", "Al-Raqqa", "ar-Raqqah", "Raqqah"],
        ["Hama", "Khama", "Hamah"],
        ["Shayrat", "Shairat", "al-Shayrat"],
        ["Sweida", "Suwayda", "As-Suwayda"],
    ],
)
def test_transliteration_variants_share_a_loose_key(variants):
    assert len({loose_key(v) for v in variants}) == 1, {v: loose_key(v) for v in variants}


def test_spelling_variants_of_deir_ez_zor_resolve_to_one_place(gaz):
    keys = set()
    for v in ["Deir ez-Zor", "Dayr az Zawr", "Deir Ezzor", "Deir al-Zour"]:
        cities = [e for e in gaz.candidates(v) if e.feature == "city" and e.country == "SYR"]
        assert cities, v
        keys.add(cities[0].key)
    assert keys == {"gn:170794"}


def test_khama_finds_the_syrian_city_of_hama(gaz):
    assert any(e.key == "gn:170017" for e in gaz.candidates("Khama"))


def test_name_key_folds_case_accents_apostrophes_and_abbreviations():
    assert name_key("Ma’rib") == name_key("Marib") == "marib"
    assert name_key("St. Louis") == "saint louis"
    assert name_key("the Golan Heights") == "golan heights"


def test_curated_airbase_has_coordinates_and_aliases(gaz):
    t4 = gaz.candidates("T-4")
    assert t4 and t4[0].key == "cur:tiyas-airbase" and t4[0].feature == "airbase"
    assert gaz.candidates("Tiyas airbase")[0].key == "cur:tiyas-airbase"
    assert abs(t4[0].lat - 34.52) < 0.1 and abs(t4[0].lon - 37.63) < 0.1


def test_admin1_areas_carry_province_names_and_aliases(gaz):
    anbar = [e for e in gaz.candidates("Anbar") if e.feature == "admin1"]
    assert anbar and anbar[0].country == "IRQ"
    idlib = [e for e in gaz.candidates("Idleb") if e.feature == "admin1"]
    assert idlib and idlib[0].key.startswith("adm1:SY.")


def test_get_returns_the_entry_for_a_key_and_none_for_an_unknown_one(gaz):
    syria = gaz.get("gn:163843")
    assert syria is not None and syria.feature == "country" and syria.country == "SYR"
    assert gaz.get("gn:0") is None


def test_every_entry_feature_is_a_model_place_feature(gaz):
    assert set(gaz._feature_codes) <= set(PLACE_FEATURES)


def test_curated_features_are_well_formed_and_sourced():
    keys = set()
    for n, line in enumerate((DATA_DIR / "curated_features.jsonl").read_text().splitlines(), 1):
        r = json.loads(line)
        assert r["key"].startswith("cur:") and r["key"] not in keys, n
        keys.add(r["key"])
        assert r["feature"] in PLACE_FEATURES, n
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, n
        assert r.get("sources"), f"line {n} has no sources note"
        assert r.get("country") is None or len(r["country"]) == 3, n


def test_missing_index_file_raises_model_error_naming_it(tmp_path):
    missing = tmp_path / "nope.json.gz"
    with pytest.raises(ModelError, match="nope.json.gz"):
        load_gazetteer(str(missing))


def test_natural_earth_notice_ships_with_the_data():
    notice = (DATA_DIR / "NOTICE-gazetteer.txt").read_text()
    assert "Natural Earth" in notice and "GeoNames" in notice
