"""Conformance on the real WHO e-SPAR workbook: every received State Party's scores import as published."""

from __future__ import annotations

import openpyxl
import pytest
from realdata import folder

from dashboard.sources import espar, harmonise

NAME = "IHRScoreperCapacity_202305051146.xlsx"


@pytest.fixture(scope="module")
def workbook():
    path = folder("surveys/who_e_spar") / NAME
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


def test_real_workbook_imports_every_received_state_party(workbook):
    said = []
    (import_set,) = espar.read([workbook], progress=said.append)
    values = import_set.tables["fct_indicator_value"]
    indicators = import_set.tables["dim_indicator"]
    assert import_set.source_code == "WHO_ESPAR_2022" and (values["year"] == 2022).all()
    assert len(indicators) == 1 + 15 + 35 and "SDGIHR2021" in set(indicators["indicator_code"])
    countries = import_set.tables["dim_country"]
    assert int((~countries["is_aggregate"]).sum()) == 185 and set(countries.loc[countries["is_aggregate"], "iso3"]) \
        == {"AFR", "AMR", "EMR", "EUR", "SEAR", "WPR"}
    assert len(values) == (185 + 6) * 51
    assert "11 State Part(ies) without data received skipped" in said[0]
    assert values["estimate"].between(0, 100).all()


def test_twenty_sampled_cells_equal_the_imported_scores(workbook):
    (import_set,) = espar.read([workbook])
    keyed = import_set.tables["fct_indicator_value"].set_index(["indicator_code", "iso3"])["estimate"]
    rows = list(openpyxl.load_workbook(workbook, read_only=True)[espar.SHEET].iter_rows(values_only=True))
    codes = rows[5]
    parties = [r for r in rows[13:] if r[0] == "Yes"]
    for i in range(20):
        row = parties[(i * 37) % len(parties)]
        column = 3 + (i * 7) % 51
        code = "SDGIHR2021" if codes[column] == "Total Average" else f"IHR_SPAR_{codes[column]}"
        assert keyed[(code, harmonise.iso3_for_name(row[2]))] == float(row[column]), (row[2], codes[column])
    assert keyed[("SDGIHR2021", "GBR")] == 94.0 and keyed[("IHR_SPAR_C.15", "UKR")] == 80.0
