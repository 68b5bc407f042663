"""The main text of an HTML page, without navigation, scripts, styles or footers (trafilatura)."""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

from sitrep.errors import InputError

__all__ = ["extract_html"]


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # The default timeout uses SIGALRM, which only works in the main thread.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def extract_html(html: str, source: str) -> tuple[str, str | None, date | None]:
    """Return ``(main text, title, publication date)`` of a page, or raise :class:`InputError`."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        result = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            with_metadata=True,
            deduplicate=False,
            config=_config(),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(source, f"cannot parse the HTML: {detail}") from None
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError(source, "no main text found in the HTML page")
    title = " ".join((result.title or "").split()) or None
    return text, title, _date(result.date)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
