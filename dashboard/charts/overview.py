"""Overview charts: the distribution of one indicator's latest values across countries, by region (the map is charts.maps)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import layout


def by_region(latest: pd.DataFrame, *, title: str, unit: str, decimals: int, region_field: str = "region",
              highlight: str | None = None) -> alt.LayerChart:
    """Box plot per region with every country as a jittered point (hover for its name).

    `latest` columns: iso3, name, estimate, year, and `region_field` (a readable region name).
    `highlight` (an iso3) is drawn larger, outlined and labelled.
    """
    data = latest.dropna(subset=["estimate"])[["iso3", "name", "estimate", "year", region_field]]
    axis_title = layout.with_unit(title, unit)
    base = alt.Chart(data).encode(
        y=alt.Y(f"{region_field}:N", title=None, sort="ascending"),
        x=alt.X("estimate:Q", title=axis_title, scale=alt.Scale(zero=False)),
    )
    box = base.mark_boxplot(extent="min-max", opacity=0.35, size=26, color="#6baed6", outliers=False)
    points = base.mark_circle(size=55, opacity=0.8, color="#08519c").encode(
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
        tooltip=[alt.Tooltip("name:N", title="Country"),
                 alt.Tooltip("estimate:Q", title=axis_title, format=f",.{decimals}f"),
                 alt.Tooltip("year:O", title="Year of value")],
    ).transform_calculate(jitter="sampleNormal(0, 0.35)")
    layers = [box, points]
    if highlight is not None and (data["iso3"] == highlight).any():
        chosen = base.transform_filter(alt.datum.iso3 == highlight)
        layers += [chosen.mark_point(size=220, shape="diamond", filled=True, color="#E69F00", stroke="black"),
                   chosen.mark_text(dy=-16, fontWeight="bold").encode(text="name:N")]
    return alt.layer(*layers).properties(width="container", height=max(220, 60 * data[region_field].nunique()),
                                         title=alt.TitleParams(f"{title}: distribution across countries",
                                                               subtitle=f"{len(data)} countries with a value"))
