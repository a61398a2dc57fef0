"""Cached accessors over the warehouse, each named like its query file; plain hashable arguments, DataFrames out.

The only home of Streamlit caching: query results, lookups built once per build, and derived tables
(HEAT summary measures) computed from query results.

The connection is cached per warehouse file identity, so a rebuilt warehouse (new inode) opens a new
read-only connection on the next call; results are cached per query name, SQL digest, parameters and
build_id.
"""

from __future__ import annotations

import gc
import importlib
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import catalogue, config, db, geo, sql, uhc
from dashboard.charts import export
from dashboard.charts.layout import with_unit
from dashboard.uhc import warehouse as uhc_warehouse
from dashboard.views import country as country_view


# One entry: opening a new build evicts the previous one, and the replaced file is closed as soon as no
# session still holds it (a query running on another thread keeps its connection until it finishes).
@st.cache_resource(max_entries=1, show_spinner=False)
def _open(path: str, stamp: tuple) -> db.Warehouse:
    opened = db.open_read_only(path)
    _OPENED[id(opened)] = opened
    return opened


def warehouse() -> db.Warehouse:
    """The current warehouse (re-opened on the first call after a build has swapped in a new file).

    Within a script run that began with `pin_run()` (app.py does, through the bootstrap), every call returns
    the build the run's first call got, so a build swapped in mid-run reaches the session at its next run
    and one run never mixes two builds; the replaced file stays open until such runs let go of it.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    pinned = getattr(ctx, _PIN, None)
    if pinned is not None:
        return pinned
    path = config.path("warehouse")
    stamp = db.stamp(path)
    if stamp is None:
        raise db.WarehouseMissing(f"no warehouse at {path}: run `python -m dashboard build`")
    current = _open(str(path), stamp)
    if ctx is not None and hasattr(ctx, _PIN):
        setattr(ctx, _PIN, current)
    return current


_PIN = "_hss_pinned_warehouse"
_OPENED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # every build this process has open


def unpin_run() -> None:
    """End of a script run: the session holds no build until its next run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        setattr(ctx, _PIN, None)


def release_replaced_builds() -> None:
    """End of a script run: while a replaced build is still open, collect garbage, so its file is closed as
    soon as no run uses it. The server does not collect after every run (.streamlit/config.toml), and a
    finished run's page globals are a reference cycle that may still hold the build it read."""
    if len(_OPENED) > 1:
        gc.collect()


def pin_run() -> None:
    """Start of a script run: the run's first `warehouse()` call fixes the build it reads to the end."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        setattr(ctx, _PIN, None)


def _freeze(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items()))


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=config.get("query_cache_entries"),
               show_spinner=False)
def _cached(name: str, digest: str, build_id: str, frozen: tuple, _warehouse: db.Warehouse) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return db.run(_warehouse.connection, name, time_limit=config.get("query_timeout_s"), **params)


def run(name: str, **params) -> pd.DataFrame:
    """Run query `name` through the cache (parameters are checked once, by `db.run`, before it runs)."""
    current = warehouse()
    return _cached(name, sql.load(name).digest, current.build_id, _freeze(params), current)


@st.cache_resource(max_entries=64, show_spinner=False)
def _shared(name: str, digest: str, build_id: str, frozen: tuple, _warehouse: db.Warehouse) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return db.run(_warehouse.connection, name, time_limit=config.get("query_timeout_s"), **params)


def run_shared(name: str, **params) -> pd.DataFrame:
    """Run a lookup read several times per page run once per build and parameters, and hand every caller
    the same frame (never a copy: `st.cache_data` would unpickle a fresh copy of a 5,000-row catalogue on
    every read). Callers must not modify it; pandas' copy-on-write keeps derived frames from touching it."""
    current = warehouse()
    return _shared(name, sql.load(name).digest, current.build_id, _freeze(params), current)


# --- charts ------------------------------------------------------------------------------------------

@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=config.get("query_cache_entries"),
               show_spinner=False)
def _chart_spec(function: str, args: tuple, kwargs: dict) -> dict:
    module, _, name = function.partition(":")
    return export.to_spec(getattr(importlib.import_module(module), name)(*args, **kwargs))


