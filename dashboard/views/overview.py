"""Overview map page views: the ranked table, the map's download, regions for the distribution and zoom."""

from __future__ import annotations

import pandas as pd

from dashboard import catalogue
from dashboard.charts.layout import with_unit

BESIDE_MAP = ("Rank", "Country", "Value")  # the ranked table's columns that fit beside the map


def ranked_table(latest: pd.DataFrame, *, decimals: int, stale_years: int, within=None) -> pd.DataFrame:
    """Countries with a value, best first: rank, country, value, year, age flag, region, income group.

    `latest` is the result of indicators/latest_by_country (rank is already direction-aware); `within`
    (iso3 codes, e.g. the countries a map is zoomed to) keeps only those, with their rank among all.
    """
    rows = latest[latest["estimate"].notna()].sort_values(["rank", "name"])
    if within is not None:
        rows = rows[rows["iso3"].isin(list(within))]
    return pd.DataFrame({
        "Rank": rows["rank"].astype("Int64"),
        "Country": rows["name"],
        "ISO3": rows["iso3"],
        "Value": rows["estimate"].round(decimals),
        "Year": rows["year"].astype("Int64"),
        "Old value": rows["data_age"] > stale_years,
        "WHO region": rows["who_region"].map(catalogue.who_region_name),
        "Income group": rows["income_group"],
    }).reset_index(drop=True)


def zoom_options() -> dict[str, str]:
    """Where the map can zoom: 'world', 'who:<code>' per WHO region, 'wb:<code>' per World Bank region."""
    return {"world": "World", **{f"who:{c}": f"WHO {n}" for c, n in catalogue.WHO_REGIONS.items()},
            **{f"wb:{c}": f"World Bank: {n}" for c, n in catalogue.WB_REGION_CODES.items()}}


def map_heading(indicator: dict, year: int, zoom_label: str | None = None) -> str:
    """'DTP3 coverage (%), 2024' (with ' · WHO African Region' when zoomed): what a map image says it shows."""
    heading = f"{with_unit(indicator['short_name'], indicator['unit'])}, {year}"
    return f"{heading} · {zoom_label}" if zoom_label and zoom_label != "World" else heading


def map_download(classified: pd.DataFrame) -> pd.DataFrame:
    """Exactly what the map plots: one row per country in view, its value, year and colour class
    (`classified` is charts.maps.classified over indicators/latest_by_country)."""
    return classified[["iso3", "name", "year", "estimate", "ci_lower", "ci_upper", "value_class", "source_code"]] \
        .rename(columns={"value_class": "colour_class"}).reset_index(drop=True)


def with_region_names(latest: pd.DataFrame) -> pd.DataFrame:
    """`latest` plus a readable `region` column (WHO region name)."""
    return latest.assign(region=latest["who_region"].map(catalogue.who_region_name))


def zoom_iso_n3(countries: pd.DataFrame, zoom: str, latest: pd.DataFrame, filtered: bool) -> list[str] | None:
    """ISO numeric codes of `zoom_countries` (what geo.fit_extent takes), None for the whole world."""
    chosen = zoom_countries(countries, zoom, latest, filtered)
    return None if chosen is None else countries.loc[countries["iso3"].isin(chosen), "iso_n3"].tolist()


def outside_label(filtered: bool) -> str | None:
    """How the map names countries left out by the region or income-group filters (None without filters)."""
    return "Outside the filters" if filtered else None


def zoom_countries(countries: pd.DataFrame, zoom: str, latest: pd.DataFrame, filtered: bool) -> list[str] | None:
    """ISO3 codes the map should fit: a chosen region ('who:AFR', 'wb:SSF'), else the filtered countries,
    else None for the whole world."""
    kind, _, code = zoom.partition(":")
    if kind == "who":
        return countries.loc[countries["who_region"] == code, "iso3"].tolist()
    if kind == "wb":
        return countries.loc[countries["wb_region"] == catalogue.WB_REGION_CODES[code], "iso3"].tolist()
    return latest["iso3"].tolist() if filtered else None


def ranked_download(latest: pd.DataFrame) -> pd.DataFrame:
    """The ranked table as data: every country with a value, best first, at full precision with its interval,
    year, age in years, region, income group and source (indicators/latest_by_country rows)."""
    rows = latest[latest["estimate"].notna()].sort_values(["rank", "name"])
    out = rows[["rank", "iso3", "name", "estimate", "ci_lower", "ci_upper", "year", "data_age", "who_region",
                "income_group", "source_code"]].copy()
    out["who_region"] = out["who_region"].map(catalogue.who_region_name)
    return out.reset_index(drop=True)
