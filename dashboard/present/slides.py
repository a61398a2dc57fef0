"""Slide renderers: given a page and its URL parameters, run the page's accessor -> view -> chart path and
return its main chart as a Vega-Lite spec with title, source note and headline numbers.

Present mode, the HTML/PPTX/PDF handouts and `python -m dashboard present` all draw slides through
`render`, so a slide shows the warehouse as it is now. A slide whose indicator or country is no longer in
the warehouse (or whose view has no values) comes back with a `message` for a placeholder, never an error.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dashboard import catalogue, components, contract, data, filters, geo
from dashboard.charts import capacity as capacity_charts
from dashboard.charts import country as country_charts
from dashboard.charts import coverage as coverage_charts
from dashboard.charts import equity as equity_charts
from dashboard.charts import maps
from dashboard.charts import overview as overview_charts
from dashboard.charts import trends as trends_charts
from dashboard.charts.layout import with_unit
from dashboard.present import model
from dashboard.views import capacity as capacity_view
from dashboard.views import country as country_view
from dashboard.views import coverage as coverage_view
from dashboard.views import extract as extract_view
from dashboard.views import overview as overview_view
from dashboard.views import trends as trends_view

log = logging.getLogger(__name__)

COVERAGE_TABS = ("Index and tracers", "What if", "By subgroup", "Care cascades", "Financial protection")
EQUITY_TABS = ("Over time", "Benchmark", "By region")


class Gone(LookupError):
    """The slide's view cannot be drawn from this warehouse; the message says why, for the placeholder."""


@dataclass
class Rendered:
    """One slide as drawn now: `spec` (with its source note) is None for a view without a chart or when
    `message` says why the view cannot be shown."""

    page: str
    heading: str
    spec: dict | None = None
    source: str = ""
    synthetic: bool = False
    metrics: list[tuple[str, str]] = field(default_factory=list)
    message: str | None = None


def _need(params: dict, name: str, allowed, what: str, default=None) -> str:
    """A parameter that names a thing the view cannot do without (an indicator, a country): Gone when the
    warehouse no longer has it."""
    value = params.get(name)
    if value is None:
        if default is None:
            raise Gone(f"No {what} in this warehouse.")
        return default
    if value not in allowed:
        raise Gone(f"The {what} “{value[:40]}” is not in this warehouse (it may have been removed or renamed "
                   "in a rebuild).")
    return value


def _option(params: dict, name: str, allowed: Sequence, default):
    value = params.get(name)
    return value if value in allowed else default


def _int(params: dict, name: str, allowed: Sequence[int], default: int) -> int:
    try:
        value = int(params.get(name, ""))
    except ValueError:
        return default
    return value if value in allowed else default


def _flag(params: dict, name: str, default: bool = False) -> bool:
    value = params.get(name)
    return default if value not in ("0", "1", "true", "false") else value in ("1", "true")


def _list(params: dict, name: str) -> list[str]:
    return [item for item in params.get(name, "").split(",") if item]


def _countries(params: dict, name: str, default: Sequence[str]) -> list[str]:
    known = set(data.catalogue_by_country()["iso3"])
    chosen = _list(params, name) if name in params else [c for c in default if c in known]
    missing = [code for code in chosen if code not in known]
    if missing:
        raise Gone(f"The country “{missing[0][:40]}” is not in this warehouse (it may have been removed in a rebuild).")
    return chosen[:_trend_cap()]


def _trend_cap() -> int:
    from dashboard import config

    return config.get("max_trend_countries")


def _names() -> dict[str, str]:
    countries = data.catalogue_by_country()
    return dict(zip(countries["iso3"], countries["name"]))


def _metric(metric: dict) -> tuple[str, str]:
    value, delta = str(metric["value"]), metric.get("delta")
    if delta is not None:
        change = f"{delta:+}" if isinstance(delta, (int, float)) else str(delta)
        value += f" ({change} {metric.get('delta_description') or ''}".rstrip() + ")"
    return metric["label"], value


def _chart(page: str, heading: str, chart, note: str, metrics=()) -> Rendered:
    return Rendered(page=page, heading=heading, spec=components.spec(chart, note), source=note,
                    metrics=list(metrics))


# ---- one renderer per page ----------------------------------------------------------------------------

