"""The published JSON contract of the situation model, and a validator for it."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.lru_cache(maxsize=1)
def situation_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("situation.schema.json").read_text("utf-8"))


def validate(situation: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``situation`` breaks the published contract."""
    import jsonschema

    jsonschema.Draft202012Validator(
        situation_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(situation)
