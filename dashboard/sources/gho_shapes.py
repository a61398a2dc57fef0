"""Read the four WHO GHO file shapes into one list of observations, detecting the shape from content.

Shapes: OData JSON (`{"value": [...]}` from ghoapi.azureedge.net), the GHO theme download (data/*.csv
with OData field names, beside codes/*.csv), the who.int indicator-page CSV export (FactValueNumeric,
'Dim1 type' ...), and the older Athena API CSV (code columns GHO, YEAR, COUNTRY, one column per
disaggregation, 'Display Value', Numeric, Low, High). A GHO code list (Dimension,Code,Title,...) is
recognised too. Observations keep the file's text; gho.py interprets it.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dashboard.config import CATALOGUE_DIR
from dashboard.sources import limits, tabular
from dashboard.sources.errors import ImportFormatError

CODE_LIST_HEADER = ["Dimension", "Code", "Title", "ParentDimension", "ParentCode", "ParentTitle"]
# Athena columns that are not disaggregations; every other code column is one.
ATHENA_FIXED = {"GHO", "PUBLISHSTATE", "YEAR", "REGION", "COUNTRY", "WORLDBANKINCOMEGROUP", "Display Value",
                "Numeric", "Low", "High", "Comments", "DATASOURCE", "STARTYEAR", "ENDYEAR"}


@cache
def location_types() -> dict[str, str]:
    """The who.int export's 'Location type' words -> GHO spatial dimension (gho_location_types.csv)."""
    with (CATALOGUE_DIR / "gho_location_types.csv").open(encoding="utf-8", newline="") as handle:
        return {row["label"]: row["spatial_type"] for row in csv.DictReader(handle)}


@dataclass
class Observation:
    """One published value as the file states it (all text), with where it sits."""

    path: str
    line: int
    indicator: str
    spatial_type: str
    spatial_code: str
    spatial_column: str
    year: str
    year_column: str
    numeric: str
    numeric_column: str
    display: str = ""
    low: str = ""
    high: str = ""
    prefix: str = ""
    date: str = ""
    note: str = ""
    parent: str = ""
    location: str = ""
    indicator_name: str = ""
    low_column: str = "Low"
    high_column: str = "High"
    dims: list[tuple[str, str, str]] = field(default_factory=list)   # (column, type label, value code)
    dim_titles: dict[str, str] = field(default_factory=dict)          # value code -> the file's label for it


@dataclass
class GhoFile:
    """A GHO file read into observations, or a code list (`codes`: Dimension -> Code -> row)."""

    path: Path
    shape: str                       # odata, theme, web, athena, codes
    observations: list[Observation] = field(default_factory=list)
    codes: dict[str, dict[str, dict]] = field(default_factory=dict)


def _s(value) -> str:
    return "" if value is None else str(value).strip()


def read_file(path: Path) -> GhoFile:
    """Detect a GHO file's shape from its content and read it."""
    text = tabular.read_text(path)
    if text.lstrip()[:1] in ("{", "["):
        return _odata_json(path, text)
    rows = tabular.records(path, text)
    first = next(rows, None)
    if first is None:
        raise ImportFormatError(path, "the file is empty", line=1)
    shape = _csv_shape([h.strip() for h in first[1]])
    if shape is None:
        tabular.check_delimiter(path, first[1], first[0])
        raise ImportFormatError(path, "not a WHO GHO file: expected OData JSON, a theme download, a who.int "
                                "export, an Athena CSV or a code list, found header "
                                f"{', '.join(first[1][:5])} ...", line=first[0])
    t = tabular.table(path, itertools.chain([first], rows))
    if shape == "codes":
        return _code_list(path, t)
    reader = {"theme": _theme_row, "odata": _odata_row, "web": _web_row}.get(shape)
    if reader is None:
        dims = [c for c in t.header if c and c not in ATHENA_FIXED]
        return GhoFile(path, "athena", [_athena_row(path, line, dict(zip(t.header, row)), dims)
                                        for line, row in zip(t.lines, t.rows)])
    return GhoFile(path, shape, [reader(path, line, dict(zip(t.header, row))) for line, row in zip(t.lines, t.rows)])


def _csv_shape(header: list[str]) -> str | None:
    head = set(header)
    if header[:6] == CODE_LIST_HEADER:
        return "codes"
    if {"IndicatorCode", "SpatialDimensionValueCode", "NumericValue"} <= head:
        return "theme"
    if {"IndicatorCode", "SpatialDimType", "SpatialDim", "NumericValue"} <= head:
        return "odata"
    if {"IndicatorCode", "SpatialDimValueCode", "FactValueNumeric"} <= head:
        return "web"
    if {"GHO", "YEAR", "Numeric", "Display Value"} <= head:
        return "athena"
    return None


def _odata_json(path: Path, text: str) -> GhoFile:
    document = limits.load_json(path, text)
    records = document.get("value") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise ImportFormatError(path, "not GHO OData JSON: no top-level 'value' list", line=1)
    return GhoFile(path, "odata", odata_records(path, records))


def odata_records(path: Path | str, records: list) -> list[Observation]:
    """Observations from OData records (a file's or an API response's `value` list); line = record number."""
    out = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or "IndicatorCode" not in record:
            raise ImportFormatError(path, "OData record is not an object with IndicatorCode", line=number)
        out.append(_odata_row(path, number, record))
    return out


