"""Trend charts: lines with confidence bands, dashed gaps, end labels and reference medians; small multiples.

Every layer reads one table (observed rows, gap connectors and label rows told apart by `kind`), so the
data travel once and the same layers can be faceted for the small multiples.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.charts import layout, theme

# The roles of a trend frame's rows (dashboard.views.trends builds frames with them).
COUNTRY = "country"
REGION_MEDIAN = "WHO region median"
INCOME_MEDIAN = "Income group median"

GAP_DASH = [5, 4]
REFERENCE_DASHES = {REGION_MEDIAN: [2, 2], INCOME_MEDIAN: [8, 3, 2, 3]}
SOLID = [1, 0]
BAND_OPACITY = 0.15
CROWDED = 4  # with more countries than this, bands are drawn fainter so the lines stay readable
CONNECTOR = "#b0b0b0"
LABEL_INSET = 14  # pixels between the window's last year and the column of end labels
INDEX_TITLE = "Index (first year in view = 100)"
# Panel titles 'Short name (unit)' on two lines, name above unit, so narrow panels need not truncate them.
SPLIT_UNIT = ("lastindexof(datum.value, ' (') > 0 ? [slice(datum.value, 0, lastindexof(datum.value, ' (')), "
              "slice(datum.value, lastindexof(datum.value, ' (') + 1)] : datum.value")


def _rows(frame: pd.DataFrame, keys: Sequence[str], *, labels: bool, log: bool,
          years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Observed rows with their solid `segment`, gap connector rows and (optionally) end-label rows."""
    observed = frame.assign(kind="observed", segment=layout.segments(frame, keys))
    countries = observed[observed["role"] == COUNTRY]
    parts = [observed, layout.gap_rows(countries.drop(columns="segment"), keys).assign(kind="gap")]
    if labels:
        parts.append(layout.end_labels(frame, log=log, at=years[1] if years else None).assign(kind="label"))
    return pd.concat(parts, ignore_index=True)


def _filter(kind: str, countries: bool | None = None, extra: str = "") -> str:
    test = f"datum.kind === '{kind}'"
    if countries is not None:
        test += f" && datum.role {'===' if countries else '!=='} '{COUNTRY}'"
    return test + (f" && {extra}" if extra else "")


def _x(years: tuple[int, int] | None) -> alt.X:
    domain = alt.Scale(domain=list(years)) if years else alt.Undefined
    return alt.X("year:Q", title=None, scale=domain, axis=alt.Axis(format="d", tickMinStep=1))


def _layers(y_title: str, scale: alt.Scale, colour: alt.Color, dashes: alt.StrokeDash, tooltip: list,
            keys: Sequence[str], years: tuple[int, int] | None, band: float = BAND_OPACITY) -> list[alt.Chart]:
    """band, solid line, dashed gap, points, reference lines, reference hover targets (no data attached)."""
    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=y_title, scale=scale)

    detail = [alt.Detail(f"{k}:N") for k in keys]
    base = alt.Chart().encode(x=_x(years), color=colour)
    return [
        base.transform_filter(_filter("observed", True, "isValid(datum.ci_lower) && isValid(datum.ci_upper)"))
        .mark_area(opacity=band).encode(y=y("ci_lower"), y2="ci_upper:Q",
                                               detail=[*detail, alt.Detail("segment:O")]),
        base.transform_filter(_filter("observed", True)).mark_line()
        .encode(y=y("value"), detail=[*detail, alt.Detail("segment:O")]),
        base.transform_filter(_filter("gap")).mark_line(strokeDash=GAP_DASH, strokeWidth=2)
        .encode(y=y("value"), detail=[*detail, alt.Detail("gap:N")]),
        base.transform_filter(_filter("observed", True)).mark_point(filled=True, size=45, opacity=1)
        .encode(y=y("value"), tooltip=tooltip),
        base.transform_filter(_filter("observed", False)).mark_line(strokeWidth=2)
        .encode(y=y("value"), strokeDash=dashes, detail=[*detail, alt.Detail("segment:O")]),
        base.transform_filter(_filter("observed", False)).mark_point(size=90, opacity=0)
        .encode(y=y("value"), tooltip=tooltip),
    ]


def _colour(frame: pd.DataFrame, legend: alt.Legend) -> tuple[alt.Color, alt.StrokeDash]:
    """Country colours from the Okabe-Ito palette in plotting order; reference lines grey and dashed."""
    names = list(dict.fromkeys(frame["series"]))
    role = dict(zip(frame["series"], frame["role"]))
    palette = iter(theme.CATEGORICAL)
    colours = [theme.REFERENCE if role[n] != COUNTRY else next(palette) for n in names]
    dashes = [REFERENCE_DASHES.get(role[n], SOLID) for n in names]
    return (alt.Color("series:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
            alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=dashes), legend=None))


