"""The real World Bank and WHO files imported together, built into a warehouse beside the demo source."""

from __future__ import annotations

import csv
import random

import duckdb
import pytest
from realdata import folder

from dashboard import build
from dashboard.sources import pipeline


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wb, who, equity = folder("worldbank_wdi"), folder("who_gho"), folder("who_equity")
    store = tmp_path_factory.mktemp("real") / "imports"
    pipeline.import_files("wdi", sorted(wb.glob("*.csv")), imports_dir=store)
    gho_files = (sorted((who / "athena_api_csv").glob("*.csv")) + sorted((who / "gho_web_export_csv").glob("*.csv"))
                 + sorted((who / "gho_theme_download" / "data").glob("*.csv"))
                 + sorted((equity / "health_equity_monitor_athena_csv").glob("*.csv")))
    pipeline.import_files("gho", gho_files, imports_dir=store)
    target = store.parent / "warehouse.duckdb"
    build.build(target=target, demo_scale=1, imports_dir=store, last_year=2024)
    return target, wb


def test_sampled_download_cells_equal_the_warehouse_values(warehouse):
    target, wb = warehouse
    with duckdb.connect(str(target), read_only=True) as con:
        for path in sorted(wb.glob("API_*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = [r for r in csv.reader(handle) if r]
            header_at = next(i for i, r in enumerate(rows) if r[0] == "Country Name")
            header = rows[header_at]
            cells = [(r[1], r[3], int(header[i]), float(r[i])) for r in rows[header_at + 1:]
                     for i in range(4, len(header)) if header[i] and r[i].strip()]
            for code, indicator, year, expected in random.Random(path.name).sample(cells, 20):
                found = con.execute(
                    "select estimate from fct_indicator_value where indicator_code = ? and iso3 = ? and year = ? "
                    "and dimension = 'Total'", [indicator, code, year]).fetchall()
                assert found == [(pytest.approx(expected),)], (path.name, code, year)


def test_real_sources_replace_the_demo_for_their_indicators(warehouse):
    target, _ = warehouse
    with duckdb.connect(str(target), read_only=True) as con:
        mixed = con.execute(
            "select indicator_code from fct_indicator_value group by indicator_code "
            "having count(distinct source_code) > 1").fetchall()
        physicians = con.execute(
            "select distinct source_code from fct_indicator_value where indicator_code = 'SH.MED.PHYS.ZS'").fetchall()
        synthetic = con.execute(
            "select s.is_synthetic from dim_indicator i join dim_source s using (source_code) "
            "where i.indicator_code = 'HWF_0001'").fetchone()
        aggregates = con.execute(
            "select count(*) from dim_country where is_aggregate and iso3 in ('WLD', 'HIC', 'AFR', 'GLOBAL')").fetchone()
    assert mixed == [] and physicians == [("WB_WDI_2023-03-01",)]
    assert synthetic == (False,) and aggregates == (4,)
