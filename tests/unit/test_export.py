"""Chart images: rendered offline, with the source note written on them."""

import altair as alt
import pandas as pd

from dashboard.charts import export

NOTE = "Source: Synthetic demo data — not real measurements (CC0-1.0)"


def spec():
    frame = pd.DataFrame({"year": [2000, 2001], "value": [1.0, 2.0]})
    return alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q").properties(
        width="container", title="Coverage").to_dict()


def test_svg_carries_the_title_and_source_note():
    svg = export.svg(spec(), NOTE).decode("utf-8")
    assert svg.startswith("<svg") and "Coverage" in svg and "not real measurements" in svg


def test_png_is_a_png_at_the_export_width():
    png = export.png(spec(), NOTE, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width >= export.WIDTH


def test_export_does_not_change_the_chart_shown_in_the_app():
    original = spec()
    export.svg(original, NOTE)
    assert original["width"] == "container" and original["title"] == "Coverage"