def overview(params: dict) -> Rendered:
    code = _need(params, "indicator", data.indicator_options(), "indicator", filters.default_indicator())
    indicator, span = data.indicator(code), filters.year_span(code)
    year = _int(params, "year", span, span[-1])
    who = [r for r in _list(params, "who") if r in catalogue.WHO_REGIONS]
    income = [g for g in _list(params, "income") if g in catalogue.INCOME_GROUPS]
    zooms = overview_view.zoom_options()
    zoom = _option(params, "zoom", list(zooms), next(iter(zooms)))
    method = _option(params, "classes", maps.CLASS_METHODS, maps.CLASS_METHODS[0])
    latest = data.latest_by_country(code, year, who, income)
    if latest["estimate"].notna().sum() == 0:
        raise Gone(f"No values for {indicator['short_name']} at or before {year} in this selection.")
    decimals = int(indicator["decimals"])
    note = components.source_note(latest["source_code"].dropna().unique(), indicator)
    heading = overview_view.map_heading(indicator, year, zooms[zoom])
    if params.get("view") == "distribution":
        chart = overview_charts.by_region(overview_view.with_region_names(latest), title=indicator["short_name"],
                                          unit=indicator["unit"], decimals=decimals)
        return _chart("overview", heading, chart, note)
    filtered = bool(who or income)
    countries = data.catalogue_by_country()
    spec = maps.choropleth(maps.classified(latest, method, decimals), topology=geo.world_topology(),
                           feature=geo.WORLD_OBJECT, title=indicator["short_name"], unit=indicator["unit"],
                           decimals=decimals, favourable=bool(indicator["favourable_indicator"]), method=method,
                           fit=geo.fit_extent(overview_view.zoom_iso_n3(countries, zoom, latest, filtered)),
                           outside_label=overview_view.outside_label(filtered), heading=heading)
    return _chart("overview", heading, spec, note)


def trends(params: dict) -> Rendered:
    countries, indicators = data.catalogue_by_country(), data.catalogue_by_indicator()
    names = dict(zip(countries["iso3"], countries["name"]))
    span = filters.all_years()
    start, end = sorted((_int(params, "start", span, span[0]), _int(params, "end", span, span[-1])))
    if params.get("mode") == "indicators":
        iso3 = _need(params, "country", names, "country", "KEN" if "KEN" in names else next(iter(names)))
        blocks = trends_view.blocks(indicators)
        block = _option(params, "block", blocks, None) or trends_view.first_block(
            data.trend_by_country_year((), (iso3,)), indicators)
        labels = trends_view.indicator_labels(indicators)
        picked = [code for code in _list(params, "indicators") if code in labels]
        codes = trends_view.panel_codes(indicators, block=block, chosen=picked)
        region, _ = trends_view.groups_of(countries, iso3)
        medians = data.reference_medians_by_year(codes, region if _flag(params, "median", True) else None, None)
        frame = trends_view.panel_frame(data.trend_by_country_year((), (iso3,)), medians, indicators, codes=codes,
                                        start=start, end=end)
        if frame.empty:
            raise Gone(f"No values for {names[iso3]} in {start}–{end} for these indicators.")
        heading = f"{names[iso3]}: {'chosen indicators' if picked else block}"
        note = components.source_note(trends_view.panel_sources(frame, indicators))
        return _chart("trends", heading, trends_charts.indicator_panels(frame, title=heading, years=(start, end)), note)
    code = _need(params, "indicator", data.indicator_options(), "indicator", filters.default_indicator())
    chosen = _countries(params, "countries", ("KEN", "UGA", "TZA"))
    if not chosen:
        raise Gone("No countries chosen for this trend.")
    indicator = data.indicator(code)
    log_scale, indexed = _flag(params, "log"), _flag(params, "indexed")
    region, income = trends_view.groups_of(countries, chosen[0])
    medians = data.reference_medians_by_year((code,), region, income)
    frame = trends_view.plot_frame(data.trend_by_country_year((code,), chosen), medians, order=chosen, start=start,
                                   end=end, indexed=indexed)
    frame = trends_view.loggable(frame)[0] if log_scale else frame
    if frame.empty or not (frame["role"] == trends_charts.COUNTRY).any():
        raise Gone(f"No values of {indicator['short_name']} for these countries in {start}–{end}.")
    note = components.source_note(indicator["source_codes"], indicator)
    chart = trends_charts.trend_lines(frame, title=indicator["short_name"], unit=indicator["unit"],
                                      decimals=int(indicator["decimals"]), log=log_scale, indexed=indexed,
                                      years=(start, end))
    return _chart("trends", f"{indicator['short_name']}, {start}–{end}", chart, note)


