"""Run an import or a fetch end to end: read the publisher's data, commit it to the import store, summarise."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from dashboard.sources import dhs, espar, gho, store, wdi
from dashboard.sources import fetch as connectors
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet
from dashboard.sources.webclient import Client

KINDS = ("wdi", "gho", "espar", "dhs")


def summary(import_set: ImportSet) -> str:
    """One line saying what an import holds."""
    tables = import_set.tables
    values = len(tables.get("fct_indicator_value", ()))
    countries = tables.get("dim_country")
    areas = 0 if countries is None else len(countries)
    aggregates = 0 if countries is None else int(countries["is_aggregate"].sum())
    indicators = len(tables.get("dim_indicator", ()))
    return (f"{import_set.source_code}: {values:,} values of {indicators} indicator(s), "
            f"{areas - aggregates} countries and {aggregates} aggregates")


def import_files(kind: str, files: Iterable[Path], *, imports_dir: Path, indicators: list[str] | None = None,
                 release: str | None = None, progress: Callable[[str], None] = lambda m: None) -> list[str]:
    """Read publisher files of one kind, commit them to the store; one summary line per release stored."""
    files = [Path(f) for f in files]
    for file in files:
        if not file.is_file():
            raise ImportFormatError(file, "no such file")
    if kind == "wdi":
        sets = wdi.read(files, indicators=indicators, release=release, progress=progress)
    elif kind == "gho":
        sets = gho.read(files, progress=progress)
    elif kind == "espar":
        sets = espar.read(files, progress=progress)
    elif kind == "dhs":
        sets = dhs.read(files, admin1=dhs.store_admin1(imports_dir), progress=progress)
    else:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    store.commit(sets, imports_dir, progress)
    return [summary(s) for s in sets]


def fetch(kind: str, codes: list[str] | None, *, cache_dir: Path, imports_dir: Path, session=None,
          refresh: bool = False, countries: list[str] | None = None,
          progress: Callable[[str], None] = lambda m: None) -> list[str]:
    """Fetch indicators from a publisher API (cached), commit them; one summary line per release stored."""
    client = Client(Path(cache_dir) / kind, session, refresh=refresh)
    if kind == "wdi":
        sets = connectors.fetch_wdi(codes, client=client, progress=progress)
    elif kind == "gho":
        sets = connectors.fetch_gho(codes, client=client, progress=progress)
    elif kind == "dhs":
        sets = connectors.fetch_dhs(codes, countries, client=client, admin1=dhs.store_admin1(imports_dir),
                                    progress=progress)
    else:
        raise ValueError(f"unknown fetch kind {kind!r}; expected one of {', '.join(KINDS)}")
    store.commit(sets, imports_dir, progress)
    return [summary(s) for s in sets]
