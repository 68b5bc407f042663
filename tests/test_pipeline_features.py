"""SITREP_FEATURES chooses the optional stages; unknown names are configuration errors."""

from __future__ import annotations

import pytest

from sitrep.errors import ConfigError
from sitrep.pipeline import FEATURES, Resources, analyze_texts, features_setting

TEXT = "Syrian government forces shelled Douma on Monday, killing 12 civilians, activists said."


def test_every_optional_stage_runs_by_default(monkeypatch):
    monkeypatch.delenv("SITREP_FEATURES", raising=False)
    assert features_setting() == frozenset(FEATURES)


def test_features_setting_ignores_spaces_and_empty_names(monkeypatch):
    monkeypatch.setenv("SITREP_FEATURES", " events , ,claims")
    assert features_setting() == {"events", "claims"}


def test_unknown_feature_is_a_configuration_error_naming_it(monkeypatch):
    monkeypatch.setenv("SITREP_FEATURES", "events,sentiment")
    with pytest.raises(ConfigError, match="sentiment"):
        features_setting()


@pytest.fixture(scope="module")
def loaded(nlp):
    from sitrep.registry.actors import load_registry
    from sitrep.registry.gazetteer import load_gazetteer

    return nlp, load_registry(), load_gazetteer()


def test_leaving_out_events_keeps_actors_and_places(loaded):
    nlp, registry, gazetteer = loaded
    res = Resources(nlp=nlp, registry=registry, gazetteer=gazetteer, features=frozenset())
    situation = analyze_texts([TEXT], resources=res)
    assert situation.actors and situation.places
    assert situation.events == ()


def test_events_stage_finds_the_shelling(loaded):
    nlp, registry, gazetteer = loaded
    res = Resources(nlp=nlp, registry=registry, gazetteer=gazetteer, features=frozenset({"events"}))
    situation = analyze_texts([TEXT], resources=res)
    assert any(e.type == "ASSAULT" for e in situation.events)
