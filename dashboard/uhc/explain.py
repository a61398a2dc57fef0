"""One country-year up close: its tracer scores, what holds its index down, and what moving a tracer would do.

Everything here works on the 13 or 14 scores of one country-year, so a what-if is a handful of
logarithms. On the log scale the index is a weighted sum: a tracer in an area of n tracers in use
weighs 1 / (4 n), so raising it from s to s' multiplies the index by (s' / s) ** (1 / (4 n)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.uhc.method import aggregate, fill, tracer_scores
from dashboard.uhc.tracers import AREAS, CEILING, FLOOR, INPUTS, TRACER_BY_KEY, TRACER_KEYS, in_sentence

SCORE_COLUMNS = ("tracer", "area", "label", "score", "imputed", "how", "description")


def country_scores(values: pd.DataFrame, iso3: str, year: int, regions: Mapping[str, str] | None = None,
                   last_year: int | None = None) -> pd.DataFrame:
    """The tracers of one country-year: one row per tracer in use (13 without ITN, else 14), in tracer order.

    Columns: tracer, area, label, score (0-100, NaN when the tracer has no value that year), imputed
    (any input filled rather than observed), how (each input's provenance: 'observed', 'interpolated',
    'carried forward', 'regional median'; inputs joined with '; ') and description (the input values in
    words, e.g. 'hospital beds 9 per 10,000'). `values` and `regions` are as for `compute` (pass every
    country's values when regional medians should fill inputs this country lacks); values are carried
    forward to `last_year`, by default the later of `year` and the data's latest year.
    """
    if last_year is None:  # a year after the data's last is reached by carrying values forward
        last_year = max(int(year), int(pd.to_numeric(values["year"], errors="coerce").max()))
    filled = fill(values, regions, last_year)
    key = (iso3, int(year))
    if key not in filled.values.index:
        raise KeyError(f"no tracer values for {iso3} in {year}")
    scores, imputed, in_use = tracer_scores(filled)
    rows = []
    for tracer in TRACER_KEYS:
        if not in_use.loc[key, tracer]:
            continue
        spec = TRACER_BY_KEY[tracer]
        how = [filled.how.loc[key, i] for i in spec.inputs]
        raw = [filled.values.loc[key, i] for i in spec.inputs]
        rows.append({
            "tracer": tracer, "area": spec.area, "label": spec.label, "score": scores.loc[key, tracer],
            "imputed": bool(imputed.loc[key, tracer]),
            "how": "; ".join(h if isinstance(h, str) else "missing" for h in how),
            "description": _describe(tracer, raw, scores.loc[key, tracer]),
        })
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def _describe(tracer: str, raw: list[float], score: float) -> str:
    spec = TRACER_BY_KEY[tracer]
    parts = [INPUTS[i].describe(v) if not pd.isna(v) else f"{INPUTS[i].label} missing"
             for i, v in zip(spec.inputs, raw)]
    if len(parts) == 1:
        return parts[0]
    shown = "no score" if pd.isna(score) else f"score {score:.0f}"
    return f"{in_sentence(spec.label)} {shown} ({', '.join(parts)})"


def _vector(scores) -> tuple[np.ndarray, np.ndarray]:
    """(14 scores in TRACER_KEYS order, in-use mask) from a country_scores frame or a tracer -> score mapping."""
    if isinstance(scores, pd.DataFrame):
        scores = dict(zip(scores["tracer"], scores["score"]))
    unknown = set(scores) - set(TRACER_KEYS)
    if unknown:
        raise ValueError(f"unknown tracer(s) {', '.join(sorted(unknown))}")
    missing = [t for t in TRACER_KEYS if t not in scores and t != "itn"]
    if missing:
        raise ValueError(f"scores lack tracer(s) {', '.join(missing)}")
    vector = np.array([float(scores.get(t, np.nan)) for t in TRACER_KEYS])
    return vector, np.array([t in scores for t in TRACER_KEYS])


def _result(index: float, sub: np.ndarray) -> pd.Series:
    return pd.Series({"index": float(index), **{area: float(sub[i]) for i, area in enumerate(AREAS)}})


def what_if(scores, changes: Mapping[str, float]) -> pd.Series:
    """Index and sub-indices (a Series: index, rmnch, infectious, ncd, capacity) after setting some tracers'
    scores to new values (held within [1, 100] like any score).

    `scores` is a country_scores frame or a tracer -> score mapping; `changes` maps tracer -> new score.
    """
    vector, in_use = _vector(scores)
    for tracer, score in changes.items():
        if tracer not in TRACER_KEYS or not in_use[TRACER_KEYS.index(tracer)]:
            raise ValueError(f"{tracer!r} is not a tracer in use for this country")
        vector[TRACER_KEYS.index(tracer)] = np.clip(float(score), FLOOR, CEILING)
    index, sub = aggregate(vector, in_use)
    return _result(index[0], sub[0])


def marginal_gains(scores, points: float = 10.0) -> pd.DataFrame:
    """What raising each tracer would add to the index: one row per tracer in use, largest gain first.

    Columns: tracer, area, label, score, gain (the index's change when the tracer rises by `points`,
    capped at 100), derivative (the index's change per point at the current score, I / (4 n s)), and
    sentence ('raising DTP3 immunization by 10 points adds 0.8 to the index').
    """
    vector, in_use = _vector(scores)
    base, _ = aggregate(vector, in_use)
    used = np.flatnonzero(in_use)
    moved = np.repeat(vector[None, :], len(used), axis=0)
    moved[np.arange(len(used)), used] = np.minimum(vector[used] + points, CEILING)
    raised, _ = aggregate(moved, in_use)
    sizes = np.array([np.sum(in_use & (_areas() == _areas()[t])) for t in used])
    derivative = np.where(vector[used] < CEILING, base[0] / (len(AREAS) * sizes * vector[used]), 0.0)
    frame = pd.DataFrame({
        "tracer": [TRACER_KEYS[t] for t in used],
        "area": [TRACER_BY_KEY[TRACER_KEYS[t]].area for t in used],
        "label": [TRACER_BY_KEY[TRACER_KEYS[t]].label for t in used],
        "score": vector[used],
        "gain": raised - base[0],
        "derivative": derivative,
    })
    frame["sentence"] = [_gain_sentence(label, points, gain)
                         for label, gain in zip(frame["label"], frame["gain"])]
    return frame.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


def _areas() -> np.ndarray:
    return np.array([list(AREAS).index(TRACER_BY_KEY[t].area) for t in TRACER_KEYS])


def _gain_sentence(label: str, points: float, gain: float) -> str:
    label = in_sentence(label)
    if gain <= 0:
        return f"{label} is already at 100, so raising it adds nothing to the index"
    return f"raising {label} by {points:g} points adds {gain:.1f} to the index"


@dataclass(frozen=True)
class Constraint:
    """The tracer holding one country-year's index down most, and its area."""

    area: str
    area_label: str
    tracer: str
    label: str
    score: float
    gain_at_full: float  # what raising this tracer to 100 would add to the index
    sentence: str


def binding_constraint(scores: pd.DataFrame) -> Constraint:
    """The tracer whose gap to 100 costs the index most (the largest gain were it raised to 100), with its
    area and a sentence: 'the index is held down most by service capacity and access: hospital beds 9 per
    10,000'. `scores` is a country_scores frame (its description column words the tracer's value).

    A tracer's cost is its weight times log(100 / score), so a low tracer in a small area can outweigh a
    slightly lower one in a larger area; ties go to the earlier tracer in the official order.
    """
    gains = marginal_gains(scores, points=CEILING).set_index("tracer")["gain"]
    worst = max((t for t in TRACER_KEYS if t in gains.index), key=lambda t: (gains[t], -TRACER_KEYS.index(t)))
    spec = TRACER_BY_KEY[worst]
    row = scores.set_index("tracer").loc[worst]
    if gains[worst] <= 0:
        sentence = "every tracer scores 100, so nothing holds the index down"
    else:
        note = " (imputed)" if bool(row["imputed"]) else ""
        sentence = f"the index is held down most by {AREAS[spec.area]}: {row['description']}{note}"
    return Constraint(area=spec.area, area_label=AREAS[spec.area], tracer=worst, label=spec.label,
                      score=float(row["score"]), gain_at_full=float(gains[worst]), sentence=sentence)