def country(params: dict) -> Rendered:
    names = _names()
    iso3 = _need(params, "country", names, "country", "KEN" if "KEN" in names else next(iter(names)))
    latest = data.latest_by_indicator(iso3, country_view.DELTA_YEARS)
    if latest.empty:
        raise Gone(f"No national values for {names[iso3]} in this warehouse.")
    standings = data.peer_standing_by_indicator_group(iso3)
    metrics = [_metric(m) for m in country_view.headline(latest, standings)]
    heading = f"Country profile: {names[iso3]}"
    gap = country_view.largest_gap(data.wealth_gap_by_indicator(iso3))
    if gap is None:
        headline = country_view.headline_values(latest)
        return Rendered(page="country", heading=heading, metrics=metrics, source=components.source_note(
            headline["source_code"].unique()))
    note = components.source_note([gap["source_code"]])
    chart = country_charts.quintile_dots(country_view.quintile_points(gap), title=f"{names[iso3]}: "
                                         f"{gap['short_name']}, {int(gap['year'])}", unit=gap["unit"],
                                         decimals=int(gap["decimals"]))
    return _chart("country", heading, chart, note, [*metrics, ("Largest wealth gap", country_view.gap_sentence(gap))])


def coverage(params: dict) -> Rendered:
    names = _names()
    iso3 = _need(params, "country", names, "country", "KEN" if "KEN" in names else next(iter(names)))
    name, rows = names[iso3], data.index_series_by_year(iso3, coverage_view.INDEX_CODES)
    years = coverage_view.years(rows, filters.all_years())
    year = _int(params, "year", years, coverage_view.default_year(rows, filters.all_years()))
    tab, series = _option(params, "tab", COVERAGE_TABS, COVERAGE_TABS[0]), coverage_view.index_series(rows)
    note = components.source_note(rows["source_code"].unique())
    heading = f"Coverage & quality: {name}, {tab.lower()}"
    if tab == "Index and tracers":
        if series.empty:
            raise Gone(f"No UHC service coverage index for {name} in this warehouse.")
        chart = coverage_charts.index_panels(series, title=f"{name}: UHC service coverage index and its four "
                                             "sub-indices", year=year)
        metric = coverage_view.headline(series, year)
        return _chart("coverage", heading, chart, note, [_metric(metric)] if metric else [])
    if tab in ("What if", "Care cascades", "By subgroup"):
        scores = data.tracer_scores(iso3, year)
    if tab == "What if":
        if scores.empty:
            raise Gone(f"No UHC index can be computed for {name} in {year}: the warehouse lacks its tracers.")
        sliders = coverage_view.slider_rows(scores, coverage_view.parse_moves(_list(params, "whatif"), scores))
        new_scores = coverage_view.changes(dict(zip(sliders["tracer"], sliders["start"])), scores)
        gains = coverage_view.gains(scores, new_scores)
        metrics = [_metric(m) for m in coverage_view.metrics(coverage_view.what_if_table(scores, new_scores))]
        chart = coverage_charts.gain_bars(gains, title=f"{name}, {year}: where {coverage_view.GAIN_POINTS} more "
                                          "points move the index most", points=coverage_view.GAIN_POINTS)
        return _chart("coverage", heading, chart, note, metrics)
    if tab == "By subgroup":
        by = _option(params, "by", list(coverage_view.DIMENSIONS), next(iter(coverage_view.DIMENSIONS)))
        subgroups = data.tracer_subgroups_by_year(iso3, coverage_view.subgroup_codes(),
                                                  list(coverage_view.DIMENSIONS.values()), year)
        table = coverage_view.subgroup_table(coverage_view.subgroup_results(subgroups), coverage_view.DIMENSIONS[by])
        if table.empty:
            raise Gone(f"No survey of {name} up to {year} measured the RMNCH tracers by "
                       f"{coverage_view.DIMENSION_LABELS[by].lower()}.")
        note = components.source_note(set(subgroups["source_code"]) | set(rows["source_code"]))
        chart = coverage_charts.subgroup_dots(table, **coverage_view.subgroup_options(table, series, name, by))
        return _chart("coverage", heading, chart, note)
    if tab == "Care cascades":
        steps = data.cascade_values_by_indicator_year(iso3, coverage_view.cascade_codes(), year)
        table = coverage_view.cascade_table(steps)
        if table.empty:
            raise Gone(f"No care-cascade indicator of {name} has a value by {year}.")
        chart = coverage_charts.cascade_bars(table, title=f"{name}: care cascades, where people drop out")
        return _chart("coverage", heading, chart, components.source_note(steps["source_code"].unique()))
    for code in coverage_view.PROTECTION:
        table = coverage_view.peer_table(data.index_against_indicator_by_country(code, year), iso3)
        if not table.empty:
            note = components.source_note(set(table["source_code"]) | set(table["index_source_code"]))
            chart = coverage_charts.index_scatter(table, **coverage_view.scatter_options(code, table, year))
            return _chart("coverage", heading, chart, note,
                          [("Position", coverage_view.position_sentence(table, iso3, name, code))])
    raise Gone(coverage_view.no_peers_message(next(iter(coverage_view.PROTECTION)), year))


