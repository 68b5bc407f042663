"""`sitrep export`: GeoJSON, GraphML, GEXF, ACLED CSV, Parquet and JSON, read back and checked."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import click
import duckdb
import jsonschema
import networkx as nx
import pytest
from click.testing import CliRunner

from sitrep.export.acled import ACLED_COLUMNS
from sitrep.export.cli import register
from sitrep.export.geojson import validate_geojson
from sitrep.model import ActorRef, Document, PlaceRef
from sitrep.pipeline import DocResult
from sitrep.resolve.merge import actor_id, place_id
from sitrep.resolve.relations import rebuild_relations, relation_id
from sitrep.store import open_store

ACTORS = {  # name: (key, type, country, parent key)
    "Syrian Arab Army": ("test:saa", "military", "SYR", "test:syr-gov"),
    "SDF": ("test:sdf", "armed_group", None, None),
    "Russian Air Force": ("test:ruaf", "military", "RUS", None),
    "Turkish Army": ("test:tuar", "military", "TUR", None),
    "United Nations": ("test:un", "international_org", None, None),
}
PLACES = {  # name: (key, feature, lon, lat, country, admin1)
    "Raqqa": ("gn:163915", "city", 39.00, 35.95, "SYR", "Ar-Raqqah"),
    "Idlib": ("gn:169389", "city", 36.63, 35.93, "SYR", "Idlib"),
    "Afrin": ("gn:174186", "town", 36.87, 36.51, "SYR", "Aleppo"),
    "Geneva": ("gn:2660646", "city", 6.14, 46.20, "CHE", "Geneva"),
    "Nowhere Valley": ("test:nowhere", "region", None, None, None, None),
}
DOCS = [  # id, published, text: every actor and place named in it is mentioned
    ("d1", date(2017, 9, 11), "Syrian Arab Army shelled Raqqa, SDF said."),
    ("d2", date(2017, 9, 12), "Russian Air Force struck Idlib as Syrian Arab Army and SDF advanced."),
    ("d3", date(2018, 1, 21), "Turkish Army entered Afrin from Nowhere Valley."),
    ("d4", None, "United Nations talks opened in Geneva."),
]


def _results():
    results = []
    for ident, published, text in DOCS:
        doc = Document(id=ident, source=f"outlet-{ident}", text=text, title=f"Report {ident}", published=published,
                       raw=text)
        actors = tuple(
            ActorRef(key=key, name=name, type=type_, country=country, parent_key=parent, via="test",
                     mention=doc.mention(text.index(name), text.index(name) + len(name)))
            for name, (key, type_, country, parent) in ACTORS.items() if name in text)
        places = tuple(
            PlaceRef(key=key, name=name, feature=feature, lon=lon, lat=lat, country=country, admin1=admin1,
                     confidence=0.9, via="test", mention=doc.mention(text.index(name), text.index(name) + len(name)))
            for name, (key, feature, lon, lat, country, admin1) in PLACES.items() if name in text)
        results.append(DocResult(doc, actors, places))
    broken = Document(id="d5", source="outlet-d5", text="", status="error", error="outlet-d5: not valid JSON")
    results.append(DocResult(broken))
    return results


A = {name: actor_id(key) for name, (key, *_rest) in ACTORS.items()}
P = {name: place_id(spec[0]) for name, spec in PLACES.items()}

EVENTS = [  # id, doc, type, date_start, precision, place, attrs
    ("e1", "d1", "ASSAULT", "2017-09-10", "day", "Raqqa",
     {"acled_event_type": "Explosions/Remote violence", "acled_sub_event_type": "Shelling/artillery/missile attack",
      "fatalities": 4}),
    ("e2", "d2", "ASSAULT", None, "unknown", "Idlib",
     {"acled_event_type": "Explosions/Remote violence", "acled_sub_event_type": "Air/drone strike"}),
    ("e3", "d4", "CONSULT", "2017-01-23", "day", "Geneva", {}),
]
EVENT_ACTORS = [("e1", "Syrian Arab Army", "source"), ("e1", "SDF", "target"), ("e2", "Russian Air Force", "source"),
                ("e2", "SDF", "other"), ("e3", "United Nations", "source")]
# event id, doc, day, kind, source, target: the statements behind the actor network
RELATIONS = [("r1", "d1", "2017-09-10", "hostile", "Syrian Arab Army", "SDF"),
             ("r2", "d2", "2017-09-12", "allied", "Russian Air Force", "Syrian Arab Army"),
             ("r3", "d2", "2017-09-12", "hostile", "Syrian Arab Army", "SDF")]


def build_store(path: Path, *, events: bool = True) -> Path:
    parent = SimpleNamespace(key="test:syr-gov", name="Government of Syria", type="government", country="SYR",
                             codes={}, aliases=(), parent=None)
    with open_store(path) as store:
        store.save(_results(), parents=[parent])
        if events:
            con = store.con
            for ident, doc, type_, start, precision, place, attrs in EVENTS:
                con.execute("INSERT INTO events (id, doc, type, text, date_start, date_end, date_precision, place_id, "
                            "attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [ident, doc, type_, f"{type_.lower()} evidence\nof {ident}", start, start, precision,
                             P[place], json.dumps(attrs)])
            for event, actor, role in EVENT_ACTORS:
                con.execute("INSERT INTO event_actors VALUES (?, ?, ?)", [event, A[actor], role])
            for ident, doc, day, kind, source, target in RELATIONS:
                con.execute("INSERT INTO relation_events (relation_id, event_id, kind, source_id, target_id, doc, day, "
                            'start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 4, ?)',
                            [relation_id(A[source], A[target], kind), ident, kind, A[source], A[target], doc, day,
                             f"{kind} statement {ident}"])
            rebuild_relations(con)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("export") / "store.duckdb")


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("bare") / "store.duckdb", events=False)


@pytest.fixture(scope="module")
def cli():
    group = click.Group("sitrep")
    register(group)
    return group


def export(cli, db: Path, fmt: str, out: Path, *extra: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "-o", str(out), *extra])
    assert result.exit_code == code, result.output
    return result.output


# --- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_has_places_and_events_as_points_that_pass_the_schema(cli, db, tmp_path):
    out = tmp_path / "s.geojson"
    assert "wrote" in export(cli, db, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    validate_geojson(data)
    places = {f["properties"]["name"]: f for f in data["features"] if f["properties"]["kind"] == "place"}
    events = {f["id"]: f for f in data["features"] if f["properties"]["kind"] == "event"}
    assert set(places) == {"Raqqa", "Idlib", "Afrin", "Geneva"}  # Nowhere Valley has no coordinates
    raqqa = places["Raqqa"]
    assert raqqa["geometry"] == {"type": "Point", "coordinates": [39.0, 35.95]}  # longitude first
    assert {k: raqqa["properties"][k] for k in ("id", "feature", "country", "admin1", "mentions", "documents")} == {
        "id": P["Raqqa"], "feature": "city", "country": "SYR", "admin1": "Ar-Raqqah", "mentions": 1, "documents": 1}
    assert raqqa["properties"]["confidence"] == 0.9 and raqqa["properties"]["first_published"] == "2017-09-11"
    assert set(events) == {"e1", "e2", "e3"}
    e1 = events["e1"]["properties"]
    assert events["e1"]["geometry"]["coordinates"] == [39.0, 35.95]
    assert (e1["type"], e1["date_start"], e1["actor1_name"], e1["actor2_name"], e1["fatalities"]) == (
        "ASSAULT", "2017-09-10", "Syrian Arab Army", "SDF", 4)
    assert e1["acled_sub_event_type"] == "Shelling/artillery/missile attack" and e1["place_name"] == "Raqqa"


def test_the_geojson_schema_rejects_what_rfc_7946_forbids():
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [39.0, 35.9]}, "properties": {}}]}
    validate_geojson(good)
    for broken in ([200.0, 35.9], [35.9], ["39", "35.9"]):  # out of range, too short, not numbers
        bad = json.loads(json.dumps(good))
        bad["features"][0]["geometry"]["coordinates"] = broken
        with pytest.raises(jsonschema.ValidationError):
            validate_geojson(bad)
    with pytest.raises(jsonschema.ValidationError):
        validate_geojson({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]})


def test_a_store_without_events_exports_only_places(cli, bare_db, tmp_path):
    out = tmp_path / "s.geojson"
    export(cli, bare_db, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    validate_geojson(data)
    assert data["features"] and {f["properties"]["kind"] for f in data["features"]} == {"place"}


def test_bbox_keeps_the_documents_and_features_inside_it(cli, db, tmp_path):
    out = tmp_path / "syria.geojson"
    assert "(from 3 documents)" in export(cli, db, "geojson", out, "--bbox", "35.7,32.3,42.4,37.3")
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {f["properties"].get("name") or f["properties"]["place_name"] for f in data["features"]}
    assert names == {"Raqqa", "Idlib", "Afrin"}


def test_a_bad_bbox_is_a_usage_error(cli, db, tmp_path):
    output = export(cli, db, "geojson", tmp_path / "x.geojson", "--bbox", "35,32,42", code=2)
    assert "give four numbers" in output
    output = export(cli, db, "geojson", tmp_path / "x.geojson", "--bbox", "35,95,42,96", code=2)
    assert "latitudes in [-90, 90]" in output


# --- filters -------------------------------------------------------------------------------------


def test_since_and_until_select_documents_by_publication_date(cli, db, tmp_path):
    out = tmp_path / "s.json"
    export(cli, db, "json", out, "--since", "2017-09-12", "--until", "2017-12-31")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == ["d2"]  # d4 has no date: left out
    assert {a["name"] for a in data["actors"]} >= {"Russian Air Force", "Syrian Arab Army", "SDF"}
    assert "Turkish Army" not in {a["name"] for a in data["actors"]}


@pytest.mark.parametrize("actor", ["sdf", A["SDF"], "test:sdf"])
def test_actor_selects_the_documents_mentioning_it_by_name_id_or_key(cli, db, tmp_path, actor):
    out = tmp_path / "g.graphml"
    assert "(from 2 documents)" in export(cli, db, "graphml", out, "--actor", actor)
    graph = nx.read_graphml(out)
    assert "Turkish Army" not in {graph.nodes[n]["name"] for n in graph}


def test_place_selects_the_documents_mentioning_it(cli, db, tmp_path):
    out = tmp_path / "a.csv"
    assert "(from 1 documents)" in export(cli, db, "acled-csv", out, "--place", "Idlib")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["event_id_cnty"] for r in rows] == ["e2"]


def test_filter_values_are_data_never_sql(cli, db, tmp_path):
    out = tmp_path / "x.json"
    output = export(cli, db, "json", out, "--actor", "x' OR 1=1 OR name = '", code=2)
    assert "no actor with this id, key or name in the store" in output
    assert not out.exists()  # a failed export leaves no file behind


# --- the actor network ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_the_actor_network_reads_back_with_its_relations(cli, db, tmp_path, fmt, read):
    out = tmp_path / f"actors.{fmt}"
    export(cli, db, fmt, out)
    graph = read(out)
    names = {n: graph.nodes[n].get("name") or graph.nodes[n].get("label") for n in graph}
    assert set(names.values()) == set(ACTORS)
    saa = graph.nodes[A["Syrian Arab Army"]]
    assert (saa["type"], saa["country"], int(saa["mentions"]), int(saa["documents"])) == ("military", "SYR", 2, 2)
    edges = {(u, v, d["kind"]): d for u, v, d in graph.edges(data=True)}
    attacks = edges[(A["Syrian Arab Army"], A["SDF"], "hostile")]
    assert float(attacks["weight"]) == 2 and (attacks["first"], attacks["last"]) == ("2017-09-10", "2017-09-12")
    assert (A["Russian Air Force"], A["Syrian Arab Army"], "allied") in edges and len(edges) == 2
    assert graph.is_directed()


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_without_relations_edges_are_co_mentions_weighted_by_shared_documents(cli, bare_db, tmp_path, fmt, read):
    out = tmp_path / f"actors.{fmt}"
    export(cli, bare_db, fmt, out)
    graph = read(out)
    assert not graph.is_directed()
    weights = {frozenset((u, v)): float(d["weight"]) for u, v, d in graph.edges(data=True)}
    assert {d["kind"] for _, _, d in graph.edges(data=True)} == {"co-mention"}
    assert weights == {frozenset((A["Syrian Arab Army"], A["SDF"])): 2.0,
                       frozenset((A["Russian Air Force"], A["Syrian Arab Army"])): 1.0,
                       frozenset((A["Russian Air Force"], A["SDF"])): 1.0}
    assert A["Turkish Army"] in graph and graph.degree(A["Turkish Army"]) == 0


# --- tables --------------------------------------------------------------------------------------


def test_parquet_writes_every_table_and_reads_back_the_same_rows(cli, db, tmp_path):
    out = tmp_path / "pq"
    export(cli, db, "parquet", out)
    with open_store(db, read_only=True) as store:
        counts = store.counts()
        assert {p.stem for p in out.glob("*.parquet")} == set(counts)
        for table in ("documents", "mentions", "actors", "places", "events", "relations"):
            stored = sorted(map(repr, store.query(f'SELECT * FROM "{table}"').rows))
            back = sorted(map(repr, duckdb.sql(f"SELECT * FROM read_parquet('{out / table}.parquet')").fetchall()))
            assert stored and back == stored, table


def test_filtered_parquet_keeps_the_rows_of_the_selected_documents_and_their_actors_parents(cli, db, tmp_path):
    out = tmp_path / "pq"
    export(cli, db, "parquet", out, "--place", "Raqqa")

    def ids(table, column="id"):
        return sorted(r[0] for r in duckdb.sql(f"SELECT {column} FROM read_parquet('{out / table}.parquet')").fetchall())

    assert ids("documents") == ["d1"] and set(ids("mentions", "doc")) == {"d1"}
    assert ids("actors") == sorted([A["Syrian Arab Army"], A["SDF"], actor_id("test:syr-gov")])
    assert ids("events") == ["e1"] and ids("event_actors", "event_id") == ["e1", "e1"]
    assert ids("relations") == [relation_id(A["Syrian Arab Army"], A["SDF"], "hostile")]
    assert ids("relation_events", "event_id") == ["r1"] and ids("places") == [P["Raqqa"]]
    assert len(ids("runs")) == 0 and len(ids("schema_version", "version")) >= 1  # the store's own: whole


def test_json_is_the_situation_model_and_passes_its_schema(cli, db, tmp_path):
    from sitrep.schema import validate

    out = tmp_path / "s.json"
    export(cli, db, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    validate(data)
    with open_store(db, read_only=True) as store:
        assert data == json.loads(json.dumps(store.situation().to_dict()))
    assert {d["id"] for d in data["documents"]} == {"d1", "d2", "d3", "d4", "d5"}


def test_acled_csv_has_acled_columns_and_one_row_per_codable_event(cli, db, tmp_path):
    out = tmp_path / "acled.csv"
    assert "wrote" in export(cli, db, "acled-csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == ACLED_COLUMNS
        rows = {r["event_id_cnty"]: r for r in reader}
    assert set(rows) == {"e1", "e2"}  # e3 (a consultation) is not an ACLED event
    e1 = rows["e1"]
    assert (e1["event_date"], e1["time_precision"], e1["event_type"], e1["sub_event_type"]) == (
        "2017-09-10", "1", "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert (e1["actor1"], e1["actor2"], e1["inter1"], e1["inter2"]) == ("Syrian Arab Army", "SDF", "1", "2")
    assert (e1["location"], e1["latitude"], e1["longitude"], e1["geo_precision"]) == ("Raqqa", "35.9500", "39.0000", "1")
    assert (e1["source"], e1["notes"], e1["fatalities"]) == ("outlet-d1", "assault evidence of e1", "4")
    e2 = rows["e2"]  # no date of its own: the publication date, at ACLED's coarsest precision
    assert (e2["event_date"], e2["time_precision"], e2["fatalities"], e2["assoc_actor_1"]) == (
        "2017-09-12", "3", "0", "SDF")


def test_acled_csv_of_a_store_without_events_is_the_header_alone(cli, bare_db, tmp_path):
    out = tmp_path / "acled.csv"
    assert "wrote" in export(cli, bare_db, "acled-csv", out) and "0 events" in export(cli, bare_db, "acled-csv", out)
    assert out.read_text(encoding="utf-8") == ",".join(ACLED_COLUMNS) + "\n"


def test_export_help_shows_an_example_and_every_format(cli):
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
    for fmt in ("geojson", "graphml", "gexf", "acled-csv", "parquet", "json"):
        assert fmt in result.output
