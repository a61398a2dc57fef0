"""Country profile charts: wealth-quintile dots and capacity asset-versus-need dumbbells."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import theme

ROW_HEIGHT = 30  # pixels per quintile or level row: readable on a projector, small on the page
# Streamlit fits the whole chart (title, legend and axis included) into the given height.
FRAME_HEIGHT = 100
KIND_ORDER = ["Current capacity", "Need"]


def quintile_dots(points: pd.DataFrame, *, title: str, unit: str, decimals: int) -> alt.LayerChart:
    """One dot per wealth quintile, poorest at the top, with its value written beside it.

    Columns: quintile (1..5), label ('Q1 poorest' ...), estimate, indicator, year.
    """
    fmt = f",.{int(decimals)}f"
    base = alt.Chart(points).encode(
        y=alt.Y("label:N", sort=alt.SortField("quintile", order="ascending"), title=None,
                axis=alt.Axis(labelFontSize=14, ticks=False, domain=False)),
        x=alt.X("estimate:Q", title=unit, scale=alt.Scale(zero=False, nice=True)),
        tooltip=[alt.Tooltip("indicator:N", title="Indicator"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("label:N", title="Wealth quintile"),
                 alt.Tooltip("estimate:Q", title=unit, format=fmt)],
    )
    dots = base.mark_point(filled=True, size=160, color=theme.CATEGORICAL[0])
    values = base.mark_text(align="left", dx=10, fontSize=14, color="#222").encode(
        text=alt.Text("estimate:Q", format=fmt))
    return (dots + values).properties(
        title=alt.Title(title, subtitle="by household wealth quintile"), width="container",
        height=FRAME_HEIGHT + ROW_HEIGHT * max(len(points), 1))


def capacity_dumbbell(points: pd.DataFrame, *, score_min: float, score_max: float,
                      title: str) -> alt.LayerChart:
    """Mean current capacity (asset, circle) and need (diamond) per level, joined by a line: the longer
    the line, the larger the gap a capacity-strengthening plan would have to close.

    Columns: level, kind ('Current capacity' or 'Need'), score, respondents.
    """
    order = list(dict.fromkeys(points["level"]))
    y = alt.Y("level:N", sort=order, title=None, axis=alt.Axis(labelFontSize=14, ticks=False, domain=False))
    scale = alt.Scale(domain=[score_min, score_max], zero=False, nice=False)
    x = alt.X("score:Q", title=f"Mean score ({score_min:g} = lowest, {score_max:g} = highest)", scale=scale,
              axis=alt.Axis(tickMinStep=1, format="d"))
    tooltip = [alt.Tooltip("level:N", title="Level"), alt.Tooltip("kind:N", title="Score"),
               alt.Tooltip("score:Q", title="Mean", format=".2f"),
               alt.Tooltip("respondents:Q", title="Respondents")]
    span = alt.Chart(points).mark_rule(color=theme.NO_DATA, strokeWidth=3).encode(
        y=y, x=alt.X("min(score):Q", scale=scale), x2=alt.X2("max(score):Q"))
    kind = alt.Scale(domain=KIND_ORDER, range=theme.CATEGORICAL[:2])
    dots = alt.Chart(points).mark_point(filled=True, size=180).encode(
        y=y, x=x, tooltip=tooltip,
        color=alt.Color("kind:N", scale=kind, title=None, legend=alt.Legend(orient="top")),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=KIND_ORDER, range=["circle", "diamond"]), title=None))
    return (span + dots).properties(title=title, width="container",
                                    height=FRAME_HEIGHT + 1.5 * ROW_HEIGHT * max(len(order), 1))
