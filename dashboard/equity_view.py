"""Equity page glue: HEAT summary measures over warehouse rows, subgroup changes, benchmark tables.

The functions here are pure (frames in, frames out) except the two cached entry points at the end,
which fetch warehouse rows through `dashboard.data` and cache the measures per build_id and inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import catalogue, config, data, equity
from dashboard.equity.group import Group, Unavailable
from dashboard.equity.simple import pair

GROUPS = {"region": "Same WHO region", "income": "Same income group"}
# Measures whose sign follows the indicator's direction (concentration, slope, attributable
# improvement): larger is worse only for a favourable indicator. Every other measure is a gap or a
# dispersion that grows with inequality.
SIGNED_BY_DIRECTION = ("aci", "rci", "sii", "rii", "par", "paf")
RATIOS = ("r", "rii")
MAX_NAMED = 8  # subgroups named one by one in a change warning before "and N more"


def first_of(preferred, options) -> str:
    """The first preferred value among `options`, else the first option (a default for a picker)."""
    options = list(options)
    return next((value for value in preferred if value in options), options[0])


def pairs(dimensions: pd.DataFrame, indicator_code: str | None = None) -> pd.DataFrame:
    """equity/dimensions_by_indicator rows, narrowed to one indicator when it is given."""
    if indicator_code is None:
        return dimensions
    return dimensions[dimensions["indicator_code"] == indicator_code]


def indicator_labels(dimensions: pd.DataFrame) -> dict[str, str]:
    """indicator_code -> 'short name (unit)', each indicator once, in the query's order."""
    return {row.indicator_code: f"{row.short_name} ({row.unit})" for row in dimensions.itertuples()}


def year_span(indicator_pairs: pd.DataFrame, dimension: str) -> range:
    """Years a benchmark may be asked for: the span of survey years of the indicator x dimension
    across all countries (from equity/dimensions_by_indicator)."""
    row = indicator_pairs[indicator_pairs["dimension"] == dimension]
    if row.empty:
        raise KeyError(f"dimension {dimension!r} is not among this indicator's dimensions")
    first, last = int(row["benchmark_first_year"].iloc[0]), int(row["benchmark_last_year"].iloc[0])
    return range(first, last + 1)


def measures_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Every applicable HEAT summary measure for each survey year of one setting x indicator x dimension.

    `rows` is equity/subgroups_by_year (one row per year x subgroup). Grain: one row per year x
    measure; columns year, measure, name, estimate, se, ci_lower, ci_upper, note.
    """
    out = equity.summarise(rows, by=["year"])
    out.insert(2, "name", out["measure"].map(lambda code: equity.MEASURES[code].name))
    return out


def measure_options(measures: pd.DataFrame) -> list[str]:
    """Measure codes computed for any year, in the HEAT catalogue's order (what the picker offers)."""
    present = set(measures["measure"])
    return [code for code in equity.MEASURES if code in present]


def measure_decimals(code: str, indicator_decimals: int) -> int:
    """Display precision: ratios to 2 decimals, measures in indicator units as the indicator, else 1."""
    if code in RATIOS:
        return 2
    if equity.MEASURES[code].scale == "indicator units":
        return max(int(indicator_decimals), 1)
    return 1


def measure_unit(code: str, indicator_unit: str) -> str:
    """The unit a measure is read in: the indicator's own for gaps in indicator units (percentage
    points for a %), else the catalogue's scale (ratio, x100, % of the setting average ...)."""
    scale = equity.MEASURES[code].scale
    own = "percentage points" if indicator_unit.strip() == "%" else indicator_unit
    if scale == "indicator units":
        return own
    if scale == "squared indicator units":
        return f"squared {own}"
    return scale.split(";")[0]


def equality_value(code: str) -> float:
    """The value a measure takes when there is no inequality: 1 for ratios, 0 otherwise."""
    return 1.0 if code in RATIOS else 0.0


