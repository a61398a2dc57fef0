"""Command line: `python -m dashboard <command>`; every command reports problems as one clear line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import typer

from dashboard import config, navigation

T = TypeVar("T")

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Health systems strengthening dashboard: build, import, fetch, equity measures, benchmark.")
import_app = typer.Typer(no_args_is_help=True, help="Import publisher files into data/imports/ and rebuild.")
fetch_app = typer.Typer(no_args_is_help=True, help="Fetch indicators from publisher APIs and rebuild.")
capacity_app = typer.Typer(no_args_is_help=True, help="Capacity-survey aggregates, through the suppression rule.")
app.add_typer(import_app, name="import")
app.add_typer(fetch_app, name="fetch")
app.add_typer(capacity_app, name="capacity")


MAX_MESSAGE = 2_000  # characters of an error line: a message may quote a value a hostile file made megabytes long


def fail(message: str) -> None:
    """Print the message to stderr (at most MAX_MESSAGE characters) and exit with status 1; no traceback
    reaches the user."""
    from dashboard.sources.errors import short

    typer.secho(f"error: {short(str(message), MAX_MESSAGE)}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@app.command()
def build(
    no_demo: bool = typer.Option(False, "--no-demo", help="Build from imports alone, without the synthetic demo."),
    scale: int = typer.Option(None, "--scale", min=1, help="Demo size multiplier (100 gives >20 million values)."),
    warehouse: Path | None = typer.Option(None, help="Target file (default: the warehouse setting)."),
) -> None:
    """Build the warehouse from the demo source and every import, then swap it into place."""
    from dashboard import build as builder

    try:
        result = builder.build(
            target=warehouse or config.path("warehouse"),
            demo_scale=None if no_demo else (scale or config.get("demo_scale")),
            imports_dir=config.path("imports_dir"),
            progress=lambda message: typer.echo(message),
        )
    except builder.BuildError as exc:
        fail(str(exc))
    typer.echo(f"built {result.path} (build {result.build_id}): "
               + ", ".join(f"{t} {n:,}" for t, n in result.row_counts.items()))


@import_app.command("boundaries")
def import_boundaries(
    file: Path = typer.Argument(..., help="GeoJSON, TopoJSON, GeoPackage or zipped shapefile of admin-1 areas."),
    iso3: str = typer.Option(..., "--iso3", help="ISO 3166-1 alpha-3 code of the country the file covers."),
    name_field: str | None = typer.Option(None, "--name-field", help="Field holding the area name."),
    code_field: str | None = typer.Option(None, "--code-field", help="Field holding the area code."),
    layer: str | None = typer.Option(None, "--layer", help="Layer to read when the file holds several."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import one country's admin-1 boundaries, rebuild, and report how the data's regions match them."""
    from dashboard.sources import admin1_match, boundaries

    def write():
        try:
            target, result = boundaries.import_file(file, iso3, config.path("imports_dir"),
                                                    name_field=name_field, code_field=code_field, layer=layer)
        except boundaries.BoundaryFormatError as exc:
            fail(str(exc))
        typer.echo(f"imported {len(result.areas)} admin-1 areas of {result.iso3} into {target} "
                   f"(names from {result.name_field}, codes from {result.code_field or 'the names'}); "
                   f"geometry {len(result.geojson) / 1000:,.0f} KB, {result.vertices:,} of "
                   f"{result.source_vertices:,} vertices kept (tolerance {result.tolerance:.2g} degrees)")
        return result

    result, built = _import_and_rebuild(write, no_build)
    if built is None:
        typer.echo("not matched: the build matches the data's subnational regions to these boundaries")
        return
    subgroups = built.subnational_subgroups.get(result.iso3, [])
    if not subgroups:
        typer.echo(f"the warehouse has no 'Subnational region' values for {result.iso3} to match")
        return
    report = admin1_match.match_subgroups(zip(result.areas["admin1_code"], result.areas["name"]), subgroups,
                                          aliases=admin1_match.load_aliases(result.iso3))
    for line in report.lines():
        typer.echo(line)


EQUITY_KEYS = ["setting", "date", "indicator_abbr", "dimension"]