def _odata_row(path, line: int, r: dict) -> Observation:
    numeric = r.get("NumericValue")
    return Observation(
        path=str(path), line=line, indicator=_s(r.get("IndicatorCode")), spatial_type=_s(r.get("SpatialDimType")),
        spatial_code=_s(r.get("SpatialDim")), spatial_column="SpatialDim", year=_s(r.get("TimeDim")),
        year_column="TimeDim", numeric=_s(repr(numeric) if isinstance(numeric, float) else numeric),
        numeric_column="NumericValue", display=_s(r.get("Value")), low=_s(r.get("Low")), high=_s(r.get("High")),
        date=_s(r.get("Date")), note=" ".join(_s(r.get(k)) for k in ("DataSourceDim", "Comments")).strip(),
        parent=_s(r.get("ParentLocationCode")),
        dims=[(f"Dim{i}", _s(r.get(f"Dim{i}Type")), _s(r.get(f"Dim{i}"))) for i in (1, 2, 3)
              if _s(r.get(f"Dim{i}Type"))])


def _theme_row(path, line: int, r: dict) -> Observation:
    return Observation(
        path=str(path), line=line, indicator=_s(r.get("IndicatorCode")), spatial_type=_s(r.get("SpatialDimension")),
        spatial_code=_s(r.get("SpatialDimensionValueCode")), spatial_column="SpatialDimensionValueCode",
        year=_s(r.get("TimeDim")), year_column="TimeDim", numeric=_s(r.get("NumericValue")),
        numeric_column="NumericValue", display=_s(r.get("Value")), low=_s(r.get("Low")), high=_s(r.get("High")),
        date=_s(r.get("Date")), parent=_s(r.get("ParentLocationCode")),
        note=" ".join(_s(r.get(k)) for k in ("DataSourceDimensionValueCode", "Comments")).strip(),
        dims=[(f"DisaggregatingDimension{i}ValueCode", _s(r.get(f"DisaggregatingDimension{i}")),
               _s(r.get(f"DisaggregatingDimension{i}ValueCode"))) for i in (1, 2, 3)
              if _s(r.get(f"DisaggregatingDimension{i}"))])


def _web_row(path, line: int, r: dict) -> Observation:
    if _s(r.get("Period type")) not in ("", "Year"):
        raise ImportFormatError(path, f"period type {r.get('Period type')!r} is not supported (years only)",
                                line=line, column="Period type")
    kind = _s(r.get("Location type"))
    if kind not in location_types():
        raise ImportFormatError(path, f"unknown location type {kind!r} (not in gho_location_types.csv)",
                                line=line, column="Location type")
    return Observation(
        path=str(path), line=line, indicator=_s(r.get("IndicatorCode")), spatial_type=location_types()[kind],
        spatial_code=_s(r.get("SpatialDimValueCode")), spatial_column="SpatialDimValueCode",
        year=_s(r.get("Period")), year_column="Period", numeric=_s(r.get("FactValueNumeric")),
        numeric_column="FactValueNumeric", display=_s(r.get("Value")), low=_s(r.get("FactValueNumericLow")),
        high=_s(r.get("FactValueNumericHigh")), prefix=_s(r.get("FactValueNumericPrefix")),
        low_column="FactValueNumericLow", high_column="FactValueNumericHigh",
        date=_s(r.get("DateModified")), parent=_s(r.get("ParentLocationCode")), location=_s(r.get("Location")),
        indicator_name=_s(r.get("Indicator")),
        note=" ".join(_s(r.get(k)) for k in ("DataSource", "FactComments")).strip(),
        dims=[(f"Dim{i}ValueCode", _s(r.get(f"Dim{i} type")), _s(r.get(f"Dim{i}ValueCode"))) for i in (1, 2, 3)
              if _s(r.get(f"Dim{i} type"))],
        dim_titles={_s(r.get(f"Dim{i}ValueCode")): _s(r.get(f"Dim{i}")) for i in (1, 2, 3)
                    if _s(r.get(f"Dim{i}ValueCode")) and _s(r.get(f"Dim{i}"))})


def _athena_row(path, line: int, r: dict, dims: list[str]) -> Observation:
    country, region, income = _s(r.get("COUNTRY")), _s(r.get("REGION")), _s(r.get("WORLDBANKINCOMEGROUP"))
    if country:
        spatial = ("COUNTRY", country, "COUNTRY")
    elif region == "GLOBAL":
        spatial = ("GLOBAL", "GLOBAL", "REGION")
    elif income:
        spatial = ("WORLDBANKINCOMEGROUP", income, "WORLDBANKINCOMEGROUP")
    elif region:
        spatial = ("REGION", region, "REGION")
    else:
        raise ImportFormatError(path, "row names no country, region or income group", line=line, column="COUNTRY")
    return Observation(
        path=str(path), line=line, indicator=_s(r.get("GHO")), spatial_type=spatial[0], spatial_code=spatial[1],
        spatial_column=spatial[2], year=_s(r.get("YEAR")), year_column="YEAR", numeric=_s(r.get("Numeric")),
        numeric_column="Numeric", display=_s(r.get("Display Value")), low=_s(r.get("Low")), high=_s(r.get("High")),
        parent=region if country else "", note=" ".join(_s(r.get(k)) for k in ("DATASOURCE", "Comments")).strip(),
        dims=[(c, c, _s(r.get(c))) for c in dims if _s(r.get(c))])


def _code_list(path: Path, t: tabular.Table) -> GhoFile:
    codes: dict[str, dict[str, dict]] = {}
    for row in t.rows:
        record = dict(zip(t.header, (_s(v) for v in row)))
        codes.setdefault(record["Dimension"], {})[record["Code"]] = record
    return GhoFile(path, "codes", codes=codes)
