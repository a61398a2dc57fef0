"""The country brief: two pages made from the Country profile's numbers, with sources, dates and the marker."""

import re

import pytest

from dashboard import components, db
from dashboard.present import brief, handouts


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


@pytest.fixture
def readable_pdf(monkeypatch):
    """PDFs with uncompressed streams and a core font, so their text can be read back as bytes."""
    monkeypatch.setattr(handouts, "COMPRESS", False)
    monkeypatch.setattr(handouts, "PDF_FONTS", ())


MARKER = components.SYNTHETIC_BADGE.replace("—", "-")  # as the core font writes it


def text_of(pdf: bytes) -> str:
    """The text shown by the PDF's text operators, unescaped."""
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) ?Tj", pdf)
    return " ".join(re.sub(r"\\(.)", r"\1", s.decode("latin-1")) for s in strings)


def test_brief_is_two_pages_with_headline_scorecard_gap_and_sources(readable_pdf, demo_db):
    pdf = brief.country_brief("KEN")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 2
    text = text_of(pdf)
    assert "Country brief: Kenya" in text
    latest = db.run(demo_db.connection, "profile/latest_by_indicator", iso3="KEN", earlier_years=5)
    index = latest.set_index("indicator_code").loc["UHC_INDEX_COMPUTED"]
    assert f"UHC index \xb7 {int(index['year'])}: {round(index['estimate'])}" in text
    assert "Service delivery (" in text and "Health workforce (" in text  # scorecard blocks
    assert "better than" in text  # peer standing
    assert "Largest equity gap" in text and "richest" in text.lower()
    assert "Data sources and dates" in text and "Warehouse build" in text
    assert text.count(MARKER) == 2  # on both pages
    assert pdf.count(b"/Subtype /Image") >= 2  # the trend and the equity chart


def test_handout_pdf_carries_every_title(readable_pdf):
    from dashboard.present import model

    board = model.Storyboard("Deck", (model.Slide("First view", "Say hello.", "trends", {"countries": "KEN"}),
                                      model.Slide("Second view", "", "country", {"country": "KEN"})))
    text = text_of(handouts.to_pdf(board))
    assert "First view" in text and "Second view" in text and "Say hello." in text
    assert text.count(MARKER) == 2