def equity(params: dict) -> Rendered:
    # the statistics libraries behind HEAT's measures load with the first equity slide, not with the app
    from dashboard.equity import presentation as heat
    from dashboard.views import equity as equity_view

    countries = data.countries_with_subgroups_by_country()
    names = dict(zip(countries["iso3"], countries["name"]))
    if not names:
        raise Gone("No disaggregated (subgroup) values in this warehouse.")
    iso3 = _need(params, "country", names, "country", filters.first_of(["KEN"], list(names)))
    available = data.dimensions_by_indicator(iso3)
    code = _need(params, "indicator", set(available["indicator_code"]), "indicator",
                 filters.first_of(filters.PREFERRED_INDICATORS, available["indicator_code"]))
    meta = equity_view.pairs(available, code)
    dimension = _need(params, "dimension", set(meta["dimension"]), "dimension of inequality",
                      filters.first_of([contract.DIM_WEALTH], meta["dimension"]))
    measures = data.measures_by_year(iso3, code, dimension)
    options = equity_view.measure_options(measures)
    measure = _option(params, "measure", options, "d" if "d" in options else options[0])
    indicator = equity_view.indicator_row(meta, dimension)
    name, unit, places = indicator["short_name"], indicator["unit"], int(indicator["decimals"])
    about = catalogue_measure(measure)
    tab = _option(params, "tab", EQUITY_TABS, EQUITY_TABS[0])
    if tab == "By region":
        message, result, spec, note = components.region_map_parts(iso3, code, place=names[iso3])
        if message:
            raise Gone(message)
        return Rendered(page="equity", heading=spec["title"]["text"], spec=spec, source=note)
    if tab == "Over time":
        rows = data.subgroups_by_year(iso3, code, dimension)
        note = components.source_note(rows["source_code"].dropna().unique(), indicator)
        chart = equity_charts.equiplot(rows, title=name, place=names[iso3], unit=unit, decimals=places,
                                       show_ci=_flag(params, "ci"), dimension=dimension)
        return _chart("equity", f"{names[iso3]}: {name} by {dimension.lower()}", chart, note)
    group = _option(params, "group", list(equity_view.GROUPS), next(iter(equity_view.GROUPS)))
    span = equity_view.year_span(meta, dimension)
    year = _int(params, "year", span, span[-1])
    who, income, label = equity_view.benchmark_group(data.catalogue_by_country(), iso3, group)
    scores = data.benchmark_measures(code, dimension, year, who, income, measure=measure)
    table = equity_view.benchmark_table(scores, data.catalogue_by_country(), measure, selected=iso3, year=year,
                                        who_regions=who, income_groups=income)
    shown = equity_view.with_estimate(table)
    if shown.empty:
        raise Gone(f"No {about.name.lower()} for {label} at or before {year}.")
    note = components.source_note(scores["source_code"].dropna().unique(), indicator)
    m_unit, m_places = heat.measure_unit(measure, unit), heat.measure_decimals(measure, places)
    chart = equity_charts.benchmark_scatter(shown, x_title=with_unit(name, unit), y_title=with_unit(about.name, m_unit),
                                            x_decimals=places, y_decimals=m_places, equality=heat.equality_value(measure))
    return _chart("equity", f"{about.name} of {name} by {dimension.lower()}: {label}, {year}", chart, note)


def catalogue_measure(code: str):
    from dashboard import equity as equity_maths

    return equity_maths.MEASURES[code]


def extract(params: dict) -> Rendered:
    indicators = data.catalogue_by_indicator()
    options, span = data.indicator_options(), filters.all_years()
    codes = [c for c in _list(params, "indicators") if c in options] if "indicators" in params else [
        filters.default_indicator()]
    start, end = sorted((_int(params, "start", span, span[0]), _int(params, "end", span, span[-1])))
    selection = extract_view.selection(
        indicators, codes=codes, blocks=[b for b in _list(params, "blocks") if b in set(indicators["building_block"])],
        countries=[c for c in _list(params, "countries") if c in _names()],
        who_regions=[r for r in _list(params, "who") if r in catalogue.WHO_REGIONS],
        income_groups=[g for g in _list(params, "income") if g in catalogue.INCOME_GROUPS], years=(start, end),
        dimensions=_list(params, "dims") or ["Total"], subnational=_flag(params, "sub"))
    if not selection.indicators:
        raise Gone("This extract names no indicator or building block in this warehouse.")
    counts = data.count_by_selection(selection).iloc[0]
    return Rendered(page="extract", heading=f"Extract: {len(selection.indicators)} indicators, {start}–{end}",
                    source=components.source_note(counts["source_codes"]),
                    metrics=[("Rows", f"{int(counts['rows']):,}"), ("Indicators", f"{int(counts['indicators']):,}"),
                             ("Countries and areas", f"{int(counts['countries']):,}")])