@app.command()
def publish(
    to: str | None = typer.Option(None, "--to", metavar="DIR_OR_URL",
                                  help="Publication store: a directory or an fsspec URL such as s3://bucket/prefix "
                                       "(default: the publication setting)."),
    warehouse: Path | None = typer.Option(None, help="Warehouse file to publish (default: the warehouse setting)."),
    rollback: str | None = typer.Option(None, "--rollback", metavar="BUILD_ID",
                                        help="Publish nothing; point replicas at this already published build."),
    list_builds: bool = typer.Option(False, "--list", help="List the published builds and which one is current."),
) -> None:
    """Publish the warehouse to a publication store for replicas: artefact, manifest, then the pointer."""
    from dashboard import publish as publication

    location = to or config.get("publication")
    if not location:
        fail("no publication store: give --to DIR_OR_URL or set HSS_PUBLICATION")
    try:
        if list_builds:
            store = publication.Store(location)
            pointer = publication.current(store)
            builds = publication.published(store)
            for m in builds:
                mark = "*" if m.build_id == pointer else " "
                typer.echo(f"{mark} {m.build_id}  published {m.published_at}  "
                           f"{m.row_counts.get('fct_indicator_value', 0):,} values  sha256 {m.sha256[:12]}")
            if not builds:
                typer.echo(f"no published builds in {location}")
            return
        if rollback:
            manifest = publication.point_to(location, rollback)
            typer.echo(f"pointer of {location} moved to build {manifest.build_id}")
            return
        manifest = publication.publish(warehouse or config.path("warehouse"), location, progress=typer.echo)
    except publication.PublicationError as exc:
        fail(str(exc))
    typer.echo(f"published build {manifest.build_id} to {location} (sha256 {manifest.sha256}); pointer moved")


@app.command("equity")
def equity_measures(
    input_file: Path = typer.Argument(..., metavar="INPUT", help="HEAT Plus file (.csv or .xlsx)."),
    out: Path | None = typer.Option(None, "--out", help="Output file: .csv, or .parquet (default: CSV to stdout)."),
    seed: int = typer.Option(123456, "--seed", help="Seed of the simulation confidence intervals."),
) -> None:
    """HEAT summary measures: one row per setting x date x indicator x dimension x measure."""
    import os
    import uuid

    from dashboard import equity
    from dashboard.sources import heat

    try:
        result = equity.summarise(heat.read(input_file), EQUITY_KEYS, seed=seed)
    except (heat.HeatFormatError, ValueError) as exc:
        fail(str(exc))
    if out is None:
        typer.echo(result.to_csv(index=False), nl=False)
        return
    if not out.parent.is_dir():
        fail(f"{out}: folder {out.parent} does not exist")
    # Written beside the target and renamed, so a failure never leaves a partial output file.
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if out.suffix.lower() == ".parquet":
            result.to_parquet(staging, index=False)
        else:
            result.to_csv(staging, index=False)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    typer.echo(f"wrote {len(result):,} summary measures to {out}", err=True)


@app.command("uhc")
def uhc_index(
    input_file: Path = typer.Argument(..., metavar="INPUT", help="Tracer values, long form: iso3, year, tracer, "
                                      "value (.csv or .parquet); tracer keys are listed in the README."),
    out: Path | None = typer.Option(None, "--out", help="Output file: .csv, or .parquet (default: CSV to stdout)."),
) -> None:
    """UHC service coverage index (SDG 3.8.1) and its four sub-indices: one row per country-year."""
    import os
    import uuid

    from dashboard import catalogue, uhc

    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        fail(f"{out}: expected a .csv or .parquet output file, got '{out.suffix}'")
    if out is not None and not out.parent.is_dir():
        fail(f"{out}: folder {out.parent} does not exist")
    values = _read_tracer_values(input_file)
    countries = catalogue.countries()
    try:
        # Inputs a country lacks altogether take the median of its WHO region's countries in the file.
        result = uhc.compute(values, regions=dict(zip(countries["iso3"], countries["who_region"])))
    except uhc.TracerInputError as exc:
        fail(f"{input_file}: {exc}")
    if result.empty:
        typer.echo("note: no country-year has a value for every tracer it needs, so there is no index", err=True)
    if out is None:
        typer.echo(result.to_csv(index=False), nl=False)
        return
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if out.suffix.lower() == ".parquet":
            result.to_parquet(staging, index=False)
        else:
            result.to_csv(staging, index=False)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    count = result["iso3"].nunique()
    typer.echo(f"wrote the index for {len(result):,} country-years of {count} "
               f"{'country' if count == 1 else 'countries'} to {out}", err=True)


