"""Extracts: read back equal the warehouse, carry complete metadata, validate as a Data Package, neutralise
formulas, and come out the same from the command line and the page's download."""

import io
import json
import zipfile

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dashboard import cli, db, extract

WEALTH = "Economic status (wealth quintile)"
SELECTION = extract.Selection(indicators=("SH.IMM.IDPT", "SH.DYN.MORT"), countries=("KEN", "UGA", "NOR"),
                              year_from=2005, year_to=2020, dimensions=("Total", WEALTH))


def meta_for(warehouse, selection):
    counts = db.run(warehouse.connection, "extract/count_by_selection", **selection.params()).iloc[0]
    indicators = db.run(warehouse.connection, "indicators/catalogue_by_indicator").set_index("indicator_code")
    sources = db.run(warehouse.connection, "sources/sources_by_code", source_codes=list(counts["source_codes"]))
    rows = [{"indicator_code": code, **indicators.loc[code].to_dict()} for code in selection.indicators]
    return extract.metadata(selection, warehouse, rows, sources.to_dict("records"), counts["synthetic_rows"] > 0)


def direct(warehouse, selection) -> pd.DataFrame:
    """The same rows straight from the fact table, written independently of the extract query."""
    return warehouse.connection.cursor().execute("""
        select v.indicator_code, v.iso3, v.year, v.dimension, v.subgroup, v.estimate, v.source_code
        from fct_indicator_value v
        where list_contains(?, v.indicator_code) and list_contains(?, v.iso3) and v.year between ? and ?
          and list_contains(?, v.dimension) and (v.admin1_code is null or v.dimension = 'Subnational region')
        order by all""", [list(selection.indicators), list(selection.countries), selection.year_from,
                         selection.year_to, list(selection.dimensions)]).df()


KEYS = ["indicator_code", "iso3", "year", "dimension", "subgroup", "estimate", "source_code"]


