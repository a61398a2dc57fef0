"""contract.COLUMNS matches schema.sql, and conform() reports what is wrong precisely."""

import duckdb
import pandas as pd
import pytest

from dashboard import contract
from dashboard.config import QUERIES_DIR


def test_contract_columns_match_schema():
    connection = duckdb.connect()
    connection.execute((QUERIES_DIR / "warehouse" / "schema.sql").read_text())
    for table, columns in contract.COLUMNS.items():
        actual = [r[0] for r in connection.execute(f"describe {table}").fetchall()]
        assert actual == list(columns), table


def test_conform_names_missing_required_column():
    with pytest.raises(contract.ContractError, match="lacks required column.*iso3"):
        contract.conform("dim_country", pd.DataFrame({"name": ["x"], "is_aggregate": [False]}), origin="f.csv")


def test_conform_names_empty_required_cells():
    frame = pd.DataFrame({"iso3": ["KEN", None], "name": ["Kenya", "X"], "is_aggregate": [False, False]})
    with pytest.raises(contract.ContractError, match=r"dim_country.iso3 is empty in row\(s\) 1"):
        contract.conform("dim_country", frame)


def test_conform_names_uncastable_column():
    frame = pd.DataFrame({"indicator_code": ["X"], "iso3": ["KEN"], "year": ["twenty"], "dimension": ["Total"],
                          "subgroup": ["Total"], "ordered_dimension": [False], "reference_subgroup": [False],
                          "source_code": ["S"]})
    with pytest.raises(contract.ContractError, match="year"):
        contract.conform("fct_indicator_value", frame)


def test_conform_adds_missing_optional_columns_as_typed_nulls():
    frame = pd.DataFrame({"indicator_code": ["X"], "iso3": ["KEN"], "year": [2020], "dimension": ["Total"],
                          "subgroup": ["Total"], "ordered_dimension": [False], "reference_subgroup": [False],
                          "source_code": ["S"]})
    out = contract.conform("fct_indicator_value", frame)
    assert list(out.columns) == list(contract.COLUMNS["fct_indicator_value"])
    assert out["estimate"].dtype == "float64" and out["estimate"].isna().all()
    assert str(out["subgroup_order"].dtype) == "Int64"