def _read_tracer_values(path: Path) -> pd.DataFrame:
    """The input file's cells, indexed by spreadsheet row (the header is row 1); fails in one line."""
    if not path.is_file():
        fail(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            fail(f"{path}: expected a .csv or .parquet file, got '{path.suffix}'")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        fail(f"{path}: not a readable {suffix[1:]} file ({str(exc).splitlines()[0]})")
    if frame.empty:
        fail(f"{path}: row 2: the file has no data rows")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


@import_app.command("heat")
def import_heat(
    files: list[Path] = typer.Argument(..., metavar="FILE", help="HEAT Plus files (.csv or .xlsx)."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the imports without rebuilding."),
) -> None:
    """Import HEAT Plus files (all validated before any is written), then rebuild the warehouse."""
    from dashboard import contract
    from dashboard.sources import heat, imports

    checked = {}
    for file in files:
        try:
            import_set = imports.validate(heat.to_import_set(heat.read(file), file), origin=str(file))
        except (heat.HeatFormatError, contract.ContractError) as exc:
            fail(str(exc))
        if import_set.source_code in checked:
            fail(f"{file} and {checked[import_set.source_code][0]} would both be stored as "
                 f"{import_set.source_code}; rename one of them")
        checked[import_set.source_code] = (file, import_set)

    def write():
        for file, import_set in checked.values():
            target = imports.write(import_set, config.path("imports_dir"), origin=str(file))
            values = import_set.tables["fct_indicator_value"]
            typer.echo(f"imported {len(values):,} values of {len(import_set.tables['dim_indicator'])} "
                       f"indicator(s) from {file} into {target}")

    _import_and_rebuild(write, no_build)


@import_app.command("survey")
def import_survey(
    file: Path = typer.Argument(..., help="KoboToolbox or ODK Central export (.csv with ';' or ',', or .xlsx)."),
    mapping: Path = typer.Option(..., "--mapping", help="Mapping file (YAML): items, kinds, answer scales, "
                                 "respondent columns (format in the README)."),
    sheet: str | None = typer.Option(None, "--sheet", help="Sheet of an XLSX export (default: the first)."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import a capacity-survey export through a mapping; personal columns are dropped, identifiers hashed."""
    from dashboard import contract
    from dashboard.sources import imports, survey
    from dashboard.sources.errors import ImportFormatError

    salt_file = config.path("survey_salt_file")
    new_folder = not salt_file.parent.exists()
    try:
        salt, new_salt = survey.salt(salt_file)
        import_set, report = survey.to_import_set(file, survey.load_mapping(mapping), salt, sheet=sheet)
        import_set = imports.validate(import_set, origin=str(file))
    except (survey.MappingError, ImportFormatError, contract.ContractError) as exc:
        fail(str(exc).replace("\n", " "))

    def write():
        target = imports.write(import_set, config.path("imports_dir"), origin=str(file))
        if new_salt:
            survey.write_salt(salt_file, salt)
        typer.echo(f"imported {file} into {target}")
        for line in report.lines():
            typer.echo(line)

    try:
        _import_and_rebuild(write, no_build)
    except typer.Exit:
        if new_salt:  # the import was rolled back: leave no salt behind either
            salt_file.unlink(missing_ok=True)
            if new_folder and salt_file.parent.is_dir() and not any(salt_file.parent.iterdir()):
                salt_file.parent.rmdir()
        raise


def _import_and_rebuild(write: Callable[[], T], no_build: bool):
    """Run `write` (an import or fetch writing to the import store), then rebuild the warehouse; returns
    what `write` returned and the build's result (None with --no-build).

    The importers check their own input, but only the build's data checks see an import beside the
    others (e.g. two files with values for the same key). When the rebuild fails, the import store is
    put back exactly as it was, so the failed import cannot block later builds; the warehouse is
    untouched because a build only replaces it once every check has passed.
    """
    from dashboard import build as builder
    from dashboard.sources import store

    if no_build:
        stored = write()
        typer.echo("not rebuilt (--no-build): the import is stored without the build's data checks and stays "
                   "even if `python -m dashboard build` then fails one")
        return stored, None
    imports_dir = config.path("imports_dir")
    try:
        with store.kept_unless_failed(imports_dir):
            stored = write()
            built = _rebuild()
    except builder.BuildError as exc:
        headline, details = _build_failure(exc)
        for line in details:
            typer.echo(line)
        fail(f"{headline}; the import was rolled back ({imports_dir} is as it was) and the warehouse is unchanged")
    return stored, built


def _build_failure(exc: Exception) -> tuple[str, list[str]]:
    """(one line naming every failed data check, or the build error; the lines with offending rows)."""
    lines = str(exc).splitlines()
    checks = [line.removesuffix(", e.g.") for line in lines if line.startswith("data check ")]
    if not checks:
        return " ".join(lines), []
    return "; ".join(checks), lines


def _rebuild():
    """Rebuild the warehouse after an import or fetch, keeping its demo setting: a warehouse built with
    --no-demo stays without the demo. Raises BuildError when the build fails."""
    from dashboard import build as builder
    from dashboard import db

    target = config.path("warehouse")
    demo_scale = config.get("demo_scale")
    if target.exists():
        current = db.open_read_only(target)
        demo_scale = None if pd.isna(current.meta["demo_scale"]) else int(current.meta["demo_scale"])
        current.connection.close()
    result = builder.build(target=target, demo_scale=demo_scale,
                           imports_dir=config.path("imports_dir"), progress=typer.echo)
    typer.echo(f"built {result.path} (build {result.build_id})")
    return result


def _publisher_data(run) -> None:
    """Run an import or fetch, printing its summary; bad input or an unreachable API fails in one line."""
    from dashboard.contract import ContractError
    from dashboard.sources.errors import ImportFormatError
    from dashboard.sources.webclient import FetchError

    try:
        lines = run()
    except (ImportFormatError, ContractError, FetchError) as exc:
        fail(str(exc).replace("\n", " "))
    if not lines:
        typer.echo("nothing stored: the files hold no values or area lists")
    for line in lines:
        typer.echo(f"imported {line}")


def _import_publisher_files(kind: str, files: list[Path], no_build: bool, **options) -> None:
    """Import publisher files of one kind (sources.pipeline) into data/imports/, then rebuild."""
    from dashboard.sources import pipeline

    _import_and_rebuild(lambda: _publisher_data(lambda: pipeline.import_files(
        kind, files, imports_dir=config.path("imports_dir"), progress=typer.echo, **options)), no_build)


@import_app.command("wdi")
def import_wdi(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="World Bank API CSV downloads (API_*.csv: "
                                       "WDI, or WGI such as GE.EST), saved API v2 JSON pages, Metadata_* companions, "
                                       "or bulk files (WDICSV.csv, WDICountry.csv, WDISeries.csv)."),
    indicator: list[str] | None = typer.Option(None, "--indicator", help="Series to import (repeatable; default: "
                                                  "all of a download, the catalogue's for a bulk file)."),
    release: str | None = typer.Option(None, "--release", help="Publisher's release date of a bulk file (YYYY-MM-DD)."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import World Bank WDI (and WGI) files into data/imports/, then rebuild the warehouse."""
    _import_publisher_files("wdi", files, no_build, indicators=indicator or None, release=release)


@import_app.command("gho")
def import_gho(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="WHO GHO files: OData JSON, theme download "
                                       "data/*.csv (codes/ found beside), who.int export CSV or Athena API CSV."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import WHO GHO files into data/imports/ (shape detected from content), then rebuild the warehouse."""
    _import_publisher_files("gho", files, no_build)


@import_app.command("espar")
def import_espar(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="WHO e-SPAR 'Score by capacity & indicator' "
                                       "workbooks (.xlsx), one per reporting year."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import IHR States Parties self-assessment scores (WHO e-SPAR) into data/imports/, then rebuild."""
    _import_publisher_files("espar", files, no_build)


def _fetch(kind: str, indicator: list[str] | None, refresh: bool, no_build: bool,
           country: list[str] | None = None) -> None:
    from dashboard.sources import pipeline

    _import_and_rebuild(lambda: _publisher_data(lambda: pipeline.fetch(
        kind, indicator or None, cache_dir=config.path("cache_dir"), imports_dir=config.path("imports_dir"),
        refresh=refresh, countries=country or None, progress=typer.echo)), no_build)


@fetch_app.command("wdi")
def fetch_wdi(
    indicator: list[str] | None = typer.Option(None, "--indicator", help="Indicator code (repeatable; default: "
                                                  "the catalogue's World Bank indicators: WDI, and WGI from API source 3)."),
    refresh: bool = typer.Option(False, "--refresh", help="Ignore cached API responses."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the data without rebuilding."),
) -> None:
    """Fetch indicators from the World Bank API v2 (WDI; WGI codes from source 3; cached under cache_dir), then
    rebuild."""
    _fetch("wdi", indicator, refresh, no_build)


@fetch_app.command("gho")
def fetch_gho(
    indicator: list[str] | None = typer.Option(None, "--indicator", help="Indicator code (repeatable; default: "
                                                  "the catalogue's WHO GHO indicators)."),
    refresh: bool = typer.Option(False, "--refresh", help="Ignore cached API responses."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the data without rebuilding."),
) -> None:
    """Fetch indicators from the WHO GHO OData API (cached under cache_dir), then rebuild."""
    _fetch("gho", indicator, refresh, no_build)


@import_app.command("dhs")
def import_dhs(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Saved DHS Program API answers (JSON, one page "
                                       "or several) or CSVs with the API's field names as columns."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import DHS Program survey indicators (one release per survey) into data/imports/, then rebuild."""
    _import_publisher_files("dhs", files, no_build)


@fetch_app.command("dhs")
def fetch_dhs(
    indicator: list[str] | None = typer.Option(None, "--indicator", help="DHS indicator id, e.g. RH_DELA_C_SKP "
                                                  "(repeatable; default: those in dashboard/catalogue/dhs_indicators.csv)."),
    country: list[str] | None = typer.Option(None, "--country", help="ISO3 code (repeatable; default: every "
                                                "country with DHS surveys)."),
    refresh: bool = typer.Option(False, "--refresh", help="Ignore cached API responses."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the data without rebuilding."),
) -> None:
    """Fetch DHS survey indicators with every breakdown from the DHS Program API (cached), then rebuild."""
    _fetch("dhs", indicator, refresh, no_build, country)


@app.command("extract")
def extract_values(
    indicator: list[str] = typer.Option([], "--indicator", help="Indicator code (repeat for several)."),
    country: list[str] = typer.Option([], "--country", help="ISO3 code (repeat; default all)."),
    region: list[str] = typer.Option([], "--region", help="WHO region code, e.g. AFR (repeat; default all)."),
    income_group: list[str] = typer.Option([], "--income-group", help="World Bank income group (repeat)."),
    wb_region: list[str] = typer.Option([], "--wb-region", help="World Bank region code, e.g. SSF (repeat)."),
    block: list[str] = typer.Option([], "--block", help="Every indicator of a building block (repeat)."),
    domain: list[str] = typer.Option([], "--domain", help="Every indicator of a domain, e.g. coverage (repeat)."),
    subgroup: list[str] = typer.Option([], "--subgroup", help="Only these subgroups of the dimensions (repeat)."),
    year_from: int = typer.Option(1900, "--from", help="First year."),
    year_to: int = typer.Option(2100, "--to", help="Last year."),
    dimension: list[str] = typer.Option(["Total"], "--dimension",
                                        help="Dimension ('Total' = national value; repeat; default Total)."),
    subnational: bool = typer.Option(False, "--subnational", help="Include values of subnational areas."),
    out: Path = typer.Option(..., "--out", help="FILE.parquet, FILE.csv.zip or FILE.xlsx."),
) -> None:
    """Write an extract with its metadata: the same file the Extract page gives for the same selection."""
    from dashboard import db, extract
    from dashboard.views import extract as extract_view

    fmt = next((f for f, suffix in extract.FORMATS.items() if out.name.endswith(suffix)), None)
    if fmt is None:
        fail(f"--out {out}: the name must end in {', '.join(extract.FORMATS.values())}")
    try:
        warehouse = db.open_read_only(config.path("warehouse"), memory_limit=config.get("extract_memory_limit"))
    except (db.WarehouseMissing, db.WarehouseUnreadable) as exc:
        fail(str(exc))
    try:
        catalogue_rows = db.run(warehouse.connection, "indicators/catalogue_by_indicator")
        extract.check_groups(block, domain, catalogue_rows)
        selection = extract_view.selection(
            catalogue_rows, codes=indicator, blocks=block, domains=domain, countries=country, who_regions=region,
            income_groups=income_group, wb_regions=wb_region, years=(year_from, year_to), dimensions=dimension,
            subgroups=subgroup, subnational=subnational)
        known = extract.known(warehouse.connection)
        extract.check(selection, known)
        counts = db.run(warehouse.connection, "extract/count_by_selection", **selection.params()).iloc[0]
        indicators = db.run(warehouse.connection, "indicators/catalogue_by_indicator").set_index("indicator_code")
        sources = db.run(warehouse.connection, "sources/sources_by_code", source_codes=list(counts["source_codes"]))
        meta = extract.metadata(selection, warehouse, [{"indicator_code": code, **indicators.loc[code].to_dict()}
                                                       for code in selection.indicators],
                                sources.to_dict("records"), counts["synthetic_rows"] > 0)
        rows = extract.write(warehouse.connection, selection, out, fmt, meta)
    except extract.SelectionError as exc:
        fail(str(exc))
    finally:
        warehouse.connection.close()
    typer.echo(f"wrote {rows:,} rows to {out}" + (" (includes synthetic demo data)" if meta["has_synthetic"] else ""))


@app.command("present")
def present(
    storyboard: Path = typer.Argument(..., help="Storyboard file (JSON), as exported from the Storyboards page."),
    html: Path | None = typer.Option(None, "--html", help="Write a self-contained HTML handout here."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Write a landscape PDF, one slide per page, here."),
    pptx: Path | None = typer.Option(None, "--pptx", help="Write a PowerPoint file here."),
) -> None:
    """Draw a storyboard's slides from the warehouse as it is now and write handouts that work offline."""
    from dashboard.present import model

    outputs = {fmt: path for fmt, path in (("html", html), ("pdf", pdf), ("pptx", pptx)) if path is not None}
    if not outputs:
        fail("name at least one output: --html OUT.html, --pdf OUT.pdf or --pptx OUT.pptx")
    try:
        board = model.from_json(storyboard.read_bytes())
    except OSError as exc:
        fail(f"{storyboard}: {exc.strerror or exc}")
    except model.StoryboardError as exc:
        fail(f"{storyboard}: {exc}")
    _quiet_streamlit()
    from dashboard import db
    from dashboard.present import handouts

    try:
        for fmt, path in outputs.items():
            handouts.write(board, fmt, path)
            typer.echo(f"wrote {len(board.slides)} slides of “{board.title}” to {path}")
    except (db.WarehouseMissing, db.WarehouseUnreadable) as exc:
        fail(str(exc))


def _quiet_streamlit() -> None:
    """The app's cached accessors run here without a Streamlit server; its warning that no server runs, once
    per cache, is noise on a command line."""
    import logging

    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    for module in (cache_data_api, cache_resource_api):
        logging.getLogger(module.__name__).setLevel(logging.ERROR)


@app.command("bench")
def bench(
    scale: int = typer.Option(100, "--scale", min=1, help="Demo size multiplier of the benchmark warehouse."),
    out: Path = typer.Option(Path("data/bench/results.json"), "--out",
                             help="JSON results file (a Markdown report is written beside it)."),
    reuse: bool = typer.Option(False, "--reuse", help="Reuse existing benchmark warehouses of these scales."),
    repeats: int = typer.Option(5, "--repeats", min=1, help="Repetitions of every measurement."),
    pages: bool = typer.Option(True, "--pages/--no-pages", help="Time every page under AppTest."),
    browser: bool = typer.Option(True, "--browser/--no-browser",
                                 help="Time server start and first chart in headless Chromium."),
    compare_scale: int = typer.Option(1, "--compare-scale", min=0,
                                      help="Also time the pages at this scale, side by side (0: no comparison)."),
    page_timeout: float = typer.Option(60, "--page-timeout", min=1,
                                       help="Seconds after which a page run (or the first chart) is stopped."),
    extract_rows: int = typer.Option(5_000_000, "--extract-rows", min=1,
                                     help="Rows of the parquet extract whose time and peak memory are measured."),
    present: bool = typer.Option(True, "--present/--no-present",
                                 help="Time present mode (next slide) and the ten-slide handouts."),
) -> None:
    """Measure what users wait for on a large synthetic warehouse: pages, queries against their floors,
    a pandas baseline, the build and the first chart in a browser; write the numbers to a file."""
    from dashboard import bench as benchmark
    from dashboard import build as builder

    try:
        results = benchmark.run(scale=scale, directory=out.parent, reuse=reuse, repeats=repeats, pages=pages,
                                browser=browser, compare_scale=compare_scale or None, page_timeout=page_timeout,
                                extract_rows=extract_rows, progress=typer.echo, present=present)
    except (builder.BuildError, benchmark.BenchError) as exc:
        fail(str(exc))
    benchmark.write(results, out)
    typer.echo(benchmark.to_markdown(results))
    typer.echo(f"wrote {out} and {out.with_suffix('.md')}")


@app.command("load")
def load(
    url: str = typer.Option(..., "--url", help="Base address of a running dashboard on this machine, e.g. "
                            "http://127.0.0.1:8501."),
    sessions: int = typer.Option(20, "--sessions", min=1, help="Simultaneous simulated sessions."),
    interactions: int = typer.Option(len(navigation.PAGES), "--interactions", min=1,
                                      help="Interactions per session (default: one per page)."),
    timeout: float = typer.Option(60, "--timeout", min=1, help="Seconds an interaction may take before it "
                                  "counts as a failure."),
    max_seconds: float = typer.Option(900, "--max-seconds", min=1, help="Bound of the whole run; interactions "
                                      "not started by then are not run."),
    think: float = typer.Option(0, "--think", min=0, help="Seconds each session pauses after an interaction, as "
                                "a reader would (default 0: the next interaction follows at once)."),
    server_pid: list[int] = typer.Option([], "--server-pid", help="Server process whose memory to report "
                                         "(repeatable; default: the process listening on the URL's port)."),
    warehouse: Path | None = typer.Option(None, "--warehouse", help="Warehouse the server reads, for the "
                                          "interactions' parameter values (default: the warehouse setting)."),
    out: Path | None = typer.Option(None, "--out", help="Write the full report (every interaction) as JSON."),
) -> None:
    """Drive simultaneous sessions through every page of a running dashboard over Streamlit's WebSocket
    protocol; report interaction times, failures, throughput and server memory. Exits 1 on any failure."""
    import json

    from dashboard import bench, db
    from dashboard import load as driver

    try:
        driver.check_url(url)
        if not 1 <= sessions <= driver.MAX_SESSIONS or interactions > driver.MAX_INTERACTIONS:
            fail(f"--sessions {sessions} --interactions {interactions}: at most {driver.MAX_SESSIONS} sessions "
                 f"of {driver.MAX_INTERACTIONS} interactions")
        try:
            current = db.open_read_only(warehouse or config.path("warehouse"))
        except db.WarehouseMissing as exc:
            fail(str(exc))
        try:
            found = bench.samples(current.connection)
        finally:
            current.connection.close()
        report = driver.drive(url, driver.plan(found, sessions, interactions), timeout=timeout,
                              max_seconds=max_seconds, server_pids=server_pid or None, think=think)
    except driver.LoadError as exc:
        fail(str(exc))
    report["command"] = {"sessions": sessions, "interactions": interactions, "timeout": timeout, "think": think}
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    typer.echo(driver.to_text(report))
    if report["failure_count"]:
        raise typer.Exit(1)


@app.command("check")
def check(
    url: str = typer.Option(..., "--url", help="Base address of a running dashboard on this machine."),
    timeout: float = typer.Option(60, "--timeout", min=1, help="Seconds each page may take."),
) -> None:
    """Health and content check for monitoring: the health endpoint, then every page once in its default
    view in one session; one line per page, exit 1 on any failure."""
    from dashboard import load as driver

    try:
        report = driver.drive(url, [driver.every_page_once()], timeout=timeout, max_seconds=timeout * 20)
    except driver.LoadError as exc:
        fail(str(exc))
    for record in report["records"]:
        state = "ok" if not record["problems"] else "FAILED: " + "; ".join(record["problems"])
        typer.echo(f"{record['page'] or '-':<12} {record['ms'] or '-':>8} ms  {state}")
    if report["failure_count"]:
        fail(f"{report['failure_count']} failure(s) at {url}")
    typer.echo(f"ok: {len(report['records'])} pages answered without an error")


@capacity_app.command("summary")
def capacity_summary(
    survey: str | None = typer.Option(None, "--survey", help="Survey code (default: the latest survey)."),
    country: list[str] = typer.Option([], "--country", help="ISO3 code (repeat; default every country)."),
    by: list[str] = typer.Option([], "--by", help="Breakdown field (repeat): regional_network, organisation_type, "
                                 "career_stage, gender, country, working_group."),
    out: Path = typer.Option(..., "--out", help="FILE.csv or FILE.parquet."),
) -> None:
    """Mean asset, need and gap by group x level x competency: exactly the table the Capacity page shows,
    suppressed rows kept with empty statistics."""
    import os
    import uuid

    from dashboard import capacity, db

    try:
        by = capacity.check_by(by)
    except capacity.CapacityError as exc:
        fail(str(exc))
    if out.suffix.lower() not in (".csv", ".parquet"):
        fail(f"--out {out}: expected a .csv or .parquet file, got '{out.suffix}'")
    if not out.parent.is_dir():
        fail(f"--out {out}: folder {out.parent} does not exist")
    try:
        warehouse = db.open_read_only(config.path("warehouse"))
    except (db.WarehouseMissing, db.WarehouseUnreadable) as exc:
        fail(str(exc))
    try:
        surveys = db.run(warehouse.connection, "capacity/surveys_by_code")
        if surveys.empty:
            fail(f"{warehouse.path}: the warehouse holds no capacity survey")
        survey = survey or str(surveys["survey_code"].iloc[0])
        if survey not in set(surveys["survey_code"]):
            fail(f"--survey {survey}: no such survey; the warehouse has {', '.join(surveys['survey_code'])}")
        codes = sorted({c.strip().upper() for c in country})
        known = set(db.run(warehouse.connection, "countries/catalogue_by_country")["iso3"])
        if unknown := [c for c in codes if c not in known]:
            fail(f"--country {', '.join(unknown)}: not an ISO3 code of the warehouse")
        rows = db.run(warehouse.connection, "capacity/summary_by_group", survey_code=survey, iso3_codes=codes,
                      by_fields=by, threshold=config.get("suppression_threshold"))
    finally:
        warehouse.connection.close()
    table = capacity.summary_table(rows, by)
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if out.suffix.lower() == ".parquet":
            table.to_parquet(staging, index=False)
        else:
            table.to_csv(staging, index=False)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    typer.echo(f"wrote {len(table):,} rows ({int(table['suppressed'].sum()):,} suppressed) of {survey} to {out}",
               err=True)


def main() -> None:
    from dashboard import db
    from dashboard.sources.errors import short

    try:
        app()
    except (db.WarehouseMissing, db.WarehouseUnreadable) as exc:  # e.g. a truncated file failing mid-query
        typer.secho(f"error: {short(str(exc), MAX_MESSAGE)}", err=True, fg=typer.colors.RED)
        raise SystemExit(1) from None
