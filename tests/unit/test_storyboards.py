"""Storyboards: the state store keeps them across restarts, the JSON format round-trips, bad files are named."""

import json

import pytest

from dashboard import state
from dashboard.present import model
from dashboard.present.model import Slide, Storyboard, StoryboardError

TRENDS = Slide("Kenya's DTP3 since 2005", "Note the dip in 2015.", "trends",
               {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA", "start": "2005", "end": "2020", "log": "1"})
HOME = Slide("The map", "", "overview", {"indicator": "SH.IMM.IDPT", "year": "2020"})
PROFILE = Slide("Kenya", "Read the scorecard aloud.", "country", {"country": "KEN", "block": "Health workforce"})


def test_store_is_the_setting_and_defaults_beside_the_warehouse(temporary_state_store, monkeypatch, tmp_path):
    assert state.store_path() == temporary_state_store
    monkeypatch.setenv("HSS_STATE_STORE", "")
    monkeypatch.setenv("HSS_WAREHOUSE", str(tmp_path / "wh" / "warehouse.duckdb"))
    assert state.store_path() == tmp_path / "wh" / "state.sqlite"


def test_saved_storyboard_reloads_every_slide_exactly(temporary_state_store):
    board = state.create("Board meeting", [TRENDS, HOME])
    state.add_slide(board.id, PROFILE)
    assert temporary_state_store.is_file()
    reloaded = state.get(board.id)  # a fresh connection, as after a restart
    assert reloaded.title == "Board meeting"
    assert reloaded.slides == (TRENDS, HOME, PROFILE)
    assert reloaded.slides[0].params == {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA", "start": "2005",
                                         "end": "2020", "log": "1"}


def test_reorder_rename_duplicate_delete():
    board = state.create("Draft", [TRENDS, HOME, PROFILE])
    assert [s.title for s in state.move_slide(board.id, 2, -1).slides] == [TRENDS.title, PROFILE.title, HOME.title]
    assert [s.title for s in state.move_slide(board.id, 0, -1).slides][0] == TRENDS.title  # stays at the top
    assert state.rename(board.id, "Final").title == "Final"
    copy = state.duplicate(board.id)
    assert copy.id != board.id and copy.title == "Final (copy)" and copy.slides == state.get(board.id).slides
    assert [s.title for s in state.remove_slide(copy.id, 0).slides] == [PROFILE.title, HOME.title]
    state.delete(board.id)
    assert state.get(board.id) is None
    assert [b.title for b in state.list_storyboards()] == ["Final (copy)"]


def test_export_then_import_round_trips():
    board = state.create("Shared", [TRENDS, HOME, PROFILE])
    text = model.to_json(state.get(board.id))
    raw = json.loads(text)
    assert raw["slides"][1]["page"] == ""  # the home page as the address bar shows it
    assert raw["slides"][0] == {"title": TRENDS.title, "note": TRENDS.note, "page": "trends",
                                "params": TRENDS.params}
    imported = model.from_json(text.encode("utf-8"))
    assert imported == Storyboard("Shared", (TRENDS, HOME, PROFILE))
    again = state.create(imported.title, imported.slides)
    assert state.get(again.id).slides == (TRENDS, HOME, PROFILE)


def test_import_accepts_lists_numbers_and_flags():
    board = model.from_dict({"title": "T", "slides": [
        {"title": "a", "page": "/trends", "params": {"countries": ["KEN", "UGA"], "start": 2005, "log": True}}]})
    assert board.slides[0] == Slide("a", "", "trends", {"countries": "KEN,UGA", "start": "2005", "log": "1"})


def slide(**fields):
    return json.dumps({"title": "Deck", "slides": [dict(HOME.to_dict()), {"title": "x", "page": "trends",
                                                                          "params": {}, **fields}]})


@pytest.mark.parametrize("text,message", [
    (slide(page="nowhere"), "slide 2: field “page”: unknown page “nowhere”"),
    (slide(params={"colour": "red"}), "slide 2: field “params”: the Trends page has no parameter “colour”"),
    (slide(title=""), "slide 2: field “title” is empty"),
    (slide(title=3), "slide 2: field “title” must be text, not int"),
    (slide(params={"countries": {"a": 1}}), "slide 2: parameter “countries” must be text, a number or a list"),
    (slide(speaker="me"), "slide 2: unknown field “speaker”"),
    ('{"title": "Deck", "slides": [', "not valid JSON: Expecting value at line 1, column 30"),
    ('[1, 2]', "one JSON object"),
    ('{"title": "Deck", "slides": {}}', "field “slides” must be a list"),
])
def test_bad_files_are_named_by_slide_and_field(text, message):
    with pytest.raises(StoryboardError) as caught:
        model.from_json(text.encode("utf-8"))
    assert message in str(caught.value)


def test_oversized_and_binary_files_are_refused():
    with pytest.raises(StoryboardError, match="at most 1,000,000"):
        model.from_json(b" " * (model.MAX_FILE_BYTES + 1))
    with pytest.raises(StoryboardError, match="not UTF-8"):
        model.from_json(b"\xff\xfe\x00")


def test_a_slide_links_to_its_view_as_the_address_bar_showed_it():
    assert HOME.url == "./?indicator=SH.IMM.IDPT&year=2020"
    assert PROFILE.url == "country?country=KEN&block=Health+workforce"
