"""CSV downloads as data products: every table a page offers for download carries what it is (indicator and
unit), where (country), where from (source) and whether it is synthetic, at full precision.

Pure: frames in, frames out; the page passes the catalogue, country and source rows it already has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.extract import FORMULA_START

FORMULA = re.compile(FORMULA_START)  # text a spreadsheet would run as a formula, the same rule as extracts

DECIMALS = 10  # enough for any published value; removes binary artefacts such as 6.099999999999994

LEAD = ["indicator_code", "indicator", "unit", "iso3", "country"]
TAIL = ["source_code", "source", "synthetic"]


def source_codes(table: pd.DataFrame, given: Iterable[str] = ()) -> set[str]:
    """The source codes `table` names (its source_code column and source_codes lists) plus `given`."""
    codes = set(map(str, given))
    if "source_code" in table:
        codes |= {str(c) for c in table["source_code"].dropna().unique()}
    if "source_codes" in table:
        codes |= {str(c) for value in table["source_codes"] for c in value}
    return codes


def complete(frame: pd.DataFrame, *, indicators: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame,
             indicator_code: str | None = None, iso3: str | None = None,
             source_codes: Iterable[str] = ()) -> pd.DataFrame:
    """`frame` with the columns that make it stand alone, added only where missing:

    - indicator_code (from `indicator_code` when the frame has none), then its name and unit from
      `indicators` (catalogue rows: indicator_code, name, unit);
    - iso3 (from `iso3` when the frame has none), then the country's name from `countries` (iso3, name);
    - source_code (from a frame's `source_codes` list, else `source_codes` joined), source (publisher,
      title and release) and synthetic, per row, from `sources` (sources_by_code rows).

    Floats are rounded to DECIMALS places (full precision, no binary artefacts); whole-number year
    columns become integers.
    """
    out = frame.copy()
    if indicator_code is not None and "indicator_code" not in out:
        out.insert(0, "indicator_code", indicator_code)
    if "indicator_code" in out:
        named = indicators.set_index("indicator_code")
        for column, source in (("indicator", "name"), ("unit", "unit")):
            if column not in out and source in named:
                out[column] = out["indicator_code"].map(named[source])
    if iso3 is not None and "iso3" not in out:
        out["iso3"] = iso3
    if "iso3" in out and "country" not in out and "name" not in out:
        out["country"] = out["iso3"].map(countries.set_index("iso3")["name"])
    _add_sources(out, sources, list(source_codes))
    return _tidy(_ordered(out))


def _add_sources(out: pd.DataFrame, sources: pd.DataFrame, given: list[str]) -> None:
    if "source_code" not in out:
        if "source_codes" in out:
            out["source_code"] = out["source_codes"].map(lambda codes: "; ".join(sorted(map(str, codes)))
                                                         if _listlike(codes) else codes)
        else:
            out["source_code"] = None
    # A row without a source of its own (a country with no value) belongs to the table's sources.
    everything = "; ".join(sorted({str(c) for c in given if c}))
    out["source_code"] = out["source_code"].map(lambda codes: codes if isinstance(codes, str) and codes
                                                 else everything)
    rows = sources.set_index("source_code")
    out["source"] = out["source_code"].map(lambda codes: "; ".join(_describe(rows, code)
                                                                     for code in _split(codes)))
    out["synthetic"] = out["source_code"].map(
        lambda codes: any(bool(rows.at[code, "is_synthetic"]) for code in _split(codes) if code in rows.index))


def _describe(rows: pd.DataFrame, code: str) -> str:
    if code not in rows.index:
        return code
    row = rows.loc[code]
    if bool(row["is_synthetic"]):
        return f"Synthetic demo data, not real measurements ({code})"
    release = f", release {row['release']}" if isinstance(row["release"], str) and row["release"] else ""
    return f"{row['publisher']}, {row['title']}{release}"


def _split(codes) -> list[str]:
    return [c.strip() for c in str(codes).split(";") if c.strip()] if isinstance(codes, str) else []


def _listlike(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _ordered(out: pd.DataFrame) -> pd.DataFrame:
    lead = [c for c in LEAD if c in out]
    tail = [c for c in TAIL if c in out]
    middle = [c for c in out.columns if c not in lead and c not in tail]
    return out[lead + middle + tail]


def _tidy(out: pd.DataFrame) -> pd.DataFrame:
    for column in out.columns:
        values = out[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        if "year" in str(column) and values.dropna().mod(1).eq(0).all():
            out[column] = values.round().astype("Int64")
        else:
            out[column] = values.round(DECIMALS)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV bytes of a completed frame: lists written as '; '-joined text, and text a spreadsheet would
    run as a formula (a country name '=cmd|...' from an imported file) prefixed with an apostrophe, as in
    extracts."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(_listlike).any():
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if _listlike(v) else v)
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: f"'{v}" if isinstance(v, str) and FORMULA.match(v) else v)
    return out.to_csv(index=False).encode("utf-8")
