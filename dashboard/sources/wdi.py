"""World Bank WDI importer: API CSV downloads with their Metadata_* companions, and the WDI bulk files.

Shapes, detected from content: an API download (`API_<code>_DS2_...csv`: 'Data Source' and 'Last
Updated Date' preamble, wide year columns, trailing empty column, optional BOM), of World Development
Indicators or of another World Bank database the catalogue names as a publisher (the download of a
Worldwide Governance Indicators series says 'Worldwide Governance Indicators' and becomes a WB_WGI
release); a saved World Bank API v2 JSON answer (`[page information, rows]`, as `fetch wdi` receives
it: the page information's `sourceid` names the database, 3 for the WGI, and `lastupdated` the
release; one file per page); Metadata_Country_*
and Metadata_Indicator_* companions; the bulk WDICSV.csv/WDIData.csv (wide years, no preamble) with
WDICountry.csv and WDISeries.csv. Aggregates (empty Region in the country metadata, or a known World
Bank aggregate code when there is none) become dim_country rows with is_aggregate = true.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import catalogue
from dashboard.sources import assemble, harmonise, limits, tabular
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet
from dashboard.sources.indicator_meta import FileIndicator

PUBLISHER = "WB_WDI"
TITLE = "World Development Indicators"
COUNTRIES_SOURCE = "WB_WDI_COUNTRIES"
WIDE_KEYS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class _File:
    path: Path
    kind: str                      # api, api_json, bulk, country_meta, bulk_country, indicator_meta, bulk_series
    table: tabular.Table | None    # None for a saved API answer (JSON)
    release: str | None = None
    publisher: str = PUBLISHER     # the catalogue's World Bank publisher (WB_WDI, WB_WGI)


@dataclass
class _Part:
    """What one data file contributes to its release."""

    file: _File
    values: pd.DataFrame
    areas: pd.DataFrame
    described: list[FileIndicator]
    source_code: str
    release: str | None
    licence: str | None
    publisher: str = PUBLISHER


@dataclass
class _Metadata:
    """Country and indicator descriptions pooled from companion files."""

    countries: dict[str, dict] = field(default_factory=dict)
    indicators: dict[str, FileIndicator] = field(default_factory=dict)
    licences: dict[str, str] = field(default_factory=dict)


def read(paths: Iterable[Path], *, indicators: Iterable[str] | None = None, release: str | None = None,
         progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per release) from WDI files; companions beside a data file are found by name.

    `indicators` limits the series imported (default: every series of an API download, and the
    catalogue's World Bank indicators for a bulk file). `release` states the publisher's date of a
    bulk file, which does not carry one. Grain of the values: indicator x country-or-aggregate x year.
    """
    given = [Path(p) for p in paths]
    if release is not None and not _DATE.match(release):
        raise ImportFormatError("--release", f"{release!r} is not a date written YYYY-MM-DD")
    wanted = set(indicators) if indicators is not None else None
    bulk_wanted = wanted if wanted is not None else set(
        catalogue.indicators().query("source_code == @PUBLISHER")["indicator_code"])
    answers = [p for p in given if _is_json(p)]
    files = [_open(p, bulk_wanted) for p in given if p not in answers]
    data = [f for f in files if f.kind in ("api", "bulk")]
    explicit = _Metadata()
    for f in files:
        _add_metadata(explicit, f)
    releases: dict[str, list[_Part]] = {}
    for f in data:
        beside = _Metadata()
        for companion in _companions(f, given):
            _add_metadata(beside, _open(companion, bulk_wanted))
        part = _values(f, _merge(beside, explicit), wanted if f.kind == "api" else bulk_wanted, release, progress)
        releases.setdefault(part.source_code, []).append(part)
    for path in answers:
        part = _answer(path, wanted)
        releases.setdefault(part.source_code, []).append(part)
    sets = [_release_set(parts) for parts in releases.values()]
    if not data and not answers:
        if explicit.countries:
            areas = pd.DataFrame(list(explicit.countries.values()))
            sets.append(assemble.countries_only(_release(COUNTRIES_SOURCE, None, given), areas))
        if explicit.indicators:
            progress(f"indicator metadata for {len(explicit.indicators)} series read; no values to "
                     "describe (import it together with its data file)")
    return sets


