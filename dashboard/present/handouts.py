"""Handouts of a storyboard that work offline: one self-contained HTML file (charts as inline SVG), a
landscape PDF (fpdf2, one slide per page) and a PowerPoint file (python-pptx, the speaker note in the
notes pane). Every slide is drawn through `slides.drawn`, as present mode draws it, with its title, note,
source line and the synthetic-data marker where the warehouse holds synthetic data."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from dashboard import components, data
from dashboard.charts import export
from dashboard.present import model, slides

FORMATS = ("html", "pdf", "pptx")
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PNG_SCALE = 1.5  # 1,440 pixels across for a 960-pixel chart: sharp on a projector, quicker to draw
COMPRESS = True  # tests turn it off to read the PDF's text
# A Unicode font for the PDF (titles and notes are any language); core fonts cover Latin-1 only.
PDF_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
             Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))


def rendered(board: model.Storyboard) -> list[tuple[model.Slide, slides.Rendered]]:
    return [(slide, slides.drawn(slide.page, slide.params)) for slide in board.slides]


def make(board: model.Storyboard, fmt: str) -> bytes:
    """The handout of `board` in `fmt` (html, pdf or pptx) as bytes."""
    return {"html": to_html, "pdf": to_pdf, "pptx": to_pptx}[fmt](board)


def _stamp() -> str:
    warehouse = data.warehouse()
    return f"Drawn {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from warehouse build {warehouse.build_id}"


# ---- HTML ------------------------------------------------------------------------------------------------

# Inline SVG needs no namespace declarations in HTML; dropping them leaves the file without any URL at all.
_NAMESPACES = re.compile(r'\s+xmlns(:[a-z]+)?="[^"]*"')

HTML_STYLE = """
body { font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #f4f4f4; }
header, section { background: white; max-width: 1040px; margin: 1.5rem auto; padding: 1.5rem 2rem; }
section { page-break-after: always; }
h1 { margin: 0 0 .3rem 0; } h2 { margin: 0 0 .6rem 0; font-size: 1.6rem; }
.marker { display: inline-block; background: #fff3e0; color: #a65300; border-radius: .4rem;
          padding: .1rem .5rem; font-size: .9rem; font-weight: 600; }
.counter { float: right; color: #666; } .chart svg { max-width: 100%; height: auto; }
.note { font-size: 1.1rem; white-space: pre-wrap; border-left: 4px solid #0072B2; padding-left: .8rem; }
.source, .meta { color: #555; font-size: .9rem; } ul.metrics { font-size: 1.1rem; }
.placeholder { background: #fff8e1; padding: 1rem; border-radius: .4rem; }
"""


def _svg(spec: dict) -> str:
    return _NAMESPACES.sub("", export.svg(spec).decode("utf-8"), count=0)


def to_html(board: model.Storyboard) -> bytes:
    """One self-contained HTML file: opening it requests nothing from any network."""
    esc = html.escape
    parts = []
    total = len(board.slides)
    for number, (slide, shown) in enumerate(rendered(board), 1):
        body = [f'<span class="counter">{number} / {total}</span><h2>{esc(slide.title)}</h2>']
        if shown.synthetic:
            body.append(f'<p><span class="marker">{esc(components.SYNTHETIC_BADGE)}</span></p>')
        if shown.message:
            body.append(f'<p class="placeholder">This slide cannot be shown from the warehouse as it is now. '
                        f'{esc(shown.message)}</p>')
        if shown.metrics:
            items = "".join(f"<li><b>{esc(label)}</b>: {esc(value)}</li>" for label, value in shown.metrics)
            body.append(f'<ul class="metrics">{items}</ul>')
        if shown.spec is not None:
            body.append(f'<div class="chart">{_svg(shown.spec)}</div>')
        if slide.note:
            body.append(f'<p class="note">{esc(slide.note)}</p>')
        body.append(f'<p class="source">{esc(shown.source)}</p>')
        body.append(f'<p class="meta">{esc(model.page_title(slide.page) if slide.page in model.PAGE_PARAMS else slide.page)}'
                    f' · {esc(_params_line(slide))}</p>')
        parts.append(f"<section>{''.join(body)}</section>")
    document = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{esc(board.title)}</title><style>{HTML_STYLE}</style></head><body>"
                f"<header><h1>{esc(board.title)}</h1><p class=\"meta\">{total} slides. {esc(_stamp())}.</p></header>"
                f"{''.join(parts)}</body></html>\n")
    return document.encode("utf-8")


def _params_line(slide: model.Slide) -> str:
    return " · ".join(f"{name} {value}" for name, value in slide.params.items()) or "default view"


# ---- images shared by PDF and PPTX -------------------------------------------------------------------------

def png(spec: dict) -> tuple[bytes, tuple[int, int]]:
    from PIL import Image

    picture = export.png(spec, scale=PNG_SCALE)
    with Image.open(io.BytesIO(picture)) as image:
        return picture, image.size


def fit(size: tuple[int, int], box_w: float, box_h: float) -> tuple[float, float]:
    """Width and height of an image of `size` pixels scaled to fit a box, keeping its proportions."""
    scale = min(box_w / size[0], box_h / size[1])
    return size[0] * scale, size[1] * scale


# ---- PDF -----------------------------------------------------------------------------------------------------

class Pdf:
    """An fpdf2 document in landscape with a Unicode font when the system has one."""

    def __init__(self, orientation: str = "L"):
        from fpdf import FPDF

        self.pdf = FPDF(orientation=orientation, unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_compression(COMPRESS)
        self.pdf.set_margins(14, 12, 14)
        self.unicode = bool(PDF_FONTS) and all(path.is_file() for path in PDF_FONTS)
        if self.unicode:
            self.pdf.add_font("body", "", str(PDF_FONTS[0]))
            self.pdf.add_font("body", "B", str(PDF_FONTS[1]))

    def font(self, size: float, bold: bool = False) -> None:
        if self.unicode:
            self.pdf.set_font("body", "B" if bold else "", size)
        else:
            self.pdf.set_font("helvetica", "B" if bold else "", size)

    def text(self, text: str) -> str:
        if self.unicode:
            return text
        return (text.replace("—", "-").replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'")
                .encode("latin-1", "replace").decode("latin-1"))

    def lines(self, text: str, size: float, *, bold: bool = False, colour=(34, 34, 34), height: float | None = None):
        self.font(size, bold)
        self.pdf.set_text_color(*colour)
        self.pdf.multi_cell(0, height or size * 0.5, self.text(text), new_x="LMARGIN", new_y="NEXT")


def _pdf_slide(doc: Pdf, slide: model.Slide, shown: slides.Rendered, number: int, total: int) -> None:
    pdf = doc.pdf
    pdf.add_page()
    if shown.synthetic:
        doc.font(10, bold=True)
        pdf.set_text_color(166, 83, 0)
        pdf.cell(0, 5, doc.text(f"{components.SYNTHETIC_BADGE}    {number} / {total}"), align="R",
                 new_x="LMARGIN", new_y="NEXT")
    else:
        doc.lines(f"{number} / {total}", 10, colour=(100, 100, 100))
    doc.lines(slide.title, 22, bold=True, height=10)
    if shown.message:
        doc.lines(f"This slide cannot be shown from the warehouse as it is now. {shown.message}", 13,
                  colour=(150, 80, 0), height=7)
    if shown.metrics:
        doc.lines("   ·   ".join(f"{label}: {value}" for label, value in shown.metrics), 11, height=5.5)
    note_space = 6 + 5.5 * min(6, 1 + len(slide.note) // 150) if slide.note else 0
    bottom = pdf.h - 12 - 10 - note_space
    if shown.spec is not None:
        picture, size = png(shown.spec)
        top = pdf.get_y() + 2
        width, height = fit(size, pdf.w - 28, max(bottom - top, 30))
        pdf.image(io.BytesIO(picture), x=(pdf.w - width) / 2, y=top, w=width, h=height)
        pdf.set_y(top + height + 2)
    if slide.note:
        doc.lines(slide.note, 12, height=5.5)
    pdf.set_y(pdf.h - 18)
    doc.lines(shown.source, 8.5, colour=(85, 85, 85), height=4)


def to_pdf(board: model.Storyboard) -> bytes:
    """A landscape PDF, one slide per page."""
    doc = Pdf()
    doc.pdf.set_title(doc.text(board.title))
    doc.pdf.set_creator("HSS dashboard")
    items = rendered(board)
    for number, (slide, shown) in enumerate(items, 1):
        _pdf_slide(doc, slide, shown, number, len(items))
    return bytes(doc.pdf.output())


# ---- PowerPoint ----------------------------------------------------------------------------------------------

def to_pptx(board: model.Storyboard) -> bytes:
    """A 16:9 PowerPoint file: per slide the title, the chart as a picture, the source line and the
    synthetic marker; the speaker note in the notes pane."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    deck.core_properties.title = board.title

    def text(slide, left, top, width, height, value, size, *, bold=False, colour=(34, 34, 34), align=None):
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.text = value
        if align is not None:
            paragraph.alignment = align
        paragraph.font.size, paragraph.font.bold = Pt(size), bold
        paragraph.font.color.rgb = RGBColor(*colour)

    from pptx.enum.text import PP_ALIGN

    items = rendered(board)
    for number, (slide, shown) in enumerate(items, 1):
        page = deck.slides.add_slide(blank)
        text(page, 0.5, 0.3, 10.2, 0.9, slide.title, 30, bold=True)
        marker = f"{components.SYNTHETIC_BADGE}   " if shown.synthetic else ""
        text(page, 10.7, 0.35, 2.2, 0.5, f"{marker}{number} / {len(items)}", 11, bold=True,
             colour=(166, 83, 0) if shown.synthetic else (100, 100, 100), align=PP_ALIGN.RIGHT)
        top = 1.25
        if shown.metrics:
            text(page, 0.5, top, 12.3, 0.5, "   ·   ".join(f"{label}: {value}" for label, value in shown.metrics), 13)
            top += 0.55
        if shown.message:
            text(page, 0.5, top, 12.3, 1.0, f"This slide cannot be shown from the warehouse as it is now. "
                 f"{shown.message}", 18, colour=(150, 80, 0))
        if shown.spec is not None:
            picture, size = png(shown.spec)
            width, height = fit(size, 12.3, 6.7 - top)
            page.shapes.add_picture(io.BytesIO(picture), Emu(int(Inches((13.333 - width) / 2))), Inches(top),
                                    Inches(width), Inches(height))
        text(page, 0.5, 6.85, 12.3, 0.5, shown.source, 10, colour=(85, 85, 85))
        page.notes_slide.notes_text_frame.text = slide.note
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def write(board: model.Storyboard, fmt: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make(board, fmt))
