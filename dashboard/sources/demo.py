"""The synthetic demo source: plausible, deterministic, clearly labelled made-up values for real indicators.

Every country-year sits on a latent development score that rises slowly (faster where it starts low);
each indicator maps that score onto its own range (`demo_low` .. `demo_high` in the catalogue), with a
country-specific offset so rankings differ between indicators. Survey-based coverage indicators are
disaggregated in survey years by wealth quintile, sex, residence, education and subnational region,
with gaps in the direction real surveys show (richer, urban, more educated: better coverage).
The UHC service coverage index is not drawn like the other indicators: the demo's stand-in for WHO's
published index and sub-indices (UHC_INDEX_REPORTED, UHC_SCI_*) is computed from the demo's own tracers
with the SDG 3.8.1 method (dashboard.uhc) and published as WHO does, rounded to whole numbers for 2000,
2005, 2010, 2015 and every other year since 2017, so index, sub-indices and tracers always agree. ITN use,
a tracer only for malaria-endemic countries, is generated only for a plausible endemic group.
Steps of a care cascade (`catalogue/cascades.csv`) are derived from a neighbouring step rather than drawn
on their own, so no step ever exceeds the one before it (DTP1 >= DTP3 >= MCV2, ANC1 >= ANC4 >= skilled
birth attendance, hypertension diagnosed >= treated >= controlled) in any country-year.
Nothing here is WHO or World Bank data: every row carries the source DEMO_SYNTHETIC (is_synthetic).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pycountry

from dashboard import catalogue, contract, uhc
from dashboard.sources import demo_survey
from dashboard.uhc import warehouse as uhc_warehouse

SOURCE_CODE = "DEMO_SYNTHETIC"
SEED = 20_240_601
FIRST_YEAR = 2000

INCOME_SCORE = {"Low income": 0.12, "Lower middle income": 0.33, "Upper middle income": 0.55,
                "High income": 0.84}
REGION_SHIFT = {"AFR": -0.04, "EMR": -0.01, "SEAR": 0.0, "AMR": 0.02, "WPR": 0.01, "EUR": 0.03}

# (dimension, subgroups in order, ordered?, reference subgroup, position of each subgroup on the gap)
WEALTH = (contract.DIM_WEALTH,
          ("Quintile 1 (poorest)", "Quintile 2", "Quintile 3", "Quintile 4", "Quintile 5 (richest)"),
          True, None, (-0.5, -0.27, -0.04, 0.2, 0.5))
EDUCATION = (contract.DIM_EDUCATION, ("No education", "Primary school", "Secondary school +"),
             True, None, (-0.42, -0.04, 0.4))
RESIDENCE = (contract.DIM_RESIDENCE, ("Rural", "Urban"), False, "Urban", (-0.28, 0.28))
SEX = (contract.DIM_SEX, ("Female", "Male"), False, None, (0.0, 0.0))


@dataclass
class DemoSource:
    """The demo's tables; values come in chunks (one per replicate) so large scales stream."""

    source: pd.DataFrame
    indicators: pd.DataFrame
    admin1: pd.DataFrame
    survey_tables: dict[str, pd.DataFrame]
    scale: int
    last_year: int
    _countries: pd.DataFrame = field(repr=False, default=None)

    def value_chunks(self) -> Iterator[pd.DataFrame]:
        base = generated_indicators()
        for replicate in range(1, self.scale + 1):
            yield _values(base, self._countries, self.admin1, self.last_year, replicate)


