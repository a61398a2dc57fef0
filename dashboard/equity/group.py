"""One setting x date x indicator x dimension as arrays, and which subgroups a measure may use."""

from __future__ import annotations

from collections.abc import Iterator
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
        """The group of every row of `frame` (one setting x date x indicator x dimension)."""
        return next(group for _, group in cls.split(frame, by=[]))

    @classmethod
    def split(cls, frame: pd.DataFrame, by: list[str]) -> Iterator[tuple[tuple, Group]]:
        """(key, group) for each group of `frame` by the `by` columns, in sorted key order (nulls last).

        The columns are converted once for the whole frame, not once per group: a benchmark of 150
        countries is one conversion and 150 slices."""
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"summary_measures input lacks column(s) {', '.join(missing)}")
        average = (frame["setting_average"] if "setting_average" in frame.columns
                   else pd.Series(np.nan, index=frame.index))
        work = pd.DataFrame({
            **{column: frame[column] for column in by},
            "_order": pd.to_numeric(frame["subgroup_order"], errors="coerce"),
            "_subgroup": frame["subgroup"],
        }).reset_index(drop=True)
        work = work.sort_values([*by, "_order", "_subgroup"], kind="stable", na_position="last")
        rows = work.index.to_numpy()  # positions in `frame`, sorted by group, then order, then name

        def numbers(values) -> np.ndarray:
            return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)[rows]

        arrays = dict(
            subgroup=frame["subgroup"].astype(str).to_numpy()[rows], est=numbers(frame["estimate"]),
            se=numbers(frame["se"]), pop=numbers(frame["population"]), order=numbers(frame["subgroup_order"]),
            reference=_flags(frame["reference_subgroup"])[rows], ordered=_flags(frame["ordered_dimension"])[rows],
            favourable=_flags(frame["favourable_indicator"])[rows], scale=numbers(frame["indicator_scale"]),
            average=numbers(average), raw_scale=frame["indicator_scale"].to_numpy()[rows],
        )
        if not by:
            yield (), cls._of(arrays, slice(None))
            return
        groups = work.reset_index(drop=True).groupby(by, sort=False, dropna=False).indices
        for key, positions in sorted(groups.items(), key=lambda item: item[1][0]):
            yield key if isinstance(key, tuple) else (key,), cls._of(arrays, positions)

    @classmethod
    def _of(cls, arrays: dict, rows) -> Group:
        for name, column in (("_flag_ordered", "ordered"), ("_flag_favourable", "favourable")):
            if np.unique(arrays[column][rows]).size > 1:
                raise ValueError(f"{name} differs within one group: [False, True]")
        raw_scale = pd.Series(arrays["raw_scale"][rows]).dropna().unique()
        if len(raw_scale) > 1:
            raise ValueError(f"indicator_scale differs within one group: {sorted(map(str, raw_scale))}")
        scale = arrays["scale"][rows]
        scale = scale[~np.isnan(scale)]
        average = np.unique(arrays["average"][rows][~np.isnan(arrays["average"][rows])])
        if len(average) > 1:
            raise ValueError(f"setting_average differs within one group: {sorted(average)}")
        favourable = arrays["favourable"][rows]
        return cls(
            subgroup=arrays["subgroup"][rows], est=arrays["est"][rows], se=arrays["se"][rows],
            pop=arrays["pop"][rows], order=arrays["order"][rows], reference=arrays["reference"][rows],
            ordered=bool(arrays["ordered"][rows].any()),
            favourable=bool(favourable.any()) if len(favourable) else True,
            scale=float(scale[0]) if len(scale) else np.nan,
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
