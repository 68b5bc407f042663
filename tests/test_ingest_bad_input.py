"""Bad inputs fail one at a time, with one line naming the file and the reason."""

from __future__ import annotations

import io
import os

import pytest
from fpdf import FPDF

from sitrep.errors import ConfigError, InputError
from sitrep.ingest import load_document, read_inputs


def _error(path) -> str:
    [doc] = read_inputs([path])
    assert doc.status == "error" and doc.text == ""
    assert "\n" not in doc.error
    return doc.error


def _pdf_bytes(text="The SDF entered Raqqa on Tuesday.") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", "  \n".encode("utf-16")])
def test_empty_or_blank_file_says_so(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _error(path) == f"{path}: file is empty"


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert _error(path) == f"{path}: binary data, not text"


def test_control_characters_without_nul_bytes_are_binary_too(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(b"Aleppo \x01\x02\x03\x04\x05\x06\x07\x08 " * 50)
    assert _error(path) == f"{path}: binary data, not text"


def test_undecodable_text_says_it_cannot_be_decoded(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 3)
    assert _error(path).startswith(f"{path}: cannot decode the text")


def test_invalid_utf8_after_a_utf8_byte_order_mark_says_so(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHoms \xff\xfe was shelled")
    assert _error(path).startswith(f"{path}: cannot decode the text: it has a utf-8 byte-order mark")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nthis is not really a pdf\n%%EOF", None],
    ids=["garbage-after-signature", "truncated"],
)
def test_corrupt_pdf_is_reported(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content if content is not None else _pdf_bytes()[:300])
    assert _error(path).startswith(f"{path}: corrupt PDF")


def test_encrypted_pdf_asks_to_decrypt_it_first(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert _error(path) == f"{path}: PDF is encrypted; decrypt it first"


def test_pdf_without_text_layer_asks_for_ocr(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert _error(path) == f"{path}: PDF has no text layer (a scan?); run OCR on it first"


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MAX_BYTES", "1000")
    path = tmp_path / "big.txt"
    path.write_bytes(b"Palmyra. " * 250)
    assert _error(path) == f"{path}: file is 2.2 kB; the limit is 1 kB (set SITREP_MAX_BYTES to raise it)"


def test_real_file_over_50_megabytes_is_refused_with_sizes_in_megabytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SITREP_MAX_BYTES", raising=False)
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: costs no disk and is never read
        fh.truncate(52_400_000)
    assert os.path.getsize(path) == 52_400_000
    assert _error(path) == f"{path}: file is 52.4 MB; the limit is 50 MB (set SITREP_MAX_BYTES to raise it)"


def test_line_of_more_than_a_million_characters_is_refused(tmp_path):
    path = tmp_path / "oneline.txt"
    path.write_text("A title\n" + "a" * 1_200_000 + "\nlast line\n", encoding="utf-8")
    assert _error(path) == f"{path}: line 2 is 1,200,000 characters long; the limit is 1,000,000 (not prose? split it)"


def test_line_limit_follows_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MAX_LINE", "50")
    path = tmp_path / "lines.txt"
    path.write_text("short line\n" + "word " * 20 + "\n", encoding="utf-8")
    assert _error(path) == f"{path}: line 2 is 100 characters long; the limit is 50 (not prose? split it)"


def test_nonexistent_path_is_a_failed_document(tmp_path):
    path = tmp_path / "missing.txt"
    assert _error(path) == f"{path}: no such file or directory"


def test_unreadable_file_is_a_failed_document(tmp_path, monkeypatch):
    from pathlib import Path

    path = tmp_path / "secret.txt"
    path.write_text("Idlib.", encoding="utf-8")
    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    assert _error(path) == f"{path}: cannot read: Permission denied"


def test_with_several_inputs_the_good_ones_go_on(tmp_path):
    good1 = tmp_path / "a.txt"
    good1.write_text("Raqqa fell in October.", encoding="utf-8")
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "c.pdf"
    garbage.write_bytes(b"%PDF-1.7\n\x00\x01garbage")
    good2 = tmp_path / "d.html"
    good2.write_text("<html><body><article><p>Tabqa dam was captured by the SDF after weeks of fighting.</p></article></body></html>", encoding="utf-8")
    docs = list(read_inputs([good1, tmp_path / "nope.txt", empty, garbage, good2]))
    assert [d.status for d in docs] == ["ok", "error", "error", "error", "ok"]
    assert [d.error.split(":")[0] for d in docs if not d.ok] == [str(tmp_path / "nope.txt"), str(empty), str(garbage)]


def test_unexpected_failure_in_an_extractor_fails_only_that_document(tmp_path, monkeypatch):
    import sitrep.ingest.html as html_module

    def explode(html, source):
        raise RuntimeError("parser exploded\nwith a traceback")

    monkeypatch.setattr(html_module, "extract_html", explode)
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>Hama.</p></body></html>", encoding="utf-8")
    text = tmp_path / "b.txt"
    text.write_text("Homs.", encoding="utf-8")
    docs = list(read_inputs([page, text]))
    assert docs[0].error == f"{page}: unexpected RuntimeError: parser exploded"
    assert docs[1].ok


def test_load_document_raises_input_error():
    with pytest.raises(InputError) as info:
        load_document(b"", source="empty.txt")
    assert str(info.value) == "empty.txt: file is empty"
    assert (info.value.source, info.value.reason) == ("empty.txt", "file is empty")


def test_invalid_size_limit_setting_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MAX_BYTES", "fifty")
    path = tmp_path / "a.txt"
    path.write_text("Deir ez-Zor.", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^SITREP_MAX_BYTES='fifty' is not a whole number"):
        list(read_inputs([path]))


def test_stdin_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setenv("SITREP_MAX_BYTES", "100")
    [doc] = read_inputs(["-"], stdin=io.BytesIO(b"x " * 100))
    assert doc.error == "<stdin>: input is more than 100 bytes (set SITREP_MAX_BYTES to raise the limit)"


def test_aes_encrypted_pdf_without_the_crypto_backend_says_what_to_install(tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "aes.pdf"
    with path.open("wb") as fh:
        writer.write(fh)

    def needs_backend(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_backend)
    assert _error(path) == (
        f"{path}: PDF is AES-encrypted; reading it needs the cryptography package (pip install cryptography)"
    )