def generate(scale: int = 1, last_year: int | None = None) -> DemoSource:
    """The demo source at `scale` (number of copies of every indicator) up to `last_year`."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    last_year = last_year or date.today().year - 1
    countries = catalogue.countries()
    source = catalogue.sources().query("source_code == @SOURCE_CODE").copy()
    source["release"] = f"generated {FIRST_YEAR}-{last_year}, seed {SEED}"
    source["retrieved_at"] = pd.Timestamp.now().floor("s")
    return DemoSource(
        source=source,
        indicators=_indicators(scale),
        admin1=_admin1(countries),
        survey_tables=demo_survey.generate(countries, SOURCE_CODE, last_year),
        scale=scale,
        last_year=last_year,
        _countries=countries,
    )


def generated_indicators() -> pd.DataFrame:
    """The catalogue indicators the demo draws values for: all but the published UHC index and
    sub-indices, which are computed from the drawn tracers instead (see _published_uhc)."""
    base = catalogue.indicators()
    return base[~base["uhc_tracer"].isin(["Index", "Sub-index"])].reset_index(drop=True)


def published_uhc_years(last_year: int) -> list[int]:
    """The years WHO has published the index for (2000, 2005, 2010, 2015, then every two years from 2017),
    up to the year before `last_year`."""
    return [y for y in (2000, 2005, 2010, *range(2015, last_year, 2)) if y < last_year]


def malaria_endemic(countries: pd.DataFrame) -> np.ndarray:
    """The demo's malaria-endemic group (the countries that get ITN use): the African Region outside high
    income, and low and lower-middle income countries of every other region but Europe."""
    region, income = countries["who_region"], countries["income_group"]
    poorer = income.isin(["Low income", "Lower middle income"])
    return (((region == "AFR") & (income != "High income")) | (poorer & (region != "EUR"))).to_numpy()


def _indicators(scale: int) -> pd.DataFrame:
    frames = [catalogue.indicators()]
    for replicate in range(2, scale + 1):  # benchmark copies have no published UHC index of their own
        copy = generated_indicators()
        copy["indicator_code"] = copy["indicator_code"] + f"~{replicate:03d}"
        copy["name"] = copy["name"] + f" (benchmark replicate {replicate})"
        frames.append(copy)
    return pd.concat(frames, ignore_index=True)


def _admin1(countries: pd.DataFrame) -> pd.DataFrame:
    """First-level subdivisions (ISO 3166-2 via pycountry) of the countries that get survey data."""
    rows = []
    for iso3 in countries["iso3"]:
        alpha2 = pycountry.countries.get(alpha_3=iso3).alpha_2
        subdivisions = pycountry.subdivisions.get(country_code=alpha2) or []
        top = sorted((s for s in subdivisions if s.parent_code is None), key=lambda s: s.code)
        for s in top[:60]:
            rows.append((iso3, s.code, re.sub(r"\s*\[.*?\]", "", s.name).strip()))
    return pd.DataFrame(rows, columns=["iso3", "admin1_code", "name"])


def _latent(countries: pd.DataFrame, years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Development score per country x year in [0, 1]: starts by income group, rises slowly."""
    n = len(countries)
    start = (countries["income_group"].map(INCOME_SCORE).fillna(0.5).to_numpy()
             + countries["who_region"].map(REGION_SHIFT).fillna(0).to_numpy()
             + rng.normal(0, 0.06, n)).clip(0.02, 0.97)
    pace = (0.003 + 0.016 * (1 - start) * rng.uniform(0.4, 1.5, n))
    drift = np.cumsum(rng.normal(0, 0.005, (n, len(years))), axis=1)
    return (start[:, None] + pace[:, None] * (years - FIRST_YEAR)[None, :] + drift).clip(0, 1.3)


def _scale_to_range(x: np.ndarray, row: pd.Series) -> np.ndarray:
    """Map scores onto the indicator: percentages saturate smoothly (logit scale), rates on a log scale.

    Scores beyond [0, 1] extrapolate, so the best performers keep improving instead of sitting at a cap.
    A bounded indicator (`demo_bounded`, e.g. the WGI estimates) saturates like a percentage, between its
    plausible bounds instead of 0 and 100, so no value piles up at a bound.
    """
    low, high = row["demo_low"], row["demo_high"]
    if row["demo_bounded"]:
        bottom, top = row["plausible_min"], row["plausible_max"]
        p_low, p_high = (low - bottom) / (top - bottom), (high - bottom) / (top - bottom)
        logit_low, logit_high = np.log(p_low / (1 - p_low)), np.log(p_high / (1 - p_high))
        value = bottom + (top - bottom) / (1 + np.exp(-(logit_low + (logit_high - logit_low) * x)))
    elif row["unit"] == "%" and min(low, high) > 0 and max(low, high) < 100:
        logit_low, logit_high = np.log(low / (100 - low)), np.log(high / (100 - high))
        value = 100 / (1 + np.exp(-(logit_low + (logit_high - logit_low) * x)))
    elif row["demo_log"]:
        value = np.exp(np.log(low) + (np.log(high) - np.log(low)) * x)
    else:
        value = low + (high - low) * x
    return value.clip(row["plausible_min"], row["plausible_max"])


