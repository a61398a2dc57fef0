"""One setting x date x indicator x dimension as arrays, and which subgroups a measure may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # qnorm(0.975)

COLUMNS = ("subgroup", "estimate", "se", "population", "subgroup_order", "ordered_dimension",
           "reference_subgroup", "favourable_indicator", "indicator_scale")

# healthequal computes the non-ordered measures without subgroups that lack an estimate as long as
# no more than this share of subgroups is missing; ordered measures need every subgroup.
MAX_MISSING_SHARE = 0.15


class Unavailable(Exception):
    """A measure applies to the group but cannot be computed; the message says why."""


class Value(NamedTuple):
    estimate: float
    se: float = np.nan
    ci_lower: float = np.nan
    ci_upper: float = np.nan
    note: str | None = None


def normal_ci(estimate: float, se: float, note: str | None = None) -> Value:
    return Value(estimate, se, estimate - Z95 * se, estimate + Z95 * se, note)


def _flags(values: pd.Series) -> np.ndarray:
    """0/1, True/False or 'TRUE'/'FALSE' as booleans; missing counts as False."""
    text = values.astype("string").str.strip().str.upper()
    return text.isin(["1", "1.0", "TRUE", "T", "YES"]).to_numpy(dtype=bool)


def _constant(frame: pd.DataFrame, column: str):
    values = frame[column].dropna().unique()
    if len(values) > 1:
        raise ValueError(f"{column} differs within one group: {sorted(map(str, values))}")
    return values[0] if len(values) else None


def names(labels) -> str:
    labels = [str(label) for label in labels]
    shown = ", ".join(labels[:3])
    return shown + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")


@dataclass(frozen=True)
class Group:
    """The subgroups of one dimension, sorted by subgroup_order then by name."""

    subgroup: np.ndarray
    est: np.ndarray
    se: np.ndarray
    pop: np.ndarray
    order: np.ndarray
    reference: np.ndarray
    ordered: bool
    favourable: bool
    scale: float
    setting_average: float

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Group:
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"summary_measures input lacks column(s) {', '.join(missing)}")
        frame = frame.assign(
            _order=pd.to_numeric(frame["subgroup_order"], errors="coerce"),
            _flag_ordered=_flags(frame["ordered_dimension"]),
            _flag_favourable=_flags(frame["favourable_indicator"]),
        ).sort_values(["_order", "subgroup"], kind="stable")
        for column in ("_flag_ordered", "_flag_favourable", "indicator_scale"):
            _constant(frame, column)
        scale = pd.to_numeric(frame["indicator_scale"], errors="coerce").dropna()
        average = (pd.to_numeric(frame["setting_average"], errors="coerce")
                   if "setting_average" in frame.columns else pd.Series(dtype=float))
        average = average.dropna().unique()
        if len(average) > 1:
            raise ValueError(f"setting_average differs within one group: {sorted(average)}")

        def numbers(column: str) -> np.ndarray:
            return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

        return cls(
            subgroup=frame["subgroup"].astype(str).to_numpy(),
            est=numbers("estimate"),
            se=numbers("se"),
            pop=numbers("population"),
            order=frame["_order"].to_numpy(dtype=float, na_value=np.nan),
            reference=_flags(frame["reference_subgroup"]),
            ordered=bool(frame["_flag_ordered"].any()),
            favourable=bool(frame["_flag_favourable"].any()) if len(frame) else True,
            scale=float(scale.iloc[0]) if len(scale) else np.nan,
            setting_average=float(average[0]) if len(average) else np.nan,
        )

    @property
    def n(self) -> int:
        return len(self.subgroup)

    @property
    def has_reference(self) -> bool:
        return int(self.reference.sum()) == 1

    @property
    def kind(self) -> str:
        """'binary', 'ordered' or 'non-ordered' (the last two only with more than two subgroups)."""
        if self.n <= 2:
            return "binary"
        return "ordered" if self.ordered else "non-ordered"

    def subset(self, keep: np.ndarray) -> Group:
        return Group(self.subgroup[keep], self.est[keep], self.se[keep], self.pop[keep],
                     self.order[keep], self.reference[keep], self.ordered, self.favourable,
                     self.scale, self.setting_average)


def complete(group: Group) -> Group:
    """The group itself when every subgroup has an estimate (what ordered measures need)."""
    missing = np.isnan(group.est)
    if missing.all():
        raise Unavailable("no subgroup has an estimate")
    if missing.any():
        raise Unavailable(f"estimate missing for {names(group.subgroup[missing])}; "
                          "this measure needs every subgroup of an ordered dimension")
    return group


def available(group: Group, minimum: int = 3) -> tuple[Group, str | None]:
    """Subgroups with an estimate, if few enough are missing; and a note naming any left out."""
    missing = np.isnan(group.est)
    if group.n == 0:
        raise Unavailable("the dimension has no subgroups")
    if missing.sum() / group.n > MAX_MISSING_SHARE:
        raise Unavailable(f"estimate missing for {missing.sum()} of {group.n} subgroups "
                          f"({names(group.subgroup[missing])}); at most 15% may be missing")
    kept = group.subset(~missing)
    if kept.n < minimum:
        raise Unavailable(f"only {kept.n} subgroup(s) have an estimate; {minimum} are needed")
    note = f"computed without {names(group.subgroup[missing])} (no estimate)" if missing.any() else None
    return kept, note


def shares(group: Group) -> np.ndarray:
    """Population shares; raises Unavailable when a population is missing, negative or all zero."""
    pop = group.pop
    bad = np.isnan(pop) | (pop < 0)
    if bad.any():
        raise Unavailable(f"population missing or negative for {names(group.subgroup[bad])}")
    if pop.sum() <= 0:
        raise Unavailable("population is zero in every subgroup")
    return pop / pop.sum()


def setting_mean(group: Group) -> float:
    """The setting average when given, otherwise the population-weighted mean of the estimates."""
    if not np.isnan(group.setting_average):
        return group.setting_average
    return float(np.sum(shares(group) * group.est))


def se_gap(group: Group, mask: np.ndarray | None = None) -> str | None:
    """A note when standard errors are missing for the subgroups a confidence interval needs."""
    se = group.se if mask is None else group.se[mask]
    labels = group.subgroup if mask is None else group.subgroup[mask]
    bad = np.isnan(se) | (se < 0)
    if bad.any():
        return f"no 95% CI: standard error missing for {names(labels[bad])}"
    return None


def join(*notes: str | None) -> str | None:
    text = "; ".join(n for n in notes if n)
    return text or None
