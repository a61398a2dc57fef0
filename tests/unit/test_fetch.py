"""Online connectors against recorded responses: URLs, paging, retries, rate, cache and offline message."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from dashboard.sources import fetch
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.webclient import Client, FetchError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fetch"
NOW = datetime(2025, 3, 4, 5, 6, 7)
WB = "https://api.worldbank.org/v2"
WB_COUNTRIES = f"{WB}/country?format=json&page=1&per_page=500"
WB_META = f"{WB}/indicator/SH.MED.PHYS.ZS?format=json&page=1&per_page=50"
WB_DATA = f"{WB}/country/all/indicator/SH.MED.PHYS.ZS?format=json&page={{}}&per_page=4"
WGI_META = f"{WB}/indicator/GE.EST?format=json&page=1&per_page=50"
WGI_DATA = f"{WB}/country/all/indicator/GE.EST?format=json&page={{}}&per_page={{}}&source=3"
GHO_NAME = "https://ghoapi.azureedge.net/api/Indicator?%24filter=IndicatorCode%20eq%20%27HWF_0001%27"
GHO_P1 = "https://ghoapi.azureedge.net/api/HWF_0001"
GHO_P2 = "https://ghoapi.azureedge.net/api/HWF_0001?$skip=2"


def recorded(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeAnswer:
    def __init__(self, status: int, body=None):
        self.status_code, self.body = status, body

    def json(self):
        if self.body is None:
            raise ValueError("no JSON")
        return self.body


class FakeSession:
    """Answers GETs from a table of URL -> list of answers (the last one repeats); records every call."""

    def __init__(self, routes: dict[str, list]):
        self.routes = routes
        self.calls: list[tuple[str, object]] = []

    def get(self, url, timeout=None):
        self.calls.append((url, timeout))
        if url not in self.routes:
            raise AssertionError(f"unexpected request {url}")
        answers = self.routes[url]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def wb_routes() -> dict[str, list]:
    return {WB_COUNTRIES: [FakeAnswer(200, recorded("wb_countries.json"))],
            WB_META: [FakeAnswer(200, recorded("wb_indicator_SH.MED.PHYS.ZS.json"))],
            WB_DATA.format(1): [FakeAnswer(200, recorded("wb_data_SH.MED.PHYS.ZS_p1.json"))],
            WB_DATA.format(2): [FakeAnswer(200, recorded("wb_data_SH.MED.PHYS.ZS_p2.json"))]}


def wgi_routes(per_page: int = 2) -> dict[str, list]:
    return {WB_COUNTRIES: [FakeAnswer(200, recorded("wb_countries.json"))],
            WGI_META: [FakeAnswer(200, recorded("wb_indicator_GE.EST.json"))],
            WGI_DATA.format(1, per_page): [FakeAnswer(200, recorded("wb_data_GE.EST_p1.json"))],
            WGI_DATA.format(2, per_page): [FakeAnswer(200, recorded("wb_data_GE.EST_p2.json"))]}


def client(session, tmp_path=None, **options) -> tuple[Client, list[float]]:
    slept: list[float] = []
    options = {"min_interval": 0.0, "sleep": slept.append, "now": lambda: NOW, **options}
    return Client(tmp_path / "cache" if tmp_path else None, session, **options), slept


def test_fetch_wdi_requests_every_page_and_normalises_like_a_download(tmp_path):
    session = FakeSession(wb_routes())
    web, _ = client(session, tmp_path)
    (import_set,) = fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=web, per_page=4)
    assert [url for url, _ in session.calls] == [WB_COUNTRIES, WB_META, WB_DATA.format(1), WB_DATA.format(2)]
    assert all(timeout == (10, 120) for _, timeout in session.calls)
    assert import_set.source_code == "WB_WDI_2024-09-19"
    assert import_set.source["retrieved_at"].item() == NOW
    values = import_set.tables["fct_indicator_value"].set_index(["iso3", "year"])["estimate"]
    assert len(values) == 6  # seven rows, one null
    assert values[("AFG", 2018)] == pytest.approx(0.2823)
    assert values[("XKX", 2018)] == pytest.approx(1.9)  # empty countryiso3code resolved through iso2 'XK'
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert bool(countries.loc["WLD", "is_aggregate"]) and bool(countries.loc["HIC", "is_aggregate"])
    assert countries.loc["XKX", "wb_region"] == "Europe & Central Asia"
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["definition"].startswith("Physicians include") and indicator["plausible_max"] == 15


def test_cached_responses_are_reused_without_requests(tmp_path):
    first, _ = client(FakeSession(wb_routes()), tmp_path)
    fetched = fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=first, per_page=4)[0]
    offline = FakeSession({})
    second, _ = client(offline, tmp_path)
    again = fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=second, per_page=4)[0]
    assert offline.calls == [] and second.requests_made == 0
    assert again.tables["fct_indicator_value"]["estimate"].tolist() == \
        fetched.tables["fct_indicator_value"]["estimate"].tolist()


def test_stale_or_refreshed_cache_entries_are_fetched_again(tmp_path):
    first, _ = client(FakeSession(wb_routes()), tmp_path)
    first.get_json(f"{WB}/country", {"format": "json", "per_page": 500, "page": 1})
    later, _ = client(FakeSession(wb_routes()), tmp_path, now=lambda: NOW + timedelta(days=2))
    later.get_json(f"{WB}/country", {"format": "json", "per_page": 500, "page": 1})
    assert later.requests_made == 1
    fresh, _ = client(FakeSession(wb_routes()), tmp_path, refresh=True)
    response = fresh.get_json(f"{WB}/country", {"format": "json", "per_page": 500, "page": 1})
    assert fresh.requests_made == 1 and not response.from_cache


def test_server_errors_are_retried_with_exponential_back_off():
    session = FakeSession({WB_COUNTRIES: [FakeAnswer(503), FakeAnswer(502), FakeAnswer(200, {"ok": 1})]})
    web, slept = client(session, retries=4, backoff=1.5)
    assert web.get_json(f"{WB}/country", {"format": "json", "per_page": 500, "page": 1}).body == {"ok": 1}
    assert slept == [1.5, 3.0] and len(session.calls) == 3


def test_timeouts_are_retried_then_reported():
    session = FakeSession({WB_COUNTRIES: [requests.Timeout("slow")]})
    web, slept = client(session, retries=2)
    with pytest.raises(FetchError) as error:
        web.get_json(f"{WB}/country", {"format": "json", "per_page": 500, "page": 1})
    assert slept == [1.0, 2.0] and len(session.calls) == 3
    assert "failed 3 times" in str(error.value) and "no answer within 120 s" in str(error.value)


def test_client_errors_are_not_retried():
    session = FakeSession({GHO_P1: [FakeAnswer(404)]})
    web, slept = client(session)
    with pytest.raises(FetchError, match="HTTP 404"):
        web.get_json(GHO_P1)
    assert slept == [] and len(session.calls) == 1


def test_offline_is_one_clear_line():
    session = FakeSession({WB_COUNTRIES: [requests.ConnectionError("Name or service not known")]})
    web, slept = client(session)
    with pytest.raises(FetchError) as error:
        fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=web)
    message = str(error.value)
    assert message.startswith("cannot reach api.worldbank.org: offline") and "\n" not in message
    assert len(session.calls) == 1 and slept == []


def test_requests_keep_a_polite_interval():
    ticks = iter([100.0, 100.1, 105.0])
    session = FakeSession({GHO_P1: [FakeAnswer(200, {"value": []})], GHO_P2: [FakeAnswer(200, {"value": []})],
                           GHO_NAME: [FakeAnswer(200, {"value": []})]})
    web, slept = client(session, min_interval=0.5, clock=lambda: next(ticks))
    web.get_json(GHO_P1)
    web.get_json(GHO_P2)
    web.get_json("https://ghoapi.azureedge.net/api/Indicator", {"$filter": "IndicatorCode eq 'HWF_0001'"})
    assert slept == [pytest.approx(0.4)]  # the third request came 4.5 s after the second: no wait


def test_world_bank_error_message_is_reported():
    routes = wb_routes()
    routes[WB_META] = [FakeAnswer(200, recorded("wb_invalid_indicator.json"))]
    web, _ = client(FakeSession(routes))
    with pytest.raises(FetchError, match="Invalid value: The provided parameter value is not valid"):
        fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=web, per_page=4)


def test_indicator_codes_are_checked_before_any_request():
    session = FakeSession({})
    web, _ = client(session)
    with pytest.raises(FetchError, match="is not an indicator code"):
        fetch.fetch_gho(["HWF_0001&$top=1"], client=web)
    assert session.calls == []


def test_fetch_gho_follows_next_links_and_names_the_release_by_the_latest_date(tmp_path):
    session = FakeSession({GHO_NAME: [FakeAnswer(200, recorded("gho_indicator_HWF_0001.json"))],
                           GHO_P1: [FakeAnswer(200, recorded("gho_HWF_0001_p1.json"))],
                           GHO_P2: [FakeAnswer(200, recorded("gho_HWF_0001_p2.json"))]})
    web, _ = client(session, tmp_path)
    (import_set,) = fetch.fetch_gho(["HWF_0001"], client=web)
    assert [url for url, _ in session.calls] == [GHO_NAME, GHO_P1, GHO_P2]
    assert import_set.source_code == "WHO_GHO_2023-05-02"
    assert import_set.source["url"].item() == GHO_P1
    values = import_set.tables["fct_indicator_value"].set_index("iso3")["estimate"]
    assert values.to_dict() == {"GHA": 1.65, "ALB": 18.81, "NER": 0.35}
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["name"] == "Medical doctors (per 10 000 population)"
    assert indicator["unit"] == "per 10,000 population"  # curated unit


def test_unknown_gho_indicator():
    session = FakeSession({GHO_NAME: [FakeAnswer(200, {"value": []})]})
    web, _ = client(session)
    with pytest.raises(FetchError, match="does not know indicator HWF_0001"):
        fetch.fetch_gho(["HWF_0001"], client=web)


def test_default_codes_are_the_catalogue_indicators_of_each_publisher():
    wb, who = fetch.default_codes("WB_WDI"), fetch.default_codes("WHO_GHO")
    assert "SH.MED.PHYS.ZS" in wb and "HWF_0001" not in wb
    assert "HWF_0001" in who and "UHC_INDEX_REPORTED" in who and "SH.MED.PHYS.ZS" not in who
    assert not set(wb) & set(who)


def test_default_set_skips_indicators_the_api_cannot_serve(monkeypatch):
    monkeypatch.setattr(fetch, "default_codes", lambda publisher: ["NOPE_1", "HWF_0001"])
    nope = "https://ghoapi.azureedge.net/api/Indicator?%24filter=IndicatorCode%20eq%20%27NOPE_1%27"
    session = FakeSession({nope: [FakeAnswer(200, {"value": []})],
                           GHO_NAME: [FakeAnswer(200, recorded("gho_indicator_HWF_0001.json"))],
                           GHO_P1: [FakeAnswer(200, recorded("gho_HWF_0001_p1.json"))],
                           GHO_P2: [FakeAnswer(200, recorded("gho_HWF_0001_p2.json"))]})
    web, _ = client(session)
    said = []
    (import_set,) = fetch.fetch_gho(None, client=web, progress=said.append)
    assert "skipped NOPE_1: WHO GHO API does not know indicator NOPE_1" in said
    assert set(import_set.tables["fct_indicator_value"]["indicator_code"]) == {"HWF_0001"}


def test_default_set_skips_a_world_bank_indicator_with_implausible_values(monkeypatch):
    monkeypatch.setattr(fetch, "default_codes", lambda publisher: ["SH.MED.PHYS.ZS"])
    routes = wb_routes()
    page = recorded("wb_data_SH.MED.PHYS.ZS_p2.json")
    page[1][0]["value"] = 282.3  # physicians per 1,000 people: beyond the catalogue's range
    routes[WB_DATA.format(2)] = [FakeAnswer(200, page)]
    web, _ = client(FakeSession(routes))
    said = []
    assert fetch.fetch_wdi(None, client=web, per_page=4, progress=said.append) == []
    assert any(line.startswith("skipped SH.MED.PHYS.ZS:") and "plausible range" in line for line in said)
    web, _ = client(FakeSession(wb_routes() | {WB_DATA.format(2): [FakeAnswer(200, page)]}))
    with pytest.raises(ImportFormatError, match="plausible range"):
        fetch.fetch_wdi(["SH.MED.PHYS.ZS"], client=web, per_page=4)


def test_session_and_cache_dir_can_be_passed_directly(tmp_path):
    session = FakeSession({GHO_NAME: [FakeAnswer(200, recorded("gho_indicator_HWF_0001.json"))],
                           GHO_P1: [FakeAnswer(200, recorded("gho_HWF_0001_p1.json"))],
                           GHO_P2: [FakeAnswer(200, recorded("gho_HWF_0001_p2.json"))]})
    (import_set,) = fetch.fetch_gho(["HWF_0001"], session=session, cache_dir=tmp_path)
    assert len(import_set.tables["fct_indicator_value"]) == 3
    assert len(list(tmp_path.glob("*.json"))) == 3  # one cached answer per request


def test_fetch_wdi_asks_governance_indicators_of_api_source_3_and_stores_a_wgi_release():
    session = FakeSession(wgi_routes())
    web, _ = client(session)
    (import_set,) = fetch.fetch_wdi(["GE.EST"], client=web, per_page=2)
    # the data pages carry source=3 (the WGI database), routed by the catalogue; the country list does not
    assert [url for url, _ in session.calls] == [WB_COUNTRIES, WGI_META, WGI_DATA.format(1, 2),
                                                  WGI_DATA.format(2, 2)]
    assert import_set.source_code == "WB_WGI_2024-10-30"
    source = import_set.source.iloc[0]
    assert (source["publisher"], source["title"], source["licence"]) == (
        "World Bank", "Worldwide Governance Indicators", "CC BY 4.0")
    values = import_set.tables["fct_indicator_value"].set_index(["iso3", "year"])["estimate"]
    assert values.to_dict() == {("AFG", 2023): -1.8612, ("GHA", 2023): -0.1703, ("XKX", 2023): -0.2311}
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert (indicator["indicator_code"], indicator["name"], indicator["unit"]) == (
        "GE.EST", "Government Effectiveness: Estimate", "estimate (-2.5 to 2.5)")
    assert indicator["building_block"] == "Leadership and governance" and bool(indicator["favourable_indicator"])
    assert indicator["definition"].startswith("Government Effectiveness captures perceptions")
    assert (indicator["plausible_min"], indicator["plausible_max"]) == (-3.0, 3.0)


def test_world_development_and_governance_indicators_land_in_their_own_releases():
    session = FakeSession(wb_routes() | wgi_routes(per_page=4))
    web, _ = client(session)
    sets = fetch.fetch_wdi(["SH.MED.PHYS.ZS", "GE.EST"], client=web, per_page=4)
    assert sorted(s.source_code for s in sets) == ["WB_WDI_2024-09-19", "WB_WGI_2024-10-30"]
    by = {s.source_code: set(s.tables["fct_indicator_value"]["indicator_code"]) for s in sets}
    assert by == {"WB_WDI_2024-09-19": {"SH.MED.PHYS.ZS"}, "WB_WGI_2024-10-30": {"GE.EST"}}
    assert not any("source=" in url for url, _ in session.calls if "SH.MED.PHYS.ZS" in url)


def test_default_world_bank_set_includes_the_governance_indicators(monkeypatch):
    asked = []
    monkeypatch.setattr(fetch, "_wb_areas", lambda web: ({}, {}))
    monkeypatch.setattr(fetch, "_wb_indicator", lambda web, code, *rest: asked.append(code) or (_ for _ in ()).throw(
        fetch.UnknownIndicator(f"not served: {code}")))
    assert fetch.fetch_wdi(None, client=client(FakeSession({}))[0]) == []
    assert {"GE.EST", "CC.EST", "VA.EST", "RQ.EST", "RL.EST", "PV.EST", "SH.MED.PHYS.ZS"} <= set(asked)
    assert "SDGIHR2021" not in asked