def _survey_years(countries: pd.DataFrame, last_year: int, rng: np.random.Generator) -> dict[str, list[int]]:
    """DHS/MICS-like survey rounds every 3-6 years, for countries that are not high income."""
    schedule = {}
    for iso3, income in zip(countries["iso3"], countries["income_group"]):
        if income == "High income" or rng.random() < 0.08:
            continue
        year, years = FIRST_YEAR + int(rng.integers(0, 6)), []
        while year <= last_year - 1:
            years.append(year)
            year += int(rng.integers(3, 7))
        schedule[iso3] = years
    return schedule


def _uncertainty(row: pd.Series, estimate: np.ndarray, n: np.ndarray,
                 survey: bool = False) -> tuple[np.ndarray, ...]:
    """Standard error and 95% CI: binomial for survey percentages, log-normal for modelled outcomes."""
    nan = np.full_like(estimate, np.nan)
    lo, hi = row["plausible_min"], row["plausible_max"]
    if row["unit"] == "%" and (survey or row["domain"] in ("coverage", "quality")):
        q = (estimate / 100).clip(0.005, 0.995)
        se = (100 * np.sqrt(q * (1 - q) / n) * 1.5).round(3)
        return se, (estimate - 1.96 * se).clip(lo, estimate), (estimate + 1.96 * se).clip(estimate, hi)
    if row["domain"] == "outcome" and row["unit"] != "years":
        rel = 0.08
        return (estimate * rel).round(4), (estimate * np.exp(-1.96 * rel)).clip(lo, estimate), \
            (estimate * np.exp(1.96 * rel)).clip(estimate, hi)
    return nan, nan, nan


def _values(indicators: pd.DataFrame, countries: pd.DataFrame, admin1: pd.DataFrame,
            last_year: int, replicate: int) -> pd.DataFrame:
    """All value rows of one replicate of every indicator, national and disaggregated."""
    rng = np.random.default_rng([SEED, replicate])
    years = np.arange(FIRST_YEAR, last_year + 1)
    latent = _latent(countries, years, rng)
    schedule = _survey_years(countries, last_year, rng)
    regions = {iso3: group for iso3, group in admin1.groupby("iso3")}
    births = np.exp(rng.normal(11, 1.4, len(countries))).round()  # a country's annual births
    country_index = {iso3: i for i, iso3 in enumerate(countries["iso3"])}
    suffix = "" if replicate == 1 else f"~{replicate:03d}"
    itn_codes = set(catalogue.uhc_tracers().query("tracer == 'itn'")["indicator_code"])
    endemic = malaria_endemic(countries)
    derived, grids = cascade_rules(), {}
    frames = []
    for _, row in indicators.iterrows():
        x = (latent + rng.normal(0, 0.07, (len(countries), 1))
             + rng.normal(0, 0.004, latent.shape)).clip(-0.3, 1.4)
        value = _scale_to_range(x, row)
        if row["indicator_code"] in derived:
            value = _cascade_step(derived[row["indicator_code"]], x, grids, row)
        grids[row["indicator_code"]] = value
        keep = _availability(row, countries, years, schedule, last_year, rng)
        reporting = endemic if row["indicator_code"] in itn_codes else np.ones(len(countries), dtype=bool)
        keep &= reporting[:, None]
        ci, ti = np.nonzero(keep)
        estimate = value[ci, ti].round(int(row["decimals"]) + 1)
        se, lower, upper = _uncertainty(row, estimate, rng.uniform(1500, 6000, len(ci)),
                                        survey=row["demo_coverage"] < 0.45)
        frames.append(pd.DataFrame({
            "indicator_code": row["indicator_code"] + suffix, "iso3": countries["iso3"].to_numpy()[ci],
            "year": years[ti], "dimension": contract.TOTAL, "subgroup": contract.TOTAL,
            "ordered_dimension": False, "reference_subgroup": False, "estimate": estimate,
            "se": se, "ci_lower": lower, "ci_upper": upper, "population": births[ci],
            "flag": "modelled" if row["domain"] == "outcome" else None,
        }))
        if row["demo_disaggregated"]:
            surveyed = {iso3: rounds for iso3, rounds in schedule.items() if reporting[country_index[iso3]]}
            frames.append(_disaggregated(row, suffix, countries, years, value, surveyed, regions, births, rng))
    out = pd.concat(frames, ignore_index=True)
    out["source_code"] = SOURCE_CODE
    if replicate == 1:
        out = pd.concat([out, _published_uhc(out, countries, last_year)], ignore_index=True)
    return out


