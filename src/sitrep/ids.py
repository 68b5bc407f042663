"""Stable, content-derived identifiers.

An id depends only on the content it names, never on run order or memory addresses, so the same
input produces the same ids on any machine, in any process, on any day.
"""

from __future__ import annotations

import hashlib

_SEP = "\x1f"  # unit separator: cannot occur in normalised text parts, so ("a b","c") != ("a","b c")


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """Return ``prefix-<hex>`` where hex is a BLAKE2b digest of the parts' string forms."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_SEP.join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}-{h.hexdigest()[:length]}"


def content_id(text: str) -> str:
    """The id of a document that did not bring one: a hash of its normalised text."""
    return stable_id("doc", text)
