"""Text out of a PDF with pypdf: one page after another, separated by form feeds.

The form feed tells ``normalize`` where pages end, which is how running headers, footers and
page numbers are recognised. pypdf puts a single line break between lines whatever the space
between them; a gap clearly wider than the page's usual line step becomes a blank line, so that
paragraphs survive extraction.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from statistics import median

from sitrep.errors import InputError

__all__ = ["extract_pdf"]

_NEEDS_CRYPTOGRAPHY = "PDF is AES-encrypted; reading it needs the cryptography package (pip install cryptography)"
_FILE_NAME_TITLE = re.compile(r"^Microsoft (?:Word|PowerPoint) - |\.(?:docx?|odt|rtf|pdf|pptx?|indd|tex)$", re.IGNORECASE)


def extract_pdf(data: bytes, source: str) -> tuple[str, str | None]:
    """Return ``(text, title)`` of a PDF, or raise :class:`InputError` saying why it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    # pypdf logs every repair it attempts; the one-line InputError is what the user needs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are encrypted with an empty user password only to restrict printing.
            try:
                unlocked = reader.decrypt("")
            except DependencyError:
                raise InputError(source, _NEEDS_CRYPTOGRAPHY) from None
            except NotImplementedError:
                unlocked = 0
            if not unlocked:
                raise InputError(source, "PDF is encrypted; decrypt it first")
        pages = _pages_text([_read_page(page) for page in reader.pages])
        title = _title(reader)
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(source, "PDF is encrypted; decrypt it first") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, RecursionError) as exc:
        raise InputError(source, f"corrupt PDF: {_first_line(exc)}") from None
    if not pages:
        raise InputError(source, "corrupt PDF: it has no pages")
    text = "\f".join(pages)
    if not text.strip():
        raise InputError(source, "PDF has no text layer (a scan?); run OCR on it first")
    return text, title


def _title(reader) -> str | None:
    try:
        meta = reader.metadata
    except Exception:  # noqa: BLE001 - a broken info dictionary must not cost the text
        return None
    title = " ".join(str(meta.title).split()) if meta is not None and meta.title else ""
    # Word processors often store the file name ("Microsoft Word - brief.docx") as the title.
    if not title or _FILE_NAME_TITLE.search(title):
        return None
    return title


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


_PARAGRAPH_GAP = 1.4  # times the document's median line step


@dataclass(slots=True)
class _Page:
    plain: str
    fragments: list[tuple[str, float]]  # text as pypdf emitted it, y of the text matrix
    starts: list[tuple[int, float]]  # (fragment index, y) of each line's first fragment


def _read_page(page) -> _Page:
    fragments: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        fragments.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    plain = page.extract_text(visitor_text=visit) or ""
    if "".join(text for text, _ in fragments) != plain:
        return _Page(plain, [], [])
    starts: list[tuple[int, float]] = []
    at_line_start = True
    for i, (text, y) in enumerate(fragments):
        if text.startswith("\n"):
            at_line_start = True
        if at_line_start and text.strip():
            starts.append((i, y))
            at_line_start = False
        if text.endswith("\n"):
            at_line_start = True
    return _Page(plain, fragments, starts)


def _line_steps(page: _Page) -> list[float]:
    return [a[1] - b[1] for a, b in zip(page.starts, page.starts[1:]) if a[1] - b[1] > 0]


def _pages_text(pages: list[_Page]) -> list[str]:
    steps = [step for page in pages for step in _line_steps(page)]
    if len(steps) < 3:
        return [page.plain for page in pages]
    threshold = _PARAGRAPH_GAP * median(steps)
    texts = []
    for page in pages:
        wide = {b[0] for a, b in zip(page.starts, page.starts[1:]) if a[1] - b[1] > threshold}
        if not wide:
            texts.append(page.plain)
            continue
        out: list[str] = []
        for i, (text, _) in enumerate(page.fragments):
            if i in wide:
                if text.startswith("\n"):
                    out.append("\n")
                    text = text[1:]
                out.append("\n")
            out.append(text)
        texts.append("".join(out))
    return texts
