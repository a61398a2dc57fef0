"""Subnational values matched to admin-1 shapes, for the region maps of the Equity and Country pages.

Pure reshaping: equity/subgroups_by_year rows of the 'Subnational region' dimension and a country's
(admin1_code, name) areas in, one row per region value out, with the national value of the same year as
reference and what could not be matched listed both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard import contract
from dashboard.charts.layout import with_unit
from dashboard.sources import admin1_match

COLUMNS = ["admin1_code", "region", "subgroup", "year", "estimate", "ci_lower", "ci_upper", "difference",
           "population", "matched_by", "source_code"]


@dataclass(frozen=True)
class RegionValues:
    """One survey year's regional values of one indicator in one country (grain of `table`: one row per
    subnational subgroup with a value; `admin1_code` empty when no shape matched it)."""

    table: pd.DataFrame  # COLUMNS
    year: int
    reference: float | None  # the national value of the same year and source (None when there is none)
    unmatched_values: tuple[str, ...]  # subgroups with a value but no shape
    unmatched_shapes: tuple[str, ...]  # areas with a shape but no value

    @property
    def mapped(self) -> pd.DataFrame:
        """The rows drawn on the map: those matched to a shape."""
        return self.table[self.table["admin1_code"].notna()]


def latest_year(rows: pd.DataFrame) -> int | None:
    """The latest survey year with at least one regional estimate (None when there is none)."""
    years = rows.loc[rows["estimate"].notna(), "year"]
    return int(years.max()) if not years.empty else None


def region_values(rows: pd.DataFrame, areas: Sequence[tuple[str, str]], *, year: int | None = None,
                  aliases: Mapping[str, str] | None = None) -> RegionValues:
    """Match one year's subnational rows (default: the latest) to the areas (admin1_code, name).

    A row matches the area whose code equals its admin1_code, else (dashboard.sources.admin1_match) the
    area whose code or normalised name equals its subgroup, directly or through `aliases`. An area takes
    the first row that matches it; a later one is listed as unmatched. `difference` is the estimate minus
    the national value of that year (empty without one).
    """
    year = latest_year(rows) if year is None else int(year)
    chosen = rows[(rows["year"] == year) & rows["estimate"].notna()].reset_index(drop=True)
    names = dict(areas)
    by_code = {code.casefold(): code for code in names}
    codes = [by_code.get(str(c).casefold()) if isinstance(c, str) else None for c in chosen["admin1_code"]]
    method = ["code" if code else None for code in codes]
    left = [i for i, code in enumerate(codes) if code is None]
    if left:
        free = [(code, name) for code, name in areas if code not in set(codes)]
        report = admin1_match.match_subgroups(free, chosen.loc[left, "subgroup"], aliases=aliases)
        found = {m.subgroup: m for m in report.matches}
        for i in left:
            match = found.get(str(chosen.at[i, "subgroup"]))
            if match is not None:
                codes[i], method[i] = match.admin1_code, match.method
    taken: set[str] = set()
    for i, code in enumerate(codes):
        if code in taken:
            codes[i] = method[i] = None
        elif code is not None:
            taken.add(code)
    national = chosen["setting_average"].dropna() if "setting_average" in chosen else pd.Series(dtype=float)
    reference = float(national.iloc[0]) if not national.empty else None
    table = pd.DataFrame({
        "admin1_code": pd.array(codes, dtype="string"),
        "region": [names.get(c, s) if c else s for c, s in zip(codes, chosen["subgroup"])],
        "subgroup": chosen["subgroup"], "year": year, "estimate": chosen["estimate"],
        "ci_lower": chosen["ci_lower"], "ci_upper": chosen["ci_upper"],
        "difference": chosen["estimate"] - reference if reference is not None else float("nan"),
        "population": chosen["population"], "matched_by": pd.array(method, dtype="string"),
        "source_code": chosen["source_code"],
    }, columns=COLUMNS)
    return RegionValues(
        table=table, year=year, reference=reference,
        unmatched_values=tuple(table.loc[table["admin1_code"].isna(), "subgroup"].astype(str)),
        unmatched_shapes=tuple(name for code, name in areas if code not in taken),
    )


def heading(result: RegionValues, *, name: str, unit: str, place: str) -> str:
    """'Kenya: DTP3 coverage (%) by region, 2022'."""
    return f"{place}: {with_unit(name, unit)} by region, {result.year}"


def reference_line(result: RegionValues, *, unit: str, decimals: int, favourable: bool) -> str:
    """What the colours mean, around the national value."""
    if result.reference is None:
        return (f"No national value for {result.year}: darker = higher. Grey = a region without a value.")
    value = f"{result.reference:,.{decimals}f}{'' if unit in ('', None) else ' ' + unit}".replace(" %", "%")
    better, worse = ("above", "below") if favourable else ("below", "above")
    return (f"White = the national value ({value}, {result.year}); purple = better ({better} it), "
            f"orange = worse ({worse} it), darker = further from it. Grey = a region without a value.")


def unmatched_line(result: RegionValues) -> str | None:
    """The regions the map cannot show and the shapes left without a value, in one line (None when all
    matched)."""
    parts = []
    if result.unmatched_values:
        parts.append(f"Values without a shape ({len(result.unmatched_values)}, not drawn): "
                     + ", ".join(result.unmatched_values))
    if result.unmatched_shapes:
        parts.append(f"shapes without a value ({len(result.unmatched_shapes)}, grey): "
                     + ", ".join(result.unmatched_shapes))
    if not parts:
        return None
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def region_indicators(dimensions: pd.DataFrame) -> dict[str, str]:
    """indicator_code -> 'short name (unit)' of the indicators with subnational values (from
    equity/dimensions_by_indicator), in the query's order."""
    regional = dimensions[dimensions["dimension"] == contract.DIM_SUBNATIONAL].drop_duplicates("indicator_code")
    return dict(zip(regional["indicator_code"], map(with_unit, regional["short_name"], regional["unit"])))


PREFERRED = ("SH.IMM.IDPT",)  # the profile's regional map opens on DTP3 coverage where it has regional values


def region_default(dimensions: pd.DataFrame) -> str:
    """The indicator a regional map opens on: a preferred one with subnational values, else the first;
    '' when there is none."""
    options = list(region_indicators(dimensions))
    return next((code for code in PREFERRED if code in options), options[0] if options else "")
