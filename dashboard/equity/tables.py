"""HEAT summary measures over warehouse rows: per survey year of one setting, and per country of a benchmark
group (frames in, frames out)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from dashboard.equity.measures import MEASURES
from dashboard.equity.summary import summarise


def measures_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Every applicable HEAT summary measure for each survey year of one setting x indicator x dimension.

    `rows` is equity/subgroups_by_year (one row per year x subgroup). Grain: one row per year x
    measure; columns year, measure, name, estimate, se, ci_lower, ci_upper, note.
    """
    out = summarise(rows, by=["year"])
    out.insert(2, "name", out["measure"].map(lambda code: MEASURES[code].name))
    return out


def benchmark_measures(rows: pd.DataFrame, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Every applicable measure (or only `measures`) per country of a benchmark group, with the national
    average.

    `rows` is equity/subgroups_by_country_year (one row per iso3 x subgroup, each country at its
    latest survey year). The national average is the national value of that year from the same
    source when there is one (`national_basis` "national value"), else the population-weighted mean
    of the subgroups ("weighted mean of subgroups"). Grain: one row per iso3 x measure.
    """
    columns = ["iso3", "year", "measure", "estimate", "se", "ci_lower", "ci_upper", "note", "national",
               "national_basis", "source_code"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = summarise(rows, by=["iso3", "year"], measures=measures)
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

