"""Apply every applicable HEAT summary measure to one group, or to each group of a long frame."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.equity import dispersion, ordered, simple
from dashboard.equity.group import Group, Unavailable, Value
from dashboard.equity.measures import MEASURES

DEFAULT_SEED = 123456  # healthequal's default, so a rerun gives the same simulation intervals
OUTPUT_COLUMNS = ("measure", "estimate", "se", "ci_lower", "ci_upper", "note")

_GROUP_FUNCTIONS = {
    "d": simple.d, "r": simple.r, "par": simple.par, "paf": simple.paf,
    "aci": ordered.aci, "rci": ordered.rci, "sii": ordered.sii, "rii": ordered.rii,
}
_NON_ORDERED_FUNCTIONS = {
    code: getattr(dispersion, code)
    for code in ("bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw",
                 "idisu", "idisw", "ti", "mld")
}


def applicable(group: Group) -> list[str]:
    """Measure codes that apply to the group's kind of dimension, in MEASURES order."""
    kind = group.kind
    codes = []
    for code, measure in MEASURES.items():
        if (measure.applies == "all"
                or measure.applies == kind
                or (measure.applies == "reference" and kind == "non-ordered" and group.has_reference)):
            codes.append(code)
    return codes


def summary_measures(group: pd.DataFrame, *, seed: int = DEFAULT_SEED,
                     measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Every applicable summary measure for one setting x date x indicator x dimension.

    Input: one row per subgroup with columns subgroup, estimate, se, population, subgroup_order,
    ordered_dimension, reference_subgroup, favourable_indicator, indicator_scale and optionally
    setting_average. Output grain: one row per applicable measure, columns measure, estimate, se,
    ci_lower, ci_upper, note. A measure that applies but cannot be computed has a null estimate and
    a note saying why; a note on a computed row says what was left out (e.g. why there is no CI).
    `seed` fixes the simulation draws, so identical input gives identical intervals. With `measures`,
    only those of them that apply.
    """
    return _frame(_measure_rows(Group.from_frame(group), seed, measures), by=[])


def _measure_rows(data: Group, seed: int, measures: Sequence[str] | None) -> list[tuple]:
    """(measure, estimate, se, ci_lower, ci_upper, note) of each applicable measure of one group."""
    rows = []
    context: dispersion.NonOrdered | Unavailable | None = None
    for code in applicable(data):
        if measures is not None and code not in measures:
            continue
        try:
            if code in _GROUP_FUNCTIONS:
                value = _GROUP_FUNCTIONS[code](data)
            else:
                if context is None:
                    try:
                        context = dispersion.NonOrdered(data, seed)
                    except Unavailable as exc:
                        context = exc
                if isinstance(context, Unavailable):
                    raise context
                value = _NON_ORDERED_FUNCTIONS[code](context)
        except Unavailable as exc:
            value = Value(np.nan, note=str(exc))
        rows.append((code, *_finite(value)))
    return rows


def _frame(rows: list[tuple], by: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=[*by, *OUTPUT_COLUMNS]).astype(
        {"estimate": "float64", "se": "float64", "ci_lower": "float64", "ci_upper": "float64"})
    out["note"] = pd.array(out["note"], dtype="string")
    return out


def _finite(value: Value) -> tuple:
    """Infinite or undefined numbers become nulls; an undefined estimate always carries a note."""
    numbers = [float(v) if v is not None and np.isfinite(v) else np.nan for v in value[:4]]
    note = value.note
    if np.isnan(numbers[0]) and not note:
        note = "undefined for these estimates"
    return (*numbers, note)


def summarise(df: pd.DataFrame, by: Sequence[str], *, seed: int = DEFAULT_SEED,
              measures: Sequence[str] | None = None) -> pd.DataFrame:
    """summary_measures for each group of `df` defined by the `by` columns (only `measures`, if given).

    Grain: one row per group x applicable measure; columns are `by` followed by measure, estimate,
    se, ci_lower, ci_upper, note. Groups come out in sorted `by` order.
    """
    by = list(by)
    missing = [c for c in by if c not in df.columns]
    if missing:
        raise ValueError(f"summarise: grouping column(s) {', '.join(missing)} not in the frame")
    if df.empty:
        empty = {c: df[c].iloc[:0] for c in by}
        return pd.DataFrame({**empty, **{c: pd.Series(dtype="float64") for c in OUTPUT_COLUMNS}})
    rows = [(*key, *row) for key, group in Group.split(df, by) for row in _measure_rows(group, seed, measures)]
    out = _frame(rows, by)
    for column in by:
        out[column] = out[column].astype(df[column].dtype)
    return out
