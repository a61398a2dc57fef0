"""Storyboards: "Add to storyboard" saves a page's view exactly; the Storyboards page lists, reorders and
presents slides; present mode steps through them with placeholders for views that have vanished."""

import json

import pytest

from dashboard import navigation
from dashboard import state as store
from dashboard.present import model
from tests.pages import apptest
from tests.pages.apptest import run_page

PAGE = "pages/storyboards.py"
TRENDS = model.Slide("DTP3 in East Africa", "Point at Uganda.", "trends",
                     {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA", "start": "2005", "end": "2020"})
PROFILE = model.Slide("Kenya at a glance", "", "country", {"country": "KEN"})
VANISHED = model.Slide("A retired indicator", "", "trends", {"indicator": "RETIRED.CODE", "countries": "KEN"})


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def texts(app) -> str:
    return " ".join([m.value for m in app.markdown] + [c.value for c in app.caption])


def test_add_to_storyboard_saves_the_view_and_the_slide_reopens_it_exactly():
    app = run_page("pages/trends.py", indicator="SH.IMM.IDPT", countries="KEN,UGA", start="2008", end="2018",
                   indexed="1")
    assert not app.exception, app.exception
    app.text_input(key="storyboard.add.new").input("Board meeting")
    app.text_input(key="storyboard.add.title").input("Indexed DTP3")
    app.text_area(key="storyboard.add.note").input("Both start at 100.")
    app.button(key="FormSubmitter:storyboard.add.form-Add this view").click().run()
    assert not app.exception, app.exception
    [board] = store.list_storyboards()
    [slide] = board.slides
    assert (board.title, slide.title, slide.note, slide.page) == ("Board meeting", "Indexed DTP3",
                                                                  "Both start at 100.", "trends")
    assert slide.params == apptest.link(app, model.PAGE_PARAMS["trends"])
    assert slide.params["countries"] == "KEN,UGA" and slide.params["indexed"] == "1"
    reopened = run_page("pages/trends.py", **slide.params)
    assert reopened.multiselect(key="trends.countries").value == ["KEN", "UGA"]
    assert reopened.slider(key="trends.years").value == (2008, 2018)
    assert reopened.toggle(key="trends.indexed").value is True


@pytest.mark.parametrize("page", [p for p in navigation.PAGES if p.url_path in model.PAGE_PARAMS],
                         ids=lambda p: p.url_path)
def test_every_page_offers_add_to_storyboard_and_declares_its_url_parameters(page):
    app = run_page(page.path)
    assert not app.exception, app.exception
    assert app.text_input(key="storyboard.add.title") is not None
    assert set(app.query_params) <= set(model.PAGE_PARAMS[page.url_path])


def test_storyboards_page_lists_slides_and_reorders_them():
    board = store.create("Ministry briefing", [TRENDS, PROFILE, VANISHED])
    app = run_page(PAGE)
    assert not app.exception, app.exception
    assert app.title[0].value == "Storyboards"
    assert app.selectbox(key="storyboards.board").value == board.id
    shown = texts(app)
    assert "**1. DTP3 in East Africa**" in shown and "**2. Kenya at a glance**" in shown
    assert "Trends · indicator SH.IMM.IDPT · countries KEN,UGA" in shown
    app.button(key="storyboards-down-0").click().run()
    assert [s.title for s in store.get(board.id).slides] == [PROFILE.title, TRENDS.title, VANISHED.title]
    app.button(key="storyboards-duplicate").click().run()
    assert [b.title for b in store.list_storyboards()] == ["Ministry briefing (copy)", "Ministry briefing"]


def test_storyboards_page_without_storyboards_says_how_to_make_one():
    app = run_page(PAGE)
    assert not app.exception
    assert "Add to storyboard" in app.warning[0].value


def test_present_mode_steps_through_slides_with_a_counter_and_placeholder():
    board = store.create("Ministry briefing", [TRENDS, PROFILE, VANISHED])
    app = run_page(PAGE, board=str(board.id), present="1", slide="1")
    assert not app.exception, app.exception
    assert app.title[0].value == "DTP3 in East Africa"
    assert "1 / 3" in texts(app)
    [chart] = app.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["config"]["line"]["strokeWidth"] == 5  # present mode's thicker marks
    assert "DTP3 coverage" in json.dumps(spec["title"])
    assert "Synthetic demo data" in json.dumps(spec["title"])  # the source note, on the chart
    assert "Demo data — synthetic" in texts(app)  # the badge
    assert app.button(key="present-prev").disabled
    app.button(key="present-next").click().run()
    assert app.title[0].value == "Kenya at a glance" and "2 / 3" in texts(app)
    assert app.query_params["slide"] == ["2"] or app.query_params["slide"] == "2"
    assert app.metric[0].label.startswith("UHC index · ")
    app.button(key="present-next").click().run()
    assert app.title[0].value == "A retired indicator" and "3 / 3" in texts(app)
    assert "The indicator “RETIRED.CODE” is not in this warehouse" in app.warning[0].value
    assert app.button(key="present-next").disabled
    app.button(key="present-exit").click().run()
    assert app.title[0].value == "Storyboards"


def test_live_controls_change_the_country_and_return_to_the_script():
    board = store.create("Profiles", [PROFILE])
    app = run_page(PAGE, board=str(board.id), present="1")
    key = f"present.live.{board.id}.1.country"
    assert app.selectbox(key=key).value == "KEN"
    app.selectbox(key=key).set_value("UGA").run()
    assert app.metric[0].label.startswith("UHC index · ")
    assert "Uganda" in app.get("vega_lite_chart")[0].proto.spec
    app.button(key=f"present.live.{board.id}.1.reset").click().run()
    assert app.selectbox(key=key).value == "KEN"
    assert store.get(board.id).slides == (PROFILE,)  # the script itself is unchanged


def test_country_profile_offers_its_brief_beside_the_title():
    app = run_page("pages/country.py", country="UGA")
    assert not app.exception, app.exception
    labels = [button.label for button in app.get("download_button")]
    assert "Country brief (PDF)" in labels
