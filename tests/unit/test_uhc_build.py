"""The build computes the UHC index from the tracers it holds, tags it, and compares it with a published one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import build, catalogue, contract, db, uhc
from dashboard.sources import imports
from dashboard.uhc import warehouse as uhc_warehouse
from tests.fixtures.warehouse import value

COMPUTED = uhc_warehouse.CODES  # result column -> indicator code
PUBLISHED = uhc_warehouse.PUBLISHED_CODES  # result column -> WHO GHO code


def stored_index(connection) -> pd.DataFrame:
    """The computed indicators as stored: one row per iso3 x year, one column per result column."""
    long = connection.execute(
        "select indicator_code, iso3, year, estimate from fct_indicator_value "
        "where indicator_code in (select unnest($codes)) and dimension = 'Total'",
        {"codes": list(COMPUTED.values())}).df()
    wide = long.pivot(index=["iso3", "year"], columns="indicator_code", values="estimate")
    return wide.rename(columns={code: column for column, code in COMPUTED.items()})[list(COMPUTED)]


def stored_tracers(connection) -> pd.DataFrame:
    """The demo's tracer values read back from the warehouse, mapped and converted with the catalogue's map."""
    tracer_map = catalogue.uhc_tracers()
    rows = connection.execute(
        "select v.iso3, v.year, v.indicator_code, v.estimate from fct_indicator_value v "
        "where v.indicator_code in (select unnest($codes)) and v.dimension = 'Total' and v.admin1_code is null "
        "and v.estimate is not null", {"codes": list(tracer_map["indicator_code"])}).df()
    rows = rows.merge(tracer_map, on="indicator_code")
    preferred = rows.groupby(["iso3", "tracer"])["priority"].transform("min")
    rows = rows[rows["priority"] == preferred]
    return pd.DataFrame({"iso3": rows["iso3"], "year": rows["year"], "tracer": rows["tracer"],
                         "value": rows["estimate"] * rows["factor"]})


def test_demo_index_equals_the_method_recomputed_from_the_stored_tracers(demo_db):
    connection = demo_db.connection
    countries = catalogue.countries()
    expected = uhc.compute(stored_tracers(connection),
                           regions=dict(zip(countries["iso3"], countries["who_region"]))).set_index(["iso3", "year"])
    stored = stored_index(connection)
    assert len(stored) > 150 * 15
    assert stored.index.equals(expected.index)
    np.testing.assert_allclose(stored.to_numpy(), expected[list(COMPUTED)].to_numpy(), rtol=1e-12)


def test_every_stored_index_is_the_geometric_mean_of_its_sub_indices(demo_db):
    stored = stored_index(demo_db.connection)
    geometric = np.exp(np.log(stored[["rmnch", "infectious", "ncd", "capacity"]]).mean(axis=1))
    np.testing.assert_allclose(stored["index"], geometric, rtol=1e-12)
    kenya = stored.loc["KEN"].iloc[-1]
    assert 30 < kenya["index"] < 80


def test_demos_published_index_is_the_computed_one_rounded(demo_db):
    published = demo_db.connection.execute(
        "select indicator_code, iso3, year, estimate from fct_indicator_value "
        "where indicator_code in (select unnest($codes))", {"codes": list(PUBLISHED.values())}).df()
    wide = published.pivot(index=["iso3", "year"], columns="indicator_code", values="estimate")
    wide = wide.rename(columns={code: column for column, code in PUBLISHED.items()})[list(PUBLISHED)]
    computed = stored_index(demo_db.connection).loc[wide.index]
    assert len(wide) > 1000
    assert (wide == computed.round()).all().all()


def test_computed_source_is_synthetic_on_demo_tracers_and_flags_imputation(demo_db):
    source = demo_db.connection.execute(
        "select title, is_synthetic, licence, citation from dim_source where source_code = 'COMPUTED_UHC'").df()
    assert source["is_synthetic"].tolist() == [True]
    assert "synthetic" in source["title"].iloc[0] and "not be cited" in source["citation"].iloc[0]
    flags = demo_db.connection.execute(
        "select flag from fct_indicator_value where indicator_code = 'UHC_INDEX_COMPUTED' and flag is not null "
        "limit 1").fetchone()[0]
    assert flags.startswith("imputed: ") and flags.endswith("tracers")


def test_itn_is_generated_only_for_the_demos_endemic_group(demo_db):
    itn = demo_db.connection.execute(
        "select distinct c.who_region, c.income_group from fct_indicator_value v join dim_country c using (iso3) "
        "where v.indicator_code = 'SH.MLR.NETS.ZS'").df()
    assert "EUR" not in set(itn["who_region"]) and "High income" not in set(itn["income_group"])


def _tracer_import(reported: dict[str, float]) -> imports.ImportSet:
    """A real (non-synthetic) import with every tracer for Kenya and Uganda in 2020 and a published index."""
    source = pd.DataFrame([{"source_code": "REAL_UHC", "publisher": "Fixture", "title": "Fixture tracers",
                            "release": "2024", "url": None, "licence": "CC BY 4.0", "citation": None,
                            "retrieved_at": pd.Timestamp("2024-02-01"), "is_synthetic": False}])
    tracer_map = catalogue.uhc_tracers().query("priority == 1")
    base = {"fp_demand_satisfied": 60, "anc4": 55, "dtp3": 80, "pneumonia_care": 65, "tb_treatment": 70,
            "art": 75, "itn": 50, "sanitation_basic": 30, "hypertension_treated": 20, "fpg_mean_mmol": 5.8,
            "tobacco_prevalence": 15, "hospital_beds_per_10k": 9, "physicians_per_1k": 0.2,
            "psychiatrists_per_100k": 0.1, "surgeons_per_100k": 1.5, "ihr_capacity": 55}
    rows = [value(code, iso3, 2020, float(base[tracer]), source="REAL_UHC", ci=False)
            for iso3 in ("KEN", "UGA") for tracer, code in zip(tracer_map["tracer"], tracer_map["indicator_code"])]
    rows += [value("UHC_INDEX_REPORTED", iso3, 2020, estimate, source="REAL_UHC", ci=False)
             for iso3, estimate in reported.items()]
    codes = [*tracer_map["indicator_code"], "UHC_INDEX_REPORTED"]
    known = catalogue.known_indicators().set_index("indicator_code").loc[codes].reset_index()
    indicators = known[list(contract.COLUMNS["dim_indicator"])].assign(source_code="REAL_UHC")
    return imports.ImportSet(source=source, tables={"dim_indicator": indicators,
                                                    "fct_indicator_value": pd.DataFrame(rows)})


def test_real_tracers_give_a_real_index_and_a_gap_is_a_warning_not_a_failure(tmp_path):
    store = tmp_path / "imports"
    imports.write(_tracer_import({"KEN": 48.0, "UGA": 60.0}), store)  # by hand: 48.2473256055 for both
    messages = []
    result = build.build(target=tmp_path / "w.duckdb", demo_scale=None, imports_dir=store,
                         progress=messages.append)
    connection = db.open_read_only(result.path).connection
    stored = stored_index(connection)
    assert stored["index"].tolist() == pytest.approx([48.2473256055] * 2, abs=1e-9)
    assert connection.execute("select is_synthetic, title from dim_source where source_code = 'COMPUTED_UHC'"
                              ).fetchone() == (False, ("UHC service coverage index computed from the warehouse's "
                                                      "tracer indicators"))
    assert db.open_read_only(result.path).has_synthetic is False
    warnings = [m for m in messages if "fct_uhc_computed_matches_reported (warning)" in m]
    assert len(warnings) == 1 and "UGA" in warnings[0] and "KEN" not in warnings[0]


def test_check_level_is_read_from_the_header_only():
    assert build.check_level("-- Check: x.\n-- Level: warning (why)\n-- Grain: one row.\nselect 1") == "warning"
    assert build.check_level("-- Check: x.\n-- Grain: one row.\nselect 1") == "error"
    assert build.check_level("select 1 -- Level: warning") == "error"


def test_scale_copies_feed_no_index_of_their_own(tmp_path):
    result = build.build(target=tmp_path / "w.duckdb", demo_scale=2, imports_dir=tmp_path / "none",
                         last_year=2006)
    codes = {row[0] for row in db.open_read_only(result.path).connection.execute(
        "select distinct indicator_code from fct_indicator_value where indicator_code like '%COMPUTED%'").fetchall()}
    assert codes == set(COMPUTED.values())


def test_the_comparison_check_pairs_each_computed_code_with_its_published_one():
    from dashboard.config import QUERIES_DIR

    text = (QUERIES_DIR / "checks" / "fct_uhc_computed_matches_reported.sql").read_text()
    assert build.check_level(text) == "warning"
    for column, code in COMPUTED.items():
        assert f"('{code}', '{PUBLISHED[column]}')" in text


def test_an_unusable_tracer_value_fails_the_build_naming_it(tmp_path):
    bad = _tracer_import({})
    values = bad.tables["fct_indicator_value"]
    values.loc[(values["indicator_code"] == "SH.IMM.IDPT") & (values["iso3"] == "KEN"), "estimate"] = 140.0
    store = tmp_path / "imports"
    imports.write(bad, store)
    with pytest.raises(build.BuildError, match=r"cannot compute the UHC index: SH\.IMM\.IDPT for KEN 2020 "
                                               r"\(source REAL_UHC\): 140 is outside 0-100"):
        build.build(target=tmp_path / "w.duckdb", demo_scale=None, imports_dir=store)
    assert not (tmp_path / "w.duckdb").exists()
