"""The warehouse contract in Python: each table's columns and types, and a validator for frames bound for it.

`queries/warehouse/schema.sql` is the authority; a test checks that these column lists match it.
"""

from __future__ import annotations

import pandas as pd

# Column -> pandas dtype, in schema order. Nullable extension dtypes keep "missing" distinct from 0/False.
COLUMNS: dict[str, dict[str, str]] = {
    "dim_country": {
        "iso3": "string", "iso_n3": "string", "name": "string", "who_region": "string",
        "wb_region": "string", "income_group": "string", "is_aggregate": "boolean",
    },
    "dim_admin1": {"iso3": "string", "admin1_code": "string", "name": "string"},
    "dim_source": {
        "source_code": "string", "publisher": "string", "title": "string", "release": "string",
        "url": "string", "licence": "string", "citation": "string",
        "retrieved_at": "datetime64[us]", "is_synthetic": "boolean",
    },
    "dim_indicator": {
        "indicator_code": "string", "name": "string", "short_name": "string", "unit": "string",
        "indicator_scale": "Int64", "favourable_indicator": "boolean", "building_block": "string",
        "domain": "string", "uhc_tracer": "string", "definition": "string", "source_code": "string",
        "plausible_min": "float64", "plausible_max": "float64", "decimals": "Int64",
    },
    "fct_indicator_value": {
        "indicator_code": "string", "iso3": "string", "admin1_code": "string", "year": "Int64",
        "dimension": "string", "subgroup": "string", "subgroup_order": "Int64",
        "ordered_dimension": "boolean", "reference_subgroup": "boolean", "estimate": "float64",
        "se": "float64", "ci_lower": "float64", "ci_upper": "float64", "population": "float64",
        "source_code": "string", "flag": "string",
    },
    "dim_survey": {
        "survey_code": "string", "title": "string", "year": "Int64", "source_code": "string",
        "description": "string", "series": "string",
    },
    "survey_respondent": {
        "survey_code": "string", "respondent_id": "string", "iso3": "string",
        "organisation_type": "string", "role": "string", "career_stage": "string", "sex": "string",
        "regional_network": "string", "working_group": "string", "organisation_name": "string",
    },
    "survey_item": {
        "survey_code": "string", "item_code": "string", "level": "string", "competency": "string",
        "text": "string", "score_min": "Int64", "score_max": "Int64", "domain": "string", "kinds": "string",
    },
    "survey_response": {
        "survey_code": "string", "respondent_id": "string", "item_code": "string",
        "kind": "string", "score": "Int64",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "dim_country": ("iso3", "name", "is_aggregate"),
    "dim_admin1": ("iso3", "admin1_code", "name"),
    "dim_source": ("source_code", "publisher", "title", "licence", "is_synthetic"),
    "dim_indicator": ("indicator_code", "name", "short_name", "unit", "favourable_indicator",
                      "building_block", "domain", "source_code", "plausible_min", "plausible_max",
                      "decimals"),
    "fct_indicator_value": ("indicator_code", "iso3", "year", "dimension", "subgroup",
                            "ordered_dimension", "reference_subgroup", "source_code"),
    "dim_survey": ("survey_code", "title", "source_code"),
    "survey_respondent": ("survey_code", "respondent_id", "iso3", "organisation_type", "role"),
    "survey_item": ("survey_code", "item_code", "level", "competency", "text", "score_min",
                    "score_max"),
    "survey_response": ("survey_code", "respondent_id", "item_code", "kind"),
}

# Tables that imports may provide, in the order `build` loads them.
TABLES: tuple[str, ...] = tuple(COLUMNS)

TOTAL = "Total"  # dimension and subgroup of a national (not disaggregated) value

# Canonical disaggregation dimensions (HEAT vocabulary).
DIM_WEALTH = "Economic status (wealth quintile)"
DIM_SEX = "Sex"
DIM_RESIDENCE = "Place of residence"
DIM_EDUCATION = "Education"
DIM_SUBNATIONAL = "Subnational region"


class ContractError(ValueError):
    """A frame does not fit the warehouse contract; the message names the table, column and rows."""


def conform(table: str, frame: pd.DataFrame, *, origin: str = "") -> pd.DataFrame:
    """Return `frame` with exactly the contract's columns, in order and cast to their types.

    Missing optional columns are added as nulls. Raises ContractError naming the table (and `origin`,
    e.g. a file name) when a required column is absent or holds nulls, or a value cannot be cast.
    """
    where = f"{origin}: " if origin else ""
    columns = COLUMNS[table]
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        raise ContractError(f"{where}{table} lacks required column(s) {', '.join(missing)}")
    out = pd.DataFrame(index=frame.index)
    for column, dtype in columns.items():
        if column not in frame.columns:
            out[column] = pd.Series(None, index=frame.index, dtype=dtype)
            continue
        try:
            out[column] = frame[column].astype(dtype)
        except (TypeError, ValueError) as exc:
            raise ContractError(f"{where}{table}.{column} cannot be read as {dtype}: {exc}") from exc
    for column in REQUIRED[table]:
        nulls = out[column].isna()
        if nulls.any():
            rows = ", ".join(str(i) for i in out.index[nulls][:5])
            raise ContractError(f"{where}{table}.{column} is empty in row(s) {rows}")
    return out.reset_index(drop=True)