def chart_spec(function: Callable, /, *args, **kwargs) -> dict:
    """The Vega-Lite dict of `function(*args, **kwargs)` (a pure chart function of dashboard.charts), cached
    by its inputs: a rerun with the same data does not build the chart again. Building an Altair chart and
    converting it costs 20-200 ms, the largest part of a warm rerun. Frames of 50,000 rows or more are not
    cached (Streamlit hashes only a sample of their rows)."""
    if any(isinstance(a, pd.DataFrame) and len(a) >= 50_000 for a in (*args, *kwargs.values())):
        return export.to_spec(function(*args, **kwargs))
    return _chart_spec(f"{function.__module__}:{function.__qualname__}", args, kwargs)


# --- indicators/ ---------------------------------------------------------------------------------------

def catalogue_by_indicator() -> pd.DataFrame:
    """One row per indicator with values (metadata and data span)."""
    return run_shared("indicators/catalogue_by_indicator")


@st.cache_resource(max_entries=2, show_spinner=False)
def _indicators_by_code(build_id: str) -> MappingProxyType:
    records = catalogue_by_indicator().to_dict("records")
    return MappingProxyType({row["indicator_code"]: MappingProxyType(row) for row in records})


def indicator(code: str) -> Mapping:
    """Metadata of one indicator (read-only); KeyError when unknown. Built once per build and shared, never
    copied per call: pickers call it once per option."""
    return _indicators_by_code(warehouse().build_id)[code]


@st.cache_resource(max_entries=2, show_spinner=False)
def _indicator_options(build_id: str) -> MappingProxyType:
    table = catalogue_by_indicator()
    labels = map(with_unit, table["short_name"], table["unit"])
    return MappingProxyType({code: f"{label} · {code} · {block}"
                             for code, label, block in zip(table["indicator_code"], labels, table["building_block"])})


def indicator_options() -> Mapping[str, str]:
    """indicator_code -> 'DTP3 coverage (%) · SH.IMM.IDPT · Service delivery' for every indicator, in
    catalogue order: the picker's labels (type-ahead matches name, block or code), built once per build."""
    return _indicator_options(warehouse().build_id)


def latest_by_country(indicator_code: str, year: int, who_regions=(), income_groups=()) -> pd.DataFrame:
    """Latest national value at or before `year` per country in the chosen regions/income groups."""
    return run("indicators/latest_by_country", indicator_code=indicator_code, year=int(year),
               who_regions=list(who_regions), income_groups=list(income_groups))


def trend_by_country_year(indicator_codes=(), iso3_codes=()) -> pd.DataFrame:
    """National values over time for the given indicators and countries, empty meaning all (one row per
    indicator x country x year, suppressed values left out)."""
    return run("indicators/trend_by_country_year", indicator_codes=sorted(set(indicator_codes)),
               iso3_codes=sorted(set(iso3_codes)))


def reference_medians_by_year(indicator_codes, who_region: str | None, income_group: str | None) -> pd.DataFrame:
    """Median per year across a WHO region's and an income group's countries, interior gaps interpolated,
    only in years where enough of the group's countries report (one row per indicator x reference x year)."""
    return run("indicators/reference_medians_by_year", indicator_codes=sorted(set(indicator_codes)),
               who_region=who_region, income_group=income_group,
               min_countries=config.get("median_min_countries"), min_share=config.get("median_min_share"))


# --- countries/ and sources/ -------------------------------------------------------------------------

def catalogue_by_country() -> pd.DataFrame:
    """One row per country (not aggregates)."""
    return run_shared("countries/catalogue_by_country")


def sources_by_code(source_codes) -> pd.DataFrame:
    """Provenance rows for the given source codes."""
    return run("sources/sources_by_code", source_codes=sorted({str(c) for c in source_codes if c}))


def inventory_by_source() -> pd.DataFrame:
    """Every source with its contribution to the warehouse."""
    return run("sources/inventory_by_source")


# --- equity/ ---------------------------------------------------------------------------------------------

def countries_with_subgroups_by_country() -> pd.DataFrame:
    """Countries with national-level subgroup values (one row per iso3)."""
    return run_shared("equity/countries_with_subgroups_by_country")


def dimensions_by_indicator(iso3: str) -> pd.DataFrame:
    """Indicator x dimension pairs with subgroup values in one country, with indicator metadata."""
    return run_shared("equity/dimensions_by_indicator", iso3=iso3)


def subgroups_by_year(iso3: str, indicator_code: str, dimension: str) -> pd.DataFrame:
    """Subgroup estimates of one indicator by one dimension in one country (one row per year x subgroup)."""
    return run("equity/subgroups_by_year", iso3=iso3, indicator_code=indicator_code, dimension=dimension)


