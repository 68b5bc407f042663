"""Reading PDFs: text per page, furniture removed, paragraphs kept, offsets into the extraction."""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

from sitrep.ingest import load_document, read_inputs

PARAGRAPHS = [
    "Syrian government forces backed by Russian airstrikes advanced on Tuesday along the highway "
    "from Palmyra toward Deir ez-Zor, a military source said.",
    "The Syrian Democratic Forces said they had reached the al-Omar oil field east of the Euphrates, "
    "a claim that could not be independently verified.",
]


class _Report(FPDF):
    furniture = True

    def header(self):
        if not self.furniture:
            return
        self.set_font("helvetica", size=8)
        self.cell(0, 6, "CONFLICT MONITOR WEEKLY", align="R", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        if not self.furniture:
            return
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def _pdf(paragraphs: list[str], *, pages: int = 1, title: str | None = None, furniture: bool = True) -> bytes:
    pdf = _Report()
    pdf.furniture = furniture
    pdf.set_creation_date(dt.datetime(2017, 9, 12, tzinfo=dt.timezone.utc))
    if title:
        pdf.set_title(title)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
    return bytes(pdf.output())


def test_pdf_text_is_extracted_with_its_title(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(PARAGRAPHS, title="Weekly report 37"))
    doc = load_document(path, source="report.pdf")
    assert doc.ok
    assert doc.title == "Weekly report 37"
    assert "advanced on Tuesday along the highway from Palmyra toward Deir ez-Zor" in doc.text


def test_wrapped_lines_are_joined_and_paragraph_gaps_become_paragraph_breaks(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(PARAGRAPHS, furniture=False))
    doc = load_document(path, source="report.pdf")
    assert doc.text == "\n\n".join(PARAGRAPHS)


def test_running_header_and_page_numbers_are_removed_from_every_page(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(PARAGRAPHS, pages=3))
    doc = load_document(path, source="report.pdf")
    assert "CONFLICT MONITOR" not in doc.text
    assert "Page" not in doc.text
    assert doc.text.count("al-Omar oil field") == 3
    assert "CONFLICT MONITOR WEEKLY" in doc.raw and "\f" in doc.raw


def test_mentions_in_pdf_text_point_into_the_extracted_raw_text(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(PARAGRAPHS))
    doc = load_document(path, source="report.pdf")
    for name in ("Palmyra", "Deir ez-Zor", "Euphrates", "independently verified"):
        start = doc.text.index(name)
        mention = doc.mention(start, start + len(name))
        assert " ".join(doc.raw[mention.raw_start : mention.raw_end].split()) == name


def test_pdf_found_in_a_folder_is_read(tmp_path):
    (tmp_path / "report.pdf").write_bytes(_pdf(PARAGRAPHS))
    [doc] = read_inputs([tmp_path])
    assert doc.ok and "Palmyra" in doc.text


def test_pdf_without_suffix_is_recognised_by_its_signature(tmp_path):
    path = tmp_path / "download"
    path.write_bytes(_pdf(PARAGRAPHS))
    [doc] = read_inputs([path])
    assert doc.ok and "Palmyra" in doc.text


def test_pdf_encrypted_with_an_empty_user_password_is_read(tmp_path):
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(BytesIO(_pdf(PARAGRAPHS))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "Palmyra" in load_document(path, source="restricted.pdf").text


def test_sentence_across_a_page_break_is_joined(tmp_path):
    pdf = _Report()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "First page text ends here.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(260)
    pdf.multi_cell(0, 6, "The offensive toward the", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "industrial zone began at dawn.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "split.pdf"
    path.write_bytes(bytes(pdf.output()))
    doc = load_document(path, source="split.pdf")
    assert "The offensive toward the industrial zone began at dawn." in doc.text
