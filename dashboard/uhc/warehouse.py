"""Warehouse rows in, warehouse rows out: tracer values from indicator values, and the index as indicator values.

Pure like the rest of the package: the caller passes the value rows, the tracer map
(catalogue.uhc_tracers) and the source table, and stores what comes back.
"""

from __future__ import annotations

import pandas as pd

SOURCE_CODE = "COMPUTED_UHC"
METADATA_URL = "https://unstats.un.org/sdgs/metadata/files/Metadata-03-08-01.pdf"
# Result column -> the indicator the build stores it as, and the WHO GHO code of its published counterpart.
CODES = {
    "index": "UHC_INDEX_COMPUTED",
    "rmnch": "UHC_SCI_RMNCH_COMPUTED",
    "infectious": "UHC_SCI_INFECT_COMPUTED",
    "ncd": "UHC_SCI_NCD_COMPUTED",
    "capacity": "UHC_SCI_CAPACITY_COMPUTED",
}
PUBLISHED_CODES = {
    "index": "UHC_INDEX_REPORTED",
    "rmnch": "UHC_SCI_RMNCH",
    "infectious": "UHC_SCI_INFECT",
    "ncd": "UHC_SCI_NCD",
    "capacity": "UHC_SCI_CAPACITY",
}


def tracer_values(values: pd.DataFrame, tracer_map: pd.DataFrame) -> pd.DataFrame:
    """Long tracer values (iso3, year, tracer, value, indicator_code, source_code) from warehouse value rows.

    Takes national rows (dimension 'Total', no admin1_code, an estimate) of the mapped indicator codes,
    converts them with the map's factor, and for each country and tracer keeps the highest-priority code
    that has any value for that country, so one country's series never mixes two publishers' definitions.
    Grain: one row per iso3 x year x tracer.
    """
    subnational = values["admin1_code"].notna() if "admin1_code" in values.columns else False
    national = values[values["indicator_code"].isin(tracer_map["indicator_code"])
                      & (values["dimension"] == "Total") & ~subnational & values["estimate"].notna()]
    rows = national[["indicator_code", "iso3", "year", "estimate", "source_code"]].merge(
        tracer_map[["tracer", "indicator_code", "priority", "factor"]], on="indicator_code")
    best = rows.groupby(["iso3", "tracer"])["priority"].transform("min")
    rows = rows[rows["priority"] == best]
    out = pd.DataFrame({
        "iso3": rows["iso3"].astype(str).to_numpy(), "year": rows["year"].astype(int).to_numpy(),
        "tracer": rows["tracer"].astype(str).to_numpy(),
        "value": (rows["estimate"].astype(float) * rows["factor"]).to_numpy(),
        "indicator_code": rows["indicator_code"].astype(str).to_numpy(),
        "source_code": rows["source_code"].astype(str).to_numpy(),
    })
    return out.sort_values(["iso3", "year", "tracer"]).reset_index(drop=True)


def indicator_values(result: pd.DataFrame, codes: dict[str, str] = CODES, source_code: str = SOURCE_CODE,
                     flag_imputed: bool = True) -> pd.DataFrame:
    """`compute` output as national warehouse value rows of five indicators (`codes`: result column -> code).

    With `flag_imputed` the flag says how many of the tracers were filled rather than observed that year
    ('imputed: 3 of 14 tracers'), so the share of imputation travels with every value, as the metadata asks.
    """
    flags = _flags(result) if flag_imputed else None
    frames = []
    for column, code in codes.items():
        frames.append(pd.DataFrame({
            "indicator_code": code, "iso3": result["iso3"].to_numpy(), "year": result["year"].to_numpy(),
            "dimension": "Total", "subgroup": "Total", "ordered_dimension": False, "reference_subgroup": False,
            "estimate": result[column].to_numpy(), "source_code": source_code, "flag": flags,
        }))
    return pd.concat(frames, ignore_index=True)


def _flags(result: pd.DataFrame) -> list:
    used = result["tracers_observed"] + result["tracers_imputed"]
    return [None if imputed == 0 else f"imputed: {imputed} of {total} tracers"
            for imputed, total in zip(result["tracers_imputed"], used)]


def source_row(inputs: pd.DataFrame, sources: pd.DataFrame, built_at: pd.Timestamp) -> pd.DataFrame:
    """The dim_source row of the computed index: synthetic whenever any tracer value it used is synthetic.

    `inputs` are the tracer values used (with source_code); `sources` is dim_source of the build.
    """
    used = sources[sources["source_code"].isin(set(inputs["source_code"]))]
    synthetic = bool(used["is_synthetic"].any())
    licences = ", ".join(sorted(set(used["licence"].dropna())))
    title = ("UHC service coverage index computed from synthetic demo tracers — not real measurements"
             if synthetic else "UHC service coverage index computed from the warehouse's tracer indicators")
    citation = (f"Computed by the HSS dashboard with the SDG 3.8.1 method (WHO metadata, 2023) from tracer "
                f"values of {', '.join(sorted(used['source_code']))}.")
    if synthetic:
        citation += " Some inputs are synthetic: these values are not measurements and must not be cited."
    return pd.DataFrame([{
        "source_code": SOURCE_CODE, "publisher": "HSS dashboard (computed)", "title": title,
        "release": f"computed {built_at:%Y-%m-%d}", "url": METADATA_URL,
        "licence": f"derived from inputs under {licences}", "citation": citation,
        "retrieved_at": built_at, "is_synthetic": synthetic,
    }])
