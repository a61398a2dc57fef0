"""Online connectors: World Bank API v2, the WHO GHO OData API and the DHS Program API, normalised like the
file importers.

`fetch_wdi` pages through api.worldbank.org/v2/country/all/indicator/<code>, classifies areas with
the API's own country list (region 'Aggregates' marks an aggregate) and names the release by the
API's `lastupdated` date, so fetched values land in the same WB_WDI_<date> release as a CSV download
of that date. The API serves one database at a time (`source=`, default 2, World Development
Indicators): a code the catalogue assigns to another World Bank publisher is asked of that publisher's
database (`api_source` in sources.csv: the Worldwide Governance Indicators' GE.EST is source 3) and
lands in that publisher's release (WB_WGI_<date>). `fetch_gho` reads ghoapi.azureedge.net/api/<code>
(following @odata.nextLink) and goes through gho.from_observations, exactly as an OData JSON file does.
`fetch_dhs` pages through api.dhsprogram.com/rest/dhs/data with breakdown=all and goes through
dhs.to_import_sets, exactly as a saved answer does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from dashboard import catalogue
from dashboard.sources import assemble, dhs, gho, gho_shapes, wdi
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet
from dashboard.sources.indicator_meta import FileIndicator
from dashboard.sources.webclient import Client, FetchError, UnknownIndicator

WB_API = "https://api.worldbank.org/v2"
GHO_API = "https://ghoapi.azureedge.net/api"
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def default_codes(publisher: str) -> list[str]:
    """The curated HSS indicators the catalogue assigns to a publisher (WB_WDI, WB_WGI, WHO_GHO or DHS)."""
    if publisher == dhs.PUBLISHER:
        return list(dhs.indicators().index)
    frame = catalogue.indicators()
    return list(frame.loc[frame["source_code"] == publisher, "indicator_code"])


def world_bank_default_codes() -> list[str]:
    """The curated HSS indicators of every World Bank publisher (WDI and WGI): what `fetch wdi` fetches."""
    return list(dict.fromkeys(code for publisher in catalogue.world_bank_publishers()
                              for code in default_codes(publisher)))


def _checked(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    for code in codes:
        if not _SAFE_CODE.match(code):
            raise FetchError(f"{code!r} is not an indicator code (letters, digits, '.', '_' and '-' only)")
    return codes


def _wb_pages(client: Client, url: str, per_page: int,
              params: dict | None = None) -> tuple[dict, list[tuple[str, list]], list]:
    """(first page's info, [(page url, rows)], responses) of a paged World Bank API v2 answer.

    The API answers an unknown indicator with a message instead of pages: UnknownIndicator.
    """
    pages, responses, page, info = [], [], 1, None
    while True:
        response = client.get_json(url, {"format": "json", "per_page": per_page, "page": page, **(params or {})})
        body = response.body
        if (isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]):
            detail = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}" for m in body[0]["message"])
            raise UnknownIndicator(f"World Bank API refused {response.url}: {detail}")
        if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)):
            raise FetchError(f"World Bank API answer to {response.url} is not [page-info, rows]")
        info = info or body[0]
        pages.append((response.url, body[1] or []))
        responses.append(response)
        if page >= int(body[0].get("pages") or 1):
            return info, pages, responses
        page += 1


def _wb_areas(client: Client) -> tuple[dict[str, dict], dict[str, str]]:
    """Areas by iso3 from the API's country list, and an iso2 -> iso3 map."""
    _, pages, _ = _wb_pages(client, f"{WB_API}/country", 500)
    areas, iso2 = {}, {}
    for url, rows in pages:
        for number, row in enumerate(rows, start=1):
            region = (row.get("region") or {}).get("value", "").strip()
            income = (row.get("incomeLevel") or {}).get("value", "").strip()
            area = wdi.area_row(url, number, row["id"], row.get("name", "").strip(),
                                "" if region == "Aggregates" else region,
                                "" if income in ("Aggregates", "Not classified") else income)
            areas[area["iso3"]] = area
            iso2[row.get("iso2Code", "")] = area["iso3"]
    return areas, iso2


def _wb_indicator(client: Client, code: str, areas: dict, iso2: dict, per_page: int, progress):
    """(publisher, release, long values, description, fetch time) of one World Bank indicator, asked of
    the API database the catalogue routes it to (WDI unless the catalogue says otherwise)."""
    publisher, database = catalogue.world_bank_api_source(code)
    progress(f"fetching {code} from the World Bank API (source {database})")
    meta = _wb_pages(client, f"{WB_API}/indicator/{code}", 50)[1][0][1]
    if not meta:
        raise UnknownIndicator(f"World Bank API does not know indicator {code}")
    note, org = (meta[0].get("sourceNote") or "").strip(), (meta[0].get("sourceOrganization") or "").strip()
    described = FileIndicator(code, (meta[0].get("name") or "").strip() or None,
                              " ".join(p for p in (note, f"Source: {org}" if org else "") if p) or None)
    # WDI (source 2) is the API's default: its URLs stay as they always were, so cached answers still match.
    params = {} if database == catalogue.WDI_API_SOURCE else {"source": database}
    info, pages, responses = _wb_pages(client, f"{WB_API}/country/all/indicator/{code}", per_page, params)
    rows = []
    for url, page_rows in pages:
        for number, row in enumerate(page_rows, start=1):
            if row.get("value") is None:
                continue
            # countryiso3code may be empty (Kosovo in WDI): the country id is then an ISO2 or ISO3 code
            area = (row.get("country") or {}).get("id", "")
            iso3 = row.get("countryiso3code") or iso2.get(area) or (area if area in areas else None)
            if iso3 not in areas:
                raise ImportFormatError(url, f"unknown area {iso3 or row.get('country')!r}", line=number,
                                        column="countryiso3code")
            date = str(row.get("date", ""))
            if not re.fullmatch(r"\d{4}", date):
                raise ImportFormatError(url, f"date {date!r} is not a year", line=number, column="date")
            if not isinstance(row["value"], (int, float)):
                raise ImportFormatError(url, f"{row['value']!r} is not a number", line=number, column="value")
            rows.append((iso3, int(date), float(row["value"]), url, number))
    frame = pd.DataFrame(rows, columns=["iso3", "year", "estimate", "_path", "_line"])
    values = assemble.long_values(indicator_code=code, iso3=frame["iso3"], year=frame["year"],
                                  estimate=frame["estimate"], _path=frame["_path"], _line=frame["_line"],
                                  _column="value")
    release = str(info.get("lastupdated") or "")[:10] or None
    fetched = min(r.fetched_at for r in responses)
    progress(f"{code}: {len(values):,} values (release {release})")
    return publisher, release, values, described, fetched


def _client(client: Client | None, session, cache_dir: Path | None) -> Client:
    return client if client is not None else Client(cache_dir, session)


def fetch_wdi(codes: Iterable[str] | None = None, *, client: Client | None = None, session=None,
              cache_dir: Path | None = None, per_page: int = 5000,
              progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per publisher and release) of World Bank indicators (WDI, and WGI through the API's
    source 3) for every country and aggregate, all years.

    Pass a configured `client`, or a `session` (anything with requests' get) and a `cache_dir`.
    """
    client = _client(client, session, cache_dir)
    default = not codes  # the curated set: an indicator the API cannot serve is skipped, not fatal
    codes = _checked(codes or world_bank_default_codes())
    areas, iso2 = _wb_areas(client)
    releases: dict[tuple[str, str | None], list] = {}
    for code in codes:
        try:
            publisher, release, values, described, fetched = _wb_indicator(client, code, areas, iso2, per_page,
                                                                            progress)
            _wb_set(publisher, release, [(values, described, fetched)], areas)  # checks keys and ranges
        except (UnknownIndicator, ImportFormatError) as exc:
            if not default:
                raise
            progress(f"skipped {code}: {exc}")
            continue
        releases.setdefault((publisher, release), []).append((values, described, fetched))
    return [_wb_set(publisher, release, parts, areas) for (publisher, release), parts in releases.items()]


def _wb_set(publisher: str, release: str | None, parts: list, areas: dict) -> ImportSet:
    values = pd.concat([p[0] for p in parts], ignore_index=True)
    used = pd.DataFrame([areas[i] for i in values["iso3"].unique()])
    title = catalogue.sources().set_index("source_code").at[publisher, "title"]
    meta = assemble.Release(f"{publisher}_{release}" if release else f"{publisher}_API",
                            publisher, title, release, min(p[2] for p in parts), url=f"{WB_API}/indicator")
    return assemble.assemble(meta, values, used, [p[1] for p in parts])


def fetch_gho(codes: Iterable[str] | None = None, *, client: Client | None = None, session=None,
              cache_dir: Path | None = None,
              progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per release date) of GHO indicators, every area, year and disaggregation.

    Pass a configured `client`, or a `session` (anything with requests' get) and a `cache_dir`.
    """
    client = _client(client, session, cache_dir)
    default = not codes  # the curated set: an indicator the API cannot serve is skipped, not fatal
    made = []
    for code in _checked(codes or default_codes(gho.PUBLISHER)):
        try:
            made.extend(_gho_indicator(client, code, progress))
        except (UnknownIndicator, ImportFormatError) as exc:
            if not default:
                raise
            progress(f"skipped {code}: {exc}")
    return gho.combine(made)


def _gho_indicator(client: Client, code: str, progress) -> list[tuple[str, ImportSet]]:
    """(origin, ImportSet) pairs of one GHO indicator, all pages of its OData answer."""
    progress(f"fetching {code} from the WHO GHO API")
    listed = client.get_json(f"{GHO_API}/Indicator", {"$filter": f"IndicatorCode eq '{code}'"}).body
    names = [r.get("IndicatorName") for r in (listed or {}).get("value", []) if isinstance(r, dict)]
    if not names:
        raise UnknownIndicator(f"WHO GHO API does not know indicator {code}")
    url, records, fetched = f"{GHO_API}/{code}", [], []
    next_url = url
    while next_url:
        response = client.get_json(next_url)
        body = response.body
        if not isinstance(body, dict) or not isinstance(body.get("value"), list):
            raise FetchError(f"WHO GHO API answer to {response.url} has no 'value' list")
        records.extend(body["value"])
        fetched.append(response.fetched_at)
        next_url = body.get("@odata.nextLink")
    observations = gho_shapes.odata_records(url, records)
    made = gho.from_observations(observations, origin=url, retrieved_at=min(fetched), url=url,
                                 names={code: names[0]}, progress=progress)
    progress(f"{code}: {sum(len(s.tables['fct_indicator_value']) for s in made):,} values")
    return [(url, s) for s in made]


def fetch_dhs(codes: Iterable[str] | None = None, countries: Iterable[str] | None = None, *,
              client: Client | None = None, session=None, cache_dir: Path | None = None, per_page: int = 1000,
              admin1: dict | None = None,
              progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per survey) of DHS indicators with every breakdown, for all or the given countries (ISO3).

    Pass a configured `client`, or a `session` (anything with requests' get) and a `cache_dir`; `admin1` maps
    subnational regions to imported boundaries (dhs.store_admin1).
    """
    client = _client(client, session, cache_dir)
    default = not codes  # the curated set: an indicator the API cannot serve is skipped, not fatal
    by_iso3 = {iso3: code for code, iso3 in dhs.countries().items()}
    wanted = list(dict.fromkeys(c.strip().upper() for c in countries or ()))
    unknown = [c for c in wanted if c not in by_iso3]
    if unknown:
        raise FetchError(f"{', '.join(unknown)}: not a country with DHS surveys in dashboard/catalogue/dhs_countries.csv "
                         "(give ISO3 codes, e.g. GHA)")
    country_ids = ",".join(by_iso3[c] for c in wanted)
    records, described, fetched = [], {}, []
    for code in _checked(codes or default_codes(dhs.PUBLISHER)):
        try:
            described[code] = _dhs_indicator(client, code)
        except UnknownIndicator as exc:
            if not default:
                raise
            progress(f"skipped {code}: {exc}")
            continue
        progress(f"fetching {code} from the DHS Program API")
        params = {"indicatorIds": code, "breakdown": "all", "f": "json", "perpage": per_page}
        if country_ids:
            params["countryIds"] = country_ids
        page, found = 1, 0
        while True:
            response = client.get_json(f"{dhs.API}/data", {**params, "page": page})
            body = response.body
            if not isinstance(body, dict) or not isinstance(body.get("Data"), list):
                raise FetchError(f"DHS Program API answer to {response.url} has no 'Data' list")
            records.extend(dhs.Record(response.url, n, item) for n, item in enumerate(body["Data"], start=1))
            found += len(body["Data"])
            fetched.append(response.fetched_at)
            if page >= int(body.get("TotalPages") or 1):
                break
            page += 1
        progress(f"{code}: {found:,} records")
    if not records:
        raise FetchError("the DHS Program API has no values for these indicators and countries")
    return dhs.to_import_sets(records, retrieved_at=min(fetched), admin1=admin1, described=described,
                              origin=f"{dhs.API}/data", progress=progress)


def _dhs_indicator(client: Client, code: str) -> tuple[str, str | None]:
    """(name, definition) of a DHS indicator from the API's indicator list; '(%)' marks a percentage."""
    body = client.get_json(f"{dhs.API}/indicators", {"indicatorIds": code, "f": "json"}).body
    rows = [r for r in (body or {}).get("Data", []) if isinstance(r, dict) and r.get("IndicatorId") == code] \
        if isinstance(body, dict) else []
    if not rows:
        raise UnknownIndicator(f"DHS Program API does not know indicator {code}")
    name = str(rows[0].get("Label") or rows[0].get("ShortName") or code).strip()
    if str(rows[0].get("MeasurementType") or "").strip().lower() == "percent" and not name.endswith(")"):
        name += " (%)"
    return name, (str(rows[0].get("Definition") or "").strip() or None)
