"""`fetch dhs` on recorded DHS Program API answers, and `import dhs` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import requests
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.sources import fetch
from dashboard.sources.webclient import FetchError, UnknownIndicator
from tests.fixtures.trees import tree_digest
from tests.unit.test_fetch import NOW, FakeAnswer, FakeSession, client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dhs"
API = "https://api.dhsprogram.com/rest/dhs"
META = f"{API}/indicators?f=json&indicatorIds={{}}"
DATA = f"{API}/data?breakdown=all&countryIds=GH&f=json&indicatorIds=RH_DELA_C_SKP&page={{}}&perpage=12"
runner = CliRunner()


def recorded(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def dhs_routes() -> dict[str, list]:
    return {META.format("RH_DELA_C_SKP"): [FakeAnswer(200, recorded("indicators_RH_DELA_C_SKP.json"))],
            META.format("NOT_AN_ID"): [FakeAnswer(200, recorded("indicators_NOT_AN_ID.json"))],
            DATA.format(1): [FakeAnswer(200, recorded("GH2014DHS_RH_DELA_C_SKP_p1.json"))],
            DATA.format(2): [FakeAnswer(503), FakeAnswer(200, recorded("GH2014DHS_RH_DELA_C_SKP_p2.json"))]}


def test_fetch_dhs_pages_through_the_answer_and_reads_it_like_a_saved_file(tmp_path):
    session = FakeSession(dhs_routes())
    web, slept = client(session, tmp_path)
    (survey,) = fetch.fetch_dhs(["RH_DELA_C_SKP"], ["gha"], client=web, per_page=12,
                                admin1={"GHA": [("GH-AA", "Greater Accra Region")]})
    assert [url for url, _ in session.calls] == [META.format("RH_DELA_C_SKP"), DATA.format(1), DATA.format(2),
                                                 DATA.format(2)]
    assert slept == [1.0]  # the 503 was retried after the back-off
    assert survey.source_code == "DHS_GH2014DHS" and survey.source["retrieved_at"].item() == NOW
    values = survey.tables["fct_indicator_value"]
    assert len(values) == 22
    assert values.set_index("subgroup").loc["Greater Accra", "admin1_code"] == "GH-AA"
    from dashboard.sources import dhs

    (saved,) = dhs.read([FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p1.json", FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p2.json"],
                        admin1={"GHA": [("GH-AA", "Greater Accra Region")]})
    pd.testing.assert_frame_equal(values, saved.tables["fct_indicator_value"])
    # A second fetch is answered from the cache.
    again = FakeSession({})
    cached, _ = client(again, tmp_path)
    fetch.fetch_dhs(["RH_DELA_C_SKP"], ["GHA"], client=cached, per_page=12)
    assert again.calls == []


def test_fetch_dhs_refuses_an_unknown_indicator_and_a_country_without_surveys(tmp_path):
    web, _ = client(FakeSession(dhs_routes()), tmp_path)
    with pytest.raises(UnknownIndicator, match="DHS Program API does not know indicator NOT_AN_ID"):
        fetch.fetch_dhs(["NOT_AN_ID"], ["GHA"], client=web)
    with pytest.raises(FetchError, match="FRA: not a country with DHS surveys"):
        fetch.fetch_dhs(["RH_DELA_C_SKP"], ["FRA"], client=web)


def test_import_dhs_stores_one_release_per_survey(store):
    result = runner.invoke(app, ["import", "dhs", *map(str, sorted(FIXTURES.glob("GH2014DHS_*.json"))), "--no-build"])
    assert result.exit_code == 0, result.output
    assert "imported DHS_GH2014DHS: 28 values of 2 indicator(s), 1 countries and 0 aggregates" in result.output
    assert sorted(p.name for p in store.iterdir()) == ["DHS_GH2014DHS"]


def test_a_bad_dhs_file_fails_in_one_line_and_changes_nothing(store, tmp_path):
    assert runner.invoke(app, ["import", "dhs", str(FIXTURES / "GH2014DHS_CH_DIAT_C_ORS.json"),
                               "--no-build"]).exit_code == 0
    body = recorded("GH2014DHS_RH_DELA_C_SKP_p1.json")
    body["Data"][5]["Value"] = "n/a"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(body), encoding="utf-8")
    before = tree_digest(store.parent)  # the store, and the warehouse and cache beside it
    result = runner.invoke(app, ["import", "dhs", str(bad), str(FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p2.json")])
    assert result.exit_code == 1
    assert result.output == f"error: {bad}, line 6, column 'Value': 'n/a' is not a number\n"
    assert tree_digest(store.parent) == before


def test_fetch_dhs_offline_prints_one_line_and_changes_nothing(store, monkeypatch):
    def unreachable(self, url, **kwargs):
        raise requests.ConnectionError("Failed to resolve 'api.dhsprogram.com'")
    monkeypatch.setattr(requests.Session, "get", unreachable)
    result = runner.invoke(app, ["fetch", "dhs", "--indicator", "RH_DELA_C_SKP", "--country", "GHA", "--no-build"])
    assert result.exit_code == 1
    assert result.output == ("error: cannot reach api.dhsprogram.com: offline or blocked (ConnectionError); "
                             "connect to the internet or import downloaded files instead\n")
    assert tree_digest(store) == {}
