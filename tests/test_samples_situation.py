"""The bundled samples: a schema-valid situation, and the same facts from text, PDF and HTML."""

from __future__ import annotations

import pytest

from sitrep.pipeline import Resources, build_situation, process
from sitrep.samples import manifest
from sitrep.schema import validate


@pytest.fixture(scope="module")
def resources():
    return Resources.load()


def _analyse(paths, resources):
    from sitrep.ingest import read_inputs

    return build_situation(process(read_inputs([str(p) for p in paths]), resources=resources), resources=resources)


def test_samples_give_a_schema_valid_situation_with_evidence(resources):
    from sitrep.samples import documents

    situation = build_situation(process(documents(), resources=resources), resources=resources)
    data = situation.to_dict()
    validate(data)
    assert all(d["status"] == "ok" for d in data["documents"])
    texts = {d["id"]: d["text"] for d in data["documents"]}
    for kind in ("actors", "places"):
        for entity in data[kind]:
            for m in entity["mentions"]:
                assert texts[m["doc"]][m["start"] : m["end"]] == m["text"]


def _facts(situation):
    actors = {(a.name, len(a.mentions)) for a in situation.actors if a.mentions}
    places = {(p.id, len(p.mentions)) for p in situation.places}
    return actors, places


def test_pdf_and_html_give_the_same_actors_and_places_as_the_text(resources):
    variants = {s.path.suffix: s.path for s in manifest() if s.path.stem.startswith("syria_brief")}
    assert {".txt", ".pdf", ".html"} <= set(variants), variants
    from_text = _facts(_analyse([variants[".txt"]], resources))
    assert from_text[0] and from_text[1]
    assert _facts(_analyse([variants[".pdf"]], resources)) == from_text
    assert _facts(_analyse([variants[".html"]], resources)) == from_text