def _open(path: Path, bulk_wanted: set[str]) -> _File:
    """Read a WDI file of any kind; rows of a bulk data table are kept only for `bulk_wanted` series."""
    rows = tabular.records(path, tabular.read_text(path))
    first = next(rows, None)
    if first is None:
        raise ImportFormatError(path, "the file is empty", line=1)
    line, fields = first
    if fields[0].strip() == "Data Source":
        databases = _databases()
        publisher = databases.get(fields[1].strip() if len(fields) > 1 else "")
        if publisher is None:
            raise ImportFormatError(path, f"Data Source is {fields[1] if len(fields) > 1 else ''!r}; "
                                    f"this importer reads {' and '.join(databases)}", line=line,
                                    column="Data Source")
        release = None
        for line, fields in rows:
            if fields[0].strip() == "Last Updated Date":
                release = fields[1].strip() if len(fields) > 1 else ""
                if not _DATE.match(release):
                    raise ImportFormatError(path, f"Last Updated Date {release!r} is not YYYY-MM-DD", line=line)
                break
        if release is None:
            raise ImportFormatError(path, "no 'Last Updated Date' line in the preamble", line=line)
        t = tabular.table(path, rows)
        _require_wide(t)
        return _File(path, "api", t, release, publisher)
    head = [h.strip() for h in fields]
    if head[:4] == WIDE_KEYS:
        # Bulk tables hold ~1,500 series: drop unwanted rows while reading (field counts still checked).
        t = tabular.table(path, itertools.chain([first], rows), keep=lambda row: row[3].strip() in bulk_wanted)
        _require_wide(t)
        return _File(path, "bulk", t)
    if head[:3] == ["Country Code", "Region", "IncomeGroup"]:
        kind = "country_meta"
    elif head[:2] == ["INDICATOR_CODE", "INDICATOR_NAME"]:
        kind = "indicator_meta"
    elif head[:1] == ["Country Code"] and {"Short Name", "Region", "Income Group"} <= set(head):
        kind = "bulk_country"
    elif head[:1] == ["Series Code"] and "Indicator Name" in head:
        kind = "bulk_series"
    else:
        tabular.check_delimiter(path, head, line)
        raise ImportFormatError(path, "not a World Bank WDI file: expected an API download, a Metadata_* "
                                f"companion or a WDI bulk table, found header {', '.join(head[:4])} ...",
                                line=line)
    return _File(path, kind, tabular.table(path, itertools.chain([first], rows)))


def _is_json(path: Path) -> bool:
    """A saved API answer: JSON text starting with '[' (after an optional byte-order mark and spaces)."""
    with open(path, "rb") as f:
        head = f.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"[")


