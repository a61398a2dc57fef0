"""Command line: `python -m dashboard <command>`; every command reports problems as one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from dashboard import config

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Health systems strengthening dashboard: build, import, fetch, extract, benchmark.")
import_app = typer.Typer(no_args_is_help=True, help="Import publisher files into data/imports/ and rebuild.")
fetch_app = typer.Typer(no_args_is_help=True, help="Fetch indicators from publisher APIs and rebuild.")
app.add_typer(import_app, name="import")
app.add_typer(fetch_app, name="fetch")


def fail(message: str) -> None:
    """Print one line to stderr and exit with status 1; no traceback reaches the user."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@app.command()
def build(
    no_demo: bool = typer.Option(False, "--no-demo", help="Build from imports alone, without the synthetic demo."),
    scale: int = typer.Option(None, "--scale", min=1, help="Demo size multiplier (100 gives >20 million values)."),
    warehouse: Optional[Path] = typer.Option(None, help="Target file (default: the warehouse setting)."),
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
    name_field: Optional[str] = typer.Option(None, "--name-field", help="Field holding the area name."),
    code_field: Optional[str] = typer.Option(None, "--code-field", help="Field holding the area code."),
    layer: Optional[str] = typer.Option(None, "--layer", help="Layer to read when the file holds several."),
    no_build: bool = typer.Option(False, "--no-build", help="Store the import without rebuilding."),
) -> None:
    """Import one country's admin-1 boundaries, rebuild, and report how the data's regions match them."""
    from dashboard.sources import admin1_match, boundaries

    try:
        target, result = boundaries.import_file(file, iso3, config.path("imports_dir"), name_field=name_field,
                                                code_field=code_field, layer=layer)
    except boundaries.BoundaryFormatError as exc:
        fail(str(exc))
    typer.echo(f"imported {len(result.areas)} admin-1 areas of {result.iso3} into {target} "
               f"(names from {result.name_field}, codes from {result.code_field or 'the names'}); "
               f"geometry {len(result.geojson) / 1000:,.0f} KB, {result.vertices:,} of "
               f"{result.source_vertices:,} vertices kept (tolerance {result.tolerance:.2g} degrees)")
    if not no_build:
        build(no_demo=False, scale=None, warehouse=None)
    subgroups = admin1_match.warehouse_subgroups(result.iso3, config.path("warehouse"))
    if subgroups is None:
        typer.echo("no warehouse yet: build it to match its subnational regions to these boundaries")
        return
    if not subgroups:
        typer.echo(f"the warehouse has no 'Subnational region' values for {result.iso3} to match")
        return
    report = admin1_match.match_subgroups(zip(result.areas["admin1_code"], result.areas["name"]), subgroups,
                                          aliases=admin1_match.load_aliases(result.iso3))
    for line in report.lines():
        typer.echo(line)


def main() -> None:
    app()