def test_parquet_extract_reads_back_equal_to_the_warehouse_with_its_metadata(demo_db, tmp_path):
    meta = meta_for(demo_db, SELECTION)
    rows = extract.write(demo_db.connection, SELECTION, tmp_path / "x.parquet", "parquet", meta)
    table = pq.read_table(tmp_path / "x.parquet")
    frame = table.to_pandas()
    assert rows == len(frame) > 100 and set(frame["dimension"]) == {"Total", WEALTH}
    expected = direct(demo_db, SELECTION)
    got = frame[KEYS].sort_values(KEYS).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected[KEYS].sort_values(KEYS).reset_index(drop=True), check_dtype=False)
    stored = extract.read_metadata(tmp_path / "x.parquet")
    assert stored["build_id"] == demo_db.build_id and stored["has_synthetic"] is True
    assert "synthetic" in stored["citation"].lower() and stored["filter"]["countries"] == ["KEN", "UGA", "NOR"]
    dtp3 = next(i for i in stored["indicators"] if i["code"] == "SH.IMM.IDPT")
    assert dtp3["unit"] == "%" and dtp3["definition"] and dtp3["higher_is_better"] is True
    assert dtp3["sources"] and {"publisher", "licence", "release"} <= set(dtp3["sources"][0])
    assert table.schema.field("estimate").metadata[b"description"].startswith(b"Value of the indicator")
    assert pq.ParquetFile(tmp_path / "x.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_csv_zip_is_a_valid_data_package_with_the_same_rows(demo_db, tmp_path):
    meta = meta_for(demo_db, SELECTION)
    extract.write(demo_db.connection, SELECTION, tmp_path / "x.csv.zip", "csv", meta)
    with zipfile.ZipFile(tmp_path / "x.csv.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    report = frictionless.validate(tmp_path / "unzipped" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "unzipped" / "datapackage.json").read_text())
    assert package["hss_extract"]["rows"] == len(direct(demo_db, SELECTION))
    assert package["licenses"] and package["sources"]
    values = pd.read_csv(tmp_path / "unzipped" / "values.csv")
    assert len(values) == package["hss_extract"]["rows"] and values["is_synthetic"].all()


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    batch = pa.record_batch({"flag": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok", None],
                             "estimate": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    out = extract._neutralised(batch).to_pydict()
    assert out["flag"] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok", None]
    assert out["estimate"][1] == -2.0  # numbers are not text


def test_xlsx_over_excels_row_limit_is_refused(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "EXCEL_MAX_ROWS", 50)
    with pytest.raises(extract.SelectionError, match="do not fit in one Excel sheet"):
        extract.write(demo_db.connection, SELECTION, tmp_path / "x.xlsx", "xlsx", meta_for(demo_db, SELECTION))
    assert not list(tmp_path.iterdir())  # nothing half-written is left


def test_xlsx_has_data_and_metadata_sheets(demo_db, tmp_path):
    extract.write(demo_db.connection, SELECTION, tmp_path / "x.xlsx", "xlsx", meta_for(demo_db, SELECTION))
    sheets = pd.read_excel(tmp_path / "x.xlsx", sheet_name=None)
    assert set(sheets) == {"data", "metadata"} and len(sheets["data"]) == len(direct(demo_db, SELECTION))
    assert "build_id" in set(sheets["metadata"]["key"])


def test_command_and_page_give_the_same_file(demo_warehouse, demo_db, use_warehouse, tmp_path):
    use_warehouse(demo_warehouse)
    result = CliRunner().invoke(cli.app, [
        "extract", "--indicator", "SH.IMM.IDPT", "--indicator", "SH.DYN.MORT", "--country", "KEN", "--country",
        "UGA", "--country", "NOR", "--from", "2005", "--to", "2020", "--dimension", "Total", "--dimension", WEALTH,
        "--out", str(tmp_path / "cli.parquet")])
    assert result.exit_code == 0, result.output
    page = extract.to_bytes(demo_db.connection, SELECTION, "parquet", meta_for(demo_db, SELECTION))
    from_cli, from_page = pq.read_table(tmp_path / "cli.parquet"), pq.read_table(io.BytesIO(page))
    assert from_cli.drop_columns([]).equals(from_page)
    meta_cli, meta_page = extract.read_metadata(tmp_path / "cli.parquet"), json.loads(
        pq.read_schema(io.BytesIO(page)).metadata[extract.METADATA_KEY])
    meta_cli.pop("created_at"), meta_page.pop("created_at")
    meta_cli.pop("citation"), meta_page.pop("citation")  # the citation carries the creation date
    assert meta_cli == meta_page


def test_unknown_codes_are_refused_with_the_closest(demo_warehouse, use_warehouse, tmp_path):
    use_warehouse(demo_warehouse)
    result = CliRunner().invoke(cli.app, ["extract", "--indicator", "SH.IMM.IDPX", "--out", str(tmp_path / "x.parquet")])
    assert result.exit_code == 1
    assert "unknown indicator 'SH.IMM.IDPX'; closest: SH.IMM.IDPT" in result.output
    result = CliRunner().invoke(cli.app, ["extract", "--indicator", "SH.IMM.IDPT", "--country", "KENN",
                                          "--out", str(tmp_path / "x.parquet")])
    assert "unknown country 'KENN'; closest: KEN" in result.output and not (tmp_path / "x.parquet").exists()


def test_world_bank_regions_domains_and_subgroups_narrow_the_extract(demo_warehouse, demo_db, use_warehouse, tmp_path):
    use_warehouse(demo_warehouse)
    con = demo_db.connection.cursor()
    africa = {r[0] for r in con.execute("select iso3 from dim_country where wb_region = 'Sub-Saharan Africa'"
                                        " and not is_aggregate").fetchall()}
    coverage = {r[0] for r in con.execute("select indicator_code from dim_indicator where domain = 'coverage'"
                                          " and indicator_code in (select indicator_code from agg_indicator)").fetchall()}
    result = CliRunner().invoke(cli.app, [
        "extract", "--domain", "coverage", "--wb-region", "SSF", "--from", "2015", "--to", "2020", "--dimension",
        "Total", "--dimension", WEALTH, "--subgroup", "Quintile 1 (poorest)", "--subgroup", "Quintile 5 (richest)",
        "--out", str(tmp_path / "ssf.parquet")])
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "ssf.parquet").to_pandas()
    assert set(table["iso3"]) <= africa and "KEN" in set(table["iso3"]) and "NOR" not in set(table["iso3"])
    assert set(table["indicator_code"]) == coverage
    assert set(table["subgroup"]) == {"Total", "Quintile 1 (poorest)", "Quintile 5 (richest)"}
    expected = con.execute("""
        select count(*) from fct_indicator_value v join dim_country c using (iso3) join dim_indicator i using (indicator_code)
        where c.wb_region = 'Sub-Saharan Africa' and i.domain = 'coverage' and v.year between 2015 and 2020
          and v.admin1_code is null and (v.dimension = 'Total' or (v.dimension = ? and v.subgroup in
          ('Quintile 1 (poorest)', 'Quintile 5 (richest)')))""", [WEALTH]).fetchone()[0]
    assert len(table) == expected
    meta = extract.read_metadata(tmp_path / "ssf.parquet")
    assert meta["filter"]["wb_regions"] == ["SSF"] and meta["filter"]["subgroups"] == ["Quintile 1 (poorest)",
                                                                                       "Quintile 5 (richest)"]


def test_unknown_block_domain_region_and_subgroup_are_named(demo_warehouse, use_warehouse, tmp_path):
    use_warehouse(demo_warehouse)
    out = str(tmp_path / "x.parquet")
    for args, message in ((["--domain", "coverag"], "unknown domain 'coverag'; closest: coverage"),
                          (["--block", "Health workforc"], "unknown building block 'Health workforc'; closest: Health workforce"),
                          (["--indicator", "SH.IMM.IDPT", "--wb-region", "SSX"], "unknown World Bank region 'SSX'"),
                          (["--indicator", "SH.IMM.IDPT", "--subgroup", "Quintile 9"], "unknown subgroup 'Quintile 9'")):
        result = CliRunner().invoke(cli.app, ["extract", *args, "--out", out])
        assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / "x.parquet").exists()


def test_an_extract_read_in_chunks_of_indicators_equals_one_read_whole(demo_db, monkeypatch):
    selection = extract.Selection(indicators=("SH.IMM.IDPT", "SH.DYN.MORT", "SH.IMM.MEAS"), year_from=2010,
                                  year_to=2015, dimensions=())
    whole = pa.Table.from_batches(list(extract.batches(demo_db.connection, selection)[1]))
    monkeypatch.setattr(extract, "CHUNK_INDICATORS", 1)
    schema, stream = extract.batches(demo_db.connection, selection)
    chunked = pa.Table.from_batches(list(stream), schema=schema)
    assert chunked.num_rows == whole.num_rows > 1000
    assert chunked.equals(whole)  # same rows in the same order (indicator first)
    assert chunked.column("indicator_code").to_pylist() == sorted(chunked.column("indicator_code").to_pylist())
