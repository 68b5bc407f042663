"""Users' own place lists: importing shapefiles/GeoJSON/CSV, loading them, and finding their places."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.errors import ConfigError, InputError
from sitrep.extract.places import extract_places
from sitrep.ingest.offsets import OffsetMap
from sitrep.model import Document
from sitrep.registry.gazetteer import load_gazetteer
from sitrep.registry.places_import import import_places, point_of

# A village we made up, so the shipped gazetteer cannot know it.
VILLAGE = {"key": "usr:test:v1", "name": "Tell Qassimiya", "names": ["Tal Qasimiyah"], "feature": "village",
           "lat": 36.05, "lon": 39.1, "country": "SYR", "admin1": "Ar-Raqqah"}


@pytest.fixture
def extra(tmp_path, monkeypatch):
    def use(*records):
        path = tmp_path / "places.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", str(path))
        return path

    return use


def _doc(text: str) -> Document:
    return Document(id="t", source="test", text=text, raw=text, offsets=OffsetMap.identity(len(text)))


def test_a_village_from_the_users_file_is_found_by_name_and_spelling(extra):
    assert not load_gazetteer().lookup("Tell Qassimiya")
    extra(VILLAGE)
    gaz = load_gazetteer()
    (entry, exact), = gaz.lookup("Tell Qassimiya")
    assert (entry.key, entry.feature, entry.country, entry.admin1, exact) == ("usr:test:v1", "village", "SYR", "Ar-Raqqah", True)
    assert gaz.lookup("Tal Qasimiyah")[0][0].key == "usr:test:v1"
    assert gaz.get("usr:test:v1").lat == 36.05


def test_a_reported_clash_in_the_users_village_is_placed_there(nlp, extra):
    text = "Kurdish-led fighters clashed with Islamic State militants in the village of Tell Qassimiya north of Raqqa."
    before = {r.key for r in extract_places(nlp(text), _doc(text), gazetteer=load_gazetteer())}
    extra(VILLAGE)
    after = {r.key for r in extract_places(nlp(text), _doc(text), gazetteer=load_gazetteer())}
    assert "usr:test:v1" not in before and "usr:test:v1" in after


@pytest.mark.parametrize("line, reason", [
    ('{"key": "usr:a", "name": "X", "feature": "village", "lat": 1}', "missing lon"),
    ('{"key": "gn:1", "name": "X", "feature": "village", "lat": 1, "lon": 2}', "key must be a string starting with 'usr:'"),
    ('{"key": "usr:a", "name": "X", "feature": "hamlet", "lat": 1, "lon": 2}', "feature 'hamlet' is not one of"),
    ('{"key": "usr:a", "name": "X", "feature": "village", "lat": 91, "lon": 2}', "lat must be a number within"),
    ('{"key": "usr:a", "name": "X", "feature": "village", "lat": 1, "lon": 2, "pop": 3}', "unknown field 'pop'"),
    ("[1, 2]", "not a JSON object"),
])
def test_a_bad_line_names_the_file_line_and_reason(tmp_path, monkeypatch, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(VILLAGE) + "\n" + line + "\n", encoding="utf-8")
    monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", str(path))
    with pytest.raises(ConfigError) as err:
        load_gazetteer()
    assert str(err.value).startswith(f"{path}:2: {reason}")


def test_a_key_in_two_files_is_refused_rather_than_one_replacing_the_other(tmp_path, monkeypatch):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for p in (a, b):
        p.write_text(json.dumps(VILLAGE) + "\n", encoding="utf-8")
    monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", f"{a}:{b}")
    with pytest.raises(ConfigError, match="usr:test:v1.*already in the gazetteer"):
        load_gazetteer()


def test_a_missing_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", str(tmp_path / "nope.jsonl"))
    with pytest.raises(ConfigError, match="nope.jsonl: cannot read this SITREP_GAZETTEER_EXTRA file"):
        load_gazetteer()


def test_a_polygon_is_placed_at_the_centroid_of_its_largest_part():
    small = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    big = [[[10, 20], [14, 20], [14, 22], [10, 22], [10, 20]]]
    assert point_of({"type": "MultiPolygon", "coordinates": [small, big]}) == pytest.approx((21.0, 12.0))
    assert point_of({"type": "Point", "coordinates": [38.5, 35.9]}) == (35.9, 38.5)


def test_geojson_import_keeps_ids_names_and_the_gazetteers_province_spelling(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAME_EN": "Tell Qassimiya", "ALT": "Tal Qasimiyah", "PCODE": "C9999",
                                           "ADM1_EN": "Raqqa"},
         "geometry": {"type": "Point", "coordinates": [39.1, 36.05]}},
        {"type": "Feature", "properties": {"NAME_EN": "تل", "PCODE": "C9998"},
         "geometry": {"type": "Point", "coordinates": [39.0, 36.0]}},
    ]}
    path = tmp_path / "v.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    out = list(import_places(path, feature="village", gazetteer=load_gazetteer(), alt_fields=["ALT"],
                             country="syr", admin1_field="ADM1_EN"))
    assert out == [{"key": "usr:v:c9999", "name": "Tell Qassimiya", "feature": "village", "lat": 36.05,
                    "lon": 39.1, "names": ["Tal Qasimiyah"], "country": "SYR", "admin1": "Ar-Raqqah",
                    "source": "v.geojson #1"}]  # the Arabic-only name cannot be matched in English text


def test_shapefile_import_reads_polygons_and_refuses_projected_coordinates(tmp_path):
    shapefile = pytest.importorskip("shapefile")
    with shapefile.Writer(str(tmp_path / "areas"), shapeType=shapefile.POLYGON) as w:
        w.field("NAME_EN", "C")
        w.field("PCODE", "C")
        w.poly([[[39.0, 36.0], [39.0, 36.2], [39.2, 36.2], [39.2, 36.0], [39.0, 36.0]]])
        w.record("Qassimiya Subdistrict", "SY9901")
    (rec,) = import_places(tmp_path / "areas.shp", feature="admin3", gazetteer=load_gazetteer())
    assert (rec["key"], rec["lat"], rec["lon"]) == ("usr:areas:sy9901", 36.1, 39.1)

    with shapefile.Writer(str(tmp_path / "utm"), shapeType=shapefile.POINT) as w:
        w.field("NAME_EN", "C")
        w.point(420000.0, 3990000.0)
        w.record("Somewhere")
    with pytest.raises(InputError, match="utm.shp: feature 1 lies at .* reproject the file to WGS 84"):
        list(import_places(tmp_path / "utm.shp", feature="village", gazetteer=load_gazetteer()))


def test_cli_imports_a_csv_and_looks_the_place_up(tmp_path, monkeypatch):
    src = tmp_path / "sheet.csv"
    src.write_text("name,lat,lon,id\nTell Qassimiya,36.05,39.1,7\nNo Point,,,8\n", encoding="utf-8")
    out = tmp_path / "sheet.jsonl"
    runner = CliRunner()
    res = runner.invoke(main, ["gazetteer", "import", str(src), "--feature", "village", "--country", "SYR", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 places written" in res.output
    monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", str(out))
    res = runner.invoke(main, ["gazetteer", "lookup", "Tell Qassimiya"])
    assert res.exit_code == 0 and res.output.startswith("usr:sheet:7\tTell Qassimiya\tvillage\t36.0500,39.1000"), res.output
    res = runner.invoke(main, ["gazetteer", "import", str(src), "--feature", "village", "--country", "XXX", "-o", str(out)])
    assert res.exit_code == 2 and "--country 'XXX' is not an ISO 3166 alpha-3 code" in res.output


def test_ochas_syria_subdistricts_import_inside_syria_with_their_provinces(shared_dir, tmp_path, monkeypatch):
    shp = shared_dir / "reference" / "hdx_syria_admin" / "syr_admin3.shp"
    if not shp.exists():
        pytest.skip(f"{shp} not found")
    out = tmp_path / "adm3.jsonl"
    res = CliRunner().invoke(main, ["gazetteer", "import", str(shp), "--feature", "admin3", "--country", "SYR",
                                    "--admin1-field", "ADM1_EN", "--alt-field", "NAM_EN_REF", "-o", str(out)])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 272 and len({r["key"] for r in records}) == 272
    # every centroid inside Syria's bounding box, every province spelled as the gazetteer spells it
    assert all(32.3 <= r["lat"] <= 37.4 and 35.6 <= r["lon"] <= 42.4 for r in records)
    provinces = {r["admin1"] for r in records}
    assert len(provinces) == 14 and all(r.get("admin1") for r in records)
    monkeypatch.setenv("SITREP_GAZETTEER_EXTRA", str(out))
    (entry, _), *_ = [t for t in load_gazetteer().lookup("Atareb") if t[0].key.startswith("usr:")]
    assert (entry.feature, entry.admin1) == ("admin3", "Aleppo")
