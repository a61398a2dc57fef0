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


def main() -> None:
    app()
