"""sitrep: conflict reporting in, a situation model out.

>>> import sitrep
>>> situation = sitrep.analyze(["report.txt"], published="2017-09-12")  # doctest: +SKIP
>>> [a.name for a in situation.actors]  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    ConfigError,
    EvaluationError,
    InputError,
    ModelError,
    SitrepError,
    StoreError,
)
from .model import (  # noqa: E402
    SCHEMA_VERSION,
    Actor,
    Document,
    Mention,
    Place,
    Situation,
)
from .pipeline import analyze, analyze_texts  # noqa: E402
from .schema import validate  # noqa: E402
from .store import open_store  # noqa: E402

__all__ = [
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
