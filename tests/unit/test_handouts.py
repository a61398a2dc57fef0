"""Handouts: every slide's title, note, source line and synthetic marker, and nothing fetched from a network."""

import io
import re

import pytest

from dashboard import components
from dashboard.present import handouts, model

SLIDES = (
    model.Slide("DTP3 <in> East Africa & peers", "Say: “5 > 3” <script>alert(1)</script>", "trends",
                {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA"}),
    model.Slide("The map in 2020", "", "overview", {"indicator": "SH.IMM.IDPT", "year": "2020"}),
    model.Slide("A retired indicator", "It was dropped.", "trends", {"indicator": "RETIRED.CODE"}),
)
BOARD = model.Storyboard("Ministry briefing", SLIDES)


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def test_html_handout_is_self_contained_escaped_and_complete():
    text = handouts.to_html(BOARD).decode("utf-8")
    assert "http" not in text  # no URL at all: opening it requests nothing
    assert "<script" not in text and "src=" not in text
    assert "DTP3 &lt;in&gt; East Africa &amp; peers" in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for title in ("The map in 2020", "A retired indicator"):
        assert f"<h2>{title}</h2>" in text
    assert text.count("<svg") == 2  # two charts; the retired indicator is a placeholder
    assert "The indicator “RETIRED.CODE” is not in this warehouse" in text
    assert text.count(components.SYNTHETIC_BADGE) == 3
    assert text.count("Source: Synthetic demo data") >= 2
    assert "Ministry briefing" in text and re.search(r"warehouse build \w+", text)


def test_pptx_has_one_slide_per_view_with_picture_title_source_and_notes():
    from pptx import Presentation

    deck = Presentation(io.BytesIO(handouts.to_pptx(BOARD)))
    assert len(deck.slides) == 3
    for shown, slide in zip(deck.slides, SLIDES):
        texts = [shape.text_frame.text for shape in shown.shapes if shape.has_text_frame]
        assert texts[0] == slide.title
        assert any(t.startswith("Source:") or "not in this warehouse" in t for t in texts)
        assert any(components.SYNTHETIC_BADGE in t for t in texts)
        assert shown.notes_slide.notes_text_frame.text == slide.note
    pictures = [sum(shape.shape_type == 13 for shape in s.shapes) for s in deck.slides]
    assert pictures == [1, 1, 0]


def test_pdf_has_one_landscape_page_per_slide():
    pdf = handouts.to_pdf(BOARD)
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3
    width, height = (float(v) for v in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert width > height  # landscape


def test_present_command_writes_the_handouts(tmp_path):
    from typer.testing import CliRunner

    from dashboard.cli import app

    source = tmp_path / "board.json"
    source.write_text(model.to_json(BOARD), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["present", str(source), "--html", str(out / "b.html"), "--pptx",
                                      str(out / "b.pptx"), "--pdf", str(out / "b.pdf")])
    assert result.exit_code == 0, result.output
    assert "wrote 3 slides of “Ministry briefing”" in result.output
    assert "A retired indicator" in (out / "b.html").read_text(encoding="utf-8")
    assert (out / "b.pdf").read_bytes().startswith(b"%PDF") and (out / "b.pptx").stat().st_size > 10_000


@pytest.mark.parametrize("content,message", [
    ('{"title": "x", "slides": [{"title": "a", "page": "nowhere"}]}', "slide 1: field “page”: unknown page"),
    ("{oops", "not valid JSON"),
])
def test_present_command_names_what_is_wrong_in_one_line(tmp_path, content, message):
    from typer.testing import CliRunner

    from dashboard.cli import app

    source = tmp_path / "board.json"
    source.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["present", str(source), "--html", str(tmp_path / "b.html")])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "b.html").exists()


def test_present_command_needs_an_output(tmp_path):
    from typer.testing import CliRunner

    from dashboard.cli import app

    source = tmp_path / "board.json"
    source.write_text(model.to_json(BOARD), encoding="utf-8")
    result = CliRunner().invoke(app, ["present", str(source)])
    assert result.exit_code == 1 and "name at least one output" in result.output


def test_each_slide_is_drawn_once_per_handout(monkeypatch):
    calls = []
    original = handouts.slides.drawn
    monkeypatch.setattr(handouts.slides, "drawn", lambda page, params: calls.append(page) or original(page, params))
    handouts.make(BOARD, "html")
    assert calls == ["trends", "overview", "trends"]
