"""Every CSV a page offers is a data product: indicator, unit, country, source and synthetic columns, at full
precision. Each page runs under AppTest; every table it hands to the downloads is completed as the CSV
button would, and checked."""

import io

import pandas as pd
import pytest

from dashboard import components, data
from dashboard.views import downloads
from tests.pages.apptest import run_page

VISITS = [
    ("pages/overview.py", {"indicator": "SH.IMM.IDPT", "year": "2020", "view": "map"}),
    ("pages/overview.py", {"indicator": "SH.IMM.IDPT", "year": "2020", "view": "table"}),
    ("pages/overview.py", {"indicator": "SH.IMM.IDPT", "year": "2020", "view": "distribution"}),
    ("pages/trends.py", {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA"}),
    ("pages/trends.py", {"mode": "panels", "country": "KEN"}),
    ("pages/country.py", {"country": "KEN"}),
    ("pages/coverage.py", {"country": "KEN"}),
    ("pages/coverage.py", {"country": "KEN", "tab": "What if"}),
    ("pages/coverage.py", {"country": "KEN", "tab": "By subgroup"}),
    ("pages/coverage.py", {"country": "KEN", "tab": "Care cascades"}),
    ("pages/coverage.py", {"country": "KEN", "tab": "Financial protection"}),
    ("pages/equity.py", {"country": "KEN"}),
    ("pages/equity.py", {"country": "KEN", "tab": "Benchmark"}),
    ("pages/equity.py", {"country": "BRA", "indicator": "SH.IMM.IDPT", "tab": "By region"}),
    ("pages/country.py", {"country": "BRA"}),
    ("pages/about.py", {}),
]

# Tables that are not about one indicator (a survey's capacity levels, the UHC index's tracer scenario).
NO_INDICATOR = ("profile_KEN_capacity",)
# Tables across the world rather than about countries (the catalogue).
NO_COUNTRY = ("indicator_catalogue",)


@pytest.fixture
def offered(demo_warehouse, use_warehouse, monkeypatch):
    use_warehouse(demo_warehouse)
    seen = []
    original = components.data_and_downloads

    def record(frame, **kwargs):
        seen.append((kwargs["stem"], frame, kwargs))
        return original(frame, **kwargs)

    monkeypatch.setattr(components, "data_and_downloads", record)
    return seen


def completed(frame, kwargs) -> pd.DataFrame:
    table = frame if kwargs.get("csv") is None else kwargs["csv"]
    codes = downloads.source_codes(table, kwargs.get("source_codes", ()))
    out = downloads.complete(table, indicators=data.catalogue_by_indicator(), countries=data.catalogue_by_country(),
                             sources=data.sources_by_code(codes), indicator_code=kwargs.get("indicator_code"),
                             iso3=kwargs.get("iso3"), source_codes=codes)
    text = downloads.to_csv(out)
    years = [c for c in out.columns if "year" in str(c)]
    return pd.read_csv(io.BytesIO(text), dtype={c: str for c in years})


@pytest.mark.parametrize(("path", "params"), VISITS, ids=lambda v: str(v))
def test_every_csv_names_indicator_unit_country_source_and_synthetic(offered, path, params):
    app = run_page(path, **params)
    assert not app.exception
    assert offered, "the page offers no download"
    for stem, frame, kwargs in offered:
        csv = completed(frame, kwargs)
        assert len(csv) == len(frame if kwargs.get("csv") is None else kwargs["csv"]), stem
        assert {"source", "synthetic"} <= set(csv.columns), stem
        assert csv["synthetic"].all(), stem  # the demo warehouse is synthetic throughout
        assert csv["source"].str.startswith("Synthetic demo data").all(), stem
        if not stem.startswith(NO_INDICATOR):
            assert {"indicator_code", "indicator", "unit"} <= set(csv.columns), stem
            coded = csv[csv["indicator_code"].notna()]  # a cascade's base (all pregnancies, all infants) has none
            assert len(coded) >= len(csv) / 2, stem
            assert coded["indicator"].notna().all() and coded["unit"].notna().all(), stem
        if not stem.startswith(NO_COUNTRY):
            assert "iso3" in csv.columns and ({"country", "name"} & set(csv.columns)), stem
        for column in csv.select_dtypes("float").columns:
            values = csv[column].dropna()
            assert (values == values.round(downloads.DECIMALS)).all(), (stem, column)
        for column in [c for c in csv.columns if "year" in c]:
            assert not csv[column].dropna().str.endswith(".0").any(), (stem, column)  # never 2023.0


def test_ranked_table_csv_keeps_full_precision(offered):
    run_page("pages/overview.py", indicator="SH.IMM.IDPT", year="2020", view="table")
    stem, frame, kwargs = next(entry for entry in offered if entry[0].startswith("ranking_"))
    csv = completed(frame, kwargs).set_index("iso3")
    latest = data.run("indicators/latest_by_country", indicator_code="SH.IMM.IDPT", year=2020, who_regions=[],
                      income_groups=[]).set_index("iso3")
    assert csv.loc["KEN", "estimate"] == pytest.approx(float(latest.loc["KEN", "estimate"]), abs=1e-9)
    assert csv.loc["KEN", "unit"] == "%" and csv.loc["KEN", "indicator_code"] == "SH.IMM.IDPT"


def test_complete_adds_only_what_is_missing_and_tidies_numbers():
    frame = pd.DataFrame({"year": [2023.0, 2024.0], "value": [6.099999999999994, 1 / 3]})
    indicators = pd.DataFrame({"indicator_code": ["X"], "name": ["Thing"], "unit": ["%"]})
    countries = pd.DataFrame({"iso3": ["KEN"], "name": ["Kenya"]})
    sources = pd.DataFrame({"source_code": ["S"], "publisher": ["WHO"], "title": ["GHO"], "release": ["2024"],
                            "is_synthetic": [False]})
    out = downloads.complete(frame, indicators=indicators, countries=countries, sources=sources,
                             indicator_code="X", iso3="KEN", source_codes=["S"])
    assert out.columns.tolist() == ["indicator_code", "indicator", "unit", "iso3", "country", "year", "value",
                                    "source_code", "source", "synthetic"]
    assert out["year"].tolist() == [2023, 2024] and out["value"].tolist() == [6.1, round(1 / 3, 10)]
    assert out["source"].tolist() == ["WHO, GHO, release 2024"] * 2 and not out["synthetic"].any()
    assert out["country"].tolist() == ["Kenya", "Kenya"]


def test_csv_text_a_spreadsheet_would_run_is_neutralised():
    frame = pd.DataFrame({"country": ["=cmd|' /C calc'!A0", "Kenya", "@SUM(A1)", "-2+3"], "value": [-1.5, 2.0, 3.0, 4.0]})
    text = downloads.to_csv(frame).decode("utf-8")
    assert "'=cmd|' /C calc'!A0" in text and "'@SUM(A1)" in text and "'-2+3" in text
    assert ",-1.5" in text and "Kenya,2.0" in text  # numbers and plain text untouched
