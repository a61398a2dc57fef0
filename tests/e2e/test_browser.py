"""The whole app in headless Chromium: the Overview page renders its map and table, with no exception."""

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
    assert headers[:4] == ["Rank", "Country", "ISO3", "Value"]
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
