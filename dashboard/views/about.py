"""About the data page views: the source inventory and the indicator catalogue, for display and download."""

from __future__ import annotations

import pandas as pd


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



def catalogue_download(indicators: pd.DataFrame) -> pd.DataFrame:
    """The full catalogue as data, one row per indicator: `definition_source` is whose definition the
    indicator follows, `source_codes` the sources its values come from (what `source` and `synthetic` describe)."""
    return indicators.rename(columns={"source_code": "definition_source"})
