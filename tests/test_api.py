"""The public API is a promise: changing it must be a deliberate act that edits this test."""

import sitrep


def test_public_api_is_pinned():
    assert sorted(sitrep.__all__) == sorted(
        [
            "__version__",
            "SCHEMA_VERSION",
            "analyze",
            "analyze_texts",
            "validate",
            "open_store",
            "Situation",
            "Document",
            "Mention",
            "Actor",
            "Place",
            "SitrepError",
            "InputError",
            "ConfigError",
            "ModelError",
            "StoreError",
            "EvaluationError",
        ]
    )


def test_every_public_name_exists():
    for name in sitrep.__all__:
        assert hasattr(sitrep, name), name


def test_every_error_is_a_sitrep_error():
    for name in ("InputError", "ConfigError", "ModelError", "StoreError", "EvaluationError"):
        assert issubclass(getattr(sitrep, name), sitrep.SitrepError)


def test_input_error_message_names_the_file_and_reason():
    err = sitrep.InputError("reports/a.pdf", "PDF is encrypted")
    assert str(err) == "reports/a.pdf: PDF is encrypted"
    assert (err.source, err.reason) == ("reports/a.pdf", "PDF is encrypted")