def capacity(params: dict) -> Rendered:
    """The Capacity page's heatmap of the chosen measure by competency domain and level (its first view), with
    the same suppression: every number comes through capacity_cells."""
    surveys = data.surveys_by_code()
    if surveys.empty:
        raise Gone("This warehouse holds no capacity survey.")
    labels = capacity_view.survey_label(surveys)
    survey = _need(params, "survey", list(labels), "survey", next(iter(labels)))
    measure = _option(params, "measure", list(capacity_view.MEASURES), next(iter(capacity_view.MEASURES)))
    countries = [c for c in _list(params, "countries") if c in _names()]
    rows = data.summary_by_group(survey, countries, [])
    record = surveys.set_index("survey_code").loc[survey]
    title = f"{capacity_view.MEASURES[measure]} by competency domain and level"
    chart = capacity_charts.heatmap(capacity_view.heatmap_table(rows, measure), title=title, measure=measure,
                                    measure_title=capacity_view.MEASURES[measure])
    where = ", ".join(_names()[c] for c in countries) if countries else "all countries"
    return _chart("capacity", f"{labels[survey]}: {title}, {where}", chart,
                  components.source_note([record["source_code"]]), [("Headline", capacity_view.headline(rows))])


def about(params: dict) -> Rendered:
    warehouse = data.warehouse()
    counts = warehouse.meta["row_counts"]
    return Rendered(page="about", heading="About the data", source=f"Build {warehouse.build_id}",
                    metrics=[("Values", f"{counts['fct_indicator_value']:,}"),
                             ("Indicators", f"{counts['dim_indicator']:,}"),
                             ("Countries and areas", f"{counts['dim_country']:,}")])


RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    "overview": overview, "trends": trends, "country": country, "coverage": coverage, "equity": equity,
    "extract": extract, "about": about, "capacity": capacity,
}


def render(page: str, params: dict) -> Rendered:
    """The view of `page` with URL parameters `params`, from the warehouse as it is now. Never raises for a
    view that cannot be drawn: the result's `message` says why, for a placeholder."""
    synthetic = data.warehouse().has_synthetic
    renderer = RENDERERS.get(page)
    if renderer is None:
        return Rendered(page=page, heading="Unknown page", synthetic=synthetic,
                        message=f"This storyboard names a page “{page[:40]}” the dashboard does not have.")
    try:
        result = renderer(dict(params))
    except Gone as exc:
        return Rendered(page=page, heading=model.page_title(page), synthetic=synthetic, message=str(exc))
    except Exception as exc:  # noqa: BLE001  one broken slide must not stop a meeting or a handout
        log.exception("slide of page %s with %s failed", page, params)
        return Rendered(page=page, heading=model.page_title(page), synthetic=synthetic,
                        message=f"This view could not be drawn ({type(exc).__name__}: {str(exc)[:120]}).")
    result.synthetic = synthetic
    return result


def drawn(page: str, params: dict) -> Rendered:
    """`render`, kept per build (see data.slide): what present mode and the handouts show."""
    return data.slide(page, params, render)


# Bigger type and thicker marks, legible on a 1280x720 projector from the back of a room.
PRESENT_CONFIG = {
    "title": {"fontSize": 30, "subtitleFontSize": 17},
    "axis": {"labelFontSize": 20, "titleFontSize": 21},
    "legend": {"labelFontSize": 19, "titleFontSize": 20, "symbolSize": 260},
    "header": {"labelFontSize": 20, "titleFontSize": 21},
    "line": {"strokeWidth": 5},
    "point": {"size": 190},
    "rule": {"strokeWidth": 3},
    "text": {"fontSize": 19},
}


def for_present(spec: dict) -> dict:
    """A copy of `spec` with the present-mode type sizes and mark widths."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    for part, values in PRESENT_CONFIG.items():
        config[part] = {**config.get(part, {}), **values}
    return out