def _answer(path: Path, wanted: set[str] | None) -> _Part:
    """Values of one saved World Bank API v2 page (`[page information, rows]`); errors name the record."""
    body = limits.load_json(path, tabular.read_text(path))
    if isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]:
        detail = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}" for m in body[0]["message"]
                           if isinstance(m, dict))
        raise ImportFormatError(path, f"the saved answer is the API's refusal, not data ({detail})")
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)
            and isinstance(body[1], list | None)):
        raise ImportFormatError(path, "not a saved World Bank API v2 answer: expected [page information, rows]")
    info, rows = body[0], body[1] or []
    database = str(info.get("sourceid") or catalogue.WDI_API_SOURCE)
    frame = catalogue.sources()
    publishers = {str(v): code for code, v in zip(frame["source_code"], frame["api_source"]) if pd.notna(v)}
    if database not in publishers:
        known = ", ".join(f"{v} ({code})" for v, code in publishers.items())
        raise ImportFormatError(path, f"sourceid {database} ({info.get('sourcename', '')}) is not a World Bank "
                                f"database the catalogue names: {known}", column="sourceid")
    release = str(info.get("lastupdated") or "")[:10]
    if not _DATE.match(release):
        raise ImportFormatError(path, f"lastupdated {info.get('lastupdated')!r} is not a date YYYY-MM-DD",
                                column="lastupdated")
    records, areas, names = [], {}, {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ImportFormatError(path, "a row is not a JSON object", line=number)
        code = str((row.get("indicator") or {}).get("id") or "").strip()
        if not code:
            raise ImportFormatError(path, "no indicator id", line=number, column="indicator")
        if (wanted is not None and code not in wanted) or row.get("value") is None:
            continue
        value, date = row["value"], str(row.get("date", ""))
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ImportFormatError(path, f"{value!r} is not a number", line=number, column="value")
        if not _YEAR.match(date):
            raise ImportFormatError(path, f"date {date!r} is not a year", line=number, column="date")
        area = _answer_area(path, number, row)
        areas.setdefault(area["iso3"], area)
        names.setdefault(code, str((row.get("indicator") or {}).get("value") or "").strip() or None)
        records.append((code, area["iso3"], int(date), float(value), number))
    frame = pd.DataFrame(records, columns=["indicator_code", "iso3", "year", "estimate", "_line"])
    values = assemble.long_values(indicator_code=frame["indicator_code"].to_numpy(), iso3=frame["iso3"].to_numpy(),
                                  year=frame["year"].to_numpy(), estimate=frame["estimate"].to_numpy(),
                                  _path=str(path), _line=frame["_line"].to_numpy(), _column="value")
    publisher = publishers[database]
    described = [FileIndicator(code, name) for code, name in names.items()]
    found = _File(path, "api_json", None, release, publisher)
    areas = pd.DataFrame(list(areas.values()), columns=["iso3", "name", "is_aggregate", "wb_region", "income_group"])
    return _Part(found, values, areas, described, f"{publisher}_{release}", release, None, publisher)


def _answer_area(path: Path, number: int, row: dict) -> dict:
    """The area of an API row: countryiso3code, else the country id (ISO2 such as 'XK', or ISO3)."""
    country = row.get("country") or {}
    code = str(row.get("countryiso3code") or "").strip() or str(country.get("id") or "").strip()
    name = str(country.get("value") or "").strip() or None
    if harmonise.is_aggregate_code("WB", code):
        return {"iso3": code, "name": name or harmonise.aggregate_name("WB", code), "is_aggregate": True}
    iso3 = harmonise.iso3_for_code(code)
    if iso3 is None and len(code) == 2:
        codes = harmonise.country_codes()
        iso3 = next(iter(codes.loc[codes["iso2"] == code.upper(), "iso3"]), None)
    if iso3 is None:
        raise ImportFormatError(path, f"unknown area {code!r} ({name}): not ISO 3166-1 nor a known World Bank "
                                "aggregate", line=number, column="countryiso3code")
    return {"iso3": iso3, "name": name, "is_aggregate": False}


def _databases() -> dict[str, str]:
    """World Bank database title ('Data Source' of an API download) -> catalogue publisher code."""
    frame = catalogue.sources()
    frame = frame[frame["source_code"].isin(catalogue.world_bank_publishers())]
    return dict(zip(frame["title"], frame["source_code"]))


def _require_wide(t: tabular.Table) -> None:
    tabular.require_columns(t, tuple(WIDE_KEYS), "a WDI data table")
    for position, name in enumerate(t.header[4:], start=4):
        trailing = name == "" and position == len(t.header) - 1
        if not (_YEAR.match(name) or trailing):
            raise ImportFormatError(t.path, f"expected a year column, found {name!r}",
                                    line=t.header_line, column=name)


def _companions(f: _File, given: list[Path]) -> list[Path]:
    if f.kind == "api":
        names = [f"Metadata_Country_{f.path.name}", f"Metadata_Indicator_{f.path.name}"]
    else:
        names = ["WDICountry.csv", "WDISeries.csv"]
    given_names = {p.resolve() for p in given}
    found = [f.path.parent / n for n in names]
    return [p for p in found if p.exists() and p.resolve() not in given_names]


def _add_metadata(meta: _Metadata, f: _File) -> None:
    if f.kind not in ("country_meta", "bulk_country", "indicator_meta", "bulk_series"):
        return
    frame = f.table.frame()
    if f.kind in ("country_meta", "bulk_country"):
        income = "IncomeGroup" if f.kind == "country_meta" else "Income Group"
        name = "TableName" if f.kind == "country_meta" else "Table Name"
        tabular.require_columns(f.table, ("Country Code", "Region", income, name), "a WDI country table")
        for _, row in frame.iterrows():
            code = row["Country Code"].strip()
            meta.countries.setdefault(code, area_row(f.path, int(row["_line"]), code, row[name].strip(),
                                                  row["Region"].strip(), row[income].strip()))
        return
    code_col, name_col = ("INDICATOR_CODE", "INDICATOR_NAME") if f.kind == "indicator_meta" else (
        "Series Code", "Indicator Name")
    note_col, org_col = ("SOURCE_NOTE", "SOURCE_ORGANIZATION") if f.kind == "indicator_meta" else (
        "Long definition", "Source")
    tabular.require_columns(f.table, (code_col, name_col, note_col, org_col), "a WDI indicator table")
    for _, row in frame.iterrows():
        note, org = row[note_col].strip(), row[org_col].strip()
        definition = " ".join(p for p in (note, f"Source: {org}" if org else "") if p) or None
        meta.indicators.setdefault(row[code_col].strip(),
                                   FileIndicator(row[code_col].strip(), row[name_col].strip() or None, definition))
        if "License Type" in frame.columns and row["License Type"].strip():
            meta.licences.setdefault(row[code_col].strip(), row["License Type"].strip())


def area_row(path: Path, line: int, code: str, name: str, region: str, income: str) -> dict:
    """A dim_country input row from a country metadata line; an empty region marks an aggregate."""
    if region == "":
        return {"iso3": code, "name": name or harmonise.aggregate_name("WB", code), "is_aggregate": True}
    iso3 = harmonise.iso3_for_code(code)
    if iso3 is None:
        raise ImportFormatError(path, f"unknown country code {code!r} (not ISO 3166-1 nor in "
                                "country_aliases.csv)", line=line, column="Country Code")
    return {"iso3": iso3, "name": name or None, "is_aggregate": False, "wb_region": region,
            "income_group": income or None}


def _merge(first: _Metadata, second: _Metadata) -> _Metadata:
    return _Metadata({**second.countries, **first.countries}, {**second.indicators, **first.indicators},
                     {**second.licences, **first.licences})


def _values(f: _File, meta: _Metadata, wanted: set[str] | None, release: str | None,
            progress: Callable[[str], None]) -> _Part:
    """Long values, areas and indicator descriptions of one wide data file."""
    t = f.table
    frame = t.frame()
    if wanted is not None:
        frame = frame[frame["Indicator Code"].str.strip().isin(wanted)]
        if frame.empty:
            progress(f"{f.path}: none of the requested indicators is in this file")
    years = [c for c in t.header[4:] if c]
    long = frame.melt(id_vars=["Country Code", "Country Name", "Indicator Code", "Indicator Name", "_line"],
                      value_vars=years, var_name="_column", value_name="text")
    long["text"] = long["text"].str.strip()
    long = long[long["text"] != ""]
    bad = ~long["text"].str.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
    if bad.any():
        row = long[bad].sort_values("_line").iloc[0]
        raise ImportFormatError(f.path, f"{row['text']!r} is not a number", line=int(row["_line"]),
                                column=row["_column"])
    areas = _data_areas(f.path, frame, meta)
    iso3 = long["Country Code"].str.strip().map(areas.set_index("code")["iso3"])
    values = assemble.long_values(
        indicator_code=long["Indicator Code"].str.strip().to_numpy(), iso3=iso3.to_numpy(),
        year=long["_column"].astype(int).to_numpy(), estimate=long["text"].astype(float).to_numpy(),
        _path=str(f.path), _line=long["_line"].to_numpy(), _column=long["_column"].to_numpy())
    names = frame.drop_duplicates("Indicator Code").set_index("Indicator Code")["Indicator Name"]
    described = []
    for code, name in names.items():
        known = meta.indicators.get(code.strip())
        described.append(FileIndicator(code.strip(), (known.name if known else None) or name.strip() or None,
                                       known.definition if known else None))
    release = f.release or release
    if release:
        code = f"{f.publisher}_{release}"
    else:
        code = f"{f.publisher}_BULK_{assemble.file_time([f.path]):%Y-%m-%d}"
    licences = {meta.licences[d.code] for d in described if d.code in meta.licences}
    licence = licences.pop().replace("CC BY-4.0", "CC BY 4.0") if len(licences) == 1 else None
    return _Part(f, values, areas.drop(columns=["code"]), described, code, release, licence, f.publisher)


def _data_areas(path: Path, frame: pd.DataFrame, meta: _Metadata) -> pd.DataFrame:
    """One row per country code in a data table: its iso3 and whether it is an aggregate."""
    rows = []
    for _, row in frame.drop_duplicates("Country Code").iterrows():
        code, name = row["Country Code"].strip(), row["Country Name"].strip()
        if code in meta.countries:
            area = dict(meta.countries[code])
        elif harmonise.is_aggregate_code("WB", code):
            area = {"iso3": code, "name": name or harmonise.aggregate_name("WB", code), "is_aggregate": True}
        elif harmonise.iso3_for_code(code):
            area = {"iso3": harmonise.iso3_for_code(code), "name": None, "is_aggregate": False}
        else:
            raise ImportFormatError(path, f"unknown country code {code!r}: not ISO 3166-1, not a known "
                                    "World Bank aggregate and not in the country metadata",
                                    line=int(row["_line"]), column="Country Code")
        area["name"] = area.get("name") or name or None
        rows.append({"code": code, **area})
    return pd.DataFrame(rows, columns=["code", "iso3", "name", "is_aggregate", "wb_region", "income_group"])


def _release(code: str, release: str | None, paths: list[Path], licence: str | None = None,
             publisher: str = PUBLISHER) -> assemble.Release:
    title = catalogue.sources().set_index("source_code").at[publisher, "title"]
    return assemble.Release(source_code=code, publisher_code=publisher, title=title, release=release,
                            retrieved_at=assemble.file_time(paths), licence=licence)


def _release_set(parts: list[_Part]) -> ImportSet:
    values = pd.concat([p.values for p in parts], ignore_index=True)
    areas = pd.concat([p.areas for p in parts], ignore_index=True)
    described = list({d.code: d for p in parts for d in p.described}.values())
    licences = {p.licence for p in parts if p.licence}
    meta = _release(parts[0].source_code, parts[0].release, [p.file.path for p in parts],
                    licences.pop() if len(licences) == 1 else None, parts[0].publisher)
    return assemble.assemble(meta, values, areas, described)
