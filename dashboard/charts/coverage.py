"""Coverage & quality charts: the index over time, tracer scores, what-if gains, subgroup indices, care
cascades, and the index against financial protection and spending across countries."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import theme

COMPUTED_COLOUR, PUBLISHED_COLOUR = theme.CATEGORICAL[0], theme.CATEGORICAL[5]
AREA_ORDER = ["RMNCH", "Infectious diseases", "NCDs", "Capacity and access"]
AREA_COLOURS = [theme.CATEGORICAL[0], theme.CATEGORICAL[1], theme.CATEGORICAL[2], theme.CATEGORICAL[3]]
LOSS_COLOUR = "#f4c7a8"  # a pale vermillion: the people lost between two steps
GROUP_COLOURS = [theme.CATEGORICAL[5], theme.CATEGORICAL[0], theme.CATEGORICAL[4], theme.CATEGORICAL[1], "#bdbdbd"]
GROUP_SHAPES = ["diamond", "circle", "circle", "circle", "circle"]
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
ROW = 26  # pixels per bar in the horizontal bar charts: legible on a projector


def _area_colour() -> alt.Color:
    """Colour by tracer area, the legend in two columns under the bars."""
    return alt.Color("area_label:N", title=None, scale=alt.Scale(domain=AREA_ORDER, range=AREA_COLOURS),
                     legend=alt.Legend(orient="bottom", direction="horizontal", columns=2, labelFontSize=13))


def index_panels(frame: pd.DataFrame, *, title: str, year: int | None = None, width: int = 190,
                 height: int = 170) -> alt.FacetChart:
    """The index and its four sub-indices over time, one panel each (0-100): the index computed from the
    tracers as a line, the published one as points joined by a dashed line; a grey rule marks `year`.

    `frame` is dashboard.views.coverage.index_series: measure, panel, kind, year, value, flag, source_code.
    """
    kinds = list(dict.fromkeys(sorted(frame["kind"].unique(), key=lambda k: k != "Computed from tracers")))
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[
        COMPUTED_COLOUR if k == "Computed from tracers" else PUBLISHED_COLOUR for k in kinds]),
        legend=alt.Legend(orient="top", symbolStrokeWidth=3))
    tooltip = [alt.Tooltip("panel:N", title="Measure"), alt.Tooltip("kind:N", title="Series"),
               alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("value:Q", title="Value", format=".1f"),
               alt.Tooltip("flag:N", title="Flag"), alt.Tooltip("source_code:N", title="Source")]
    x = alt.X("year:Q", title=None, scale=alt.Scale(zero=False, nice=False),
              axis=alt.Axis(format="d", tickCount=4, labelFontSize=12))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5))
    base = alt.Chart()
    computed = base.transform_filter("datum.kind === 'Computed from tracers'").mark_line().encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    published_line = base.transform_filter("datum.kind === 'Published'").mark_line(
        strokeDash=[4, 4], strokeWidth=1.5).encode(x=x, y=y, color=colour)
    published = base.transform_filter("datum.kind === 'Published'").mark_point(
        shape="diamond", size=60, filled=True, opacity=1).encode(x=x, y=y, color=colour, tooltip=tooltip)
    layers = [computed, published_line, published]
    if year is not None:
        layers.insert(0, base.mark_rule(color=theme.REFERENCE, strokeDash=[2, 3], strokeWidth=1).encode(
            x=alt.datum(int(year))))
    panels = list(dict.fromkeys(frame["panel"]))
    return (alt.layer(*layers, data=frame).properties(width=width, height=height)
            .facet(facet=alt.Facet("panel:N", sort=panels, title=None,
                                   header=alt.Header(labelAnchor="start", labelFontWeight="bold", labelFontSize=13,
                                                     labelLimit=width + 10)), columns=len(panels))
            .properties(title=alt.Title(title, subtitle="Line: computed from the tracers (SDG 3.8.1 method). "
                                                        "Diamonds: published. Grey rule: the year shown below.")))


def tracer_bars(frame: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """The tracers' 0-100 scores as horizontal bars, lowest first, coloured by area; imputed scores are pale
    and labelled 'imputed'.

    `frame` is dashboard.views.coverage.tracer_table: label, area_label, score, status, how, description.
    """
    order = list(frame["label"])
    tooltip = [alt.Tooltip("label:N", title="Tracer"), alt.Tooltip("area_label:N", title="Area"),
               alt.Tooltip("score:Q", title="Score (0-100)", format=".1f"),
               alt.Tooltip("description:N", title="Value"), alt.Tooltip("how:N", title="How obtained")]
    base = alt.Chart(frame).encode(y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=330)))
    bars = base.mark_bar(height=ROW - 8).encode(
        x=alt.X("score:Q", title="Score (0-100)", scale=alt.Scale(domain=[0, 125]),
                axis=alt.Axis(values=[0, 20, 40, 60, 80, 100])),
        color=_area_colour(), opacity=alt.Opacity("status:N", scale=alt.Scale(
            domain=["observed", "imputed"], range=[1, 0.4]), legend=None), tooltip=tooltip)
    text = base.transform_calculate(
        text="format(datum.score, '.0f') + (datum.status === 'imputed' ? ' imputed' : '')").mark_text(
        align="left", dx=4, fontSize=13, color="#222").encode(x="score:Q", text="text:N")
    return alt.layer(bars, text).properties(
        title=alt.Title(title, subtitle="Pale bars: imputed (interpolated, carried forward or a regional median)."),
        width="container", height=ROW * len(frame), autosize=AUTOSIZE)


def gain_bars(frame: pd.DataFrame, *, title: str, points: float) -> alt.LayerChart:
    """What raising each tracer by `points` would add to the index, largest gain first.

    `frame` is dashboard.views.coverage.gains: label, area_label, score, gain, sentence.
    """
    order = list(frame["label"])
    tooltip = [alt.Tooltip("label:N", title="Tracer"), alt.Tooltip("score:Q", title="Score now", format=".1f"),
               alt.Tooltip("gain:Q", title="Gain to the index", format=".2f"),
               alt.Tooltip("sentence:N", title="In words")]
    base = alt.Chart(frame).encode(y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=330)))
    bars = base.mark_bar(height=ROW - 8).encode(
        x=alt.X("gain:Q", title=f"Points added to the index by +{points:g} on the tracer",
                scale=alt.Scale(domainMin=0, nice=True)), color=_area_colour(), tooltip=tooltip)
    text = base.mark_text(align="left", dx=4, fontSize=13, color="#222").encode(
        x="gain:Q", text=alt.Text("gain:Q", format="+.1f"))
    return alt.layer(bars, text).properties(
        title=alt.Title(title, subtitle=f"Each tracer raised by {points:g} points on its own (capped at 100), "
                                        "from the scenario's scores."),
        width="container", height=ROW * len(frame), autosize=AUTOSIZE)


def subgroup_dots(frame: pd.DataFrame, *, title: str, subtitle: str, reference: float | None,
                  reference_label: str) -> alt.LayerChart:
    """One dot per subgroup on a 0-100 axis, in the frame's order, with the national value as a dashed rule.

    `frame` is dashboard.views.coverage.subgroup_table: subgroup, value, measure_label, year, tracers_used.
    """
    order = list(frame["subgroup"])
    tooltip = [alt.Tooltip("subgroup:N", title="Subgroup"), alt.Tooltip("measure_label:N", title="Measure"),
               alt.Tooltip("value:Q", title="Value", format=".1f"), alt.Tooltip("year:Q", title="Survey year",
                                                                                  format="d")]
    row = 22 if len(frame) > 12 else ROW + 6
    base = alt.Chart(frame).encode(y=alt.Y("subgroup:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)))
    stems = base.transform_calculate(zero="0").mark_rule(color="#c8c8c8", strokeWidth=2).encode(
        x="zero:Q", x2="value:Q")
    dots = base.mark_point(filled=True, size=150, opacity=1, color=COMPUTED_COLOUR).encode(
        x=alt.X("value:Q", title=f"{frame['measure_label'].iloc[0]} (0-100)", scale=alt.Scale(domain=[0, 100])),
        tooltip=tooltip)
    text = base.mark_text(align="left", dx=10, fontSize=13, color="#222").encode(
        x="value:Q", text=alt.Text("value:Q", format=".0f"))
    layers = [stems, dots, text]
    if reference is not None:
        ref = pd.DataFrame({"reference": [reference], "label": [reference_label]})
        layers.append(alt.Chart(ref).mark_rule(color=theme.REFERENCE, strokeDash=[6, 4], strokeWidth=1.5).encode(
            x="reference:Q", tooltip=[alt.Tooltip("label:N", title="Reference"),
                                      alt.Tooltip("reference:Q", title="Value", format=".1f")]))
    return alt.layer(*layers).properties(title=alt.Title(title, subtitle=subtitle), width="container",
                                         height=max(row * len(frame), 120), autosize=AUTOSIZE)


def cascade_bars(frame: pd.DataFrame, *, title: str, width: int = 490, height: int = 210) -> alt.FacetChart:
    """Care cascades, one panel each: a bar per step (people reaching it, % of those in need), the people
    lost since the step before as a pale bar above it, labelled with the loss.

    `frame` is dashboard.views.coverage.cascade_table: cascade_label, step, label, year, level, previous,
    loss, loss_label, level_label, description.
    """
    tooltip = [alt.Tooltip("label:N", title="Step"), alt.Tooltip("level:Q", title="% of those in need", format=".1f"),
               alt.Tooltip("loss:Q", title="Lost since the step before (points)", format=".1f"),
               alt.Tooltip("description:N", title="Indicator"), alt.Tooltip("year:Q", title="Year", format="d")]
    data = frame.assign(panel=frame["cascade_label"] + ", " + frame["year"].astype(str))
    # The frame's (step) order, given explicitly: layers with their own filters would otherwise merge their
    # domains alphabetically.
    order = list(dict.fromkeys(frame["label"]))
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140,
                                                                                labelFontSize=12))
    y = alt.Y("level:Q", title="% of those in need", scale=alt.Scale(domain=[0, 112]),
              axis=alt.Axis(values=[0, 25, 50, 75, 100]))
    base = alt.Chart()
    lost = base.transform_filter("isValid(datum.previous) && datum.previous > datum.level").mark_bar(
        color=LOSS_COLOUR, width={"band": 0.7}).encode(x=x, y=y, y2="previous:Q", tooltip=tooltip)
    bars = base.mark_bar(color=COMPUTED_COLOUR, width={"band": 0.7}).encode(x=x, y=y, tooltip=tooltip)
    level = base.mark_text(baseline="top", dy=4, fontSize=13, fontWeight="bold", color="white").encode(
        x=x, y=y, text="level_label:N")
    loss = base.transform_filter("isValid(datum.loss_label)").transform_calculate(
        top="max(datum.level, datum.previous)").mark_text(baseline="bottom", dy=-3, fontSize=13,
                                                          color=theme.CATEGORICAL[5]).encode(
        x=x, y="top:Q", text="loss_label:N")
    panels = list(dict.fromkeys(data["panel"]))
    return (alt.layer(lost, bars, level, loss, data=data).properties(width=width, height=height)
            .facet(facet=alt.Facet("panel:N", sort=panels, title=None,
                                   header=alt.Header(labelAnchor="start", labelFontWeight="bold", labelFontSize=14)),
                   columns=2)
            .resolve_scale(x="independent")
            .properties(title=alt.Title(title, subtitle="Blue: people reaching each step, as a percentage of those "
                                                        "in need. Pale: lost since the step before.")))


def index_scatter(frame: pd.DataFrame, *, title: str, subtitle: str, x_title: str, x_median: float,
                  y_median: float, log_x: bool = False, quadrants: tuple[str, str, str, str] | None = None,
                  x_format: str = ",.1f") -> alt.LayerChart:
    """One point per country: an indicator (x) against the UHC index (y), with dashed median lines, the
    chosen country large and labelled, and peers coloured by their region and income group.

    `frame` is dashboard.views.coverage.peer_table: iso3, name, region_name, income_group, year, value,
    uhc_index, group, is_selected. `quadrants` labels the corners (top left, top right, bottom left,
    bottom right) when given.
    """
    groups = ["Chosen country", "Same WHO region and income group", "Same WHO region", "Same income group",
              "Other countries"]
    tooltip = [alt.Tooltip("name:N", title="Country"), alt.Tooltip("region_name:N", title="WHO region"),
               alt.Tooltip("income_group:N", title="Income group"), alt.Tooltip("year:Q", title="Year", format="d"),
               alt.Tooltip("value:Q", title=x_title, format=x_format),
               alt.Tooltip("uhc_index:Q", title="UHC index", format=".1f")]
    x_scale = alt.Scale(type="log", nice=False) if log_x else alt.Scale(zero=True, nice=True)
    axis = alt.Axis(format="$,.0f") if log_x else alt.Axis(format=",.0f", tickMinStep=1)
    x = alt.X("value:Q", title=x_title, scale=x_scale, axis=axis)
    y = alt.Y("uhc_index:Q", title="UHC service coverage index (0-100)", scale=alt.Scale(domain=[0, 100]))
    legend = alt.Legend(title=None, orient="bottom", direction="horizontal", columns=3, labelLimit=320)
    points = alt.Chart(frame).mark_point(filled=True, opacity=0.85).encode(
        x=x, y=y, tooltip=tooltip, order=alt.Order("is_selected:N"),
        color=alt.Color("group:N", scale=alt.Scale(domain=groups, range=GROUP_COLOURS), legend=legend),
        shape=alt.Shape("group:N", scale=alt.Scale(domain=groups, range=GROUP_SHAPES), legend=legend),
        size=alt.Size("is_selected:N", scale=alt.Scale(domain=[False, True], range=[60, 320]), legend=None))
    label = alt.Chart(frame).transform_filter("datum.is_selected").mark_text(
        align="left", dx=12, dy=-10, fontSize=15, fontWeight="bold", color=GROUP_COLOURS[0]).encode(
        x=x, y=y, text="name:N")
    rules = pd.DataFrame({"x": [x_median], "y": [y_median]})
    layers = [
        alt.Chart(rules).mark_rule(color=theme.REFERENCE, strokeDash=[6, 4]).encode(
            x="x:Q", tooltip=[alt.Tooltip("x:Q", title=f"Median {x_title}", format=x_format)]),
        alt.Chart(rules).mark_rule(color=theme.REFERENCE, strokeDash=[6, 4]).encode(
            y="y:Q", tooltip=[alt.Tooltip("y:Q", title="Median UHC index", format=".1f")]),
        points, label,
    ]
    if quadrants:  # corner labels placed in pixels, so they sit in the corners on any scale
        for text, x_at, y_at, align in zip(quadrants, ("6", "width - 6") * 2, ("10",) * 2 + ("height - 10",) * 2,
                                           ("left", "right") * 2):
            layers.append(alt.Chart(rules).mark_text(align=align, baseline="middle", fontSize=13, fontStyle="italic",
                                                     color="#555").encode(
                x=alt.value(alt.ExprRef(x_at)), y=alt.value(alt.ExprRef(y_at)), text=alt.value(text)))
    subtitle = f"{subtitle} Dashed lines: medians of the {len(frame)} countries shown." + (
        " Log scale." if log_x else "")
    return alt.layer(*layers).properties(title=alt.Title(title, subtitle=subtitle), width="container", height=380,
                                         autosize=AUTOSIZE)
