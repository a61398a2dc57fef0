"""DHS Program importer: survey indicator data with confidence intervals and denominators, by subgroup.

Reads what the DHS Program API's `data` endpoint answers (JSON: `{"Data": [...], "Page", "TotalPages",
"RecordCount", ...}`, one page per file or a list of pages) and CSV files whose columns are the API's
field names (what the API gives with `f=csv`). One record is one indicator x survey x characteristic
(CharacteristicCategory / CharacteristicLabel); a characteristic can come more than once, differing in
ByVariableLabel (births in the three or the five years before the survey, say), and IsPreferred marks
the one to keep. Mapping, all of it data in dashboard/catalogue/:
- DHS_CountryCode -> ISO3 through dhs_countries.csv (DHS codes are not ISO codes: Niger is NI, Burundi BU);
- category and label -> the warehouse's dimension, subgroup, order and reference flag through
  dhs_characteristics.csv ('Total' rows are the national value; 'Region' labels are subnational regions,
  matched to imported admin-1 boundaries; regions indented with dots are a lower level and skipped);
  a category the file does not list is kept under the publisher's own labels, unordered, and reported;
- IndicatorId stays the indicator code; dhs_indicators.csv names the catalogue indicator of the same
  concept, whose unit, direction, building block and range it takes (never its code: the same key from
  GHO or WDI would collide with the survey's value).
CILow/CIHigh are kept, the standard error is derived from them as (high - low) / (2 x 1.96), and
DenominatorWeighted is the subgroup population, so every HEAT summary measure can be computed. Each
SurveyId becomes its own source release DHS_<SurveyId>, at its survey year; where a standard DHS and a
special survey (MIS, AIS) of one country and year give the same value key, the DHS is kept and the
other reported.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import catalogue, contract
from dashboard.config import CATALOGUE_DIR
from dashboard.sources import admin1_match, assemble, limits, tabular
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet
from dashboard.sources.indicator_meta import FileIndicator

PUBLISHER = "DHS"
API = "https://api.dhsprogram.com/rest/dhs"
SOURCE_PREFIX = "DHS_"
Z95 = 1.96
REQUIRED = ("IndicatorId", "DHS_CountryCode", "SurveyId", "SurveyYear", "Value", "CharacteristicCategory",
            "CharacteristicLabel")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_SURVEY = re.compile(r"^[A-Z]{2}\d{4}[A-Z0-9]{1,6}$")
_TRUE, _FALSE = {"1", "TRUE", "T", "YES"}, {"0", "FALSE", "F", "NO", ""}
WILDCARD = "*"


@dataclass
class Record:
    """One record of a DHS file as given (JSON values or CSV text), and where it sits."""

    path: str
    line: int
    fields: dict


@cache
def countries() -> dict[str, str]:
    """DHS 2-letter country code -> ISO3 (dhs_countries.csv)."""
    frame = pd.read_csv(CATALOGUE_DIR / "dhs_countries.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["dhs_code"], frame["iso3"]))


@cache
def characteristics() -> dict[tuple[str, str], dict]:
    """(category, label) -> dimension, subgroup, order and flags; label '*' stands for any label."""
    frame = pd.read_csv(CATALOGUE_DIR / "dhs_characteristics.csv", dtype=str, keep_default_na=False)
    return {(r["category"].casefold(), r["label"].casefold()): {
        "dimension": r["dimension"], "subgroup": r["subgroup"],
        "subgroup_order": int(r["subgroup_order"]) if r["subgroup_order"] else None,
        "ordered_dimension": r["ordered_dimension"] == "true",
        "reference_subgroup": r["reference_subgroup"] == "true"} for _, r in frame.iterrows()}


@cache
def indicators() -> pd.DataFrame:
    """DHS indicators the catalogue describes, with the catalogue indicator of the same concept (same_as)."""
    return pd.read_csv(CATALOGUE_DIR / "dhs_indicators.csv", dtype=str, keep_default_na=False).set_index(
        "indicator_code")


def read_file(path: Path) -> tuple[list[Record], list[tuple[str, int, int, int]]]:
    """(records, pages) of one file; pages are (path, Page, TotalPages, RecordCount) of each JSON page."""
    path = Path(path)
    text = tabular.read_text(path)
    if text.lstrip()[:1] in ("{", "["):
        return _json(path, text)
    rows = tabular.records(path, text)
    t = tabular.table(path, rows)
    tabular.require_columns(t, REQUIRED, "a DHS Program data file (API field names as columns)")
    return [Record(str(path), line, dict(zip(t.header, row))) for line, row in zip(t.lines, t.rows)], []


def _json(path: Path, text: str):
    document = limits.load_json(path, text)
    pages = document if isinstance(document, list) else [document]
    records, info, number = [], [], 0
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("Data"), list):
            raise ImportFormatError(path, "not a DHS API response: expected an object with a 'Data' list "
                                    "(or a list of such pages)", line=1, column="Data")
        for item in page["Data"]:
            number += 1
            if not isinstance(item, dict):
                raise ImportFormatError(path, "a record of 'Data' is not an object", line=number)
            records.append(Record(str(path), number, item))
        if "TotalPages" in page:
            try:
                info.append((str(path), int(page.get("Page") or 1), int(page["TotalPages"]),
                             int(page.get("RecordCount") or 0)))
            except (TypeError, ValueError):
                raise ImportFormatError(path, f"page numbers {page.get('Page')!r} of {page.get('TotalPages')!r} "
                                        "are not whole numbers", line=1, column="TotalPages") from None
    if records:
        missing = [c for c in REQUIRED if c not in records[0].fields]
        if missing:
            raise ImportFormatError(path, f"not DHS Program data: records lack {', '.join(missing)}",
                                    line=1, column=missing[0])
    return records, info


def check_pages(pages: list[tuple[str, int, int, int]]) -> None:
    """Refuse a paged answer given without all its pages (pages of one answer share TotalPages and RecordCount)."""
    answers: dict[tuple[int, int], dict[int, str]] = {}
    for path, page, total, count in pages:
        answers.setdefault((total, count), {})[page] = path
    for (total, count), seen in answers.items():
        missing = sorted(set(range(1, total + 1)) - set(seen))
        if missing:
            path = seen[min(seen)]
            shown = ", ".join(str(p) for p in missing[:10]) + (" ..." if len(missing) > 10 else "")
            raise ImportFormatError(path, f"page(s) {shown} of this {total}-page answer ({count:,} records) are "
                                    "missing: import every page", line=1, column="TotalPages")


def _text(record: Record, column: str) -> str:
    value = record.fields.get(column)
    return "" if value is None else str(value).strip()


def _number(record: Record, column: str) -> float | None:
    value = record.fields.get(column)
    if isinstance(value, bool):
        raise ImportFormatError(record.path, f"{value!r} is not a number", line=record.line, column=column)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = tabular.number(None if value is None else str(value), record.path, record.line, column)
    if number is not None and not math.isfinite(number):
        raise ImportFormatError(record.path, f"{value!r} is not a finite number", line=record.line, column=column)
    return number


def _flag(record: Record, column: str) -> bool | None:
    value = record.fields.get(column)
    if value is None or value == "":
        return None
    whole = isinstance(value, (bool, int)) or (isinstance(value, float) and value.is_integer())
    text = str(int(value)) if whole else str(value).strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ImportFormatError(record.path, f"{value!r} is not 0/1 or true/false", line=record.line, column=column)


@dataclass
class Report:
    """What was left out of an import and why, for the user."""

    no_value: int = 0
    not_preferred: int = 0
    lower_regions: int = 0
    other_survey: list = field(default_factory=list)
    countries: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)

    def lines(self, origin: str) -> list[str]:
        out = []
        if self.no_value:
            out.append(f"{origin}: {self.no_value} record(s) without a value skipped")
        if self.not_preferred:
            out.append(f"{origin}: {self.not_preferred} record(s) not preferred (IsPreferred = 0) beside a "
                       "preferred estimate of the same characteristic skipped")
        if self.lower_regions:
            out.append(f"{origin}: {self.lower_regions} record(s) of regions below the first level skipped")
        for kept, dropped, n in self.other_survey:
            out.append(f"{origin}: {n} value(s) of {dropped} skipped: the standard DHS survey {kept} gives the same "
                       "indicator, country, year and subgroup")
        for code, n in sorted(self.countries.items()):
            out.append(f"{origin}: {n} record(s) of DHS country code {code!r} skipped: not in "
                       "dashboard/catalogue/dhs_countries.csv")
        for category, n in sorted(self.categories.items()):
            out.append(f"{origin}: category {category!r} is not in dhs_characteristics.csv; its {n} record(s) are "
                       "imported under the publisher's labels as an unordered dimension")
        return out


def _characteristic(record: Record, report: Report) -> dict | None:
    category, label = _text(record, "CharacteristicCategory"), _text(record, "CharacteristicLabel")
    for column, text in (("CharacteristicCategory", category), ("CharacteristicLabel", label)):
        if not text:
            raise ImportFormatError(record.path, "a value is required", line=record.line, column=column)
    known = characteristics()
    exact = known.get((category.casefold(), label.casefold()))
    if exact is not None:
        return dict(exact)
    area = known.get((category.casefold(), WILDCARD))
    if area is not None:
        level = _number(record, "LevelRank")
        if label.startswith(".") or (level is not None and level > 1):
            report.lower_regions += 1
            return None
        return {**area, "subgroup": label}
    report.categories[category] += 1
    return {"dimension": category, "subgroup": label, "subgroup_order": None, "ordered_dimension": False,
            "reference_subgroup": False}


def _row(record: Record, report: Report) -> dict | None:
    code = _text(record, "IndicatorId")
    if not _CODE.match(code):
        raise ImportFormatError(record.path, f"{code!r} is not an indicator code", line=record.line,
                                column="IndicatorId")
    survey = _text(record, "SurveyId")
    if not _SURVEY.match(survey):
        raise ImportFormatError(record.path, f"{survey!r} is not a DHS survey id (e.g. KE2014DHS)",
                                line=record.line, column="SurveyId")
    country = _text(record, "DHS_CountryCode").upper()
    iso3 = countries().get(country)
    year_text = _text(record, "SurveyYear")
    if not re.fullmatch(r"\d{4}(\.0)?", year_text):
        raise ImportFormatError(record.path, f"{year_text!r} is not a four-digit year", line=record.line,
                                column="SurveyYear")
    estimate = _number(record, "Value")
    low, high = _number(record, "CILow"), _number(record, "CIHigh")
    population = _number(record, "DenominatorWeighted")
    preferred = _flag(record, "IsPreferred")
    _flag(record, "IsTotal")
    if iso3 is None:
        report.countries[country] += 1
        return None
    dims = _characteristic(record, report)
    if dims is None:
        return None
    if estimate is None:
        report.no_value += 1
        return None
    for column, bound, bad in (("CILow", low, low is not None and low > estimate),
                               ("CIHigh", high, high is not None and high < estimate)):
        if bad:
            raise ImportFormatError(record.path, f"{bound:g} is on the wrong side of the value {estimate:g}",
                                    line=record.line, column=column)
    if population is not None and population < 0:
        raise ImportFormatError(record.path, f"{population:g} is negative", line=record.line,
                                column="DenominatorWeighted")
    year = int(float(year_text))
    flags = [f"survey {label}" for label in [_text(record, "SurveyYearLabel")] if label and label != str(year)]
    flags += [by for by in [_text(record, "ByVariableLabel")] if by]
    return {
        "indicator_code": code, "iso3": iso3, "admin1_code": None, "year": year, **dims,
        "estimate": estimate, "ci_lower": low, "ci_upper": high,
        "se": (high - low) / (2 * Z95) if low is not None and high is not None else math.nan,
        "population": math.nan if population is None else population,
        "flag": "; ".join(flags) or None,
        "_survey": survey, "_country_name": _text(record, "CountryName"), "_survey_type": _text(record, "SurveyType"),
        "_survey_label": _text(record, "SurveyYearLabel") or str(year), "_name": _text(record, "Indicator"),
        "_category": _text(record, "CharacteristicCategory"), "_label": _text(record, "CharacteristicLabel"),
        "_preferred": preferred, "_path": record.path, "_line": record.line, "_column": "Value"}


def _preferred(values: pd.DataFrame, report: Report) -> pd.DataFrame:
    """One record per indicator x survey x characteristic: IsPreferred picks among several, or the file is refused."""
    key = ["indicator_code", "_survey", "_category", "_label"]
    several = values.duplicated(key, keep=False)
    if not several.any():
        return values
    keep = ~several
    for _, group in values[several].groupby(key, sort=False):
        chosen = group[group["_preferred"] == True]  # noqa: E712 (None is neither)
        if len(chosen) != 1:
            first, second = group.iloc[0], group.iloc[1]
            where = "" if first["_path"] == second["_path"] else f" of {first['_path']}"
            raise ImportFormatError(second["_path"], f"{second['_label']!r} ({second['_category']}) of "
                                    f"{second['indicator_code']} in {second['_survey']} is given again (also on "
                                    f"line {first['_line']}{where}) and IsPreferred does not pick one of them",
                                    line=int(second["_line"]), column="IsPreferred")
        keep[chosen.index] = True
        report.not_preferred += len(group) - 1
    return values[keep]


def _standard_survey_first(values: pd.DataFrame, report: Report) -> pd.DataFrame:
    """Where a standard DHS and a special survey (MIS, AIS ...) of one country and year give the same key,
    keep the DHS; any other clash is left for assemble.check_unique to refuse."""
    key = assemble.KEY
    shared = values.duplicated(key, keep=False)
    if not shared.any():
        return values
    drop = pd.Series(False, index=values.index)
    pairs: Counter = Counter()
    for _, group in values[shared].groupby(key, sort=False):
        standard = group[group["_survey_type"] == "DHS"]
        if len(standard) == 1 and group["_survey"].nunique() == len(group):
            others = group.index.difference(standard.index)
            drop[others] = True
            for other in values.loc[others, "_survey"]:
                pairs[(standard["_survey"].iloc[0], other)] += 1
    report.other_survey += [(kept, other, n) for (kept, other), n in sorted(pairs.items())]
    return values[~drop].reset_index(drop=True)


def _match_regions(values: pd.DataFrame, admin1: Mapping[str, list[tuple[str, str]]],
                   progress: Callable[[str], None]) -> pd.DataFrame:
    """admin1_code of each subnational subgroup that matches a country's imported boundaries."""
    regional = values["dimension"] == contract.DIM_SUBNATIONAL
    for iso3 in sorted(values.loc[regional, "iso3"].unique()):
        rows = regional & (values["iso3"] == iso3)
        if not admin1.get(iso3):
            progress(f"{iso3}: no admin-1 boundaries imported; its {values.loc[rows, 'subgroup'].nunique()} "
                     "region(s) are stored without an admin1_code (import boundaries, then import again to map them)")
            continue
        report = admin1_match.match_subgroups(admin1[iso3], values.loc[rows, "subgroup"],
                                              aliases=admin1_match.load_aliases(iso3))
        values.loc[rows, "admin1_code"] = values.loc[rows, "subgroup"].map(report.codes())
        for line in report.lines():
            progress(f"{iso3}: {line}")
    return values


