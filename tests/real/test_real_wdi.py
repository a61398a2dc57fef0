"""Conformance on the real World Bank files: every file imports, and the import reconciles with the file."""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from realdata import files, folder

from dashboard.sources import wdi

SUBDIR = "worldbank_wdi"


def read_cells(path: Path) -> tuple[str, pd.DataFrame]:
    """(Last Updated Date, one row per non-empty cell: code, year, text) read with the csv module alone."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r]
    updated = next(r[1] for r in rows if r[0] == "Last Updated Date")
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Country Name")
    header = rows[header_at]
    cells = [(r[1], int(header[i]), r[i]) for r in rows[header_at + 1:]
             for i in range(4, len(header)) if header[i] and r[i].strip()]
    return updated, pd.DataFrame(cells, columns=["code", "year", "text"])


def metadata_aggregates(path: Path) -> set[str] | None:
    companion = path.with_name(f"Metadata_Country_{path.name}")
    if not companion.exists():
        return None
    frame = pd.read_csv(companion, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return set(frame.loc[frame["Region"] == "", "Country Code"])


@pytest.mark.parametrize("path", files(SUBDIR, "API_*.csv"))
def test_download_imports_and_reconciles_with_its_cells(path):
    updated, cells = read_cells(path)
    (import_set,) = wdi.read([path])
    assert import_set.source_code == f"WB_WDI_{updated}"
    values = import_set.tables["fct_indicator_value"]
    countries = import_set.tables["dim_country"]
    aggregates = set(countries.loc[countries["is_aggregate"], "iso3"])
    is_aggregate = values["iso3"].isin(aggregates)
    # Every non-empty cell became exactly one value, either for a country or for an aggregate.
    assert len(cells) == int((~is_aggregate).sum()) + int(is_aggregate.sum()) == len(values)
    assert int(is_aggregate.sum()) == int(cells["code"].isin(aggregates).sum()) > 0
    expected = metadata_aggregates(path)
    if expected is not None:
        assert aggregates & set(cells["code"]) == expected & set(cells["code"])
    else:
        assert {"WLD", "HIC", "LIC", "SSF"} <= aggregates and not {"GHA", "KEN", "FRA"} & aggregates
    by_key = values.set_index(["iso3", "year"])["estimate"]
    sample = cells.sample(n=20, random_state=random.Random(path.name).randrange(2**31))
    for code, year, text in sample.itertuples(index=False):
        assert by_key[(code, year)] == float(text), (code, year)


def test_whole_folder_imports_at_once_with_companions_and_bulk_tables():
    root = folder(SUBDIR)
    paths = sorted(root.glob("*.csv")) + sorted((root / "wdi_bulk_2019").glob("*.csv"))
    sets = wdi.read(paths)
    codes = {s.source_code for s in sets}
    assert codes == {f"WB_WDI_{read_cells(p)[0]}" for p in root.glob("API_*.csv")}
    per_indicator = {c: n for s in sets for c, n in
                     s.tables["fct_indicator_value"].groupby("indicator_code").size().items()}
    for path in root.glob("API_*.csv"):
        code = path.name.split("_")[1]
        assert per_indicator[code] == len(read_cells(path)[1])


def test_bulk_country_and_series_tables_import_without_values(tmp_path):
    root = folder(SUBDIR) / "wdi_bulk_2019"
    said = []
    (import_set,) = wdi.read([root / "WDICountry.csv", root / "WDISeries.csv"], progress=said.append)
    assert set(import_set.tables) == {"dim_country"}
    frame = pd.read_csv(root / "WDICountry.csv", dtype=str, keep_default_na=False)
    countries = import_set.tables["dim_country"]
    assert len(countries) == len(frame)
    assert int(countries["is_aggregate"].sum()) == int((frame["Region"] == "").sum())
    assert any("no values to describe" in line for line in said)


def test_bulk_data_beside_the_real_country_and_series_tables(tmp_path):
    """A WDIData.csv written from a real download, next to the real 2019 companions."""
    root = folder(SUBDIR)
    download = root / "API_SH.MED.BEDS.ZS_DS2_en_csv_v2_5363904.csv"
    bulk = tmp_path / "WDI_csv"
    bulk.mkdir()
    for name in ("WDICountry.csv", "WDISeries.csv"):
        shutil.copy(root / "wdi_bulk_2019" / name, bulk / name)
    lines = download.read_text(encoding="utf-8-sig").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith('"Country Name"'))
    (bulk / "WDIData.csv").write_text("\n".join(lines[header_at:]) + "\n", encoding="utf-8")
    (import_set,) = wdi.read([bulk / "WDIData.csv"], release="2023-03-01")
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["definition"].startswith("Hospital beds include inpatient beds")
    assert import_set.source["licence"].item() == "CC BY 4.0"
    assert len(import_set.tables["fct_indicator_value"]) == len(read_cells(download)[1])
