"""Bytes to text: honour a byte-order mark, prefer UTF-8, otherwise let charset-normalizer guess.

Binary files are refused rather than decoded into mojibake that the pipeline would then
"analyse".
"""

from __future__ import annotations

import codecs

from sitrep.errors import InputError

__all__ = ["decode", "looks_binary"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_RATIO = 0.01
_SNIFF = 65536
_LATIN_LOOKALIKES = frozenset(
    "cp1250 cp1252 cp1254 cp1257 cp437 cp775 cp850 cp852 cp858 latin_1 iso8859_2 iso8859_3 iso8859_4 "
    "iso8859_9 iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 mac_latin2 mac_roman mac_iceland "
    "mac_turkish".split()
)


def looks_binary(text: str) -> bool:
    """True when control characters make up more than 1% of the text (or any NUL occurs)."""
    if "\x00" in text:
        return True
    sample = text if len(text) <= 4 * _SNIFF else text[: 2 * _SNIFF] + text[-2 * _SNIFF :]
    controls = sum(1 for c in sample if (c < " " or "\x7f" <= c < "\xa0") and c not in _ALLOWED_CONTROLS)
    return controls > _MAX_CONTROL_RATIO * len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """Mostly-ASCII UTF-16 shows NULs in every other byte; decode it if that pattern holds."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[: 2 * _SNIFF]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for nuls, other, encoding in ((odd_nuls, even_nuls, "utf-16-le"), (even_nuls, odd_nuls, "utf-16-be")):
        if nuls >= 0.6 * half and other == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes, source: str) -> str:
    """Decode ``data`` to text or raise :class:`InputError` saying why it is not text."""
    if not data.strip():
        raise InputError(source, "file is empty")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                reason = f"{exc.reason} at byte {exc.start}"
                problem = f"it has a {encoding} byte-order mark but is not {encoding} ({reason})"
                raise InputError(source, f"cannot decode the text: {problem}") from None
            break
    if text is None and b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(source, "binary data, not text")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _guess(data, source)
    if looks_binary(text):
        raise InputError(source, "binary data, not text")
    if not text.strip():
        raise InputError(source, "file is empty")
    return text


def _guess(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western = _cp1252(data)
    # The detector cannot tell Windows-1252 from the other Latin code pages on short texts and may
    # turn "crème" into "crčme". Conflict reporting in legacy encodings is overwhelmingly
    # Western European, so among Latin code pages Windows-1252 wins.
    if western is not None and (best is None or best.encoding in _LATIN_LOOKALIKES):
        return western
    if best is None:
        raise InputError(source, "cannot decode the text: not UTF-8 and no other text encoding fits; convert it to UTF-8")
    return str(best)


def _cp1252(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None
