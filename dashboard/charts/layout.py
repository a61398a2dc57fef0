"""Chart layout helpers: line segments and gap connectors, and end labels spread so they never overlap."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

LABEL_GAP = 0.045  # least distance between end labels, as a share of the value axis (about 16 px of 360)


def segments(frame: pd.DataFrame, by: Sequence[str] = ("series",)) -> pd.Series:
    """Solid-line segment number of each row: it starts at 0 and grows after every gap (a year with no
    value between two observed years), so a line drawn per (series, segment) breaks at gaps."""
    keys = list(by)
    ordered = frame.sort_values([*keys, "year"])
    jump = ordered.groupby(keys, sort=False)["year"].diff().gt(1)
    return jump.groupby([ordered[k] for k in keys], sort=False).cumsum().astype(int).reindex(frame.index)


def gap_rows(frame: pd.DataFrame, by: Sequence[str] = ("series",)) -> pd.DataFrame:
    """The dashed connectors across gaps: for each pair of consecutive observed years more than one year
    apart, the two observed rows either side, sharing a `gap` id such as 'Kenya 2010-2012'."""
    keys = list(by)
    ordered = frame.sort_values([*keys, "year"]).reset_index(drop=True)
    following_year = ordered.groupby(keys, sort=False)["year"].shift(-1)
    is_gap = (following_year - ordered["year"]) > 1
    starts = ordered[is_gap]
    ends = ordered.iloc[np.flatnonzero(is_gap.to_numpy()) + 1]
    ids = [f"{' '.join(str(v) for v in key)} {a}-{b}"
           for key, a, b in zip(starts[keys].itertuples(index=False), starts["year"], ends["year"])]
    return pd.concat([starts.assign(gap=ids), ends.assign(gap=ids)]).sort_values(["gap", "year"], kind="stable") \
        .reset_index(drop=True)


def spread_labels(values: Sequence[float], min_gap: float, floor: float | None = None) -> list[float]:
    """Label positions at least `min_gap` apart, each as near its value as the spacing allows (same order
    as `values`). Labels are pushed apart around the centre of each crowded run, keeping the run's mean;
    with `floor`, a run pushed below it is lifted to start there (so labels never widen the axis below
    the data, e.g. under zero)."""
    order = np.argsort(values, kind="stable")
    placed: list[list] = []  # runs of [indices, start position]
    for i in order:
        placed.append([[i], float(values[i])])
        while len(placed) > 1:
            (low, low_start), (high, high_start) = placed[-2], placed[-1]
            if high_start >= low_start + len(low) * min_gap:
                break
            members = low + high
            mean = float(np.mean([values[j] for j in members]))
            placed[-2:] = [[members, mean - (len(members) - 1) * min_gap / 2]]
    if floor is not None:
        lifted, top = [], floor
        for members, begin in placed:
            begin = max(begin, top)
            lifted.append([members, begin])
            top = begin + len(members) * min_gap
        placed = lifted
    out = [0.0] * len(values)
    for members, begin in placed:
        for k, j in enumerate(members):
            out[j] = begin + k * min_gap
    return out


def end_labels(frame: pd.DataFrame, *, log: bool = False, gap: float = LABEL_GAP,
               at: int | None = None) -> pd.DataFrame:
    """The last point of each series with where its label goes: `label_x` (year `at`, default the last
    year in `frame`) and `label_y`, spread so labels do not overlap (in log space when the axis is
    logarithmic). `gap` is the least spacing as a share of the values' span."""
    ends = frame.sort_values("year").groupby("series", sort=False).tail(1).copy()
    if ends.empty:
        return ends.assign(label_x=pd.Series(dtype=int), label_y=pd.Series(dtype=float))
    spread = pd.concat([frame["value"], frame["ci_lower"], frame["ci_upper"]]).dropna()
    spread = np.log10(spread[spread > 0]) if log else spread
    span = float(spread.max() - spread.min()) or 1.0
    points = np.log10(ends["value"]) if log else ends["value"]
    placed = np.asarray(spread_labels(points.tolist(), span * gap, floor=float(spread.min())))
    ends["label_x"] = int(frame["year"].max()) if at is None else at
    ends["label_y"] = 10 ** placed if log else placed
    return ends.reset_index(drop=True)



UNIT_WORDS = ("per", "%", "number")  # a name ending in "(per 1,000)" or "(% of GDP)" already carries its unit


def quantity(number: str, unit: str | None) -> str:
    """The one way a number is written with its unit: '72.7%' (no space before a percent sign, as in every
    chart axis), '9.1 per 10,000 population' otherwise, the number alone without a unit."""
    if not isinstance(unit, str) or not unit.strip():
        return number
    unit = unit.strip()
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def with_unit(name: str, unit: str | None) -> str:
    """The one way an indicator is named with its unit: 'DTP3 coverage (%)'.

    Never doubles a unit: 'Physicians (per 1,000)' stays as it is, and an 'index (0-100)' unit of a name
    that already says index gives 'UHC service coverage index (0-100)'.
    """
    if not isinstance(unit, str) or not unit.strip():
        return name
    tail = re.search(r"\(([^()]*)\)$", name)
    if tail and tail.group(1).split(" ")[0] in UNIT_WORDS:
        return name
    word, _, rest = unit.partition(" ")
    if name.endswith(f"({unit})") or (rest.startswith("(") and name.endswith(rest)):
        return name  # 'UHC index (computed) (0-100)' with unit 'index (0-100)'
    if rest.startswith("(") and word.lower() in name.lower():
        return f"{name} {rest}"
    return f"{name} ({unit})"
