"""Regenerate samples/syria_brief.pdf and samples/syria_brief.html from the PDF-extract text.

The text file is the source: its normalised form is laid out again as a real PDF (fpdf2, core
font, running header and footer on every page) and as a web page with navigation, a script, a
style sheet and a footer around the article. Ingesting any of the three must give the same
text, which tests/test_samples.py checks. The output is byte-for-byte reproducible.

    PYTHONPATH=src python scripts/make_samples.py
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from fpdf import FPDF

from sitrep.ingest.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "samples"
SOURCE = SAMPLES / "syria_brief_pdf_extract.txt"
RUNNING_HEAD = "LEVANT MONITOR | SYRIA BRIEF No. 37"
FOOTER_NOTE = "Levant Monitor - not for redistribution"
PUBLISHED = dt.datetime(2017, 9, 12, 8, 0, tzinfo=dt.timezone.utc)


def blocks(text: str) -> tuple[str, str, list[list[str]]]:
    """(title, dateline, blocks of lines) of the normalised brief."""
    first, *rest = text.split("\n\n")
    title, dateline = first.split("\n")
    return title, dateline, [block.split("\n") for block in rest]


class _Brief(FPDF):
    def header(self) -> None:
        self.set_font("helvetica", size=8)
        self.cell(0, 6, RUNNING_HEAD, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font("helvetica", size=8)
        self.cell(0, 5, FOOTER_NOTE, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def make_pdf(title: str, dateline: str, body: list[list[str]]) -> bytes:
    pdf = _Brief(format=(148, 210))
    pdf.core_fonts_encoding = "windows-1252"  # the bullet glyph is in cp1252, not latin-1
    pdf.set_creation_date(PUBLISHED)
    pdf.set_title(title)
    pdf.set_author("Levant Monitor (fictional; written by the sitrep authors)")
    pdf.set_producer("sitrep scripts/make_samples.py")
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=13)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    pdf.multi_cell(0, 5, dateline, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("helvetica", size=11)
    for block in body:
        for line in block:
            if line.startswith("- "):
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(0, 6, "\u2022 " + line[2:], new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def make_html(title: str, dateline: str, body: list[list[str]]) -> str:
    esc = html.escape
    parts: list[str] = []
    for block in body:
        items = [line for line in block if line.startswith("- ")]
        for line in block:
            if not line.startswith("- "):
                parts.append(f"      <p>{esc(line)}</p>")
        if items:
            parts.append("      <ul>")
            parts.extend(f"        <li>{esc(item[2:])}</li>" for item in items)
            parts.append("      </ul>")
    article = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(title)} | Levant Monitor</title>
  <meta name="author" content="Levant Monitor (fictional; written by the sitrep authors)">
  <meta property="article:published_time" content="{PUBLISHED.date().isoformat()}">
  <style>
    body {{ font-family: Georgia, serif; max-width: 40em; margin: auto; }}
    nav a {{ margin-right: 1em; }}
  </style>
  <script>
    window.dataLayer = window.dataLayer || [];
    function track(event) {{ window.dataLayer.push({{event: event, page: "syria-brief-37"}}); }}
  </script>
</head>
<body>
  <nav>
    <a href="/">Home</a> <a href="/briefs">Briefs</a> <a href="/maps">Maps</a>
    <a href="/subscribe">Subscribe to our newsletter</a>
  </nav>
  <main>
    <article>
      <h1>{esc(title)}</h1>
      <p>{esc(dateline)}</p>
{article}
    </article>
  </main>
  <aside class="related">
    <h2>Related briefs</h2>
    <ul><li><a href="/briefs/36">Brief No. 36: Supply lines in the Badia</a></li></ul>
  </aside>
  <footer>
    <p>Copyright 2017 Levant Monitor. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact</a></p>
  </footer>
  <script>track("view");</script>
</body>
</html>
"""


def main(out: Path = SAMPLES) -> None:
    text, _ = normalize(SOURCE.read_text(encoding="utf-8"))
    title, dateline, body = blocks(text)
    (out / "syria_brief.pdf").write_bytes(make_pdf(title, dateline, body))
    (out / "syria_brief.html").write_text(make_html(title, dateline, body), encoding="utf-8")


if __name__ == "__main__":
    main()
