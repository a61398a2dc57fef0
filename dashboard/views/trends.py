"""Trends page views: year windows, indexing, reference medians, small-multiple panels and peer suggestions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard import catalogue
from dashboard.charts.layout import with_unit
from dashboard.charts.trends import COUNTRY, INCOME_MEDIAN, REGION_MEDIAN

REFERENCE_ROLES = {"who_region": REGION_MEDIAN, "income_group": INCOME_MEDIAN}
PLOT_COLUMNS = ["series", "iso3", "role", "year", "value", "ci_lower", "ci_upper", "countries",
                "observed", "source_code", "flag"]


def reference_label(reference: str, group: str | None) -> str:
    """'African Region median' or 'Low income median': what a reference line is called on the chart."""
    name = catalogue.who_region_name(group) if reference == "who_region" else group
    return f"{name} median"


def window(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Rows with `start <= year <= end`."""
    return frame[frame["year"].between(start, end)].reset_index(drop=True)


def index_to_first(frame: pd.DataFrame, by: str = "series") -> pd.DataFrame:
    """Each group's value and bounds divided by its first observed value, x100 (first value = 100).

    Keeps the unindexed value as `original_value`; row order is unchanged. A group whose first value is
    zero cannot be indexed: its values become null rather than infinite.
    """
    out = frame.copy()
    base = out.sort_values("year").groupby(by, sort=False)["value"].transform("first")
    base = base.where(base != 0)
    out["original_value"] = out["value"]
    for column in ("value", "ci_lower", "ci_upper"):
        out[column] = out[column] / base * 100
    return out


