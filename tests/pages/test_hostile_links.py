"""Every URL parameter of every page, given hostile values (SQL fragments, script tags, 5,000-character values,
unknown codes, impossible years), falls back with a note: no exception, the page's title, nothing live."""

from __future__ import annotations

import re

import pytest

from dashboard import navigation
from dashboard.present.model import PAGE_PARAMS
from tests.pages.apptest import run_page

HOSTILE = ("1' OR '1'='1'; DROP TABLE dim_country; --", "<script>alert(1)</script>[x](http://evil)",
           "ZZZ_UNKNOWN,QQQ", "99999", "-1", "x" * 5_000)
LIVE = re.compile(r"(?<!\\)\]\(|(?<!\\)<script|://", re.IGNORECASE)
TITLES = {p.url_path: p.title for p in navigation.PAGES}
PAGES = [page for page, params in PAGE_PARAMS.items() if params]


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def _check(app, page):
    assert not app.exception, app.exception
    assert app.title and app.title[0].value.startswith(TITLES[page].split(" ")[0])
    notes = [element.value for element in app.info]
    assert notes, "a hostile link must leave a note"
    texts = notes + [e.value for kind in ("markdown", "caption", "warning", "error") for e in app.get(kind)]
    assert [t for t in texts if LIVE.search(t)] == []
    assert all(len(note) < 1_000 for note in notes)  # a 5,000-character value is never repeated whole
    return notes


@pytest.mark.parametrize("page", PAGES)
def test_every_parameter_with_a_hostile_value_falls_back_with_a_note(page):
    """Each parameter gets a different kind of hostile value (rotating), in one run per page."""
    params = PAGE_PARAMS[page]
    query = {name: HOSTILE[i % len(HOSTILE)] for i, name in enumerate(params)}
    _check(run_page(f"pages/{page}.py", **query), page)


@pytest.mark.parametrize("page", PAGES)
def test_every_parameter_at_5000_characters_falls_back_with_a_note(page):
    query = {name: "<script>" + "A" * 5_000 for name in PAGE_PARAMS[page]}
    notes = _check(run_page(f"pages/{page}.py", **query), page)
    assert any("…" in note for note in notes)  # the value is cut when it is named


def test_tables_and_charts_over_the_row_cap_are_cut_with_a_note(monkeypatch):
    monkeypatch.setenv("HSS_MAX_BROWSER_ROWS", "5")
    app = run_page("pages/overview.py")
    assert not app.exception
    assert any(c.value.startswith("The first 5 of ") for c in app.caption)
    assert all(len(frame.value) <= 5 for frame in app.dataframe)
    assert any("would send" in w.value and "HSS_MAX_BROWSER_ROWS" in w.value for w in app.warning)  # the map


@pytest.mark.parametrize("value", [HOSTILE[0], HOSTILE[1], HOSTILE[-1]])
def test_storyboards_parameters_with_a_hostile_value_fall_back_with_a_note(value):
    from dashboard import state as store
    from dashboard.present import model

    store.create("Briefing", [model.Slide("Kenya", "", "country", {"country": "KEN"})])
    app = run_page("pages/storyboards.py", board=value, present=value, slide=value)
    _check(app, "storyboards")