def subgroups_by_country_year(indicator_code: str, dimension: str, year: int, who_regions=(),
                              income_groups=()) -> pd.DataFrame:
    """Subgroup estimates per country at its latest survey year at or before `year` (iso3 x subgroup)."""
    return run("equity/subgroups_by_country_year", indicator_code=indicator_code, dimension=dimension,
               year=int(year), who_regions=list(who_regions), income_groups=list(income_groups))


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=64, show_spinner=False)
def _measures_by_year(build_id: str, iso3: str, indicator_code: str, dimension: str) -> pd.DataFrame:
    from dashboard import equity  # statistics libraries: imported on the first equity view, not at start

    return equity.measures_by_year(subgroups_by_year(iso3, indicator_code, dimension))


def measures_by_year(iso3: str, indicator_code: str, dimension: str) -> pd.DataFrame:
    """HEAT summary measures per survey year over equity/subgroups_by_year (one row per year x measure),
    cached per build, country, indicator and dimension."""
    return _measures_by_year(warehouse().build_id, iso3, indicator_code, dimension)


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=64, show_spinner=False)
def _equity_readings(build_id: str, iso3: str, indicator_code: str, dimension: str, measure: str,
                     indicator_name: str, unit: str | None) -> pd.DataFrame:
    from dashboard.views import equity as equity_view

    return equity_view.readings(measures_by_year(iso3, indicator_code, dimension),
                                subgroups_by_year(iso3, indicator_code, dimension), measure,
                                indicator_name=indicator_name, unit=unit, dimension=dimension)


def equity_readings(iso3: str, indicator_code: str, dimension: str, measure: str, *, indicator_name: str,
                    unit: str | None) -> pd.DataFrame:
    """views.equity.readings of one measure over measures_by_year and subgroups_by_year (one sentence per
    survey year), cached per build and inputs."""
    return _equity_readings(warehouse().build_id, iso3, indicator_code, dimension, measure, indicator_name, unit)


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=32, show_spinner=False)
def _benchmark_measures(build_id: str, indicator_code: str, dimension: str, year: int, who: tuple,
                        income: tuple, measure: str) -> pd.DataFrame:
    from dashboard import equity

    return equity.benchmark_measures(subgroups_by_country_year(indicator_code, dimension, year, who, income),
                                     measures=[measure])


def benchmark_measures(indicator_code: str, dimension: str, year: int, who_regions=(),
                       income_groups=(), *, measure: str) -> pd.DataFrame:
    """One HEAT measure per country of a benchmark group over equity/subgroups_by_country_year (one row per
    iso3), cached per build and inputs. Only the measure shown is computed: every measure for 150
    countries (a logistic model each for SII and RII, simulations for others) takes seconds."""
    return _benchmark_measures(warehouse().build_id, indicator_code, dimension, int(year),
                               tuple(who_regions), tuple(income_groups), measure)


# --- geometry --------------------------------------------------------------------------------------------

@st.cache_resource(max_entries=32, show_spinner=False)
def _admin1_shapes(iso3: str, build_id: str, imports_dir: str) -> geo.Admin1Shapes | None:
    return geo.admin1_shapes(iso3, Path(imports_dir))


def admin1_shapes(iso3: str) -> geo.Admin1Shapes | None:
    """One country's admin-1 shapes (imported boundaries, else the committed Natural Earth layer; None when
    neither has it), read once per build and country and handed to every caller as the same object, so
    the geometry is never re-read or copied per run. Callers must not modify it."""
    return _admin1_shapes(iso3, warehouse().build_id, str(config.path("imports_dir")))


# --- profile/ --------------------------------------------------------------------------------------------

def latest_by_indicator(iso3: str, earlier_years: int) -> pd.DataFrame:
    """One country's latest national value of every indicator, with its age and the latest value at least
    `earlier_years` before it (one row per indicator)."""
    return run_shared("profile/latest_by_indicator", iso3=iso3, earlier_years=int(earlier_years))


def peer_standing_by_indicator_group(iso3: str) -> pd.DataFrame:
    """One country's direction-aware percentile among its WHO-region and income-group peers (one row per
    indicator x peer group)."""
    return run("profile/peer_standing_by_indicator_group", iso3=iso3)