def _long(series: pd.DataFrame, medians: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Country rows and reference rows in the window, stacked, with `indicator_code` and a `_rank` that
    puts references after countries (region before income group)."""
    countries = window(series, start, end).assign(
        series=lambda f: f["name"], role=COUNTRY, value=lambda f: f["estimate"], countries=np.nan,
        observed=np.nan, _rank=0)
    references = window(medians, start, end).assign(
        series=lambda f: [reference_label(r, g) for r, g in zip(f["reference"], f["reference_group"])],
        iso3=None, role=lambda f: f["reference"].map(REFERENCE_ROLES), value=lambda f: f["estimate"],
        ci_lower=np.nan, ci_upper=np.nan, source_code=None, flag=None,
        _rank=lambda f: 1 + (f["reference"] == "income_group"))
    frame = pd.concat([countries, references], ignore_index=True) if len(references) else countries
    frame["year"] = frame["year"].astype(int)
    frame[["countries", "observed"]] = frame[["countries", "observed"]].astype("Int64")
    return frame


def plot_frame(series: pd.DataFrame, medians: pd.DataFrame, *, order: Sequence[str], start: int, end: int,
               indexed: bool = False) -> pd.DataFrame:
    """Exactly what the trend chart plots: one row per series x year, countries first in `order`.

    `series`: rows of indicators/trend_by_country_year for one indicator; `medians`: rows of
    indicators/reference_medians_by_year for the same indicator. Columns out: series (country name or
    reference label), iso3 (null for references), role (country / WHO region median / Income group
    median), year, value, ci_lower, ci_upper, countries and observed (how many countries a median pools,
    and how many of them published a value that year), source_code, flag, and `original_value` when
    indexed.
    """
    frame = _long(series, medians, start, end)
    position = frame["iso3"].map({code: i for i, code in enumerate(order)}).fillna(len(order) + frame["_rank"])
    frame = frame.assign(_order=position).sort_values(["_order", "year"], kind="stable")
    frame = frame[PLOT_COLUMNS].reset_index(drop=True)
    return index_to_first(frame) if indexed else frame


def reference_note(frame: pd.DataFrame, anchor: str, min_countries: int | None = None,
                   min_share: float | None = None) -> str:
    """What the grey lines of a plot_frame are, naming `anchor` (the country whose groups they describe) and,
    when given, the rule that leaves out years where too few of a group's countries report."""
    names = list(dict.fromkeys(frame.loc[frame["role"] != COUNTRY, "series"]))
    if not names:
        return f"No reference medians: {anchor} has no WHO region or income group with values in view."
    groups = " and ".join(name.removesuffix(" median") for name in names)
    note = (f"Grey lines: medians of {groups} countries (the groups of {anchor}); each country's missing years "
            "between two observed years are interpolated for the median.")
    if min_countries is not None and min_share is not None:
        note += (f" A median is drawn only in years where at least {min_countries} countries and "
                 f"{min_share:.0%} of the group's reporting countries have a value; the tooltip gives the count.")
    return note


def loggable(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows a log scale can draw (value > 0) and how many were dropped; a bound at or below zero
    clears that row's band rather than stretching the axis to infinity."""
    keep = frame[frame["value"] > 0].copy()
    clear = ~(keep["ci_lower"] > 0)
    keep.loc[clear, ["ci_lower", "ci_upper"]] = np.nan
    return keep.reset_index(drop=True), int(len(frame) - len(keep))


def suggest_peers(latest: pd.DataFrame, anchor: str, chosen: Sequence[str], n: int = 5) -> pd.DataFrame:
    """Up to `n` countries of the anchor's WHO region AND income group, not already chosen, nearest first
    by latest value (ties by name); countries without a value come last, by name.

    `latest` is indicators/latest_by_country (columns iso3, name, who_region, income_group, estimate,
    year). Returns those columns plus `distance` (absolute difference from the anchor's latest value).
    An anchor missing from `latest` or without region or income group has no peers.
    """
    rows = latest.set_index("iso3")
    if anchor not in rows.index or pd.isna(rows.at[anchor, "who_region"]) or pd.isna(rows.at[anchor, "income_group"]):
        return latest.head(0).assign(distance=pd.Series(dtype=float))
    region, income, value = rows.at[anchor, "who_region"], rows.at[anchor, "income_group"], rows.at[anchor, "estimate"]
    peers = latest[(latest["who_region"] == region) & (latest["income_group"] == income)
                   & ~latest["iso3"].isin([anchor, *chosen])].copy()
    peers["distance"] = (peers["estimate"] - value).abs()
    return peers.sort_values(["distance", "name"], na_position="last").head(n).reset_index(drop=True)


def peer_label(name: str, estimate: float | None, decimals: int) -> str:
    """'Uganda · 52.3' (or '· no value'): the text of a one-click peer button."""
    return f"{name} · {'no value' if pd.isna(estimate) else f'{estimate:,.{decimals}f}'}"


def groups_of(countries: pd.DataFrame, iso3: str) -> tuple[str | None, str | None]:
    """(WHO region, income group) of one country of countries/catalogue_by_country; None where unknown."""
    row = countries[countries["iso3"] == iso3]
    if row.empty:
        return None, None
    region, income = row.iloc[0]["who_region"], row.iloc[0]["income_group"]
    return (None if pd.isna(region) else region), (None if pd.isna(income) else income)


def indicator_labels(indicators: pd.DataFrame) -> dict[str, str]:
    """'Short name (unit)' per indicator_code of indicators/catalogue_by_indicator, for pickers and notes."""
    return dict(zip(indicators["indicator_code"], map(with_unit, indicators["short_name"], indicators["unit"])))


def blocks(indicators: pd.DataFrame) -> list[str]:
    """Building blocks that have indicators (indicators/catalogue_by_indicator), in the WHO order."""
    return catalogue.block_order(indicators["building_block"])


def first_block_with_data(series: pd.DataFrame, indicators: pd.DataFrame) -> str | None:
    """The first building block (WHO order) with at least one value in `series`
    (indicators/trend_by_country_year rows); None when there is none."""
    present = indicators.loc[indicators["indicator_code"].isin(series["indicator_code"]), "building_block"]
    return next(iter(catalogue.block_order(present)), None)


def first_block(series: pd.DataFrame, indicators: pd.DataFrame) -> str:
    """The building block the small multiples open on: the first with data, else the first with indicators."""
    return first_block_with_data(series, indicators) or blocks(indicators)[0]


def trend_caption(frame: pd.DataFrame, chosen: Sequence[str], names: dict, start: int, end: int,
                  min_countries: int | None = None, min_share: float | None = None) -> str:
    """What the grey lines are (the groups of the first chosen country, and when a median year is drawn) and
    which chosen countries have no value in the window."""
    plotted = set(frame.loc[frame["role"] == COUNTRY, "iso3"])
    missing = [names.get(c, c) for c in chosen if c not in plotted]
    return reference_note(frame, names.get(chosen[0], chosen[0]), min_countries, min_share) + \
        (f" No values in {start}–{end} for {', '.join(missing)}." if missing else "")


def panel_sources(frame: pd.DataFrame, indicators: pd.DataFrame) -> set[str]:
    """Source codes of the indicators drawn in a panel_frame."""
    drawn = indicators[indicators["indicator_code"].isin(frame["indicator_code"])]
    return {code for codes in drawn["source_codes"] for code in codes}


MAX_PANELS = 12  # small multiples drawn at once; a block of a large warehouse holds hundreds of indicators
NAMED = 5  # indicators named in a caption before "and N more"


def panel_caption(frame: pd.DataFrame, codes: Sequence[str], labels: dict, start: int, end: int,
                  with_values: int | None = None) -> str:
    """Which requested indicators have no value in the window, and how many with values were left out
    (`with_values`: how many have values) because only MAX_PANELS are drawn ('' when all are drawn)."""
    drawn = set(frame["indicator_code"])
    parts = []
    if with_values is not None and with_values > len(drawn):
        parts.append(f"Showing the first {len(drawn)} of {with_values} indicators with values in {start}–{end}; "
                     "choose indicators to see others.")
    missing = [labels.get(c, c) for c in codes if c not in drawn][:NAMED] if with_values is None else []
    more = sum(c not in drawn for c in codes) - len(missing)
    if missing:
        parts.append(f"No values in {start}–{end} for {', '.join(missing)}" + (f" and {more} more." if more else "."))
    return " ".join(parts)


def drawn_codes(series: pd.DataFrame, codes: Sequence[str], start: int, end: int,
                limit: int = MAX_PANELS) -> list[str]:
    """The codes panel_frame will draw: the first `limit` of `codes` with a country value in start..end (so
    reference medians are computed for those panels only, not for a whole block)."""
    shown = series.loc[series["year"].between(start, end) & series["estimate"].notna(), "indicator_code"]
    present = set(shown)
    return [c for c in codes if c in present][:limit]


def codes_with_values(series: pd.DataFrame, start: int, end: int) -> int:
    """How many indicators of indicators/trend_by_country_year rows have a value in start..end."""
    return int(series.loc[series["year"].between(start, end) & series["estimate"].notna(), "indicator_code"].nunique())


def panel_codes(indicators: pd.DataFrame, *, block: str, chosen: Sequence[str] = ()) -> list[str]:
    """The indicators shown as small multiples: the explicit choice when there is one, else every
    indicator of `block` in catalogue order."""
    if chosen:
        return list(chosen)
    return list(indicators.loc[indicators["building_block"] == block, "indicator_code"])


def panel_frame(series: pd.DataFrame, medians: pd.DataFrame, indicators: pd.DataFrame, *, codes: Sequence[str],
                start: int, end: int, limit: int = MAX_PANELS) -> pd.DataFrame:
    """Exactly what the small multiples plot: one row per indicator x series x year, panels in `codes` order;
    an indicator without a value for the country in the window gets no panel, and only the first `limit`
    indicators with values get one.

    `series`: indicators/trend_by_country_year rows for one country; `medians`: region rows of
    indicators/reference_medians_by_year (may be empty). Columns out: indicator_code, panel ('short name
    (unit)'), series, role, year, value, ci_lower, ci_upper, countries, observed, value_label (value in
    the indicator's decimals), source_code, flag.
    """
    columns = ["indicator_code", "panel", *PLOT_COLUMNS[:-2], "value_label", "source_code", "flag"]
    rank = {code: i for i, code in enumerate(codes)}
    frame = _long(series[series["indicator_code"].isin(rank)], medians[medians["indicator_code"].isin(rank)],
                  start, end)
    with_values = set(frame.loc[frame["role"] == COUNTRY, "indicator_code"])
    frame = frame[frame["indicator_code"].isin([c for c in codes if c in with_values][:limit])]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    decimals = frame["indicator_code"].map(dict(zip(indicators["indicator_code"], indicators["decimals"])))
    frame = frame.assign(
        panel=frame["indicator_code"].map(indicator_labels(indicators)),
        value_label=[f"{v:,.{int(d)}f}" for v, d in zip(frame["value"], decimals)],
        _order=frame["indicator_code"].map(rank))
    return frame.sort_values(["_order", "_rank", "year"], kind="stable")[columns].reset_index(drop=True)