def worse_when_larger(code: str, favourable_indicator: bool) -> bool:
    """Whether a larger value of the measure means more inequality (darker on a map).

    Gaps (D, R) and dispersion measures grow with inequality. Concentration indices, SII and RII point
    towards the advantaged for a favourable indicator and away from them for an adverse one; PAR and
    PAF are positive (more to gain) for a favourable indicator and negative for an adverse one.
    """
    return bool(favourable_indicator) if code in SIGNED_BY_DIRECTION else True


def subgroup_labels(rows: pd.DataFrame, code: str) -> tuple[str, str]:
    """(lowest_label, highest_label) for `equity.reading` of measure `code` in one year's subgroups.

    D and R: the pair HEAT compares (highest_label is the subgroup put first). SII, RII, ACI, RCI: the
    bottom and top of the ordered scale. PAR and PAF: highest_label is the reference the setting could
    reach (most advantaged, or best performing). Otherwise the lowest and highest estimates.
    """
    group = Group.from_frame(rows)
    has = ~np.isnan(group.est)
    if not has.any():
        return "the lowest subgroup", "the highest subgroup"
    low, high = str(group.subgroup[np.nanargmin(group.est)]), str(group.subgroup[np.nanargmax(group.est)])
    ordered = group.ordered and not np.isnan(group.order).all()
    if code in ("d", "r"):
        try:
            first, second = pair(group)
        except Unavailable:
            return low, high
        return str(group.subgroup[second]), str(group.subgroup[first])
    if code in ("sii", "rii", "aci", "rci") and ordered:
        return str(group.subgroup[np.nanargmin(group.order)]), str(group.subgroup[np.nanargmax(group.order)])
    if code in ("par", "paf"):
        if ordered:
            return low, str(group.subgroup[np.nanargmax(group.order)])
        return (low, high) if group.favourable else (high, low)
    return low, high


def readings(measures: pd.DataFrame, rows: pd.DataFrame, code: str, *, indicator_name: str,
             unit: str | None, dimension: str) -> pd.DataFrame:
    """One plain-language sentence per survey year for measure `code`, each compared with the previous
    year that has an estimate. Grain: one row per year; columns year, reading."""
    chosen = measures[measures["measure"] == code].sort_values("year")
    where = dimension[:1].lower() + dimension[1:]
    previous = None
    out = []
    for row in chosen.to_dict("records"):
        lowest, highest = subgroup_labels(rows[rows["year"] == row["year"]], code)
        out.append((row["year"], equity.reading(
            row, indicator_name=indicator_name, unit=unit, dimension=where, lowest_label=lowest,
            highest_label=highest, previous=previous)))
        if not math.isnan(row["estimate"]):
            previous = row
    return pd.DataFrame(out, columns=["year", "reading"])


def latest_table(measures: pd.DataFrame, *, indicator_unit: str, indicator_decimals: int) -> pd.DataFrame:
    """All applicable measures of the latest survey year, for display and download.

    Grain: one row per measure; columns Measure, Code, Estimate, CI lower, CI upper, Unit,
    What it measures, Note, Year.
    """
    columns = ["Measure", "Code", "Estimate", "CI lower", "CI upper", "Unit", "What it measures", "Note", "Year"]
    if measures.empty:
        return pd.DataFrame(columns=columns)
    latest = measures[measures["year"] == measures["year"].max()]
    rows = []
    for row in latest.itertuples():
        measure = equity.MEASURES[row.measure]
        places = measure_decimals(row.measure, indicator_decimals)
        rows.append([measure.name, row.measure.upper(), round(row.estimate, places), round(row.ci_lower, places),
                     round(row.ci_upper, places), measure_unit(row.measure, indicator_unit), measure.description,
                     row.note if isinstance(row.note, str) else "", int(row.year)])
    return pd.DataFrame(rows, columns=columns)


