"""Reader for files in the WHO HEAT Plus upload template layout (CSV or XLSX), and their import set.

Layout (one row per setting x date x indicator x dimension x subgroup): setting, date, source,
indicator_abbr, indicator_name, dimension, subgroup, estimate, se, ci_lb, ci_ub, population, note,
setting_average, iso3, favourable_indicator, indicator_scale, ordered_dimension, subgroup_order,
reference_subgroup. Older templates say `year` for `date` and `flag` for `note`. In a workbook the
data sheet is the one named 'template' or 'data', else the first. Rows that are blank, or hold only
the template's '…' continuation marks, are skipped. Row numbers in messages are those a spreadsheet
shows (the header is row 1), and `read` keeps them as the frame's index.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard import catalogue, config, contract
from dashboard.config import CATALOGUE_DIR
from dashboard.sources import limits
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet

COLUMNS = (
    "setting", "date", "source", "indicator_abbr", "indicator_name", "dimension", "subgroup",
    "estimate", "se", "ci_lb", "ci_ub", "population", "note", "setting_average", "iso3",
    "favourable_indicator", "indicator_scale", "ordered_dimension", "subgroup_order",
    "reference_subgroup",
)
ALIASES = {"year": "date", "flag": "note"}
TEXT = ("setting", "source", "indicator_abbr", "indicator_name", "dimension", "subgroup")
NUMBERS = ("estimate", "se", "ci_lb", "ci_ub", "population", "setting_average")
FLAGS = ("favourable_indicator", "ordered_dimension", "reference_subgroup")
# HEAT Plus marks these mandatory; the rest (se, CIs, population, note, setting_average, iso3) may be absent.
REQUIRED = TEXT + ("date", "estimate") + FLAGS + ("indicator_scale", "subgroup_order")
GROUP = ["setting", "date", "indicator_abbr", "dimension"]
KEY = GROUP + ["subgroup"]

# Blank-like cells. 'NaN' and 'inf' are not among them: a spreadsheet or script wrote them from a failed
# computation, so they are refused as not finite rather than read as "no value".
_MISSING = {"", "NA", "N/A", "NULL", "NONE"}
_PLACEHOLDER = {"…", "...", "..", "."}
_TRUE, _FALSE = {"1", "TRUE", "T", "YES"}, {"0", "FALSE", "F", "NO"}

DEFAULT_BUILDING_BLOCK = "Service delivery"
DEFAULT_DOMAIN = "coverage"
LICENCE = "as stated by the data provider"


class HeatFormatError(ValueError):
    """The file does not follow the HEAT Plus template; the message names file, row and column."""


def _fail(path: Path, problems: list[tuple[int, str, str]]) -> None:
    problems.sort(key=lambda p: (p[0], COLUMNS.index(p[1]) if p[1] in COLUMNS else -1))
    row, column, message = problems[0]
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    raise HeatFormatError(f"{path}: row {row}, column {column}: {message}{more}")


def _cell(value) -> str:
    """A workbook cell as the text a CSV would hold (integral floats without '.0', booleans as words)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _raw(path: Path) -> pd.DataFrame:
    """The data sheet or CSV as text cells with normalised headers; index = spreadsheet row number."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            limits.check_workbook(path)
        except ImportFormatError as exc:
            raise HeatFormatError(str(exc)) from None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several unrelated types for a damaged workbook
            raise HeatFormatError(f"{path}: not a readable workbook ({exc})") from exc
        try:
            by_name = {name.strip().lower(): name for name in book.sheetnames}
            sheet = book[by_name.get("template") or by_name.get("data") or book.sheetnames[0]]
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    elif suffix in (".csv", ".txt"):
        try:
            with path.open(encoding="utf-8-sig") as handle:
                first_line = handle.readline()
            # Spreadsheets in comma-decimal locales export ';'-separated CSV.
            sep = ";" if first_line.count(";") > first_line.count(",") else ","
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                header=None, sep=sep)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise HeatFormatError(f"{path}: not a readable CSV file ({exc})") from exc
        rows = [[str(v).strip() for v in row] for row in frame.itertuples(index=False)]
    else:
        raise HeatFormatError(f"{path}: expected a .csv or .xlsx file, got '{path.suffix}'")
    if not rows:
        raise HeatFormatError(f"{path}: row 1: the file is empty (expected a header row)")
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), index=pd.RangeIndex(2, len(body) + 2, name="row"))
    seen: dict[str, int] = {}
    for position, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            raise HeatFormatError(f"{path}: row 1, column {name}: the column appears twice "
                                  f"(columns {seen[name] + 1} and {position + 1})")
        seen[name] = position
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise HeatFormatError(f"{path}: row 1, column {missing[0]}: required column(s) missing: "
                              f"{', '.join(missing)}")
    out = pd.DataFrame({c: frame[seen[c]] if c in seen else "" for c in COLUMNS}, index=frame.index)
    filler = out.apply(lambda col: col.isin(_PLACEHOLDER) | (col == "")).all(axis=1)
    return out[~filler]


def _numbers(raw: pd.Series, column: str, problems, *, integer=False, minimum=None,
             required=False) -> pd.Series:
    values = pd.Series(math.nan, index=raw.index, dtype="float64")
    for row, text in raw.items():
        if text.upper() in _MISSING:
            if required:
                problems.append((row, column, "a value is required"))
            continue
        try:
            number = float(text)
        except ValueError:
            problems.append((row, column, f"'{text}' is not a number"))
            continue
        if not math.isfinite(number):
            problems.append((row, column, f"'{text}' is not a finite number"))
        elif integer and not number.is_integer():
            problems.append((row, column, f"'{text}' is not a whole number"))
        elif minimum is not None and number < minimum:
            problems.append((row, column, f"{text} is below the smallest allowed value {minimum:g}"))
        else:
            values[row] = number
    return values


def _flags(raw: pd.Series, column: str, problems) -> pd.Series:
    upper = raw.str.upper()
    for row in raw.index[~upper.isin(_TRUE | _FALSE)]:
        problems.append((row, column, f"'{raw[row]}' is not 0/1 or TRUE/FALSE"))
    return upper.isin(_TRUE)


def _parse(path: Path, raw: pd.DataFrame) -> pd.DataFrame:
    problems: list[tuple[int, str, str]] = []
    df = pd.DataFrame(index=raw.index)
    for column in TEXT:
        df[column] = raw[column]
        for row in raw.index[raw[column] == ""]:
            problems.append((row, column, "a value is required"))
    date = _numbers(raw["date"], "date", problems, integer=True, required=True)
    for row in date.index[(date < 1000) | (date > 9999)]:
        problems.append((row, "date", f"{date[row]:g} is not a four-digit year"))
    df["date"] = date
    for column in NUMBERS:
        df[column] = _numbers(raw[column], column, problems,
                              minimum=0 if column in ("se", "population") else None)
    df["note"] = raw["note"].where(raw["note"] != "", None)
    iso3 = raw["iso3"].str.upper()
    for row in iso3.index[(iso3 != "") & ~iso3.str.fullmatch(r"[A-Z]{3}")]:
        problems.append((row, "iso3", f"'{raw['iso3'][row]}' is not a three-letter ISO code"))
    df["iso3"] = iso3.where(iso3 != "", None)
    for column in FLAGS:
        df[column] = _flags(raw[column], column, problems)
    df["indicator_scale"] = _numbers(raw["indicator_scale"], "indicator_scale", problems,
                                     required=True)
    for row in df.index[df["indicator_scale"] <= 0]:
        problems.append((row, "indicator_scale", "must be greater than zero"))
    df["subgroup_order"] = _numbers(raw["subgroup_order"], "subgroup_order", problems,
                                    integer=True, minimum=0, required=True)
    if problems:
        _fail(path, problems)
    df["date"] = df["date"].astype("int64")
    df["subgroup_order"] = df["subgroup_order"].astype("int64")
    return df[list(COLUMNS)]


def _show(value) -> str:
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "1" if value else "0"
    if isinstance(value, float):
        return "blank" if math.isnan(value) else f"{value:g}"
    return "blank" if value is None else str(value)


def _first_differing(df: pd.DataFrame, by: list[str], column: str) -> list[tuple[int, str, str]]:
    """Rows whose `column` differs from the first value seen in their `by` group."""
    if df.empty:
        return []
    keys = [df[c] for c in by]
    shown = df[column].map(_show)
    first = shown.groupby(keys, sort=False, dropna=False).transform("first")
    first_row = pd.Series(df.index, index=df.index).groupby(keys, sort=False, dropna=False).transform("first")
    where = ", ".join(by)
    return [(row, column, f"{shown[row]} differs from {first[row]} given for the same {where} "
                          f"in row {first_row[row]}") for row in df.index[shown != first]]


def _average_outside_subgroups(df: pd.DataFrame) -> list[tuple[int, str, str]]:
    """A setting average is a population-weighted mean of a dimension's subgroups, so it lies within their
    range: one below every subgroup's lower bound (CI, else estimate) or above every upper bound contradicts
    them, and the file is refused rather than flagged (one of the two numbers is wrong, and we cannot tell
    which). Dimensions of one subgroup are not checked (it need not cover the whole population)."""
    rows = df[df["estimate"].notna()]
    if rows.empty:
        return []
    keys = [rows[c] for c in GROUP]
    low = rows["ci_lb"].fillna(rows["estimate"]).clip(upper=rows["estimate"]).groupby(keys, sort=False).transform("min")
    high = rows["ci_ub"].fillna(rows["estimate"]).clip(lower=rows["estimate"]).groupby(keys, sort=False).transform("max")
    count = rows["estimate"].groupby(keys, sort=False).transform("size")
    outside = rows[((rows["setting_average"] < low) | (rows["setting_average"] > high)) & (count > 1)]
    first = outside.groupby([outside[c] for c in GROUP], sort=False).head(1)
    return [(row, "setting_average", f"{_show(first['setting_average'][row])} lies outside the range of its "
                                     f"{int(count[row])} {first['dimension'][row]} subgroups ({_show(low[row])} to "
                                     f"{_show(high[row])}), which it averages") for row in first.index]


def _check(path: Path, df: pd.DataFrame) -> None:
    problems: list[tuple[int, str, str]] = []
    duplicated = df.duplicated(KEY, keep="first")
    if duplicated.any():
        first = pd.Series(df.index, index=df.index).groupby([df[c] for c in KEY]).transform("first")
        problems += [(row, "subgroup", f"'{df['subgroup'][row]}' repeats row {first[row]} "
                                       "(same setting, date, indicator_abbr and dimension)")
                     for row in df.index[duplicated]]
    for column in ("indicator_name", "favourable_indicator", "indicator_scale"):
        problems += _first_differing(df, ["indicator_abbr"], column)
    problems += _first_differing(df, GROUP, "ordered_dimension")
    averages = df[df["setting_average"].notna()]
    problems += _first_differing(averages, ["setting", "date", "indicator_abbr"], "setting_average")
    problems += _average_outside_subgroups(averages)
    most = config.get("import_max_subgroups")
    for _, group in df.groupby(GROUP, sort=False):
        if len(group) > most:
            problems.append((group.index[most], "subgroup", f"{len(group):,} subgroups of {group['dimension'].iloc[0]} "
                             f"in one setting, date and indicator, more than {most:,} (setting HSS_IMPORT_MAX_SUBGROUPS)"))
            continue
        references = group.index[group["reference_subgroup"]]
        problems += [(row, "reference_subgroup", f"a second reference subgroup (the first is in row "
                                                 f"{references[0]})") for row in references[1:]]
        if not group["ordered_dimension"].iloc[0]:
            continue
        problems += [(row, "reference_subgroup", "must be 0 in an ordered dimension")
                     for row in references[:1]]
        seen: set[int] = set()
        for row, order in group["subgroup_order"].items():
            if not 1 <= order <= len(group) or order in seen:
                problems.append((row, "subgroup_order", f"{order} does not fit an ordered dimension "
                                 f"of {len(group)} subgroups, which must be numbered 1..{len(group)} "
                                 "once each"))
            seen.add(order)
    if problems:
        _fail(path, problems)


def read(path: str | Path) -> pd.DataFrame:
    """Read and validate a HEAT Plus file. Grain: one row per setting x date x indicator x dimension x subgroup.

    Columns are COLUMNS in order: text columns as str, `date` and `subgroup_order` as int, measures as
    float (NaN when blank), flags as bool. The index is the row number a spreadsheet shows. Raises
    HeatFormatError naming the file, row and column of the first problem.
    """
    path = Path(path)
    if not path.is_file():
        raise HeatFormatError(f"{path}: no such file")
    df = _parse(path, _raw(path))
    if df.empty:
        raise HeatFormatError(f"{path}: row 2: the file has a header but no data rows")
    _check(path, df)
    return df


def source_code(path: str | Path) -> str:
    """HEAT_<file stem>, with anything but letters, digits, '_', '.' and '-' replaced by '_'."""
    stem = re.sub(r"[^A-Za-z0-9_.\-]+", "_", Path(path).stem).strip("_.-") or "file"
    return f"HEAT_{stem}"[:120]


def _short(name: str) -> str:
    """The name without a trailing '(unit)', cut at a word boundary to at most 40 characters."""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name
    if len(short) <= 40:
        return short
    return short[:39].rsplit(" ", 1)[0].rstrip(" ,;-") + "…"


def _unit(scale: float) -> str:
    return "%" if scale == 100 else f"per {scale:,.0f}"


def _curated() -> pd.DataFrame:
    """The curated indicator catalogue keyed by code, or an empty frame when it is not there."""
    if not (CATALOGUE_DIR / "indicators.csv").exists():
        return pd.DataFrame()
    return catalogue.indicators().set_index("indicator_code")


def _check_importable(path: Path, df: pd.DataFrame) -> None:
    problems: list[tuple[int, str, str]] = []
    known = set(catalogue.countries()["iso3"])
    for row in df.index[df["iso3"].isna()]:
        problems.append((row, "iso3", "is empty; the warehouse keys every value by country "
                                      "(the file can still be used with `equity`)"))
    for row in df.index[df["iso3"].notna() & ~df["iso3"].isin(known)]:
        problems.append((row, "iso3", f"'{df['iso3'][row]}' is not a WHO member state code "
                                      "in dashboard/catalogue/countries.csv"))
    coded = df[df["iso3"].notna()]
    problems += _first_differing(coded, ["setting"], "iso3")
    problems += _first_differing(coded, ["iso3"], "setting")
    if problems:  # countries first: without them nothing else about the row matters
        _fail(path, problems)
    estimate, lower, upper_ci = df["estimate"], df["ci_lb"], df["ci_ub"]
    for row in df.index[lower > estimate]:
        problems.append((row, "ci_lb", f"lower bound {lower[row]:g} is above the estimate {estimate[row]:g}"))
    for row in df.index[upper_ci < estimate]:
        problems.append((row, "ci_ub", f"upper bound {upper_ci[row]:g} is below the estimate {estimate[row]:g}"))
    for row in df.index[upper_ci < lower]:
        problems.append((row, "ci_ub", f"upper bound {upper_ci[row]:g} is below the lower bound {lower[row]:g}"))
    upper = df["indicator_scale"].where(df["indicator_scale"] == 100, 1e12)
    for row in df.index[(estimate < 0) | (estimate > upper)]:
        problems.append((row, "estimate", f"{estimate[row]:g} is outside the plausible range "
                                          f"0..{upper[row]:g}"))
    if problems:
        _fail(path, problems)


def to_import_set(df: pd.DataFrame, path: str | Path) -> ImportSet:
    """Map a frame from `read` to the warehouse tables of one source release, HEAT_<file stem>.

    fct_indicator_value gets one row per subgroup plus a 'Total' row per setting x date x indicator
    from setting_average (where given and the file has no 'Total' dimension of its own); dim_indicator
    one row per indicator; dim_source one row. Raises HeatFormatError (file, row, column) when a row
    cannot enter the warehouse: no or unknown iso3, a CI that does not bracket its estimate, or an
    estimate outside the plausible range.
    """
    path = Path(path)
    _check_importable(path, df)
    code = source_code(path)
    values = pd.DataFrame({
        "indicator_code": df["indicator_abbr"], "iso3": df["iso3"], "admin1_code": None,
        "year": df["date"], "dimension": df["dimension"], "subgroup": df["subgroup"],
        "subgroup_order": df["subgroup_order"].where(df["ordered_dimension"]),
        "ordered_dimension": df["ordered_dimension"], "reference_subgroup": df["reference_subgroup"],
        "estimate": df["estimate"], "se": df["se"], "ci_lower": df["ci_lb"], "ci_upper": df["ci_ub"],
        "population": df["population"], "source_code": code, "flag": df["note"],
    })
    has_total = df.groupby(["iso3", "date", "indicator_abbr"])["dimension"].transform(
        lambda d: (d == contract.TOTAL).any())
    totals = (df[df["setting_average"].notna() & ~has_total]
              .drop_duplicates(["iso3", "date", "indicator_abbr"]))
    total_rows = pd.DataFrame({
        "indicator_code": totals["indicator_abbr"], "iso3": totals["iso3"], "year": totals["date"],
        "dimension": contract.TOTAL, "subgroup": contract.TOTAL, "ordered_dimension": False,
        "reference_subgroup": False, "estimate": totals["setting_average"], "source_code": code,
    })
    facts = pd.concat([total_rows, values], ignore_index=True) if len(total_rows) else values

    curated = _curated()
    indicators = []
    for abbr, rows in df.groupby("indicator_abbr", sort=True):
        first = rows.iloc[0]
        known = curated.loc[abbr] if abbr in curated.index else None

        def pick(column, default, known=known):
            value = known.get(column) if known is not None else None
            return default if value is None or pd.isna(value) else value

        scale = float(first["indicator_scale"])
        name = str(first["indicator_name"])
        indicators.append({
            "indicator_code": abbr, "name": name,
            "short_name": pick("short_name", _short(name)),
            "unit": pick("unit", _unit(scale)), "indicator_scale": int(round(scale)),
            "favourable_indicator": bool(first["favourable_indicator"]),
            "building_block": pick("building_block", DEFAULT_BUILDING_BLOCK),
            "domain": pick("domain", DEFAULT_DOMAIN), "uhc_tracer": pick("uhc_tracer", None),
            "definition": pick("definition", None), "source_code": code,
            "plausible_min": 0.0, "plausible_max": 100.0 if scale == 100 else 1e12, "decimals": 1,
        })
    publishers = "; ".join(dict.fromkeys(df["source"]))
    source = pd.DataFrame([{
        "source_code": code, "publisher": publishers, "title": f"HEAT Plus data file {path.name}",
        "release": None, "url": None, "licence": LICENCE, "citation": None,
        "retrieved_at": datetime.now(UTC).replace(tzinfo=None), "is_synthetic": False,
    }])
    return ImportSet(source=source, tables={"dim_indicator": pd.DataFrame(indicators),
                                            "fct_indicator_value": facts})
