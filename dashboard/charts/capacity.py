"""Capacity charts: the competency x level heatmap, ranked bars, a breakdown heatmap, the diverging stacked bar
of answers, two groups' differences with 95% intervals, change between rounds and capacity against an
indicator. Suppressed cells are drawn grey, with 'suppressed' in the tooltip and no number."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import theme

LEVELS = ["individual", "organisational", "network"]
AUTOSIZE = {"type": "fit-x", "contains": "padding"}  # fill the width, keep the height the rows need
CELL = 26  # pixels per heatmap row: ten competency domains fit the top half of a 720-pixel screen
SCALES = {"gap": alt.Scale(domain=[0, 3], range=[theme.DIVERGING[3], theme.DIVERGING[0]], clamp=True),
          "mean_asset": alt.Scale(domain=[1, 5], range=theme.SEQUENTIAL[:6]),
          "mean_need": alt.Scale(domain=[1, 5], range=[theme.DIVERGING[3], theme.DIVERGING[1], theme.DIVERGING[0]])}


def _tooltip(value_title: str, *extra) -> list:
    return [*extra, alt.Tooltip("level:N", title="Level"), alt.Tooltip("competency:N", title="Competency domain"),
            alt.Tooltip("value:Q", title=value_title, format=".2f"), alt.Tooltip("n:Q", title="Respondents"),
            alt.Tooltip("suppressed:N", title="Suppressed")]


def heatmap(frame: pd.DataFrame, *, title: str, measure: str, measure_title: str, y: str = "competency",
            x: str = "level", x_sort=None, width: int | str = "container") -> alt.LayerChart:
    """Cells coloured by `value` (the measure), labelled with it; suppressed cells grey and unlabelled.

    `frame`: dashboard.views.capacity.heatmap_table or breakdown_heatmap (x, y, value, n, suppressed)."""
    rows = frame[y].nunique()
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", title=None, sort=x_sort or LEVELS,
                axis=alt.Axis(orient="top", labelAngle=0 if x == "level" else -30, labelLimit=200)),
        y=alt.Y(f"{y}:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=290)))
    shown = base.transform_filter("!datum.suppressed").mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=measure_title, scale=SCALES[measure],
                        legend=alt.Legend(orient="right", gradientLength=min(260, max(80, rows * CELL - 40)))),
        tooltip=_tooltip(measure_title, alt.Tooltip(f"{y}:N")) if y != "competency" else _tooltip(measure_title))
    hidden = base.transform_filter("datum.suppressed").mark_rect(color=theme.NO_DATA, stroke="white").encode(
        tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:N"), alt.Tooltip("suppressed:N", title="Suppressed")])
    labels = base.transform_filter("!datum.suppressed && isValid(datum.value)").mark_text(fontSize=12).encode(
        text=alt.Text("value:Q", format=".1f"),
        color=alt.condition(f"datum.value > {2.0 if measure == 'gap' else 3.8}", alt.value("white"),
                            alt.value("#222")))
    return alt.layer(shown, hidden, labels).properties(
        title=alt.Title(title), width=width, height=rows * CELL, autosize=AUTOSIZE)


def ranked_bars(frame: pd.DataFrame, *, title: str, value_title: str, kind: str) -> alt.LayerChart:
    """Horizontal bars, largest first: gaps in the need colour, assets in green. `frame`: views.capacity.ranked
    (label, value, n)."""
    colour = theme.DIVERGING[0] if kind == "gap" else theme.CATEGORICAL[2]
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
        x=alt.X("value:Q", title=value_title, scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("label:N", title="Cell"), alt.Tooltip("value:Q", title=value_title, format=".2f"),
                 alt.Tooltip("n:Q", title="Respondents")])
    bars = base.mark_bar(color=colour, height=16)
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text("value:Q", format=".2f"))
    return alt.layer(bars, text).properties(title=alt.Title(title), width="container", height=max(len(frame), 1) * 24,
                                            autosize=AUTOSIZE)


def diverging_answers(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """Diverging stacked bars of answer shares per group, centred on the middle answer; one row per group
    and kind. `frame`: views.capacity.distribution_table (suppressed groups are left out of the bars)."""
    shown = frame[~frame["suppressed"].astype(bool)]
    answers = list(dict.fromkeys(shown.sort_values("score")["answer"]))
    palette = [theme.DIVERGING[i] for i in (0, 1, 3, 5, 6)][:len(answers)]
    return alt.Chart(shown).mark_bar(height=18).encode(
        x=alt.X("start:Q", title="Share of answers (left: below the middle answer)", axis=alt.Axis(format="%")),
        x2="end:Q",
        y=alt.Y("group:N", title=None, sort=list(dict.fromkeys(frame["group"])), axis=alt.Axis(labelLimit=260)),
        row=alt.Row("kind:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=13)),
        color=alt.Color("answer:N", title="Answer", sort=answers, scale=alt.Scale(domain=answers, range=palette),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("kind:N", title="Asked as"),
                 alt.Tooltip("answer:N", title="Answer"), alt.Tooltip("answers:Q", title="Answers"),
                 alt.Tooltip("share:Q", title="Share", format=".0%"), alt.Tooltip("n:Q", title="Respondents")],
    ).properties(title=alt.Title(title), width=620, height=alt.Step(24))


def difference_dots(frame: pd.DataFrame, *, title: str, subtitle: str) -> alt.LayerChart:
    """Difference of two groups' means per competency (dot) with its 95% interval (rule), by level.
    `frame`: views.capacity.comparison_table (suppressed cells left out)."""
    shown = frame[~frame["suppressed"].astype(bool)]
    base = alt.Chart(shown).encode(
        y=alt.Y("competency:N", title=None, axis=alt.Axis(labelLimit=290)),
        color=alt.Color("level:N", title="Level", sort=LEVELS, scale=alt.Scale(domain=LEVELS,
                        range=theme.CATEGORICAL[:3]), legend=alt.Legend(orient="top")),
        yOffset=alt.YOffset("level:N", sort=LEVELS),
        tooltip=[alt.Tooltip("competency:N", title="Competency"), alt.Tooltip("level:N", title="Level"),
                 alt.Tooltip("first:Q", title="First group", format=".2f"),
                 alt.Tooltip("second:Q", title="Second group", format=".2f"),
                 alt.Tooltip("difference:Q", title="Difference", format="+.2f"),
                 alt.Tooltip("lower:Q", title="95% CI from", format="+.2f"),
                 alt.Tooltip("upper:Q", title="95% CI to", format="+.2f")])
    rules = base.mark_rule(strokeWidth=2).encode(x=alt.X("lower:Q", title="Difference of means (first − second)"),
                                                 x2="upper:Q")
    dots = base.mark_point(filled=True, size=60, opacity=1).encode(x="difference:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=theme.REFERENCE, strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(zero, rules, dots).properties(title=alt.Title(title, subtitle=subtitle), width="container",
                                                   height=alt.Step(30), autosize=AUTOSIZE)


def change_bars(frame: pd.DataFrame, *, title: str, subtitle: str) -> alt.LayerChart:
    """Change of each item's mean asset between rounds (bar) with its 95% interval (rule).
    `frame`: views.capacity.change_table (suppressed items left out)."""
    shown = frame[~frame["suppressed"].astype(bool)]
    base = alt.Chart(shown).encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("asset_change", order="descending"),
                axis=alt.Axis(labelLimit=360)),
        tooltip=[alt.Tooltip("label:N", title="Item"), alt.Tooltip("level:N", title="Level"),
                 alt.Tooltip("asset_before:Q", title="Asset before", format=".2f"),
                 alt.Tooltip("asset_after:Q", title="Asset after", format=".2f"),
                 alt.Tooltip("asset_change:Q", title="Change", format="+.2f"),
                 alt.Tooltip("lower:Q", title="95% CI from", format="+.2f"),
                 alt.Tooltip("upper:Q", title="95% CI to", format="+.2f")])
    bars = base.mark_bar(height=12).encode(
        x=alt.X("asset_change:Q", title="Change in mean asset (later − earlier round)"),
        color=alt.Color("level:N", title="Level", sort=LEVELS, scale=alt.Scale(domain=LEVELS,
                        range=theme.CATEGORICAL[:3]), legend=alt.Legend(orient="top")))
    rules = base.mark_rule(color=theme.REFERENCE).encode(x="lower:Q", x2="upper:Q")
    return alt.layer(bars, rules).properties(title=alt.Title(title, subtitle=subtitle), width="container",
                                             height=alt.Step(18), autosize=AUTOSIZE)


def capacity_scatter(frame: pd.DataFrame, *, title: str, x_title: str, y_title: str,
                     log_x: bool = False) -> alt.Chart:
    """One point per country with enough respondents: the indicator (x) against mean asset (y).
    `frame`: views.capacity.scatter_table."""
    return alt.Chart(frame).mark_circle(size=80, opacity=0.8, color=theme.CATEGORICAL[0]).encode(
        x=alt.X("estimate:Q", title=x_title, scale=alt.Scale(type="log") if log_x else alt.Scale(zero=False)),
        y=alt.Y("mean_asset:Q", title=y_title, scale=alt.Scale(domain=[1, 5])),
        tooltip=[alt.Tooltip("name:N", title="Country"), alt.Tooltip("n:Q", title="Respondents"),
                 alt.Tooltip("mean_asset:Q", title=y_title, format=".2f"),
                 alt.Tooltip("estimate:Q", title=x_title, format=",.1f"), alt.Tooltip("year:Q", title="Year")],
    ).properties(title=alt.Title(title), width="container", height=360, autosize=AUTOSIZE)
