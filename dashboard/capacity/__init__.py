"""Capacity-survey rules shared by the page, the command line and the importer: the allow-list of breakdown
fields, the summary table both the page and `capacity summary` write, and Welch's comparison of two groups.

The disclosure control itself lives in SQL (`capacity_cells` in queries/warehouse/capacity.sql); nothing
here computes a statistic from answers.
"""

from __future__ import annotations

import math

import pandas as pd

# Breakdown field -> label. The only names a caller may pass as `by`; the SQL maps each to its column.
BREAKDOWNS = {
    "regional_network": "Regional network", "organisation_type": "Organisation type",
    "career_stage": "Career stage", "gender": "Gender", "country": "Country",
    "working_group": "Working group",
}
LEVELS = ("individual", "organisational", "network")
SUMMARY_COLUMNS = ["level", "competency", "n", "mean_asset", "mean_need", "gap", "suppressed"]


class CapacityError(ValueError):
    """A request the capacity rules refuse; the message is one line naming the parameter."""


def check_by(fields) -> list[str]:
    """`fields` as a list when every one is an allowed breakdown field, in order and without repeats."""
    fields = list(dict.fromkeys(str(f) for f in (fields or [])))
    unknown = [f for f in fields if f not in BREAKDOWNS]
    if unknown:
        raise CapacityError(f"--by {', '.join(unknown)}: not a breakdown field; allowed: {', '.join(BREAKDOWNS)}")
    return fields


def summary_table(rows: pd.DataFrame, by) -> pd.DataFrame:
    """capacity/summary_by_group rows as the page's table and the command's file: the breakdown fields
    asked for, then level, competency, n, mean_asset, mean_need, gap, suppressed. Without `by`, the totals;
    with it, one row per group x level x competency. Grain: one row per group x level x competency."""
    by = check_by(by)
    part = rows[rows["is_total"]] if not by else rows[~rows["is_total"]]
    out = part[by + SUMMARY_COLUMNS].copy()
    out["n"] = out["n"].astype("Int64")
    out["suppressed"] = out["suppressed"].astype(bool)
    order = {level: i for i, level in enumerate(LEVELS)}
    out = out.sort_values(by + ["level", "competency"], key=lambda s: s.map(order) if s.name == "level" else s,
                          kind="stable")
    return out.reset_index(drop=True)


def welch(mean_a, sd_a, n_a, mean_b, sd_b, n_b, level: float = 0.95) -> dict:
    """Difference of means a - b with its Welch (unequal variances) confidence interval and degrees of
    freedom; the interval is empty (NaN) when either group lacks a spread (n < 2)."""
    from scipy import stats  # loaded when first needed, not with the app (see bootstrap.warm_up)

    nan = {"difference": math.nan, "lower": math.nan, "upper": math.nan, "df": math.nan}
    values = (mean_a, sd_a, n_a, mean_b, sd_b, n_b)
    if any(v is None or pd.isna(v) for v in values) or n_a < 2 or n_b < 2:
        return {**nan, "difference": (mean_a - mean_b) if not (pd.isna(mean_a) or pd.isna(mean_b)) else math.nan}
    va, vb = sd_a ** 2 / n_a, sd_b ** 2 / n_b
    difference = mean_a - mean_b
    se = math.sqrt(va + vb)
    if se == 0:
        return {"difference": difference, "lower": difference, "upper": difference, "df": math.inf}
    df = (va + vb) ** 2 / (va ** 2 / (n_a - 1) + vb ** 2 / (n_b - 1))
    t = stats.t.ppf(0.5 + level / 2, df)
    return {"difference": difference, "lower": difference - t * se, "upper": difference + t * se, "df": df}
