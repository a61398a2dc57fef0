"""The curated reference catalogue: WHO member states, HSS indicators and their publishers, as data files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent



def _regions(kind: str) -> dict[str, str]:
    frame = pd.read_csv(HERE / "regions.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame.loc[frame["kind"] == kind, "code"], frame.loc[frame["kind"] == kind, "name"]))


# Code -> name, read from regions.csv: the one place region names live.
WHO_REGIONS = _regions("who")
WB_REGION_CODES = _regions("wb")  # the World Bank's own region codes
WB_REGIONS = tuple(WB_REGION_CODES.values())
INCOME_GROUPS = ("Low income", "Lower middle income", "Upper middle income", "High income")
BUILDING_BLOCKS = (
    "Service delivery", "Health workforce", "Health information systems",
    "Access to essential medicines", "Health financing", "Leadership and governance", "Outcomes",
)


def who_region_name(code: str | None, missing: str = "No WHO region") -> str:
    """'African Region' for 'AFR'; `missing` when the country has no WHO region; unknown codes unchanged."""
    if not isinstance(code, str) or not code:
        return missing
    return WHO_REGIONS.get(code, code)


def in_sentence(label: str) -> str:
    """A name as it reads inside a sentence: 'Hospital bed density' -> 'hospital bed density'; names that start
    with an acronym ('DTP3 coverage', 'UHC service coverage index') are kept."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def block_order(present) -> list[str]:
    """Building blocks among `present`, in the WHO order of BUILDING_BLOCKS (any others after, by name)."""
    present = set(present)
    return [b for b in BUILDING_BLOCKS if b in present] + sorted(present - set(BUILDING_BLOCKS))


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False, na_values=[""])


@cache
def countries() -> pd.DataFrame:
    """One row per WHO member state: iso3, iso_n3, name, who_region, wb_region, income_group."""
    frame = _read("countries.csv")
    frame["is_aggregate"] = False
    return frame


@cache
def indicators() -> pd.DataFrame:
    """One row per curated indicator: warehouse metadata plus the demo generator's parameters."""
    frame = _read("indicators.csv")
    for column in ("plausible_min", "plausible_max", "demo_low", "demo_high", "demo_gap", "demo_coverage"):
        frame[column] = frame[column].astype(float)
    for column in ("indicator_scale", "decimals"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("favourable_indicator", "demo_log", "demo_disaggregated", "demo_bounded"):
        frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype(bool)
    return frame


@cache
def known_indicators() -> pd.DataFrame:
    """Curated metadata of every indicator the catalogue knows: the demo's indicators plus reference-only
    entries (`indicators_reference.csv`) for publisher codes the demo does not generate."""
    reference = _read("indicators_reference.csv")
    for column in ("plausible_min", "plausible_max"):
        reference[column] = reference[column].astype(float)
    for column in ("indicator_scale", "decimals"):
        reference[column] = pd.to_numeric(reference[column]).astype("Int64")
    reference["favourable_indicator"] = reference["favourable_indicator"].str.lower().eq("true")
    return pd.concat([indicators()[list(reference.columns)], reference], ignore_index=True)


@cache
def uhc_tracers() -> pd.DataFrame:
    """One row per SDG 3.8.1 tracer input x indicator code that can supply it: tracer (an input key of
    dashboard.uhc), indicator_code, priority (1 = preferred) and factor (multiplies the indicator's values
    into the tracer's unit, e.g. 10 for beds per 1,000 -> per 10,000)."""
    frame = _read("uhc_tracers.csv")
    frame["priority"] = frame["priority"].astype(int)
    frame["factor"] = frame["factor"].astype(float)
    return frame


@cache
def uhc_indicators() -> pd.DataFrame:
    """The indicators the build computes from the tracers (UHC_INDEX_COMPUTED and its four sub-indices),
    with the same metadata columns as indicators_reference.csv."""
    frame = _read("uhc_indicators.csv")
    for column in ("plausible_min", "plausible_max"):
        frame[column] = frame[column].astype(float)
    for column in ("indicator_scale", "decimals"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["favourable_indicator"] = frame["favourable_indicator"].str.lower().eq("true")
    return frame


@cache
def sources() -> pd.DataFrame:
    """One row per publisher the catalogue cites (and the synthetic demo source)."""
    frame = _read("sources.csv")
    frame["is_synthetic"] = frame["is_synthetic"].str.lower().eq("true")
    frame["retrieved_at"] = pd.NaT
    frame["api_source"] = pd.to_numeric(frame["api_source"]).astype("Int64")
    return frame


WDI_API_SOURCE = 2  # the World Bank API's default database, World Development Indicators


def world_bank_publishers() -> list[str]:
    """The catalogue's World Bank publishers (WB_WDI, WB_WGI): the sources with a World Bank API database."""
    frame = sources()
    return list(frame.loc[frame["api_source"].notna(), "source_code"])


def world_bank_api_source(code: str) -> tuple[str, int]:
    """(publisher, World Bank API database id) of an indicator code: the catalogue's publisher when it knows
    the code (GE.EST -> WB_WGI, 3), else World Development Indicators (WB_WDI, 2)."""
    known = known_indicators().set_index("indicator_code")["source_code"]
    publishers = sources().set_index("source_code")["api_source"]
    publisher = known.get(code)
    if publisher in publishers.index and pd.notna(publishers[publisher]):
        return publisher, int(publishers[publisher])
    wdi = sources().query("api_source == @WDI_API_SOURCE")["source_code"].iloc[0]
    return wdi, WDI_API_SOURCE


@cache
def cascades() -> pd.DataFrame:
    """One row per step of a care cascade (effective coverage), in order: cascade, cascade_label, step,
    indicator_code (empty for a base with no indicator of its own), label, basis and the demo's rule.

    basis: `base` is the population in need, drawn as 100% (its indicator, when there is one, only
    describes it); `share` is an indicator defined as a percentage of that population; `share_of_previous`
    a percentage of the previous step's people (e.g. treatment success among those treated). The demo
    derives a step from `demo_from` (a step of the same cascade) so that no step exceeds the one before:
    a later step is `demo_from` x r, an earlier one closes a share r of the gap between `demo_from` and
    100, with r between demo_low and demo_high, rising with the country's development.
    """
    frame = _read("cascades.csv")
    frame["step"] = frame["step"].astype(int)
    for column in ("demo_low", "demo_high"):
        frame[column] = frame[column].astype(float)
    return frame
