"""Equity charts: the equiplot of subgroup estimates, summary measures over time, and the benchmark scatter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import layout, theme

# Okabe-Ito without its yellow, which is too pale for small marks on white.
SUBGROUP_COLOURS = theme.CATEGORICAL[:8]
SUBGROUP_SHAPES = ["circle", "square", "triangle-up", "diamond", "triangle-down", "cross",
                   "triangle-right", "triangle-left"]
MANY_COLOUR = theme.CATEGORICAL[0]  # one colour when there are too many subgroups to tell apart
ROW_HEIGHT = 46
LABEL_PADDING = 150  # pixels either side of the data, so the end labels fit inside the plot
# Width follows the container, height stays as set: Streamlit's default "fit" would squeeze the rows
# to make room for the title and legend.
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
HIGHLIGHT = theme.CATEGORICAL[5]  # vermillion: the chosen country in the benchmark
OTHERS = theme.CATEGORICAL[0]


def subgroup_order(rows: pd.DataFrame) -> list[str]:
    """Subgroups in their dimension's order (subgroup_order, then name), each once."""
    ranked = rows.assign(_order=pd.to_numeric(rows["subgroup_order"], errors="coerce"))
    ranked = ranked.sort_values(["_order", "subgroup"], na_position="last", kind="stable")
    return list(dict.fromkeys(ranked["subgroup"].astype(str)))


def equiplot(rows: pd.DataFrame, *, title: str, unit: str, decimals: int, show_ci: bool = False,
             dimension: str = "", place: str | None = None) -> alt.LayerChart:
    """One row per survey year, one mark per subgroup, a line from the lowest to the highest estimate.

    `rows` columns: year, subgroup, subgroup_order, estimate, ci_lower, ci_upper, population, flag.
    Subgroups are told apart by colour, shape and the legend (up to 8; beyond that every mark looks the
    same and the tooltip names it); the lowest and highest subgroup of each year are labelled at the
    ends of the line, so the chart reads without colour. `show_ci` adds 95% CIs as error bars (when
    the data have any).
    """
    plotted = rows[rows["estimate"].notna()]
    names = subgroup_order(plotted)
    few = len(names) <= len(SUBGROUP_SHAPES)
    years = sorted(plotted["year"].unique())
    value_format = f",.{decimals}f"
    x_title = layout.with_unit(title, unit)
    base = alt.Chart(plotted).encode(
        y=alt.Y("year:O", title="Survey year", sort="ascending", axis=alt.Axis(labelPadding=8)))
    x_scale = alt.Scale(zero=False, nice=True, padding=LABEL_PADDING)
    tooltip = [
        alt.Tooltip("year:O", title="Survey year"),
        alt.Tooltip("subgroup:N", title=dimension or "Subgroup"),
        alt.Tooltip("estimate:Q", title=x_title, format=value_format),
        alt.Tooltip("ci_lower:Q", title="95% CI lower", format=value_format),
        alt.Tooltip("ci_upper:Q", title="95% CI upper", format=value_format),
        alt.Tooltip("population:Q", title="Population", format=",.0f"),
        alt.Tooltip("flag:N", title="Flag"),
    ]
    show_ci = show_ci and bool(plotted[["ci_lower", "ci_upper"]].notna().all(axis=1).any())
    dodge = show_ci and few  # with CIs, each subgroup gets its own lane within the year's row
    offset = {"yOffset": alt.YOffset("subgroup:N", scale=alt.Scale(domain=names))} if dodge else {}
    if few:
        legend = alt.Legend(title=dimension or "Subgroup", orient="bottom", direction="horizontal",
                            columns=min(len(names), 3), labelLimit=320, titleLimit=600)
        colour = alt.Color("subgroup:N", scale=alt.Scale(domain=names, range=SUBGROUP_COLOURS[:len(names)]),
                           legend=legend)
        shape = alt.Shape("subgroup:N", scale=alt.Scale(domain=names, range=SUBGROUP_SHAPES[:len(names)]),
                          legend=legend)
        points = base.mark_point(filled=True, size=140 if not dodge else 90, opacity=1).encode(
            x="estimate:Q", color=colour, shape=shape, tooltip=tooltip, **offset)
    else:
        colour = alt.value(MANY_COLOUR)
        points = base.mark_point(filled=True, size=70, opacity=0.7, color=MANY_COLOUR).encode(
            x="estimate:Q", tooltip=tooltip)
    # With CI lanes the joining line sits behind them, pale, so it does not read as a CI.
    span = base.mark_rule(color="#c8c8c8" if dodge else theme.REFERENCE, strokeWidth=2).encode(
        x=alt.X("min(estimate):Q", title=x_title, scale=x_scale), x2="max(estimate):Q")
    layers = [span]
    if show_ci:
        bars = base.mark_rule(strokeWidth=2 if few else 1, opacity=0.9 if few else 0.3).encode(
            x="ci_lower:Q", x2="ci_upper:Q", color=colour, tooltip=tooltip, **offset)
        layers.append(bars)
    layers.append(points)
    # End labels sit beyond the line (and beyond every CI when CIs are shown), so they never cover a mark.
    ends = base.transform_joinaggregate(
        lowest="min(estimate)", highest="max(estimate)", left="min(ci_lower)", right="max(ci_upper)",
        groupby=["year"])
    reach = "true" if show_ci else "false"
    left = ends.transform_filter("datum.estimate === datum.lowest").transform_calculate(
        at=f"{reach} && isValid(datum.left) ? min(datum.left, datum.estimate) : datum.estimate")
    right = ends.transform_filter("datum.estimate === datum.highest").transform_calculate(
        at=f"{reach} && isValid(datum.right) ? max(datum.right, datum.estimate) : datum.estimate")
    layers.append(left.mark_text(align="right", dx=-12, fontSize=12, color="#222").encode(
        x="at:Q", text="subgroup:N"))
    layers.append(right.mark_text(align="left", dx=12, fontSize=12, color="#222").encode(
        x="at:Q", text="subgroup:N"))
    row = ROW_HEIGHT + (12 * len(names) if dodge else 0)
    return alt.layer(*layers).properties(
        title=alt.Title((f"{place}: " if place else "")
                        + (f"{title} by {dimension[:1].lower() + dimension[1:]}" if dimension else title),
                        subtitle="Each row is a survey; the line joins the lowest and the highest subgroup."),
        width="container", height=max(row * len(years), 140), autosize=AUTOSIZE)


