"""The whole app in headless Chromium: pages render, play, export and fit a projector screen, offline."""

from pathlib import Path

RENDER_TIMEOUT = 30_000  # ms


def test_overview_renders_map_and_table(dashboard_url, page, tmp_path):
    page.goto(f"{dashboard_url}/?indicator=SH.IMM.IDPT&year=2020")
    page.get_by_role("heading", name="Overview map").wait_for(timeout=RENDER_TIMEOUT)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(timeout=RENDER_TIMEOUT)
    shapes = chart.locator("g.mark-shape path")
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stVegaLiteChart'] g.mark-shape path\").length > 150",
        timeout=RENDER_TIMEOUT)
    fills = set(shapes.evaluate_all("paths => paths.map(p => p.getAttribute('fill'))"))
    assert len(fills) >= 6  # five colour classes plus grey "No data"
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=RENDER_TIMEOUT)
    table.locator("[role='columnheader']").first.wait_for(state="attached", timeout=RENDER_TIMEOUT)
    headers = table.locator("[role='columnheader']").all_text_contents()
    assert headers[:3] == ["Rank", "Country", "Value"]
    assert table.locator("[role='row']").count() > 10
    assert page.get_by_text("Demo data — synthetic").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(tmp_path / "overview.png"))


def test_clicking_a_country_on_the_map_opens_its_profile(dashboard_url, page, tmp_path):
    page.goto(f"{dashboard_url}/?indicator=SH.IMM.IDPT&year=2020")
    page.get_by_role("heading", name="Overview map").wait_for(timeout=RENDER_TIMEOUT)
    kenya = page.locator("[data-testid='stVegaLiteChart'] g.mark-shape path[aria-label*='Country: Kenya;']")
    kenya.wait_for(timeout=RENDER_TIMEOUT)
    box = kenya.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("heading", name="Country profile: Kenya").wait_for(timeout=RENDER_TIMEOUT)
    page.wait_for_url("**/country?**country=KEN**", timeout=RENDER_TIMEOUT)
    page.locator("[data-testid='stMetric']").first.wait_for(timeout=RENDER_TIMEOUT)
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=RENDER_TIMEOUT)
    assert page.get_by_role("tab", name="Service delivery").get_attribute("aria-selected") == "true"
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(tmp_path / "country.png"))


FIRST_CHART = {  # each page's first chart or table, which must start in the top half of a 1280x720 screen
    "/?indicator=SH.IMM.IDPT&year=2020": "[data-testid='stVegaLiteChart']",
    "/trends?indicator=SH.IMM.IDPT&countries=KEN,UGA,TZA": "[data-testid='stVegaLiteChart']",
    "/country?country=COD": "[data-testid='stMetric']",
    "/coverage?country=KEN": "[data-testid='stVegaLiteChart']",
    "/equity?country=KEN": "[data-testid='stVegaLiteChart']",
    "/capacity": "[data-testid='stVegaLiteChart']",
    "/about": "[data-testid='stDataFrame']",
}


def test_every_page_starts_its_first_chart_in_the_top_half_and_fetches_nothing_external(dashboard_url, page,
                                                                                          tmp_path):
    external = []
    page.on("request", lambda request: external.append(request.url)
            if not request.url.startswith((dashboard_url, "data:", "blob:")) else None)
    for path, selector in FIRST_CHART.items():
        page.goto(f"{dashboard_url}{path}")
        first = page.locator(f"{selector}:visible").first
        first.wait_for(timeout=RENDER_TIMEOUT)
        # The script has finished (nothing still streaming in above the chart), then the layout settles.
        page.locator("[data-test-script-state='notRunning']").wait_for(state="attached", timeout=RENDER_TIMEOUT)
        page.wait_for_timeout(500)
        box = first.bounding_box()
        page.screenshot(path=str(tmp_path / f"{path.strip('/').split('?')[0] or 'overview'}.png"))
        assert box["y"] < 360, f"{path}: first chart starts at y={box['y']:.0f} of 720"
        assert page.locator("[data-testid='stException']").count() == 0, path
    assert external == []  # works offline: no fonts, icons or scripts from the network


def test_tabs_and_titles_are_not_cut(dashboard_url, page):
    page.goto(f"{dashboard_url}/country?country=COD")
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=RENDER_TIMEOUT)
    tab_list = page.get_by_role("tablist").first
    overflowing = tab_list.evaluate("list => list.scrollWidth > list.clientWidth + 1")
    assert not overflowing, "building-block tabs do not fit"
    title = page.get_by_role("heading", name="Country profile: Democratic Republic of the Congo")
    assert title.evaluate("h => h.scrollWidth <= h.clientWidth + 1")