def one_measure(measures: pd.DataFrame, code: str) -> pd.DataFrame:
    """One measure's rows of measures_by_year (what the trend chart plots). Grain: one row per year."""
    chosen = measures[measures["measure"] == code]
    return chosen[["year", "measure", "name", "estimate", "se", "ci_lower", "ci_upper", "note"]].reset_index(drop=True)


def equiplot_download(rows: pd.DataFrame) -> pd.DataFrame:
    """Exactly what the equiplot plots, with provenance. Grain: one row per year x subgroup."""
    return rows[["year", "subgroup", "subgroup_order", "estimate", "se", "ci_lower", "ci_upper", "population",
                 "flag", "setting_average", "source_code"]].reset_index(drop=True)


def subgroup_changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Where the set of subgroups differs between consecutive survey years (a region split, a quintile
    missing). A subgroup counts as present in a year when it has a row, even a suppressed one.

    Grain: one row per pair of consecutive years whose sets differ; columns year_before, year,
    added, removed (lists of subgroup names in the data's order).
    """
    years = sorted(rows["year"].dropna().unique())
    sets = {year: list(dict.fromkeys(rows.loc[rows["year"] == year, "subgroup"])) for year in years}
    changes = []
    for before, after in zip(years, years[1:]):
        added = [s for s in sets[after] if s not in sets[before]]
        removed = [s for s in sets[before] if s not in sets[after]]
        if added or removed:
            changes.append({"year_before": int(before), "year": int(after), "added": added,
                            "removed": removed})
    return pd.DataFrame(changes, columns=["year_before", "year", "added", "removed"])


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    return shown + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")


def change_message(changes: pd.DataFrame, dimension: str) -> str | None:
    """A warning naming the years and the subgroups added or removed, or None when nothing changed."""
    if changes.empty:
        return None
    parts = []
    for row in changes.itertuples():
        said = []
        if row.added:
            said.append(f"added {_listed(row.added)}")
        if row.removed:
            said.append(f"removed {_listed(row.removed)}")
        parts.append(f"{row.year_before} → {row.year}: {'; '.join(said)}")
    return (f"The {dimension} subgroups change between survey years, so summary measures are not "
            f"strictly comparable over time. " + ". ".join(parts) + ".")


def benchmark_measures(rows: pd.DataFrame) -> pd.DataFrame:
    """Every applicable measure per country of a benchmark group, with the national average.

    `rows` is equity/subgroups_by_country_year (one row per iso3 x subgroup, each country at its
    latest survey year). The national average is the national value of that year from the same
    source when there is one (`national_basis` "national value"), else the population-weighted mean
    of the subgroups ("weighted mean of subgroups"). Grain: one row per iso3 x measure.
    """
    columns = ["iso3", "year", "measure", "estimate", "se", "ci_lower", "ci_upper", "note", "national",
               "national_basis", "source_code"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = equity.summarise(rows, by=["iso3", "year"])
    national = pd.DataFrame([(iso3, *_national(group)) for iso3, group in rows.groupby("iso3")],
                            columns=["iso3", "national", "national_basis", "source_code"])
    return out.merge(national, on="iso3", how="left")[columns]


def _national(rows: pd.DataFrame) -> tuple[float, str, str]:
    """(national average, what it is, source) of one country's subgroup rows."""
    source = ", ".join(sorted(rows["source_code"].dropna().astype(str).unique()))
    average = rows["setting_average"].dropna()
    if len(average):
        return float(average.iloc[0]), "national value", source
    known = rows[rows["estimate"].notna() & rows["population"].notna()]
    if known.empty or known["population"].sum() <= 0:
        return math.nan, "unavailable", source
    weights = known["population"] / known["population"].sum()
    return float((weights * known["estimate"]).sum()), "weighted mean of subgroups", source


def benchmark_table(measures: pd.DataFrame, countries: pd.DataFrame, code: str, *, selected: str,
                    year: int, who_regions=(), income_groups=()) -> pd.DataFrame:
    """Measure `code` for every country of the benchmark group, ready for the scatter and the map.

    `measures` is benchmark_measures; `countries` one row per country (iso3, iso_n3, name,
    who_region, income_group), kept when in `who_regions` and `income_groups` (empty means all).
    Countries without subgroup data keep a null estimate. Grain: one row per iso3, the lowest value
    first; columns iso3, iso_n3, name, who_region, income_group, year, data_age, national,
    national_basis, estimate, ci_lower, ci_upper, note, source_code, is_selected.
    """
    members = countries[(not who_regions or countries["who_region"].isin(list(who_regions)))
                        & (not income_groups or countries["income_group"].isin(list(income_groups)))]
    chosen = measures[measures["measure"] == code].drop(columns=["measure", "se"])
    out = members[["iso3", "iso_n3", "name", "who_region", "income_group"]].merge(chosen, on="iso3", how="left")
    out["data_age"] = year - out["year"]
    out["is_selected"] = out["iso3"] == selected
    ordered = ["iso3", "iso_n3", "name", "who_region", "income_group", "year", "data_age", "national",
               "national_basis", "estimate", "ci_lower", "ci_upper", "note", "source_code", "is_selected"]
    return out[ordered].sort_values(["estimate", "name"], na_position="last").reset_index(drop=True)


def missing_note(table: pd.DataFrame, iso3: str, names: dict) -> str:
    """' Kenya has no estimate …' when the chosen country drops out of its own benchmark, else ''."""
    row = table[table["iso3"] == iso3]
    if not row.empty and pd.notna(row["estimate"].iloc[0]):
        return ""
    why = row["note"].iloc[0] if not row.empty and isinstance(row["note"].iloc[0], str) else \
        "no survey with subgroup data by then"
    return f" {names.get(iso3, iso3)} has no estimate here: {why}."


def benchmark_group(countries: pd.DataFrame, iso3: str, group: str) -> tuple[list[str], list[str], str]:
    """(who_regions, income_groups, label) of the chosen country's benchmark group.

    An unclassified country (no region or income group) is benchmarked against all countries.
    """
    row = countries.set_index("iso3").loc[iso3]
    value = row["who_region"] if group == "region" else row["income_group"]
    if not isinstance(value, str) or not value:
        missing = "WHO region" if group == "region" else "income group"
        return [], [], f"countries worldwide ({row['name']} has no {missing} on record)"
    if group == "region":
        return [value], [], f"countries of the WHO {catalogue.WHO_REGIONS.get(value, value)}"
    return [], [value], f"{value.lower()} countries"


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=64, show_spinner=False)
def _measures_over_years(build_id: str, iso3: str, indicator_code: str, dimension: str) -> pd.DataFrame:
    return measures_by_year(data.equity_subgroups(iso3, indicator_code, dimension))


def cached_measures_by_year(iso3: str, indicator_code: str, dimension: str) -> pd.DataFrame:
    """measures_by_year over the warehouse rows, cached per build_id, country, indicator and dimension."""
    return _measures_over_years(data.warehouse().build_id, iso3, indicator_code, dimension)


@st.cache_data(ttl=config.get("query_cache_ttl"), max_entries=32, show_spinner=False)
def _benchmark(build_id: str, indicator_code: str, dimension: str, year: int, who: tuple,
               income: tuple) -> pd.DataFrame:
    rows = data.equity_benchmark_subgroups(indicator_code, dimension, year, who, income)
    return benchmark_measures(rows)


def cached_benchmark_measures(indicator_code: str, dimension: str, year: int, who_regions=(),
                              income_groups=()) -> pd.DataFrame:
    """benchmark_measures over the warehouse rows, cached per build_id and inputs (every measure, so
    switching the measure recomputes nothing)."""
    return _benchmark(data.warehouse().build_id, indicator_code, dimension, int(year),
                      tuple(who_regions), tuple(income_groups))
