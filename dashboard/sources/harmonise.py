"""Harmonisation as data: country codes and names to ISO3, publisher aggregates, declared unit conversions.

Every mapping lives in a CSV under dashboard/catalogue/ (country_codes, country_aliases, aggregates,
unit_conversions); this module only applies them. Units are never converted silently: `convert` is
called on request and only for pairs declared in unit_conversions.csv.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pandas as pd

from dashboard import catalogue, contract
from dashboard.config import CATALOGUE_DIR


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(CATALOGUE_DIR / name, dtype=str, keep_default_na=False)


@cache
def country_codes() -> pd.DataFrame:
    """ISO 3166-1 countries plus the few non-ISO codes publishers use (XKX, CHI ...): iso3, iso_n3, name."""
    return _read("country_codes.csv").set_index("iso3", drop=False)


@cache
def aggregates() -> pd.DataFrame:
    """Publishers' aggregate areas (regions, income groups, world): publisher, code, name, kind."""
    return _read("aggregates.csv")


@cache
def unit_conversions() -> pd.DataFrame:
    """Declared conversions between indicators that measure the same thing in different units."""
    frame = _read("unit_conversions.csv")
    frame["factor"] = frame["factor"].astype(float)
    return frame


def normalise_name(name: str) -> str:
    """A country name folded for matching: no accents, one kind of apostrophe, lower case, single spaces."""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


@cache
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    frame = _read("country_aliases.csv")
    codes = dict(frame.loc[frame["kind"] == "code", ["alias", "iso3"]].itertuples(index=False))
    names = {normalise_name(a): i for a, i in frame.loc[frame["kind"] == "name", ["alias", "iso3"]]
             .itertuples(index=False)}
    # Official names in the code list and the curated catalogue match too; aliases win on conflict.
    for source in (country_codes(), catalogue.countries()):
        for iso3, name in source[["iso3", "name"]].itertuples(index=False):
            names.setdefault(normalise_name(name), iso3)
    return codes, names


def iso3_for_code(code: str) -> str | None:
    """The ISO3 (or publisher area code) a country code stands for, or None when unknown."""
    code = code.strip().upper()
    if code in country_codes().index:
        return code
    return _aliases()[0].get(code)


def iso3_for_name(name: str) -> str | None:
    """The ISO3 code of a country name as written by WHO, the World Bank or ISO, or None when unknown."""
    return _aliases()[1].get(normalise_name(name))


def aggregate_name(publisher: str, code: str) -> str | None:
    """The name of a publisher's aggregate area ('WB', 'HIC' -> 'High income'), or None."""
    frame = aggregates()
    match = frame[(frame["publisher"] == publisher) & (frame["code"] == code)]
    return None if match.empty else str(match["name"].iloc[0])


def is_aggregate_code(publisher: str, code: str) -> bool:
    """True when `code` is one of the publisher's known aggregate areas."""
    return aggregate_name(publisher, code) is not None


def country_rows(areas: pd.DataFrame) -> pd.DataFrame:
    """dim_country rows for the areas an import mentions; grain: one row per iso3.

    `areas` has iso3 and is_aggregate, and optionally name, who_region, wb_region, income_group as the
    file states them. WHO member states take every attribute from the curated catalogue (so all
    sources agree on one current classification); other areas keep the file's values, with names and
    numeric codes filled from country_codes.csv.
    """
    codes = country_codes()
    members = catalogue.countries().set_index("iso3")
    rows = []
    for area in areas.drop_duplicates("iso3", keep="first").to_dict("records"):
        iso3, aggregate = area["iso3"], bool(area["is_aggregate"])
        row = {c: _text(area.get(c)) for c in ("name", "who_region", "wb_region", "income_group")}
        row.update(iso3=iso3, is_aggregate=aggregate, iso_n3=None)
        if not aggregate and iso3 in members.index:
            member = members.loc[iso3]
            row.update({c: member[c] for c in ("iso_n3", "name", "who_region", "wb_region", "income_group")})
        elif not aggregate and iso3 in codes.index:
            row["iso_n3"] = codes.loc[iso3, "iso_n3"] or None
            row["name"] = row["name"] or codes.loc[iso3, "name"]
        row["name"] = row["name"] or iso3
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(contract.COLUMNS["dim_country"]), dtype=object)
    return contract.conform("dim_country", out)


def _text(value) -> str | None:
    """A stripped string, or None for missing or empty values."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value).strip() or None


def convert(values: pd.DataFrame, to_code: str) -> pd.DataFrame:
    """Express values of other indicators in `to_code`'s unit, using only declared conversions.

    `values` has indicator_code, estimate and optionally ci_lower/ci_upper; rows already in `to_code`
    pass unchanged. The result keeps every other column (source_code stays the publisher's own) and
    adds `converted_from` (the original indicator_code, null when unchanged) and `factor`.
    Raises ValueError naming any indicator with no declared conversion to `to_code`.
    """
    table = unit_conversions()
    factors = dict(table.loc[table["to_code"] == to_code, ["from_code", "factor"]].itertuples(index=False))
    factors[to_code] = 1.0
    unknown = sorted(set(values["indicator_code"]) - set(factors))
    if unknown:
        raise ValueError(f"no declared unit conversion from {', '.join(unknown)} to {to_code} "
                         "(see dashboard/catalogue/unit_conversions.csv)")
    out = values.copy()
    out["factor"] = out["indicator_code"].map(factors).astype(float)
    out["converted_from"] = out["indicator_code"].where(out["indicator_code"] != to_code)
    for column in ("estimate", "ci_lower", "ci_upper"):
        if column in out.columns:
            out[column] = out[column] * out["factor"]
    out["indicator_code"] = to_code
    return out