@dataclass(frozen=True)
class CascadeRule:
    """How the demo derives one cascade step from a neighbouring one (see catalogue.cascades)."""

    source: str
    low: float
    high: float
    later: bool  # the step comes after its source (a share of it), else before (closing part of the gap to 100)


def cascade_rules() -> dict[str, CascadeRule]:
    """indicator_code -> the rule deriving it, for every cascade step with a `demo_from`."""
    steps = catalogue.cascades()
    position = dict(zip(zip(steps["cascade"], steps["indicator_code"]), steps["step"]))
    return {row.indicator_code: CascadeRule(row.demo_from, row.demo_low, row.demo_high,
                                            row.step > position[(row.cascade, row.demo_from)])
            for row in steps[steps["demo_from"].notna()].itertuples()}


def _cascade_step(rule: CascadeRule, x: np.ndarray, grids: dict[str, np.ndarray], row: pd.Series) -> np.ndarray:
    """A cascade step on the full country x year grid from its source step's grid: a later step keeps a
    share r of the source's people, an earlier one adds a share r of those the source misses, with r
    rising with the step's own development score `x`. Rounding both to the same decimals keeps the order."""
    if rule.source not in grids:
        raise ValueError(f"cascades.csv: {row['indicator_code']} is derived from {rule.source}, which "
                         "indicators.csv must list before it")
    source = grids[rule.source]
    share = rule.low + (rule.high - rule.low) * np.clip(x, 0, 1)
    value = source * share if rule.later else source + (100 - source) * share
    return value.clip(row["plausible_min"], row["plausible_max"])


def _published_uhc(values: pd.DataFrame, countries: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The demo's published UHC index and sub-indices: the SDG 3.8.1 method on the demo's own tracers,
    rounded to whole numbers as WHO publishes them, in WHO's publication years."""
    inputs = uhc_warehouse.tracer_values(values, catalogue.uhc_tracers())
    result = uhc.compute(inputs[["iso3", "year", "tracer", "value"]],
                         regions=dict(zip(countries["iso3"], countries["who_region"])))
    result = result[result["year"].isin(published_uhc_years(last_year))]
    rows = uhc_warehouse.indicator_values(result, codes=uhc_warehouse.PUBLISHED_CODES, source_code=SOURCE_CODE,
                                          flag_imputed=False)
    return rows.assign(estimate=rows["estimate"].round())


def _availability(row, countries, years, schedule, last_year, rng) -> np.ndarray:
    """Which country-years have a national value: survey rounds, or annual series with gaps and lags."""
    n, t = len(countries), len(years)
    coverage = row["demo_coverage"]
    keep = np.zeros((n, t), dtype=bool)
    if coverage < 0.45:
        for i, iso3 in enumerate(countries["iso3"]):
            rounds = schedule.get(iso3)
            if rounds is None:  # high-income countries: occasional routine figures instead of surveys
                rounds = list(range(FIRST_YEAR + int(rng.integers(0, 4)), last_year, int(rng.integers(2, 6))))
            keep[i, np.searchsorted(years, rounds)] = True
    else:
        keep = rng.random((n, t)) < coverage
        lag = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.3, 0.3, 0.2, 0.12, 0.08])
        keep &= years[None, :] <= (last_year - lag)[:, None]
    keep &= (rng.random(n) > 0.04)[:, None]  # a few countries never report the indicator
    return keep