def _describe(code: str, rows: pd.DataFrame, described: Mapping[str, tuple[str, str | None]]) -> FileIndicator:
    known = indicators()
    if code in known.index:
        row = known.loc[code]
        same = row["same_as"] or None
        definition = row["definition"]
        if same:
            name = catalogue.known_indicators().set_index("indicator_code")["name"].get(same, same)
            definition += f". The DHS survey estimate of the concept of {same} ({name})."
        return FileIndicator(code, row["name"], definition, parent=same)
    if code in described:
        return FileIndicator(code, *described[code])
    names = [n for n in rows["_name"] if n]
    return FileIndicator(code, names[0] if names else None, None)


def to_import_sets(records: Iterable[Record], *, retrieved_at: datetime, url: str | None = None,
                   admin1: Mapping[str, list[tuple[str, str]]] | None = None,
                   described: Mapping[str, tuple[str, str | None]] | None = None,
                   origin: str = "DHS data",
                   progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets, one per survey (DHS_<SurveyId>), of DHS records.

    Grain of the values: indicator x country x survey year x dimension x subgroup. `admin1` gives each
    country's imported boundaries as (admin1_code, name) pairs; `described` names indicators the catalogue
    does not (from the API's indicator list).
    """
    report = Report()
    rows = [row for row in (_row(r, report) for r in records) if row is not None]
    if not rows:
        for line in report.lines(origin):
            progress(line)
        raise ImportFormatError(origin, "no values to import", line=1)
    values = _preferred(pd.DataFrame(rows), report)
    values = _standard_survey_first(values.reset_index(drop=True), report)
    for line in report.lines(origin):
        progress(line)
    values = _match_regions(values, admin1 or {}, progress)
    assemble.check_unique(values)  # across surveys: two surveys of one type, country and year give the same key
    long_columns = [c for c in values.columns if not c.startswith("_") or c in assemble.LOCATORS]
    sets = []
    for survey, group in values.groupby("_survey", sort=True):
        first = group.iloc[0]
        title = " ".join(p for p in (first["_country_name"] or first["iso3"], first["_survey_label"],
                                      first["_survey_type"] or "survey") if p)
        meta = assemble.Release(f"{SOURCE_PREFIX}{survey}", PUBLISHER, title, survey, retrieved_at,
                                url=url or f"{API}/data?surveyIds={survey}&breakdown=all")
        long = assemble.long_values(**{c: group[c].to_numpy() for c in long_columns})
        areas = pd.DataFrame([{"iso3": first["iso3"], "is_aggregate": False, "name": first["_country_name"] or None}])
        described_here = [_describe(code, group[group["indicator_code"] == code], described or {})
                          for code in sorted(group["indicator_code"].unique())]
        made = assemble.assemble(meta, long, areas, described_here)
        # The DHS Program asks to be cited as STATcompiler (catalogue sources.csv), with the survey.
        recommended = catalogue.sources().set_index("source_code").loc[PUBLISHER, "citation"]
        made.source["citation"] = f"{recommended} {title} ({survey}). Terms: {made.source['licence'].iloc[0]}."
        sets.append(made)
    return sets


def read(paths: Iterable[Path], *, admin1: Mapping[str, list[tuple[str, str]]] | None = None,
         progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per survey) from saved DHS API answers (JSON pages) and CSVs with the API's columns."""
    paths = [Path(p) for p in paths]
    read_files = [read_file(p) for p in paths]
    check_pages(list(itertools.chain.from_iterable(pages for _, pages in read_files)))
    records = list(itertools.chain.from_iterable(records for records, _ in read_files))
    origin = str(paths[0]) if len(paths) == 1 else f"{paths[0]} (and {len(paths) - 1} more)"
    return to_import_sets(records, retrieved_at=assemble.file_time(paths), admin1=admin1, origin=origin,
                          progress=progress)


def store_admin1(imports_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Each country's imported admin-1 boundaries, (admin1_code, name) pairs, from the import store."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table in sorted(Path(imports_dir).glob("boundaries_*/dim_admin1.parquet")):
        frame = pd.read_parquet(table)
        for iso3, group in frame.groupby("iso3"):
            out.setdefault(str(iso3), []).extend(zip(group["admin1_code"].astype(str), group["name"].astype(str)))
    return out
