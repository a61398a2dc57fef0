"""Turn one release's normalised values into a checked ImportSet: source row, values, countries, indicators.

Importers hand over values in the warehouse's long format plus three locating columns (`_path`,
`_line`, `_column`) so that a duplicated key or an implausible value is reported where it sits in
the publisher's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard import catalogue, contract
from dashboard.sources import harmonise, indicator_meta
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet

FCT = "fct_indicator_value"
KEY = ["indicator_code", "iso3", "year", "dimension", "subgroup"]
LOCATORS = ["_path", "_line", "_column"]


@dataclass
class Release:
    """Provenance of one publisher release as it will appear in dim_source."""

    source_code: str
    publisher_code: str          # the catalogue's publisher source (WB_WDI, WHO_GHO)
    title: str
    release: str | None
    retrieved_at: datetime
    url: str | None = None
    licence: str | None = None   # the file's own licence statement, when it has one


def file_time(paths: list[Path]) -> datetime:
    """Retrieval time of files: the latest modification time, as naive UTC."""
    latest = max(Path(p).stat().st_mtime for p in paths)
    return datetime.fromtimestamp(latest, tz=UTC).replace(tzinfo=None, microsecond=0)


def source_frame(release: Release) -> pd.DataFrame:
    """The one dim_source row of a release, with publisher, licence and citation from the catalogue."""
    publisher = catalogue.sources().set_index("source_code").loc[release.publisher_code]
    licence = release.licence or publisher["licence"]
    label = f" (release {release.release})" if release.release else ""
    citation = f"{publisher['publisher']}. {release.title}{label}. Licence: {licence}."
    return contract.conform("dim_source", pd.DataFrame([{
        "source_code": release.source_code, "publisher": publisher["publisher"], "title": release.title,
        "release": release.release, "url": release.url or publisher["url"], "licence": licence,
        "citation": citation, "retrieved_at": pd.Timestamp(release.retrieved_at), "is_synthetic": False,
    }]))


def check_unique(values: pd.DataFrame) -> None:
    """Raise naming both lines when two values share indicator, area, year, dimension and subgroup."""
    repeated = values.duplicated(KEY, keep=False)
    if not repeated.any():
        return
    clash = values[repeated].sort_values("_line", kind="stable")
    first = clash.iloc[0]
    same = clash[(clash[KEY] == first[KEY]).all(axis=1)]
    second = same.iloc[1]
    key = ", ".join(str(first[k]) for k in KEY)
    raise ImportFormatError(second["_path"], f"duplicated key ({key}): also on line {first['_line']}"
                            + ("" if first["_path"] == second["_path"] else f" of {first['_path']}"),
                            line=int(second["_line"]), column=second["_column"])


def check_plausible(values: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Raise at the first estimate outside its indicator's plausible range."""
    bounds = indicators.set_index("indicator_code")[["plausible_min", "plausible_max", "unit"]]
    joined = values.join(bounds, on="indicator_code")
    outside = (joined["estimate"] < joined["plausible_min"]) | (joined["estimate"] > joined["plausible_max"])
    if outside.any():
        row = joined[outside.fillna(False)].sort_values("_line", kind="stable").iloc[0]
        raise ImportFormatError(
            row["_path"], f"{row['estimate']:g} is outside the plausible range "
            f"[{row['plausible_min']:g}, {row['plausible_max']:g}] of {row['indicator_code']} "
            f"({row['unit']}); fix the file or the range in dashboard/catalogue/indicators.csv",
            line=int(row["_line"]), column=row["_column"])


def assemble(release: Release, values: pd.DataFrame, areas: pd.DataFrame,
             described: list[indicator_meta.FileIndicator]) -> ImportSet:
    """An ImportSet for one release. `values` is long format plus locators; `areas` feeds dim_country."""
    check_unique(values)
    indicators = indicator_meta.indicator_rows(described, release.source_code, values)
    check_plausible(values, indicators)
    facts = values.drop(columns=[c for c in LOCATORS if c in values.columns]).copy()
    facts["source_code"] = release.source_code
    facts = contract.conform(FCT, facts)
    tables = {FCT: facts, "dim_indicator": indicators}
    if len(areas):
        tables["dim_country"] = harmonise.country_rows(areas)
    return ImportSet(source=source_frame(release), tables=tables)


def countries_only(release: Release, areas: pd.DataFrame) -> ImportSet:
    """An ImportSet holding only area classifications (a country list imported without values)."""
    return ImportSet(source=source_frame(release), tables={"dim_country": harmonise.country_rows(areas)})


def long_values(**columns) -> pd.DataFrame:
    """National ('Total') values in the long format from equal-length columns (indicator_code, iso3 ...).

    Every contract column is present and typed: contract.conform cannot cast an all-NA object column
    to float, so the optional numeric columns start as NaN rather than pd.NA.
    """
    frame = pd.DataFrame(columns)
    n = len(frame)
    defaults = {
        "admin1_code": pd.array([pd.NA] * n, dtype="string"),
        "dimension": contract.TOTAL, "subgroup": contract.TOTAL,
        "subgroup_order": pd.array([pd.NA] * n, dtype="Int64"),
        "ordered_dimension": False, "reference_subgroup": False,
        "se": float("nan"), "ci_lower": float("nan"), "ci_upper": float("nan"),
        "population": float("nan"), "flag": pd.array([pd.NA] * n, dtype="string"),
    }
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    return frame
