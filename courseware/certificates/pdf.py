"""The certificate as a one-page PDF: fpdf2, Noto CJK's Simplified Chinese face, a vector QR code.

Pure: it takes the words already in each language and returns bytes; nothing here reads a
request, a session or the database. fpdf2 embeds a subset of the font with a ToUnicode map,
so the Chinese on the certificate can be searched and copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from fontTools.ttLib import TTCollection
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
REGULAR_FONT = FONT_DIR / "NotoSerifCJK-Regular.ttc"
BOLD_FONT = FONT_DIR / "NotoSerifCJK-Bold.ttc"
SIMPLIFIED_CHINESE = "SC"  # the collection's faces end JP, KR, SC, TC, HK: each draws 汉字 its way

PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, in millimetres
MARGIN = 12.0
INK = (30, 41, 59)
ACCENT = (15, 76, 129)
GOLD = (176, 141, 87)
MUTED = (90, 100, 115)


class FontMissing(Exception):
    """The CJK font the certificate needs is not installed where it is looked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass(frozen=True)
class Face:
    """The certificate's words in one language; an empty line is left out."""

    lang: str
    title: str
    intro: str
    completed: str
    course: str
    organisation: str
    issued: str
    valid: str
    grade: str
    verify: str


@dataclass(frozen=True)
class Certificate:
    """What the page shows: the name once, then each language's words (one or two faces)."""

    name: str
    faces: tuple[Face, ...]
    verify_url: str


# Noto CJK lacks some Latin letters people's names have (Ł, Ő, ș) and other scripts: a name
# is drawn from DejaVu Serif where the CJK face has no glyph, when DejaVu is installed.
FALLBACK_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core


@dataclass(frozen=True)
class Fonts:
    regular: Path = REGULAR_FONT
    bold: Path = BOLD_FONT
    fallback_regular: Path = FALLBACK_DIR / "DejaVuSerif.ttf"
    fallback_bold: Path = FALLBACK_DIR / "DejaVuSerif-Bold.ttf"


@cache
def simplified_chinese_face(path: Path) -> int:
    """The index of the collection's Simplified Chinese face (its family name ends in "SC")."""
    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1).split()[-1] == SIMPLIFIED_CHINESE:
                return index
    finally:
        collection.close()
    raise FontMissing(path)


def certificate_pdf(certificate: Certificate, fonts: Fonts = Fonts()) -> bytes:
    """Lay the certificate out on one A4 landscape page and return the PDF."""
    for path in (fonts.regular, fonts.bold):
        if not path.is_file():
            raise FontMissing(path)
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("cert", "", fonts.regular, collection_font_number=simplified_chinese_face(fonts.regular))
    pdf.add_font("cert", "B", fonts.bold, collection_font_number=simplified_chinese_face(fonts.bold))
    if fonts.fallback_regular.is_file() and fonts.fallback_bold.is_file():
        pdf.add_font("fallback", "", fonts.fallback_regular)
        pdf.add_font("fallback", "B", fonts.fallback_bold)
        pdf.set_fallback_fonts(["fallback"])
    pdf.set_title(" / ".join(face.title for face in certificate.faces) + " · " + certificate.name)
    pdf.set_lang("zh-CN" if certificate.faces[0].lang == "zh" else "en")
    pdf.set_creator("KAM Courseware")
    pdf.add_page()
    _frame(pdf)
    _body(pdf, certificate)
    _verification(pdf, certificate)
    return bytes(pdf.output())


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN - 4, MARGIN - 4, PAGE_WIDTH - 2 * (MARGIN - 4), PAGE_HEIGHT - 2 * (MARGIN - 4))
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.4)
    pdf.rect(MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)


def _line(pdf: FPDF, text: str, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK,
          gap: float = 0.0) -> None:
    if not text:
        return
    pdf.set_font("cert", "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_x(MARGIN + 6)
    # A name or an organisation longer than the line shrinks rather than run off the page.
    width = PAGE_WIDTH - 2 * (MARGIN + 6)
    while pdf.get_string_width(text) > width and size > 8:
        size -= 1
        pdf.set_font_size(size)
    pdf.cell(width, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _body(pdf: FPDF, certificate: Certificate) -> None:
    two = len(certificate.faces) > 1
    first, second = certificate.faces[0], certificate.faces[-1] if two else None
    pdf.set_y(MARGIN + (14 if two else 30))
    _pair(pdf, first.title, second.title if second else "", 26 if two else 30, bold=True,
          color=ACCENT, gap=4 if two else 8)
    _pair(pdf, first.intro, second.intro if second else "", 12, color=MUTED, gap=3)
    _line(pdf, certificate.name, 30 if two else 34, bold=True, gap=3)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    y = pdf.get_y()
    pdf.line(PAGE_WIDTH / 2 - 55, y, PAGE_WIDTH / 2 + 55, y)
    pdf.ln(4)
    _pair(pdf, first.completed, second.completed if second else "", 12, color=MUTED, gap=2)
    _pair(pdf, first.course, second.course if second else "", 20, bold=True, color=ACCENT,
          gap=4 if two else 6)
    for attribute in ("organisation", "grade", "issued", "valid"):
        _pair(pdf, getattr(first, attribute), getattr(second, attribute) if second else "", 11,
              gap=1.5)


def _pair(pdf: FPDF, first: str, second: str, size: float, *, bold: bool = False,
          color: tuple[int, int, int] = INK, gap: float = 0.0) -> None:
    """One line, with the second language's under it a little smaller."""
    if second:
        _line(pdf, first, size, bold=bold, color=color, gap=0.8)
        _line(pdf, second, size * 0.85, bold=bold, color=color, gap=gap)
    else:
        _line(pdf, first, size, bold=bold, color=color, gap=gap)


def _verification(pdf: FPDF, certificate: Certificate) -> None:
    size = 30.0
    x, y = PAGE_WIDTH - MARGIN - 6 - size, PAGE_HEIGHT - MARGIN - 6 - size
    draw_qr(pdf, certificate.verify_url, x, y, size)
    pdf.set_text_color(*MUTED)
    left = MARGIN + 8
    width = x - left - 6
    lines = [face.verify for face in certificate.faces]
    pdf.set_y(y + size - 5.5 * (len(lines) + 1))
    for text in lines:
        pdf.set_font("cert", "", 9)
        pdf.set_x(left)
        pdf.cell(width, 5.5, text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cert", "", 8)
    pdf.set_x(left)
    pdf.cell(width, 5.5, certificate.verify_url, align="R", link=certificate.verify_url)


def draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as filled rectangles, one per run of dark modules: vector, crisp."""
    qr = segno.make_qr(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(rows):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            pdf.rect(x + start * module, y + row_index * module, (column - start) * module, module,
                     style="F")