def _disaggregated(row, suffix, countries, years, value, schedule, regions, births, rng) -> pd.DataFrame:
    """Subgroup rows for survey years: gaps scale with how far coverage is from saturation."""
    low, high = row["demo_low"], row["demo_high"]
    span = high - low
    columns: dict[str, list] = {}
    country_index = {iso3: i for i, iso3 in enumerate(countries["iso3"])}
    for iso3, rounds in schedule.items():
        i = country_index[iso3]
        region_rows = regions.get(iso3)
        for year in rounds:
            if rng.random() < 0.1:  # not every survey round measured every indicator
                continue
            national = value[i, year - FIRST_YEAR]
            position = np.clip((national - min(low, high)) / abs(span), 0, 1)
            gap = row["demo_gap"] * span * (0.3 + 2.8 * position * (1 - position)) * rng.uniform(0.7, 1.3)
            for dimension, subgroups, ordered, reference, weights in (WEALTH, EDUCATION, RESIDENCE, SEX):
                noise = 0.02 if dimension == contract.DIM_SEX else 0.04
                w = np.array(weights) + rng.normal(0, noise, len(weights))
                _add_subgroups(columns, row, iso3, year, dimension, subgroups, ordered, reference,
                               national, gap * w, _shares(dimension, len(subgroups), rng), births[i], rng)
            if region_rows is not None and len(region_rows) > 1:
                k = len(region_rows)
                _add_subgroups(columns, row, iso3, year, contract.DIM_SUBNATIONAL, tuple(region_rows["name"]),
                               False, None, national, gap * rng.normal(0, 0.35, k),
                               rng.dirichlet(np.full(k, 3.0)), births[i], rng,
                               admin1=tuple(region_rows["admin1_code"]))
    if not columns:
        return pd.DataFrame()
    frame = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})
    frame["indicator_code"] = row["indicator_code"] + suffix
    frame["subgroup_order"] = frame["subgroup_order"].astype("Int64")
    frame.loc[frame["ordered_dimension"] == False, "subgroup_order"] = pd.NA  # noqa: E712
    return frame


def _shares(dimension: str, k: int, rng: np.random.Generator) -> np.ndarray:
    base = {contract.DIM_WEALTH: [1.25, 1.1, 1.0, 0.9, 0.75], contract.DIM_EDUCATION: [1.0, 1.2, 0.9],
            contract.DIM_RESIDENCE: [1.4, 0.6], contract.DIM_SEX: [0.49, 0.51]}[dimension]
    raw = np.array(base) * rng.uniform(0.85, 1.15, k)
    return raw / raw.sum()


def _add_subgroups(columns, row, iso3, year, dimension, subgroups, ordered, reference, national,
                   offsets, share, births, rng, admin1=None) -> None:
    """Append one dimension's subgroup rows, centred so their weighted mean is the national value."""
    offsets = offsets - np.sum(offsets * share)
    estimate = (national + offsets).clip(row["plausible_min"], row["plausible_max"])
    estimate = estimate.round(int(row["decimals"]) + 1)
    sample = np.maximum(share * rng.uniform(3000, 9000), 20)
    se, lower, upper = _uncertainty(row, estimate, sample, survey=True)
    k = len(subgroups)
    new = {
        "iso3": np.full(k, iso3, dtype=object),
        "admin1_code": np.array(admin1 if admin1 is not None else [None] * k, dtype=object),
        "year": np.full(k, year), "dimension": np.full(k, dimension, dtype=object),
        "subgroup": np.array(subgroups, dtype=object), "subgroup_order": np.arange(1, k + 1),
        "ordered_dimension": np.full(k, ordered), "reference_subgroup": np.array([s == reference for s in subgroups]),
        "estimate": estimate, "se": se, "ci_lower": lower, "ci_upper": upper,
        "population": (share * births).round(), "flag": np.where(sample < 100, "low n", None).astype(object),
    }
    for name, values in new.items():
        columns.setdefault(name, []).append(values)
