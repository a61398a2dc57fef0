"""Inputs in, index out: validate tracer values, fill missing years, score, and take the geometric means.

Missing years follow the SDG 3.8.1 metadata (2023 revision, "Treatment of missing values"), input by input
and country by country:

1. between two years with values, linear interpolation;
2. after the last value, the last value carried forward to the latest year of the data (constant
   extrapolation "to the current year");
3. a country with no value at all for an input gets, year by year, the median of the countries of its
   region that have one, when regions are given. The metadata uses UN SDG subregions and, for
   pneumonia care-seeking and surgeons, a regression; here every input uses the median of the
   region given (the build passes WHO regions) and says so in the flag.

Years *before* a country's first value are not filled: the metadata describes carrying values forward
to the current year, not back, so an index before an input's first observation would rest on a value
invented for the past. Such country-years get no index. ITN use is never imputed: a country with no
ITN value at all is taken to be outside the malaria-endemic group and its infectious-disease sub-index
uses the other three tracers, as the metadata says for countries with low malaria burden.

A country-year gets an index only when every tracer it uses has a value (observed or filled), so every
index comes with its four sub-indices and the arithmetic always checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.uhc.tracers import AREAS, INPUTS, OPTIONAL_TRACERS, TRACER_KEYS, TRACERS, rescale

COLUMNS = ("iso3", "year", "tracer", "value")
RESULT_COLUMNS = ("iso3", "year", "index", *AREAS, "tracers_observed", "tracers_imputed")
OBSERVED, INTERPOLATED, CARRIED, REGIONAL = "observed", "interpolated", "carried forward", "regional median"

_AREA_OF = np.array([list(AREAS).index(t.area) for t in TRACERS])


class TracerInputError(ValueError):
    """A tracer value cannot be used; `row` and `column` say where (row labels of the frame given)."""

    def __init__(self, row, column: str, message: str, more: int = 0):
        self.row, self.column, self.detail, self.more = row, column, message, more
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"row {row}, column {column}: {message}{extra}")


def validate(values: pd.DataFrame) -> pd.DataFrame:
    """Long-form tracer values (`iso3, year, tracer, value`) checked and typed, one row per key.

    Raises TracerInputError naming the first bad row (by the frame's row label) and column: a missing
    column or an empty cell, an iso3 that is not three capital letters, a year that is not a whole
    four-digit number, an unknown tracer key, a value that is not a finite number or lies outside the
    input's valid range, or a repeated (iso3, year, tracer).
    """
    missing = [c for c in COLUMNS if c not in values.columns]
    if missing:
        raise TracerInputError("1", missing[0], f"required column(s) missing: {', '.join(missing)}")
    problems: list[tuple[object, str, str]] = []
    blank = {c: values[c].isna() | values[c].astype("string").str.strip().eq("") for c in COLUMNS}
    for column in COLUMNS:
        problems += [(row, column, "a value is required") for row in values.index[blank[column]]]
    iso3 = values["iso3"].astype("string").str.strip()
    for row in values.index[~blank["iso3"] & ~iso3.fillna("").str.fullmatch(r"[A-Z]{3}")]:
        problems.append((row, "iso3", f"'{values['iso3'][row]}' is not a three-letter ISO code"))
    year = pd.to_numeric(values["year"], errors="coerce")
    bad_year = year.isna() | (year % 1 != 0) | (year < 1000) | (year > 9999)
    for row in values.index[~blank["year"] & bad_year]:
        problems.append((row, "year", f"'{values['year'][row]}' is not a four-digit year"))
    tracer = values["tracer"].astype("string").str.strip()
    unknown = ~tracer.isin(list(INPUTS))
    for row in values.index[~blank["tracer"] & unknown]:
        problems.append((row, "tracer", (f"'{values['tracer'][row]}' is not a tracer key "
                                         f"(expected one of {', '.join(INPUTS)})")))
    value = pd.to_numeric(values["value"], errors="coerce")
    finite = value.notna() & np.isfinite(value.fillna(0))
    for row in values.index[~blank["value"] & ~finite]:
        problems.append((row, "value", f"'{values['value'][row]}' is not a finite number"))
    low = tracer.map({k: i.low for k, i in INPUTS.items()}).astype(float)
    high = tracer.map({k: i.high for k, i in INPUTS.items()}).astype(float)
    for row in values.index[~unknown & finite & ((value < low) | (value > high))]:
        spec = INPUTS[tracer[row]]
        problems.append((row, "value", (f"{value[row]:g} is outside {spec.low:g}-{spec.high:g} "
                                        f"({spec.unit}), the valid range of {spec.key}")))
    keys = pd.DataFrame({"iso3": iso3, "year": year, "tracer": tracer}, index=values.index)
    repeated = keys.duplicated(keep="first")
    if repeated.any():
        first = pd.Series(values.index, index=values.index).groupby(
            [keys["iso3"], keys["year"], keys["tracer"]], dropna=False).transform("first")
        for row in values.index[repeated]:
            problems.append((row, "tracer", f"{tracer[row]} for {iso3[row]} {year[row]:g} repeats row {first[row]}"))
    if problems:
        order = {label: i for i, label in enumerate(values.index)}
        problems.sort(key=lambda p: (order[p[0]], COLUMNS.index(p[1])))
        row, column, message = problems[0]
        raise TracerInputError(row, column, message, more=len(problems) - 1)
    return pd.DataFrame({"iso3": iso3.astype(str).to_numpy(), "year": year.astype(int).to_numpy(),
                         "tracer": tracer.astype(str).to_numpy(), "value": value.astype(float).to_numpy()})


@dataclass(frozen=True)
class Filled:
    """Every input for every country and year of the grid: `values` and how each was obtained (`how`).

    Both frames are indexed by (iso3, year) with one column per input key; `how` holds OBSERVED,
    INTERPOLATED, CARRIED, REGIONAL or None where there is still no value.
    """

    values: pd.DataFrame
    how: pd.DataFrame


def fill(values: pd.DataFrame, regions: Mapping[str, str] | None = None,
         last_year: int | None = None) -> Filled:
    """Fill missing years of validated long-form values as the module docstring describes.

    The grid runs from the first year in `values` to `last_year` (default: the latest year in `values`).
    """
    values = validate(values)
    if values.empty:
        raise ValueError("no tracer values to fill")
    first = int(values["year"].min())
    last = int(last_year if last_year is not None else values["year"].max())
    if last < first:
        raise ValueError(f"last_year {last} is before the first year of the data, {first}")
    countries = sorted(values["iso3"].unique())
    years = pd.RangeIndex(first, last + 1, name="year")
    columns = pd.MultiIndex.from_product([list(INPUTS), countries], names=["tracer", "iso3"])
    # One column per input x country, one row per year, so every series is filled at once.
    wide = (values[values["year"] <= last]
            .pivot(index="year", columns=["tracer", "iso3"], values="value")
            .reindex(index=years, columns=columns))
    filled, how = _interpolate_and_carry(wide.to_numpy())
    carried = pd.DataFrame(filled, index=years, columns=columns)
    how = pd.DataFrame(how, index=years, columns=columns, dtype=object)
    if regions:
        carried, how = _regional_medians(carried, how, regions)
    return Filled(values=_by_country(carried), how=_by_country(how))


def _interpolate_and_carry(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(filled values, how) for a years x series array with one row per consecutive year.

    Each gap between two observed years is filled on the straight line between them; years after a
    series' last observation take that observation; years before its first stay empty.
    """
    steps = np.arange(grid.shape[0])[:, None]
    observed = ~np.isnan(grid)
    before = np.maximum.accumulate(np.where(observed, steps, -1), axis=0)   # last observed row so far
    after = np.minimum.accumulate(np.where(observed, steps, grid.shape[0])[::-1], axis=0)[::-1]
    has_before, has_after = before >= 0, after < grid.shape[0]
    column = np.arange(grid.shape[1])[None, :]
    start = grid[np.clip(before, 0, None), column]
    end = grid[np.clip(after, None, grid.shape[0] - 1), column]
    span = np.where(has_before & has_after, after - before, 1)
    with np.errstate(invalid="ignore"):  # series without values are NaN throughout, as they should be
        line = start + (end - start) * ((steps - before) / span)
    inside = ~observed & has_before & has_after
    carried = ~observed & has_before & ~has_after
    filled = np.where(observed, grid, np.where(inside, line, np.where(carried, start, np.nan)))
    how = np.where(observed, OBSERVED, np.where(inside, INTERPOLATED, np.where(carried, CARRIED, None)))
    return filled, how


def _regional_medians(wide: pd.DataFrame, how: pd.DataFrame, regions: Mapping[str, str]):
    """Inputs a country lacks altogether (ITN aside) take the median of its region's countries, per year."""
    countries = list(wide.columns.get_level_values("iso3").unique())
    region = pd.Series([regions.get(iso3) for iso3 in countries], index=countries)
    values = wide.to_numpy().reshape(len(wide.index), len(INPUTS), len(countries)).copy()
    labels = how.to_numpy().reshape(values.shape).copy()
    for k, key in enumerate(INPUTS):
        if key in OPTIONAL_TRACERS:
            continue
        block = values[:, k, :]
        empty = np.isnan(block).all(axis=0)
        if not empty.any() or empty.all():
            continue
        donors = pd.DataFrame(block[:, ~empty].T, index=region[~empty])
        medians = donors.groupby(level=0).median()  # region x year
        for c in np.flatnonzero(empty & region.isin(medians.index).to_numpy()):
            series = medians.loc[region.iloc[c]].to_numpy()
            block[:, c] = series
            labels[:, k, c] = np.where(np.isnan(series), None, REGIONAL)
    shape = (len(wide.index), -1)
    return (pd.DataFrame(values.reshape(shape), index=wide.index, columns=wide.columns),
            pd.DataFrame(labels.reshape(shape), index=wide.index, columns=wide.columns, dtype=object))


def _by_country(wide: pd.DataFrame) -> pd.DataFrame:
    """year x (input, iso3) -> (iso3, year) x input (columns are the full input x country product)."""
    inputs = list(wide.columns.get_level_values("tracer").unique())
    countries = list(wide.columns.get_level_values("iso3").unique())
    cube = wide.to_numpy().reshape(len(wide.index), len(inputs), len(countries)).transpose(2, 0, 1)
    index = pd.MultiIndex.from_product([countries, wide.index], names=["iso3", "year"])
    return pd.DataFrame(cube.reshape(-1, len(inputs)), index=index, columns=inputs)


def tracer_scores(filled: Filled) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(scores, imputed, in_use): three (iso3, year) x tracer frames.

    `scores` are 0-100 (NaN where an input is missing), `imputed` is True where any input of the tracer
    was filled rather than observed, `in_use` is False for ITN in countries without any ITN value.
    """
    inputs = filled.values
    scored = pd.DataFrame({key: rescale(key, inputs[key].to_numpy()) for key in INPUTS}, index=inputs.index)
    workforce = TRACERS[TRACER_KEYS.index("health_workforce")].inputs
    scores = scored.reindex(columns=list(TRACER_KEYS))
    scores["health_workforce"] = np.exp(np.log(scored[list(workforce)]).mean(axis=1, skipna=False))
    how = filled.how
    imputed = pd.DataFrame({t.key: how[list(t.inputs)].isin([INTERPOLATED, CARRIED, REGIONAL]).any(axis=1)
                            for t in TRACERS}, index=inputs.index)
    has_itn = how["itn"].notna().groupby(level="iso3").transform("any")
    in_use = pd.DataFrame(True, index=inputs.index, columns=list(TRACER_KEYS))
    in_use["itn"] = has_itn
    return scores, imputed, in_use


def aggregate(scores: np.ndarray, in_use: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, sub-indices) from an n x 14 array of scores (columns in TRACER_KEYS order).

    Geometric mean of the tracers in use within each area, then of the four areas. Rows where a tracer
    in use has no score get NaN. Returns index (n) and sub-indices (n x 4, in AREAS order).
    """
    scores = np.asarray(scores, dtype=float).reshape(-1, len(TRACER_KEYS))
    in_use = np.broadcast_to(np.asarray(in_use, dtype=bool), scores.shape)
    logs = np.where(in_use, np.log(np.where(in_use, scores, 1.0)), 0.0)
    sub = np.empty((scores.shape[0], len(AREAS)))
    for a in range(len(AREAS)):
        members = a == _AREA_OF
        counts = in_use[:, members].sum(axis=1)
        sub[:, a] = np.exp(logs[:, members].sum(axis=1) / counts)
    index = np.exp(np.log(sub).mean(axis=1))
    return index, sub


def compute(values: pd.DataFrame, regions: Mapping[str, str] | None = None,
            last_year: int | None = None) -> pd.DataFrame:
    """The UHC service coverage index and its four sub-indices for every country-year the data allow.

    `values` is long form: iso3, year, tracer (an input key of `INPUTS`), value (in the input's unit).
    `regions` (iso3 -> region) enables the regional-median imputation of inputs a country lacks
    altogether. Grain: one row per iso3 x year with an index, ordered by iso3 and year; columns
    RESULT_COLUMNS, where tracers_observed + tracers_imputed is the number of tracers used (14, or 13
    without ITN) and a tracer counts as imputed when any of its inputs was filled for that year.
    """
    if len(values) == 0:
        validate(values)  # still names a missing column
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("index", *AREAS) else object)
                             for c in RESULT_COLUMNS})
    scores, imputed, in_use = tracer_scores(fill(values, regions, last_year))
    index, sub = aggregate(scores.to_numpy(), in_use.to_numpy())
    used = in_use.to_numpy()
    result = pd.DataFrame({
        "iso3": scores.index.get_level_values("iso3"),
        "year": scores.index.get_level_values("year").astype(int),
        "index": index,
        **{area: sub[:, i] for i, area in enumerate(AREAS)},
        "tracers_observed": (used & ~imputed.to_numpy()).sum(axis=1),
        "tracers_imputed": (used & imputed.to_numpy()).sum(axis=1),
    })
    return result[result["index"].notna()].reset_index(drop=True)