def trend_lines(frame: pd.DataFrame, *, title: str, unit: str, decimals: int, log: bool = False,
                indexed: bool = False, years: tuple[int, int] | None = None, height: int = 460) -> alt.LayerChart:
    """One indicator over time for several countries, with the reference medians as grey dashed lines.

    `frame` is dashboard.views.trends.plot_frame: series, iso3, role, year, value, ci_lower, ci_upper,
    countries, source_code, flag (and original_value when indexed). Layers: confidence band, solid line
    per run of consecutive years, dashed line across gaps, points at observed values, reference lines,
    their hover targets, and a label for every line at the window's end, joined to the line's last
    point by a thin grey connector.
    """
    y_title = INDEX_TITLE if indexed else layout.with_unit(title, unit)
    number = ",.1f" if indexed else f",.{decimals}f"
    scale = alt.Scale(type="log" if log else "linear", zero=False, nice=not log)
    legend = alt.Legend(title=None, orient="bottom", columns=4, symbolType="stroke", symbolStrokeWidth=3,
                        symbolOpacity=1)
    colour, dashes = _colour(frame, legend)
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
               alt.Tooltip("value:Q", title=INDEX_TITLE if indexed else unit, format=number),
               alt.Tooltip("ci_lower:Q", title="Lower bound", format=number),
               alt.Tooltip("ci_upper:Q", title="Upper bound", format=number),
               alt.Tooltip("countries:Q", title="Countries in median"),
               alt.Tooltip("observed:Q", title="of which observed"),
               alt.Tooltip("flag:N", title="Flag"), alt.Tooltip("source_code:N", title="Source")]
    if indexed:
        tooltip.insert(3, alt.Tooltip("original_value:Q", title=unit, format=f",.{decimals}f"))
    countries = frame.loc[frame["role"] == COUNTRY, "series"].nunique()
    layers = _layers(y_title, scale, colour, dashes, tooltip, ["series"], years,
                     band=BAND_OPACITY if countries <= CROWDED else BAND_OPACITY / 2)
    label_rows = alt.Chart().transform_filter(_filter("label"))
    connectors = label_rows.mark_rule(color=CONNECTOR, strokeWidth=1, x2Offset=LABEL_INSET).encode(
        x=_x(years), x2="label_x:Q", y=alt.Y("value:Q", title=y_title, scale=scale), y2="label_y:Q")
    labels = label_rows.mark_text(align="left", baseline="middle", dx=LABEL_INSET + 3, fontWeight="bold").encode(
        x=alt.X("label_x:Q", scale=alt.Scale(domain=list(years)) if years else alt.Undefined, title=None,
                axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("label_y:Q", title=y_title, scale=scale), text="series:N", color=colour)
    chart = alt.layer(*layers, connectors, labels, data=_rows(frame, ["series"], labels=True, log=log, years=years))
    subtitle = "Dashed: years without data between observed values. Grey: reference medians."
    return chart.properties(title=alt.TitleParams(title, subtitle=subtitle), width="container", height=height)


def indicator_panels(frame: pd.DataFrame, *, title: str, years: tuple[int, int] | None = None, columns: int = 3,
                     width: int = 175, height: int = 140) -> alt.FacetChart:
    """Small multiples of several indicators for one country, each panel with its own value axis and
    the region median (grey, dotted) when `frame` has it.

    `frame` is dashboard.views.trends.panel_frame: indicator_code, panel, series, role, year, value, ci_lower,
    ci_upper, countries, value_label, source_code, flag. Panels follow the order of `frame`.
    """
    legend = alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1)
    colour, dashes = _colour(frame, legend)
    tooltip = [alt.Tooltip("panel:N", title="Indicator"), alt.Tooltip("series:N", title="Series"),
               alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("value_label:N", title="Value"),
               alt.Tooltip("ci_lower:Q", title="Lower bound", format=",.4~f"),
               alt.Tooltip("ci_upper:Q", title="Upper bound", format=",.4~f"),
               alt.Tooltip("countries:Q", title="Countries in median"),
               alt.Tooltip("observed:Q", title="of which observed"),
               alt.Tooltip("flag:N", title="Flag"), alt.Tooltip("source_code:N", title="Source")]
    keys = ["indicator_code", "series"]
    layers = _layers("", alt.Scale(zero=False), colour, dashes, tooltip, keys, years)
    panels = list(dict.fromkeys(frame["panel"]))
    return (alt.layer(*layers, data=_rows(frame, keys, labels=False, log=False))
            .properties(width=width, height=height)
            .facet(facet=alt.Facet("panel:N", sort=panels, title=None,
                                   header=alt.Header(labelAnchor="start", labelFontWeight="bold",
                                                     labelLimit=width + 20, labelFontSize=13,
                                                     labelExpr=SPLIT_UNIT)),
                   columns=columns)
            .resolve_scale(y="independent")
            .properties(title=alt.TitleParams(title, subtitle="Each panel has its own value axis. "
                                                              "Dashed: years without data between observed values.")))
