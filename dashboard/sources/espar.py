"""WHO e-SPAR importer: the 'Score by capacity & indicator' workbook of IHR States Parties self-assessments.

The sheet has a title block (rows 1-2: report name, 'Score by capacity & Indicator 2022 Updated on
01-05-2023'), a merged header (capacity number, capacity title, 'Score per indicator' / 'Total') over
one row of codes ('Total Average', C.1.1, C.1.2, C.1, ...), an 'AVG Global Capacity' row and one row
per WHO region, then a header row ('Data Received', 'Region', 'State Party of IHR') and one row per
State Party. Scores are 0-100 in steps of 20 (levels 1-5); capacity totals are averages of their
indicators. The 'Glossary' sheet titles every capacity and indicator.

Grain of the values: indicator (the average, each capacity, each capacity indicator) x area x year.
- the 'Total Average' is stored as SDGIHR2021, the IHR SPAR average that the UHC index's IHR tracer
  reads (dashboard/catalogue/uhc_tracers.csv); capacities as IHR_SPAR_C.<n>, capacity indicators as
  IHR_SPAR_C.<n>.<m>, each described as a breakdown of SDGIHR2021 (same unit and building block);
- regional rows become WHO region aggregates; the global 'AVG' row is skipped;
- States Parties whose data was not received ('No') and 'no data' cells are skipped and counted.
Anything else that is not a score of 0-100 is refused naming file, sheet, row and column.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import contract
from dashboard.sources import assemble, harmonise, limits
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet
from dashboard.sources.indicator_meta import FileIndicator

SHEET = "Score by capacity & indicator"
GLOSSARY = "Glossary"
AVERAGE = "SDGIHR2021"
PREFIX = "IHR_SPAR_"
PUBLISHER = "World Health Organization"
TITLE = "e-SPAR: States Parties Self-Assessment Annual Reporting (IHR), score by capacity and indicator"
URL = "https://extranet.who.int/e-spar/"
LICENCE = "© World Health Organization; e-SPAR public data, WHO terms of use"
REGIONS = {"AFRO": "AFR", "AMRO": "AMR", "EMRO": "EMR", "EURO": "EUR", "SEARO": "SEAR", "WPRO": "WPR"}
NO_DATA = ("", "no data")
_CODE = re.compile(r"^C\.(\d{1,2})(?:\.(\d{1,2}))?$")
_TITLE = re.compile(r"(\d{4})\s+Updated on\s+(\d{1,2})-(\d{1,2})-(\d{4})", re.IGNORECASE)


class WorkbookFormatError(ImportFormatError):
    """Bad input in a workbook: names file, sheet, row and column (a spreadsheet letter)."""

    def __init__(self, path: Path | str, sheet: str, message: str, *, row: int | None = None,
                 column: str | None = None) -> None:
        super().__init__(path, message, line=row, column=column)
        where = f"{path}, sheet {sheet!r}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        self.sheet = sheet
        self.args = (f"{where}: {message}",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass
class Column:
    """One score column: spreadsheet letter, publisher code ('Total Average', 'C.1', 'C.1.1') and indicator."""

    letter: str
    code: str
    indicator: str


def _letter(index: int) -> str:
    """0-based column index -> spreadsheet letter (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read(paths: Iterable[Path], *, progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """One ImportSet per workbook (source WHO_ESPAR_<year>); workbooks of the same year are refused."""
    sets: dict[str, Path] = {}
    out = []
    for path in paths:
        import_set = read_workbook(Path(path), progress=progress)
        if import_set.source_code in sets:
            raise ImportFormatError(path, f"holds the same reporting year as {sets[import_set.source_code]} "
                                    f"(both would be {import_set.source_code}); import one of them")
        sets[import_set.source_code] = Path(path)
        out.append(import_set)
    return out


def _open(path: Path):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limits.check_workbook(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ImportFormatError(path, f"not a readable .xlsx workbook ({type(exc).__name__}); expected the "
                                f"e-SPAR '{SHEET}' export") from None


def read_workbook(path: Path, *, progress: Callable[[str], None] = lambda message: None) -> ImportSet:
    """The ImportSet of one e-SPAR workbook."""
    book = _open(path)
    try:
        sheets = {name.strip().casefold(): name for name in book.sheetnames}
        if SHEET.casefold() not in sheets:
            raise ImportFormatError(path, f"no sheet {SHEET!r} (sheets: {', '.join(book.sheetnames)}); expected "
                                    "the e-SPAR 'Score by capacity & indicator' export")
        sheet = sheets[SHEET.casefold()]
        rows = [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
        titles = _glossary(book[sheets[GLOSSARY.casefold()]]) if GLOSSARY.casefold() in sheets else {}
    finally:
        book.close()
    year, updated = _release(path, sheet, rows)
    header_row, columns = _columns(path, sheet, rows)
    capacity_titles = _header_titles(rows, header_row, columns)
    records, areas, skipped = [], {}, {"not received": 0, "no data": 0}
    people_header = None
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        first = _text(row[0] if row else None)
        if not any(_text(v) for v in row):
            continue
        if first.casefold() == "data received":
            people_header = number
            continue
        if people_header is None:
            if first.upper().startswith("AVG"):
                continue
            code = REGIONS.get(first.upper())
            if code is None:
                raise WorkbookFormatError(path, sheet, f"{first!r} is neither the global 'AVG' row nor a WHO "
                                          f"region ({', '.join(REGIONS)})", row=number, column="A")
            areas.setdefault(code, {"iso3": code, "is_aggregate": True,
                                    "name": harmonise.aggregate_name("WHO", code) or code})
        else:
            if first.casefold() == "no":
                skipped["not received"] += 1
                continue
            if first.casefold() != "yes":
                raise WorkbookFormatError(path, sheet, f"'Data Received' is {first!r}, expected Yes or No",
                                          row=number, column="A")
            name = _text(row[2] if len(row) > 2 else None)
            code = harmonise.iso3_for_name(name) if name else None
            if code is None:
                raise WorkbookFormatError(path, sheet, f"unknown State Party {name!r} (not an ISO 3166-1 name "
                                          "nor in country_aliases.csv)", row=number, column="C")
            region = REGIONS.get(_text(row[1]).upper())
            areas.setdefault(code, {"iso3": code, "is_aggregate": False, "name": name, "who_region": region})
        for column in columns:
            index = _index(column.letter)
            value = row[index] if index < len(row) else None
            score = _score(path, sheet, value, number, column)
            if score is None:
                skipped["no data"] += 1
                continue
            records.append({"indicator_code": column.indicator, "iso3": code, "year": year, "estimate": score,
                            "_path": str(path), "_line": number, "_column": column.letter})
    if people_header is None:
        raise WorkbookFormatError(path, sheet, "no 'Data Received' header row above the States Parties",
                                  column="A")
    if not records:
        raise WorkbookFormatError(path, sheet, "no scores to import", row=people_header + 1)
    values = pd.DataFrame(records)
    _check_unique(path, sheet, values)
    if skipped["not received"]:
        progress(f"{path}: {skipped['not received']} State Part(ies) without data received skipped")
    if skipped["no data"]:
        progress(f"{path}: {skipped['no data']} empty or 'no data' score cell(s) skipped")
    # The catalogue's WHO publisher entry only seeds assemble's source row, which _source replaces.
    release = assemble.Release(f"WHO_ESPAR_{year}", "WHO_GHO", TITLE, str(year), assemble.file_time([path]),
                               url=URL, licence=LICENCE)
    long = assemble.long_values(**{c: values[c].to_numpy() for c in values.columns})
    described = [_describe(c, titles, capacity_titles) for c in columns]
    import_set = assemble.assemble(release, long, pd.DataFrame(list(areas.values())), described)
    import_set.source = _source(release, updated)
    return import_set


def _index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _release(path: Path, sheet: str, rows: list[tuple]) -> tuple[int, str | None]:
    """(reporting year, update date 'YYYY-MM-DD') from the title block ('... 2022 Updated on 01-05-2023')."""
    for row in rows[:5]:
        for value in row:
            match = _TITLE.search(_text(value))
            if match:
                year, day, month, stamp = match.groups()
                return int(year), f"{stamp}-{int(month):02d}-{int(day):02d}"
    raise WorkbookFormatError(path, sheet, "no title such as 'Score by capacity & Indicator 2022 Updated on "
                              "01-05-2023' in rows 1-5: the reporting year is unknown", row=1)


def _columns(path: Path, sheet: str, rows: list[tuple]) -> tuple[int, list[Column]]:
    """(1-based row of the codes, one Column per score) from the row whose cell reads 'Total Average'."""
    for number, row in enumerate(rows[:20], start=1):
        cells = [_text(v) for v in row]
        if "Total Average" not in cells:
            continue
        start = cells.index("Total Average")
        columns = [Column(_letter(start), "Total Average", AVERAGE)]
        seen = {}
        for index in range(start + 1, len(cells)):
            code = cells[index]
            if not code:
                continue
            if not _CODE.match(code):
                raise WorkbookFormatError(path, sheet, f"header {code!r} is not a capacity (C.1) or capacity "
                                          "indicator (C.1.1) code", row=number, column=_letter(index))
            if code in seen:
                raise WorkbookFormatError(path, sheet, f"code {code} is also the header of column {seen[code]}",
                                          row=number, column=_letter(index))
            seen[code] = _letter(index)
            columns.append(Column(_letter(index), code, f"{PREFIX}{code}"))
        if len(columns) == 1:
            raise WorkbookFormatError(path, sheet, "no capacity codes (C.1, C.1.1 ...) after 'Total Average'",
                                      row=number, column=_letter(start))
        return number, columns
    raise WorkbookFormatError(path, sheet, "no header row with 'Total Average' and the capacity codes in rows "
                              "1-20; expected the e-SPAR 'Score by capacity & indicator' export")


def _header_titles(rows: list[tuple], header_row: int, columns: list[Column]) -> dict[str, str]:
    """Capacity titles from the merged header, by capacity code: a capacity's merged block starts at its
    first indicator's column, and the header row holding neither 'Capacity N' nor 'Score per indicator'
    there holds its title. The glossary's titles come first; these fill its gaps."""
    titles = {}
    for column in columns:
        if not _CODE.match(column.code) or column.code.count(".") != 1:
            continue
        first = min(_index(c.letter) for c in columns if c.code == column.code or c.code.startswith(column.code + "."))
        for row in rows[:header_row - 1]:
            text = _text(row[first]) if first < len(row) else ""
            if text and not text.lower().startswith(("capacity", "score per", "total")):
                titles.setdefault(column.code, text)
    return titles


def _glossary(sheet) -> dict[str, str]:
    """Code -> title of every capacity and indicator listed in the glossary sheet."""
    titles = {}
    for row in sheet.iter_rows(values_only=True):
        if len(row) >= 2 and _CODE.match(_text(row[0])) and _text(row[1]):
            titles[_text(row[0])] = _text(row[1])
    return titles


def _score(path: Path, sheet: str, value, row: int, column: Column) -> float | None:
    """A 0-100 score, or None for an empty or 'no data' cell; anything else is refused."""
    if isinstance(value, bool):
        raise WorkbookFormatError(path, sheet, f"{value!r} is not a score ({column.code})", row=row,
                                  column=column.letter)
    if isinstance(value, int | float):
        score = float(value)
    elif _text(value).casefold() in NO_DATA:
        return None
    else:
        try:
            score = float(_text(value))
        except ValueError:
            raise WorkbookFormatError(path, sheet, f"{_text(value)!r} is not a score ({column.code}); expected "
                                      "a number 0-100, an empty cell or 'no data'", row=row,
                                      column=column.letter) from None
    if not 0 <= score <= 100:
        raise WorkbookFormatError(path, sheet, f"{score:g} is outside the score range 0-100 ({column.code})",
                                  row=row, column=column.letter)
    return score


def _check_unique(path: Path, sheet: str, values: pd.DataFrame) -> None:
    repeated = values.duplicated(["indicator_code", "iso3"], keep="first")
    if repeated.any():
        second = values[repeated].iloc[0]
        first = values[(values["indicator_code"] == second["indicator_code"])
                       & (values["iso3"] == second["iso3"])].iloc[0]
        raise WorkbookFormatError(path, sheet, f"{second['iso3']} is listed twice (also on row {first['_line']})",
                                  row=int(second["_line"]), column="C" if len(second["iso3"]) == 3 else "A")


def _describe(column: Column, titles: dict[str, str], capacity_titles: dict[str, str]) -> FileIndicator:
    if column.indicator == AVERAGE:
        return FileIndicator(AVERAGE, None, None)
    title = titles.get(column.code) or capacity_titles.get(column.code)
    kind = "capacity" if column.code.count(".") == 1 else "capacity indicator"
    name = f"IHR SPAR {column.code}" + (f" {title}" if title else "") + " (score 0-100)"
    definition = (f"IHR (2005) States Parties self-assessment (SPAR, second edition), {kind} {column.code}"
                  + (f" '{title}'" if title else "") + ": score 0-100 in steps of 20 (levels 1-5)"
                  + ("; a capacity's score is the average of its indicators" if kind == "capacity" else "")
                  + f". Breakdown of {AVERAGE}, the average of the 15 capacities.")
    return FileIndicator(column.indicator, name, definition, parent=AVERAGE)


def _source(release: assemble.Release, updated: str | None) -> pd.DataFrame:
    """The dim_source row: WHO e-SPAR, reporting year and update date, WHO's terms."""
    label = f"{release.release} reporting" + (f", updated {updated}" if updated else "")
    return contract.conform("dim_source", pd.DataFrame([{
        "source_code": release.source_code, "publisher": PUBLISHER, "title": f"{TITLE} ({label})",
        "release": release.release, "url": URL, "licence": LICENCE,
        "citation": f"{PUBLISHER}. {TITLE} ({label}). Licence: {LICENCE}.",
        "retrieved_at": pd.Timestamp(release.retrieved_at), "is_synthetic": False}]))