def test_play_moves_the_year_on_without_an_error(dashboard_url, page):
    page.goto(f"{dashboard_url}/?indicator=SH.IMM.IDPT&year=2021")
    page.get_by_role("heading", name="Overview map").wait_for(timeout=RENDER_TIMEOUT)
    page.get_by_role("button", name="Play").click()
    page.wait_for_url("**year=2022**", timeout=RENDER_TIMEOUT)
    page.get_by_role("button", name="Play").wait_for(timeout=RENDER_TIMEOUT)  # stopped at the last year
    page.wait_for_url("**year=2024**", timeout=RENDER_TIMEOUT)
    assert page.locator("[data-testid='stException']").count() == 0


def _download(page, expander: str, button: str, nth: int = 0) -> bytes:
    page.get_by_text(expander, exact=True).nth(nth).click()
    with page.expect_download(timeout=RENDER_TIMEOUT) as info:
        page.get_by_role("button", name=button).nth(nth).click()
    return Path(info.value.path()).read_bytes()


def test_map_svg_download_carries_title_year_and_source_note(dashboard_url, page):
    page.goto(f"{dashboard_url}/?indicator=SH.IMM.IDPT&year=2020")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=RENDER_TIMEOUT)
    svg = _download(page, "Data and downloads", "SVG").decode("utf-8")
    assert "DTP3 coverage (%), 2020" in svg
    assert "Synthetic demo data" in svg and "not real measurements" in svg


def test_capacity_export_names_the_country(dashboard_url, page):
    page.goto(f"{dashboard_url}/country?country=KEN")
    page.get_by_role("heading", name="Capacity survey").wait_for(timeout=RENDER_TIMEOUT)
    expanders = page.get_by_text("Data and downloads", exact=True)
    expanders.last.click()
    with page.expect_download(timeout=RENDER_TIMEOUT) as info:
        page.get_by_role("button", name="SVG").last.click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Kenya: current capacity and need" in svg and "Synthetic demo data" in svg


def test_capacity_page_renders_every_view_without_an_exception(dashboard_url, page):
    for tab in ("Overview", "Breakdowns", "Answers", "Compare two groups", "Change between rounds",
                "Against indicators"):
        page.goto(f"{dashboard_url}/capacity?tab={tab.replace(' ', '+')}&by=career_stage")
        page.locator("[data-testid='stVegaLiteChart']:visible").first.wait_for(timeout=RENDER_TIMEOUT)
        assert page.locator("[data-testid='stException']").count() == 0, tab
        assert page.get_by_text("Demo data — synthetic").count() >= 1, tab


def test_first_start_shows_the_apps_navigation_while_it_builds(browser, tmp_path):
    from dashboard.localserver import running_dashboard

    fresh = tmp_path / "fresh" / "warehouse.duckdb"
    with running_dashboard(fresh, tmp_path / "first-start.log") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        try:
            page.goto(url)
            page.get_by_text("First start: building the demo warehouse").wait_for(timeout=RENDER_TIMEOUT)
            assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no raw list of page files
            assert page.get_by_text("Explore").count() >= 1  # the app's own navigation, at the top
            page.get_by_role("heading", name="Overview map").wait_for(timeout=120_000)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            page.close()
    assert fresh.exists()


def test_present_mode_steps_through_a_three_slide_storyboard_by_keyboard(dashboard_url, page, server_state_store,
                                                                        monkeypatch):
    from playwright.sync_api import expect

    from dashboard import state as store
    from dashboard.present import model

    monkeypatch.setenv("HSS_STATE_STORE", str(server_state_store))  # write where the server reads
    titles = ["DTP3 in East Africa", "The map in 2020", "Kenya at a glance"]
    board = store.create("Browser deck", [
        model.Slide(titles[0], "Point at Uganda.", "trends", {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA"}),
        model.Slide(titles[1], "", "overview", {"indicator": "SH.IMM.IDPT", "year": "2020"}),
        model.Slide(titles[2], "", "country", {"country": "KEN"}),
    ])
    page.goto(f"{dashboard_url}/storyboards?board={board.id}")
    page.get_by_text("1. DTP3 in East Africa").wait_for(timeout=RENDER_TIMEOUT)
    page.locator(".st-key-storyboards-present button").click()
    page.get_by_role("heading", name=titles[0]).wait_for(timeout=RENDER_TIMEOUT)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=RENDER_TIMEOUT)
    assert page.get_by_text("Explore").count() == 0  # no navigation in present mode
    expect(page.locator(".st-key-present-counter")).to_have_text("1 / 3", timeout=RENDER_TIMEOUT)
    for key, number in (("ArrowRight", 2), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1), ("ArrowRight", 2)):
        page.keyboard.press(key)
        page.get_by_role("heading", name=titles[number - 1]).wait_for(timeout=RENDER_TIMEOUT)
        page.wait_for_url(f"**slide={number}**", timeout=RENDER_TIMEOUT)
        expect(page.locator(".st-key-present-counter")).to_have_text(f"{number} / 3", timeout=RENDER_TIMEOUT)
    assert page.locator("[data-testid='stException']").count() == 0