def series_by_indicator_year(iso3: str) -> pd.DataFrame:
    """One country's national series of every indicator (one row per indicator x year)."""
    return run("profile/series_by_indicator_year", iso3=iso3)


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=64, show_spinner=False)
def _profile_block(build_id: str, iso3: str, block: str, stale_years: int) -> tuple[pd.DataFrame, ...]:
    latest = latest_by_indicator(iso3, country_view.DELTA_YEARS)
    standings, series = peer_standing_by_indicator_group(iso3), series_by_indicator_year(iso3)
    return (country_view.scorecard(latest, standings, series, block=block, stale_years=stale_years),
            country_view.scorecard_values(latest, standings, block=block, stale_years=stale_years),
            country_view.trend_values(series, latest, block=block))


def profile_block(iso3: str, block: str, stale_years: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One building block of the Country profile: (scorecard as shown, its numbers, its trend data) from
    views.country over the profile queries, cached per build, country and block. A block of a large
    warehouse holds hundreds of indicators; reshaping them is most of a rerun when it is not cached."""
    return _profile_block(warehouse().build_id, iso3, block, int(stale_years))


def wealth_gap_by_indicator(iso3: str) -> pd.DataFrame:
    """Richest-minus-poorest gaps of coverage indicators in their latest survey year (one row per
    indicator, largest gap first)."""
    return run("profile/wealth_gap_by_indicator", iso3=iso3)


def capacity_respondents_by_survey(iso3: str) -> pd.DataFrame:
    """Capacity surveys with respondents from one country, latest first (one row per survey); the count is
    empty where the suppression rule hides it."""
    return run("profile/capacity_respondents_by_survey", iso3=iso3, threshold=config.get("suppression_threshold"))


def capacity_summary_by_level(iso3: str, survey_code: str, min_respondents: int) -> pd.DataFrame:
    """Mean asset and need scores by capacity level, levels with fewer than `min_respondents` left out
    (one row per level)."""
    return run("profile/capacity_summary_by_level", iso3=iso3, survey_code=survey_code,
               min_respondents=int(min_respondents))


# --- extract/ --------------------------------------------------------------------------------------------

def subgroups_by_dimension() -> pd.DataFrame:
    """Every subgroup of every dimension but 'Total' (one row per dimension x subgroup), shared per build."""
    return run_shared("extract/subgroups_by_dimension")


def count_by_selection(selection) -> pd.DataFrame:
    """Rows, indicators, countries, synthetic rows and sources of an extract (one row)."""
    return run("extract/count_by_selection", **selection.params())


def values_by_selection(selection, limit: int) -> pd.DataFrame:
    """The first `limit` rows of an extract (its preview), read from the stream, never the whole extract."""
    from dashboard import extract

    return _preview(warehouse().build_id, selection, int(limit), extract)


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=32, show_spinner=False)
def _preview(build_id: str, selection, limit: int, _extract) -> pd.DataFrame:
    _, stream = _extract.batches(warehouse().connection, selection)
    first = next(stream, None)
    stream.close()
    return first.slice(0, limit).to_pandas() if first is not None else pd.DataFrame(columns=list(_extract.COLUMNS))

# --- coverage/ -------------------------------------------------------------------------------------------

def index_series_by_year(iso3: str, indicator_codes) -> pd.DataFrame:
    """One country's UHC index and sub-indices, computed and published (one row per indicator x year)."""
    return run("coverage/index_series_by_year", iso3=iso3, indicator_codes=sorted(set(indicator_codes)))


def tracer_values_by_country_year(indicator_codes) -> pd.DataFrame:
    """National values of the tracer indicators for every country (one row per indicator x country x
    year), read once per build: every country's tracer scores are computed from it."""
    return run_shared("coverage/tracer_values_by_country_year", indicator_codes=sorted(set(indicator_codes)))


def tracer_subgroups_by_year(iso3: str, indicator_codes, dimensions, year: int) -> pd.DataFrame:
    """Subgroup values of the tracer indicators in one country up to `year` (indicator x dimension x
    subgroup x year)."""
    return run("coverage/tracer_subgroups_by_year", iso3=iso3, indicator_codes=sorted(set(indicator_codes)),
               dimensions=sorted(set(dimensions)), year=int(year))


def cascade_values_by_indicator_year(iso3: str, indicator_codes, year: int) -> pd.DataFrame:
    """One country's national values of the care-cascade indicators up to `year` (indicator x year)."""
    return run("coverage/cascade_values_by_indicator_year", iso3=iso3,
               indicator_codes=sorted(set(indicator_codes)), year=int(year))


def index_against_indicator_by_country(indicator_code: str, year: int) -> pd.DataFrame:
    """Every country's latest value of one indicator at or before `year` with the UHC index of that year
    (one row per iso3 with both)."""
    return run("coverage/index_against_indicator_by_country", indicator_code=indicator_code, year=int(year))


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=64, show_spinner=False)
def _tracer_scores(build_id: str, iso3: str, year: int) -> pd.DataFrame:
    tracer_map = catalogue.uhc_tracers()
    values = uhc_warehouse.tracer_values(tracer_values_by_country_year(tracer_map["indicator_code"]), tracer_map)
    if iso3 not in set(values["iso3"]) or year < values["year"].min():  # nothing to score
        return pd.DataFrame(columns=list(uhc.explain.SCORE_COLUMNS))
    countries = catalogue_by_country()
    return uhc.country_scores(values[["iso3", "year", "tracer", "value"]], iso3, int(year),
                              regions=dict(zip(countries["iso3"], countries["who_region"])))


