"""Choropleth maps as Vega-Lite dicts, with colour classes that make darker always mean worse.

The map is written as a plain Vega-Lite dict rather than an Altair chart: the country geometry (about
100 KB of TopoJSON) is passed in as a named dataset by reference, never validated or re-serialised
through Altair's object model on each rerun. Only the small table of values changes between reruns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.charts import layout, theme

CLASS_METHODS = ("quantile", "equal")
WORLD = "world"
VALUES = "values"
SELECTION = "country_pick"
NO_DATA_LABEL = "No data"
OUTSIDE = "#f4f4f4"  # countries outside the selection: context, told apart from "No data"
ANTARCTICA = "010"  # ISO numeric; not a setting, and it dominates an equal-area map


def class_breaks(values: Sequence[float], method: Literal["quantile", "equal"] = "quantile",
                 classes: int = 5) -> list[float]:
    """Inner thresholds splitting `values` into at most `classes` classes (fewer when values repeat).

    Quantile classes hold about the same number of countries; equal classes span equal ranges.
    """
    if method not in CLASS_METHODS:
        raise ValueError(f"class method must be one of {CLASS_METHODS}, got {method!r}")
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if data.size < 2 or data.min() == data.max():
        return []
    if method == "quantile":
        cuts = np.quantile(data, np.linspace(0, 1, classes + 1)[1:-1])
    else:
        cuts = np.linspace(data.min(), data.max(), classes + 1)[1:-1]
    return sorted({float(c) for c in cuts if data.min() < c <= data.max()})


def class_colours(n_classes: int, favourable: bool) -> list[str]:
    """Sequential colours light to dark for low to high values; reversed for favourable indicators,
    so the darkest class is always the worst-off."""
    ramp = theme.SEQUENTIAL[1:]
    picks = [ramp[round(i * (len(ramp) - 1) / max(n_classes - 1, 1))] for i in range(n_classes)]
    return picks[::-1] if favourable else picks


def class_labels(breaks: Sequence[float], decimals: int) -> list[str]:
    """Readable class labels: '< 52', '52 – 71', ..., '≥ 86'."""
    fmt = f"{{:,.{decimals}f}}"
    if not breaks:
        return ["all values"]
    labels = [f"< {fmt.format(breaks[0])}"]
    labels += [f"{fmt.format(a)} – {fmt.format(b)}" for a, b in zip(breaks, breaks[1:])]
    labels.append(f"≥ {fmt.format(breaks[-1])}")
    return labels


def assign_classes(estimates: pd.Series, breaks: Sequence[float], decimals: int) -> pd.Series:
    """The class label of each estimate (null estimates get 'No data')."""
    labels = class_labels(breaks, decimals)
    index = np.searchsorted(np.asarray(breaks, dtype=float), estimates.to_numpy(dtype=float), side="right")
    return pd.Series([NO_DATA_LABEL if pd.isna(e) else labels[i] for e, i in zip(estimates, index)],
                     index=estimates.index, dtype=object)


def classified(values: pd.DataFrame, method: Literal["quantile", "equal"], decimals: int) -> pd.DataFrame:
    """`values` with its colour class in `value_class` ('No data' for a null estimate); the class labels in
    order are kept in `.attrs["class_labels"]`. What the map colours and what its download lists."""
    breaks = class_breaks(values["estimate"].dropna().tolist(), method)
    out = values.assign(value_class=assign_classes(values["estimate"], breaks, decimals))
    out.attrs["class_labels"] = class_labels(breaks, decimals)
    return out


def _legend_title(title: str, unit: str | None) -> list[str]:
    """The indicator with its unit (never doubled), the unit on a line of its own when the name is long."""
    label = layout.with_unit(title, unit)
    name, sep, rest = label.rpartition(" (")
    return [name, f"({rest}"] if sep and len(label) > 24 else [label]


def choropleth(
    values: pd.DataFrame,
    *,
    topology: dict,
    feature: str,
    title: str,
    unit: str,
    decimals: int,
    favourable: bool,
    method: Literal["quantile", "equal"] = "quantile",
    fit: dict | None = None,
    outside_label: str | None = None,
    heading: str | None = None,
    height: int = 540,
) -> dict:
    """A world (or regional) choropleth with a class legend in the indicator's unit.

    `values` columns: iso_n3, iso3, name, estimate, year, data_age (and value_class with its labels in
    `.attrs["class_labels"]` when already `classified`; otherwise classes are computed here).
    Countries in `values` with a null estimate, and countries absent from it, are drawn grey ("No data").
    With `outside_label` (e.g. 'Outside the African Region'), countries absent from `values` are drawn in
    a paler grey under that label, as context, rather than as "No data". With `fit` (a GeoJSON object,
    e.g. geo.fit_extent), the projection fits it: every country is still drawn, clipped to the view.
    Clicking a country selects its iso3 (selection parameter `country_pick`). `heading` titles the map
    (e.g. 'DTP3 coverage (%), 2024'); by default the indicator with its unit. `height` is the whole chart's,
    title, note and legend included, as Streamlit fits a stretched chart into it.
    """
    if "value_class" not in values or "class_labels" not in values.attrs:
        values = classified(values, method, decimals)
    labels = values.attrs["class_labels"]
    colours = class_colours(len(labels), favourable)
    value_format = f",.{decimals}f"
    table = values[["iso_n3", "iso3", "name", "estimate", "year", "data_age", "value_class"]]
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    transform = [
        {"filter": f"datum.id !== '{ANTARCTICA}'"},
        {"lookup": "id", "from": {"data": {"name": VALUES}, "key": "iso_n3",
                                  "fields": ["iso3", "name", "estimate", "year", "data_age", "value_class"]}},
        {"calculate": f"isValid(datum.value_class) ? datum.value_class : '{NO_DATA_LABEL}'", "as": "value_class"},
    ]
    # Tooltip texts: never "null" (a country without a value, or outside the selection, says so).
    transform += [
        {"calculate": "isValid(datum.name) ? datum.name : datum.properties.name", "as": "country"},
        {"calculate": f"isValid(datum.estimate) ? format(datum.estimate, '{value_format}') : 'no data'",
         "as": "value_text"},
        {"calculate": "isValid(datum.year) ? '' + datum.year : '—'", "as": "year_text"},
    ]
    domain, ranges = labels + [NO_DATA_LABEL], colours + [theme.NO_DATA]
    if outside_label:
        transform[2] = {"calculate": f"isValid(datum.iso3) ? (isValid(datum.value_class) ? datum.value_class : "
                                      f"'{NO_DATA_LABEL}') : {_js_string(outside_label)}", "as": "value_class"}
        domain, ranges = domain + [outside_label], ranges + [OUTSIDE]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **theme.config(),
        "datasets": {WORLD: topology, VALUES: records},
        "title": {"text": heading or layout.with_unit(title, unit), "anchor": "start"},
        "width": "container",
        "height": height,
        "data": {"name": WORLD, "format": {"type": "topojson", "feature": feature}},
        "projection": {"type": "equalEarth", **({"fit": fit} if fit else {})},
        "transform": transform,
        "params": [{"name": SELECTION, "select": {"type": "point", "fields": ["iso3"], "on": "click",
                                                  "clear": "dblclick"}}],
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5, "cursor": "pointer", "clip": True},
        "encoding": {
            "color": {
                "field": "value_class", "type": "nominal",
                "scale": {"domain": domain, "range": ranges},
                "legend": {"title": _legend_title(title, unit), "orient": "bottom", "direction": "horizontal",
                           "columns": 4, "symbolType": "square", "symbolSize": 220, "columnPadding": 18},
            },
            "stroke": {"condition": {"param": SELECTION, "empty": False, "value": "#000000"},
                       "value": "white"},
            "tooltip": [
                {"field": "country", "type": "nominal", "title": "Country"},
                {"field": "value_text", "type": "nominal", "title": layout.with_unit(title, unit)},
                {"field": "year_text", "type": "nominal", "title": "Year of value"},
                {"field": "value_class", "type": "nominal", "title": "Class"},
            ],
        },
    }


def _js_string(text: str) -> str:
    """`text` as a JavaScript string literal for a Vega expression (never user text unescaped)."""
    import json

    return json.dumps(text)


SHAPES = "admin1"
REGION_VALUES = "region_values"


def region_choropleth(
    values: pd.DataFrame,
    *,
    shapes: dict,
    reference: float | None,
    title: str,
    unit: str,
    decimals: int,
    favourable: bool,
    heading: str,
    height: int = 520,
) -> dict:
    """One country's indicator by admin-1 region, coloured on a diverging scale around the national value.

    `values` columns: admin1_code, region, estimate, difference, year (views.regions.RegionValues.mapped).
    `shapes` is a GeoJSON FeatureCollection whose feature ids are admin1_codes (geo.Admin1Shapes); like the
    world map's topology it is passed in as a named dataset by reference, never copied or validated.
    The national value (`reference`) is white, better regions purple and worse orange (by the indicator's
    direction), darker further away; the legend marks the national value. Without a reference the scale
    is sequential. Areas without a value are grey.
    """
    value_format = f",.{decimals}f"
    table = values[["admin1_code", "region", "estimate", "difference", "year"]]
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    estimates = [float(v) for v in table["estimate"].dropna()]
    low, high = (min(estimates), max(estimates)) if estimates else (0.0, 1.0)
    if reference is not None:
        worse, white, better = theme.DIVERGING[0], theme.DIVERGING[3], theme.DIVERGING[-1]
        reach = max(abs(high - reference), abs(reference - low)) or 1.0
        domain = [reference - reach, reference, reference + reach]
        scale = {"domain": domain, "range": [worse, white, better] if favourable else [better, white, worse]}
        legend_values = [round(low, decimals), round(reference, decimals), round(high, decimals)]
    else:
        scale = {"domain": [low, high], "range": [theme.SEQUENTIAL[1], theme.SEQUENTIAL[-1]]}
        legend_values = [round(low, decimals), round(high, decimals)]
    difference = (f"isValid(datum.difference) ? (datum.difference >= 0 ? '+' : '') + "
                  f"format(datum.difference, '{value_format}') + ' vs national' : '—'")
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        **theme.config(),
        "datasets": {SHAPES: shapes, REGION_VALUES: records},
        "title": {"text": heading, "anchor": "start"},
        "width": "container",
        "height": height,
        "data": {"name": SHAPES, "format": {"type": "json", "property": "features"}},
        "projection": {"type": "mercator"},
        "transform": [
            {"lookup": "id", "from": {"data": {"name": REGION_VALUES}, "key": "admin1_code",
                                      "fields": ["region", "estimate", "difference", "year"]}},
            {"calculate": "isValid(datum.region) ? datum.region : datum.properties.name", "as": "region_name"},
            {"calculate": f"isValid(datum.estimate) ? format(datum.estimate, '{value_format}') : 'no data'",
             "as": "value_text"},
            {"calculate": difference, "as": "difference_text"},
        ],
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.8, "invalid": None},  # keep areas without a value
        "encoding": {
            "color": {
                "field": "estimate", "type": "quantitative", "scale": scale,
                "condition": {"test": "!isValid(datum.estimate)", "value": theme.NO_DATA},
                "legend": {"title": _legend_title(title, unit), "orient": "bottom", "direction": "horizontal",
                           "gradientLength": 320, "values": legend_values, "format": value_format},
            },
            "tooltip": [
                {"field": "region_name", "type": "nominal", "title": "Region"},
                {"field": "value_text", "type": "nominal", "title": layout.with_unit(title, unit)},
                {"field": "difference_text", "type": "nominal", "title": "Against the national value"},
            ],
        },
    }