def measure_trend(measures: pd.DataFrame, *, title: str, scale: str, decimals: int,
                  equality: float) -> alt.LayerChart:
    """One summary measure over survey years: line and points with 95% CIs as error bars, and a dashed
    line where the measure shows no inequality.

    `measures` columns (one row per year): year, estimate, ci_lower, ci_upper, note.
    """
    value_format = f",.{decimals}f"
    y_title = f"{title} ({scale})"
    base = alt.Chart(measures).encode(
        x=alt.X("year:Q", title="Survey year",
                axis=alt.Axis(format="d", values=sorted(int(y) for y in measures["year"].unique())),
                scale=alt.Scale(zero=False, nice=False, padding=24)))
    tooltip = [
        alt.Tooltip("year:Q", title="Survey year", format="d"),
        alt.Tooltip("estimate:Q", title=title, format=value_format),
        alt.Tooltip("ci_lower:Q", title="95% CI lower", format=value_format),
        alt.Tooltip("ci_upper:Q", title="95% CI upper", format=value_format),
        alt.Tooltip("note:N", title="Note"),
    ]
    equal = alt.Chart(pd.DataFrame({"equality": [equality]})).mark_rule(
        color=theme.REFERENCE, strokeDash=[6, 4], strokeWidth=1.5).encode(
        y="equality:Q", tooltip=[alt.Tooltip("equality:Q", title="No inequality")])
    bars = base.mark_rule(color=theme.CATEGORICAL[0], strokeWidth=2, opacity=0.7).encode(
        y=alt.Y("ci_lower:Q", title=y_title), y2="ci_upper:Q", tooltip=tooltip)
    line = base.mark_line(color=theme.CATEGORICAL[0]).encode(y="estimate:Q")
    points = base.mark_point(filled=True, size=90, color=theme.CATEGORICAL[0], opacity=1).encode(
        y=alt.Y("estimate:Q", title=y_title, scale=alt.Scale(zero=False)), tooltip=tooltip)
    return alt.layer(equal, bars, line, points).properties(
        title=alt.Title(title, subtitle="Bars: 95% confidence intervals. Dashed line: no inequality."),
        width="container", height=300, autosize=AUTOSIZE)


def benchmark_scatter(table: pd.DataFrame, *, x_title: str, y_title: str, x_decimals: int,
                      y_decimals: int, equality: float) -> alt.LayerChart:
    """One point per country: national average (x) against a summary measure (y), with the chosen
    country drawn larger, in another colour and shape, and labelled; the others are named on hover.

    `table` columns: iso3, name, year, national, national_basis, estimate, ci_lower, ci_upper, note,
    is_selected (one row per country with an estimate).
    """
    y_format = f",.{y_decimals}f"
    tooltip = [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip("year:Q", title="Survey year", format="d"),
        alt.Tooltip("national:Q", title=x_title, format=f",.{x_decimals}f"),
        alt.Tooltip("national_basis:N", title="National average from"),
        alt.Tooltip("estimate:Q", title=y_title, format=y_format),
        alt.Tooltip("ci_lower:Q", title="95% CI lower", format=y_format),
        alt.Tooltip("ci_upper:Q", title="95% CI upper", format=y_format),
        alt.Tooltip("note:N", title="Note"),
    ]
    base = alt.Chart(table).encode(
        x=alt.X("national:Q", title=x_title, scale=alt.Scale(zero=False, nice=True)))
    selected = alt.Scale(domain=[False, True], range=[OTHERS, HIGHLIGHT])
    legend = alt.Legend(title=None, orient="bottom", labelExpr="datum.value ? 'Chosen country' : 'Other countries'")
    equal = alt.Chart(pd.DataFrame({"equality": [equality]})).mark_rule(
        color=theme.REFERENCE, strokeDash=[6, 4], strokeWidth=1.5).encode(y="equality:Q")
    bars = base.mark_rule(strokeWidth=1.5, opacity=0.35, clip=True).encode(
        y=alt.Y("ci_lower:Q", title=y_title), y2="ci_upper:Q",
        color=alt.Color("is_selected:N", scale=selected, legend=None), tooltip=tooltip)
    points = base.mark_point(filled=True, opacity=0.85).encode(
        y=alt.Y("estimate:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("is_selected:N", scale=selected, legend=legend),
        shape=alt.Shape("is_selected:N", scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]),
                        legend=legend),
        size=alt.Size("is_selected:N", scale=alt.Scale(domain=[False, True], range=[70, 260]), legend=None),
        order=alt.Order("is_selected:N"), tooltip=tooltip)
    label = base.transform_filter("datum.is_selected").mark_text(
        align="left", dx=12, dy=-10, fontSize=14, fontWeight="bold", color=HIGHLIGHT).encode(
        y="estimate:Q", text="name:N")
    return alt.layer(equal, bars, points, label).properties(
        title=alt.Title(f"{y_title} against the national average",
                        subtitle="Each point is a country at its latest survey; bars are 95% CIs."),
        width="container", height=380, autosize=AUTOSIZE)