def tracer_scores(iso3: str, year: int) -> pd.DataFrame:
    """One country-year's 13 or 14 tracer scores (dashboard.uhc.country_scores over every country's tracer
    values, so inputs the country lacks get its WHO region's median as in the build); empty when the
    country has no tracer values by then. Cached per build, country and year."""
    return _tracer_scores(warehouse().build_id, iso3, int(year))


# --- capacity/ -------------------------------------------------------------------------------------------
# Every survey statistic passes through capacity_cells (queries/warehouse/capacity.sql) at the configured
# threshold; breakdown fields are checked against dashboard.capacity.BREAKDOWNS before any query runs.

def surveys_by_code() -> pd.DataFrame:
    """The capacity surveys, latest first, with their earlier round (one row per survey)."""
    return run("capacity/surveys_by_code")


def items_by_survey(survey_code: str) -> pd.DataFrame:
    """One survey's items with level, domain and kinds (one row per item)."""
    return run("capacity/items_by_survey", survey_code=survey_code)


def summary_by_group(survey_code: str, iso3_codes, by_fields) -> pd.DataFrame:
    """Suppressed means by group x level x competency, totals included (capacity/summary_by_group)."""
    from dashboard import capacity

    return run("capacity/summary_by_group", survey_code=survey_code, iso3_codes=sorted(set(iso3_codes)),
               by_fields=capacity.check_by(by_fields), threshold=config.get("suppression_threshold"))


def distribution_by_group(survey_code: str, iso3_codes, by_fields, item_code: str) -> pd.DataFrame:
    """Suppressed answer counts of one item by group x kind x score (capacity/distribution_by_group)."""
    from dashboard import capacity

    return run("capacity/distribution_by_group", survey_code=survey_code, iso3_codes=sorted(set(iso3_codes)),
               by_fields=capacity.check_by(by_fields), item_code=item_code,
               threshold=config.get("suppression_threshold"))


def change_by_item(survey_code: str, previous_code: str, iso3_codes) -> pd.DataFrame:
    """Suppressed item means of two rounds, for items asked in both (one row per item)."""
    return run("capacity/change_by_item", survey_code=survey_code, previous_code=previous_code,
               iso3_codes=sorted(set(iso3_codes)), threshold=config.get("suppression_threshold"))


def asset_against_indicator_by_country(survey_code: str, level: str, indicator_code: str) -> pd.DataFrame:
    """Each shown country's mean asset at one level beside its latest value of one indicator (one row per iso3)."""
    return run("capacity/asset_against_indicator_by_country", survey_code=survey_code, level=level,
               indicator_code=indicator_code, threshold=config.get("suppression_threshold"))


# --- storyboard slides ---------------------------------------------------------------------------------

@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=128, show_spinner=False)
def _slide(build_id: str, page: str, frozen: tuple, _render):
    return _render(page, dict(frozen))


def slide(page: str, params: dict, render):
    """A storyboard slide as `render` (dashboard.present.slides.render) draws it, kept per build, page and
    URL parameters: building a chart costs more than its queries, and present mode steps back and forth."""
    return _slide(warehouse().build_id, page, _freeze(params), render)
