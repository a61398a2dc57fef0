"""Pure reshaping of query results into what a page shows (tables for display and download)."""

from __future__ import annotations

import pandas as pd

from dashboard import catalogue


def ranked_table(latest: pd.DataFrame, *, decimals: int, stale_years: int) -> pd.DataFrame:
    """Countries with a value, best first: rank, country, value, year, age flag, region, income group.

    `latest` is the result of indicators/latest_by_country (rank is already direction-aware).
    """
    rows = latest[latest["estimate"].notna()].sort_values(["rank", "name"])
    return pd.DataFrame({
        "Rank": rows["rank"].astype("Int64"),
        "Country": rows["name"],
        "ISO3": rows["iso3"],
        "Value": rows["estimate"].round(decimals),
        "Year": rows["year"].astype("Int64"),
        "Old value": rows["data_age"] > stale_years,
        "WHO region": rows["who_region"].map(catalogue.WHO_REGIONS),
        "Income group": rows["income_group"],
    }).reset_index(drop=True)


def map_download(latest: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Exactly what the map plots: one row per country in view, its value, year and colour class."""
    out = latest[["iso3", "name", "year", "estimate", "ci_lower", "ci_upper", "source_code"]].copy()
    out["colour_class"] = classes.to_numpy()
    return out


def with_region_names(latest: pd.DataFrame) -> pd.DataFrame:
    """`latest` plus a readable `region` column (WHO region name)."""
    return latest.assign(region=latest["who_region"].map(catalogue.WHO_REGIONS).fillna("No WHO region"))


def zoom_countries(countries: pd.DataFrame, zoom: str, latest: pd.DataFrame, filtered: bool) -> list[str] | None:
    """ISO3 codes the map should fit: a chosen region ('who:AFR', 'wb:SSF'), else the filtered countries,
    else None for the whole world."""
    kind, _, code = zoom.partition(":")
    if kind == "who":
        return countries.loc[countries["who_region"] == code, "iso3"].tolist()
    if kind == "wb":
        return countries.loc[countries["wb_region"] == catalogue.WB_REGION_CODES[code], "iso3"].tolist()
    return latest["iso3"].tolist() if filtered else None


def source_table(inventory: pd.DataFrame) -> pd.DataFrame:
    """Sources for display: who published what, which release, under which licence, how many values."""
    return pd.DataFrame({
        "Source": inventory["title"],
        "Role": [("values" if v else "survey responses") if v or r else "defines indicators only"
                 for v, r in zip(inventory["values"], inventory["survey_responses"])],
        "Publisher": inventory["publisher"],
        "Release": inventory["release"].fillna("—"),
        "Licence": inventory["licence"],
        "Synthetic": inventory["is_synthetic"].map({True: "yes — not real data", False: "no"}),
        "Values": inventory["values"].astype("Int64"),
        "Indicators": inventory["indicators"].astype("Int64"),
        "Countries": inventory["countries"].astype("Int64"),
        "Years": [f"{a}–{b}" if pd.notna(a) else "—" for a, b in zip(inventory["first_year"], inventory["last_year"])],
        "Survey responses": inventory["survey_responses"].astype("Int64"),
        "Retrieved": inventory["retrieved_at"].dt.strftime("%Y-%m-%d").fillna("—"),
        "Link": inventory["url"],
        "Code": inventory["source_code"],
    })


def indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicator catalogue for display and download."""
    return pd.DataFrame({
        "Building block": indicators["building_block"],
        "Indicator": indicators["name"],
        "Code": indicators["indicator_code"],
        "Unit": indicators["unit"],
        "Higher is better": indicators["favourable_indicator"].map({True: "yes", False: "no"}),
        "Domain": indicators["domain"],
        "UHC tracer area": indicators["uhc_tracer"].fillna(""),
        "Years": indicators["first_year"].astype(str) + "–" + indicators["last_year"].astype(str),
        "Countries": indicators["countries_with_data"],
        "Definition": indicators["definition"],
        "Defined by": indicators["source_code"],
    })
