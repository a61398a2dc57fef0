"""The index of population subgroups (wealth quintiles, urban and rural, regions) from subgroup tracer values.

Surveys disaggregate only some tracers: in practice the four RMNCH tracers and a few others, never hospital
beds or the health workforce. The SDG 3.8.1 metadata therefore monitors inequality in service coverage
with the RMNCH sub-index (the reproductive, maternal, newborn and child health tracers, which household
surveys measure by subgroup) when the whole index cannot be computed. This module computes both where
the data allow: the index when every tracer in use has a value for the subgroup, the RMNCH sub-index when
its four tracers do. Scores are rescaled and combined exactly as for countries (`tracers`,
`method.aggregate`); nothing is filled across years or borrowed from national values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.uhc.method import aggregate
from dashboard.uhc.tracers import FLOOR, INPUTS, OPTIONAL_TRACERS, TRACER_BY_KEY, TRACER_KEYS, TRACERS, rescale

KEYS = ["dimension", "subgroup", "year"]
INPUT_COLUMNS = ("dimension", "subgroup", "subgroup_order", "year", "tracer", "value", "indicator_code",
                 "source_code")
RESULT_COLUMNS = ("dimension", "subgroup", "subgroup_order", "year", "index", "rmnch", "tracers_held",
                  "source_codes")
RMNCH = tuple(t.key for t in TRACERS if t.area == "rmnch")


def subgroup_inputs(rows: pd.DataFrame, tracer_map: pd.DataFrame) -> pd.DataFrame:
    """Subgroup rows of tracer indicators as tracer input values, in the tracer's unit.

    `rows` are warehouse value rows (indicator_code, dimension, subgroup, subgroup_order, year, estimate,
    source_code); `tracer_map` is catalogue.uhc_tracers. Per dimension and input the highest-priority code
    with any value is kept, so one dimension never mixes two publishers' definitions.
    Grain: one row per dimension x subgroup x year x input; columns INPUT_COLUMNS.
    """
    held = rows[rows["estimate"].notna()].merge(
        tracer_map[["tracer", "indicator_code", "priority", "factor"]], on="indicator_code")
    best = held.groupby(["dimension", "tracer"])["priority"].transform("min")
    held = held[held["priority"] == best]
    out = pd.DataFrame({
        "dimension": held["dimension"].astype(str), "subgroup": held["subgroup"].astype(str),
        "subgroup_order": pd.to_numeric(held["subgroup_order"], errors="coerce"),
        "year": held["year"].astype(int), "tracer": held["tracer"].astype(str),
        "value": held["estimate"].astype(float) * held["factor"],
        "indicator_code": held["indicator_code"].astype(str), "source_code": held["source_code"].astype(str),
    })
    return out.sort_values([*KEYS, "tracer"]).reset_index(drop=True)[list(INPUT_COLUMNS)]


def _scores(inputs: pd.DataFrame) -> pd.DataFrame:
    """(dimension, subgroup, year) x tracer scores, NaN where a tracer has no value for the subgroup."""
    wide = inputs.pivot_table(index=KEYS, columns="tracer", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(INPUTS))
    scores = pd.DataFrame({key: rescale(key, wide[key].to_numpy()) for key in INPUTS}, index=wide.index)
    workforce = TRACER_BY_KEY["health_workforce"].inputs
    out = scores.reindex(columns=list(TRACER_KEYS))
    out["health_workforce"] = np.exp(np.log(scores[list(workforce)]).mean(axis=1, skipna=False))
    return out


def subgroup_indices(inputs: pd.DataFrame) -> pd.DataFrame:
    """The index and the RMNCH sub-index of every subgroup-year that has the tracers for either.

    `inputs` is `subgroup_inputs`. `index` is set where every tracer in use has a value for the subgroup
    (ITN use may be absent, as for a country outside the malaria-endemic group), `rmnch` where the four RMNCH
    tracers have one; `tracers_held` lists every tracer with a value (comma-separated, official order).
    Grain: one row per dimension x subgroup x year with either value, in dimension, year and subgroup
    order; columns RESULT_COLUMNS.
    """
    if inputs.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("index", "rmnch") else object)
                             for c in RESULT_COLUMNS})
    scores = _scores(inputs)
    held = scores.notna()
    required = [t for t in TRACER_KEYS if t not in OPTIONAL_TRACERS]
    in_use = held.copy()
    in_use[required] = True
    index, _ = aggregate(scores.fillna(FLOOR).to_numpy(), in_use.to_numpy())
    complete = held[required].all(axis=1).to_numpy()
    rmnch = np.exp(np.log(scores[list(RMNCH)]).mean(axis=1, skipna=False))
    order = inputs.groupby(KEYS)["subgroup_order"].first().reindex(scores.index)
    sources = inputs.groupby(KEYS)["source_code"].agg(lambda s: ", ".join(sorted(set(s)))).reindex(scores.index)
    names = np.array(TRACER_KEYS, dtype=object)
    out = scores.index.to_frame(index=False).assign(
        subgroup_order=order.to_numpy(), index=np.where(complete, index, np.nan), rmnch=rmnch.to_numpy(),
        tracers_held=[", ".join(names[row]) for row in held.to_numpy()], source_codes=sources.to_numpy())
    out = out[out["index"].notna() | out["rmnch"].notna()]
    return out.sort_values(["dimension", "year", "subgroup_order", "subgroup"], na_position="last") \
        .reset_index(drop=True)[list(RESULT_COLUMNS)]
