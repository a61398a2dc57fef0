"""A --no-demo warehouse from the shared real publisher files plus recorded DHS answers: the Equity page computes
the slope and relative indices of inequality for Ghana's 2014 DHS from the survey's CIs and denominators."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from dashboard import build, contract, db
from dashboard.config import PROJECT_ROOT
from dashboard.sources import boundaries, dhs, pipeline
from tests.pages.apptest import run_page
from tests.real import realdata

DHS_FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "dhs"
SBA_PAGES = [DHS_FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p1.json", DHS_FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p2.json"]


@pytest.fixture(scope="module")
def real_with_dhs(tmp_path_factory):
    real = realdata.real_dir()
    if not (real / "worldbank_wdi").is_dir():
        pytest.skip(f"real data directory {real} not found (setting real_data_dir / HSS_REAL_DATA_DIR)")
    folder = tmp_path_factory.mktemp("realdhs")
    store = folder / "imports"
    pipeline.import_files("wdi", sorted((real / "worldbank_wdi").glob("API_*.csv")), imports_dir=store)
    pipeline.import_files("gho", sorted((real / "who_gho" / "athena_api_csv").glob("*.csv"))
                          + sorted((real / "who_equity" / "health_equity_monitor_athena_csv").glob("*.csv")),
                          imports_dir=store)
    boundaries.import_file(real / "geo" / "geoboundaries" / "geoBoundaries-GHA-ADM1_simplified.geojson", "GHA", store)
    messages = []
    pipeline.import_files("dhs", SBA_PAGES, imports_dir=store, progress=messages.append)
    target = folder / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    return target, messages


def independent_sii_rii(rows: pd.DataFrame) -> tuple[float, float]:
    """SII and RII by a logistic GLM fitted directly on the recorded wealth rows, as WHO HEAT defines them:
    each quintile at the midpoint of its cumulative population share, counts from the weighted denominator,
    the healthequal weighting (population squared)."""
    rows = rows.sort_values("order")
    share = rows["population"] / rows["population"].sum()
    midpoint = share.cumsum() - share / 2
    trials = np.ceil(rows["population"].to_numpy())
    events = np.round(rows["value"].to_numpy() / 100 * trials)
    fit = sm.GLM(events / trials, sm.add_constant(midpoint.to_numpy()), family=sm.families.Binomial(),
                 freq_weights=trials ** 2).fit()
    b0, b1 = fit.params
    p0, p1 = 1 / (1 + math.exp(-b0)), 1 / (1 + math.exp(-(b0 + b1)))
    return 100 * (p1 - p0), p1 / p0


def recorded_wealth_rows() -> pd.DataFrame:
    order = {"Lowest": 1, "Second": 2, "Middle": 3, "Fourth": 4, "Highest": 5}
    records = [r for path in SBA_PAGES for r in dhs.read_file(path)[0]]
    return pd.DataFrame([{"order": order[r.fields["CharacteristicLabel"]], "value": r.fields["Value"],
                          "population": r.fields["DenominatorWeighted"]}
                         for r in records if r.fields["CharacteristicCategory"] == "Wealth quintile"])


def test_equity_page_computes_sii_and_rii_for_ghana_2014_dhs(real_with_dhs, use_warehouse):
    target, messages = real_with_dhs
    use_warehouse(target)
    warehouse = db.open_read_only(target)
    assert warehouse.has_synthetic is False
    sources = warehouse.connection.execute(
        "select source_code, publisher, release from dim_source where source_code like 'DHS_%'").fetchall()
    assert sources == [("DHS_GH2014DHS", "The DHS Program (ICF)", "GH2014DHS")]
    regions = warehouse.connection.execute(
        "select subgroup, admin1_code from fct_indicator_value where indicator_code = 'RH_DELA_C_SKP' "
        "and dimension = 'Subnational region' order by subgroup").fetchall()
    assert dict(regions)["Greater Accra"] is not None and dict(regions)["Brong Ahafo"] is None
    assert sum(code is not None for _, code in regions) == 9
    assert "GHA: matched 9 of 10 subnational subgroup(s) to boundaries (0 by code, 9 by name, 0 by alias)" in messages
    # GHO's skilled birth attendance (MDG_0000000025) and the survey's own series stay apart.
    assert warehouse.connection.execute(
        "select count(*) from fct_indicator_value where indicator_code = 'MDG_0000000025' and iso3 = 'GHA'"
    ).fetchone()[0] > 0
    warehouse.connection.close()

    app = run_page("pages/equity.py", timeout=120, country="GHA", indicator="RH_DELA_C_SKP",
                   dimension=contract.DIM_WEALTH, measure="sii")
    assert not app.exception, app.exception
    assert [box.value for box in app.selectbox] == ["GHA", "RH_DELA_C_SKP", contract.DIM_WEALTH, "sii"]
    assert app.subheader[0].value == "All applicable measures, 2014"
    table = next(f.value for f in app.dataframe if "What it measures" in f.value.columns).set_index("Code")
    sii, rii = independent_sii_rii(recorded_wealth_rows())
    assert table.loc["SII", "Estimate"] == round(sii, 1)
    assert table.loc["RII", "Estimate"] == round(rii, 2)
    # Hand check on the recorded values: the modelled gap runs from rank 0 to rank 1, beyond the quintiles'
    # midpoints, so it exceeds the richest minus the poorest quintile (97.4 - 45.3) and their ratio.
    assert (round(sii, 1), round(rii, 2)) == (63.4, 2.93)
    assert sii > 97.4 - 45.3 and rii > 97.4 / 45.3
    assert table.loc["SII", "CI lower"] < table.loc["SII", "Estimate"] < table.loc["SII", "CI upper"]
    assert {"ACI", "RCI", "PAR", "PAF"} <= set(table.index)


def test_equity_page_computes_dispersion_measures_over_ghana_regions(real_with_dhs, use_warehouse):
    target, _ = real_with_dhs
    use_warehouse(target)
    app = run_page("pages/equity.py", timeout=120, country="GHA", indicator="RH_DELA_C_SKP",
                   dimension=contract.DIM_SUBNATIONAL, measure="bgv")
    assert not app.exception, app.exception
    table = next(f.value for f in app.dataframe if "What it measures" in f.value.columns).set_index("Code")
    assert {"BGV", "BGSD", "TI", "MLD", "IDISU", "IDISW"} <= set(table.index)
    records = [r.fields for path in SBA_PAGES for r in dhs.read_file(path)[0]]
    regions = pd.DataFrame([r for r in records if r["CharacteristicCategory"] == "Region"])
    share = regions["DenominatorWeighted"] / regions["DenominatorWeighted"].sum()
    mean = float((share * regions["Value"]).sum())
    bgv = float((share * (regions["Value"] - mean) ** 2).sum())  # between-group variance, by hand
    assert table.loc["BGV", "Estimate"] == round(bgv, 1)
