"""Page furniture: scorecard column settings, chart specs with their source note, drawn under one lock."""

import threading

import altair as alt
import pandas as pd

from dashboard import components
from dashboard.charts import export
from dashboard.views import country as profile

NOTE = "Source: Synthetic demo data — not real measurements (CC0-1.0)"


def test_scorecard_columns_name_the_peer_groups_and_draw_sparklines():
    columns = components.scorecard_columns("African Region", "Lower middle income")
    assert set(columns) == set(profile.SCORECARD_COLUMNS)
    assert columns["who_region"]["label"] == "African Region"
    assert columns["income_group"]["label"] == "Lower middle income"
    assert columns["Trend"]["type_config"]["type"] == "line_chart"
    # the widths add up to the main area beside the sidebar on a 1280-pixel screen; Unit may scroll
    assert sum(columns[c]["width"] for c in profile.SCORECARD_COLUMNS if c != "Unit") <= 830
    assert "older than the stale-year limit" in columns["Year"]["help"]


def _chart(rows: int) -> alt.Chart:
    frame = pd.DataFrame({"year": range(rows), "value": range(rows)})
    return alt.Chart(frame).mark_line().encode(x="year:Q", y="value:Q").properties(title="Coverage")


def test_spec_carries_title_and_source_note_once():
    spec = components.spec(_chart(3), NOTE)
    assert spec["title"]["text"] == "Coverage" and spec["title"]["subtitle"] == [NOTE]
    assert export.with_note(spec, NOTE)["title"]["subtitle"] == [NOTE]  # never written twice
    values = next(iter(spec["datasets"].values()))
    assert [v["value"] for v in values] == [0, 1, 2]


def test_specs_converted_on_many_threads_keep_their_own_data():
    results, errors = {}, []

    def convert(n: int) -> None:
        try:
            for _ in range(20):
                spec = components.spec(_chart(n), NOTE)
                results[n] = [v["value"] for v in next(iter(spec["datasets"].values()))]
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(2, 14)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == {n: list(range(n)) for n in range(2, 14)}


def test_large_charts_are_not_refused():
    spec = components.spec(_chart(6000), NOTE)  # above Altair's default 5,000-row limit
    assert len(next(iter(spec["datasets"].values()))) == 6000
