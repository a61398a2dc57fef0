"""Equity gaps page views: indicator x dimension pairs, readings per year, subgroup changes, the
latest-year table and the benchmark table (frames in, frames out)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard import catalogue, equity
from dashboard.charts.layout import with_unit
from dashboard.equity.group import Group, Unavailable
from dashboard.equity.presentation import measure_decimals, measure_unit, with_interval_notes
from dashboard.equity.simple import pair

GROUPS = {"region": "Same WHO region", "income": "Same income group"}
MAX_NAMED = 8  # subgroups named one by one in a change warning before "and N more"


def pairs(dimensions: pd.DataFrame, indicator_code: str | None = None) -> pd.DataFrame:
    """equity/dimensions_by_indicator rows, narrowed to one indicator when it is given."""
    if indicator_code is None:
        return dimensions
    return dimensions[dimensions["indicator_code"] == indicator_code]


def indicator_labels(dimensions: pd.DataFrame) -> dict[str, str]:
    """indicator_code -> 'short name (unit)', each indicator once, in the query's order."""
    first = dimensions.drop_duplicates("indicator_code")
    return dict(zip(first["indicator_code"], map(with_unit, first["short_name"], first["unit"])))


def indicator_row(indicator_pairs: pd.DataFrame, dimension: str) -> dict:
    """The indicator's metadata row for one dimension (from equity/dimensions_by_indicator)."""
    return indicator_pairs[indicator_pairs["dimension"] == dimension].iloc[0].to_dict()


def measure_label(code: str) -> str:
    """'Difference (D)': a summary measure as the picker names it."""
    return f"{equity.MEASURES[code].name} ({code.upper()})"


def with_estimate(table: pd.DataFrame) -> pd.DataFrame:
    """The benchmark_table rows that have an estimate (what the scatter plots)."""
    return table[table["estimate"].notna()].reset_index(drop=True)


def year_span(indicator_pairs: pd.DataFrame, dimension: str) -> range:
    """Years a benchmark may be asked for: the span of survey years of the indicator x dimension
    across all countries (from equity/dimensions_by_indicator)."""
    row = indicator_pairs[indicator_pairs["dimension"] == dimension]
    if row.empty:
        raise KeyError(f"dimension {dimension!r} is not among this indicator's dimensions")
    first, last = int(row["benchmark_first_year"].iloc[0]), int(row["benchmark_last_year"].iloc[0])
    return range(first, last + 1)


def measure_options(measures: pd.DataFrame) -> list[str]:
    """Measure codes computed for any year, in the HEAT catalogue's order (what the picker offers)."""
    present = set(measures["measure"])
    return [code for code in equity.MEASURES if code in present]


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
            row, indicator_name=catalogue.in_sentence(indicator_name), unit=unit, dimension=where, lowest_label=lowest,
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
    latest = with_interval_notes(measures[measures["year"] == measures["year"].max()])
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
    chosen = with_interval_notes(measures[measures["measure"] == code])
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
    chosen = with_interval_notes(measures[measures["measure"] == code]).drop(columns=["measure", "se"])
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
        return [value], [], f"countries of the WHO {catalogue.who_region_name(value)}"
    return [], [value], f"{value.lower()} countries"
