"""Chart specs with their provenance written on them, and images rendered offline with vl-convert.

The source note (publisher, release, licence, and "synthetic demo data" when it is) goes inside the
Vega-Lite spec as the last subtitle line, so every image of a chart carries it: the PNG and SVG downloads
and the chart toolbar's own "Save as PNG/SVG" alike.
"""

from __future__ import annotations

import copy
import textwrap
import threading

import altair as alt
import vl_convert as vlc

from dashboard.charts import theme

WIDTH = 960  # pixels for charts whose width follows their container in the app

# Altair's data transformer and theme are process-wide settings: a chart converted while another thread
# has them switched loses its data. Every conversion in the app goes through this lock.
_ALTAIR = threading.Lock()


def to_spec(chart: alt.TopLevelMixin | dict) -> dict:
    """The Vega-Lite dict of an Altair chart (data inlined, house theme), converted under one lock; a dict
    spec is returned as it is."""
    if isinstance(chart, dict):
        return chart
    with _ALTAIR, alt.data_transformers.enable("default", max_rows=None), alt.theme.enable(theme.NAME):
        # Schema validation of every spec on every run costs more than drawing it; the tests validate every
        # chart function's spec against the Vega-Lite schema instead (tests/unit/test_chart_specs.py).
        return chart.to_dict(validate=False)


NOTE_WIDTH = 72  # characters per line of the source note: it wraps rather than being cut off, even on a
# map or chart beside a table (about 500 px wide)


def with_note(spec: dict, note: str) -> dict:
    """A copy of `spec` with `note` as the last lines under its title (once, however often it is called),
    wrapped so a narrow chart shows all of it."""
    out = dict(spec)
    lines = textwrap.wrap(note, NOTE_WIDTH) or [note]
    title = out.get("title") or ""
    if isinstance(title, dict):
        subtitle = title.get("subtitle") or []
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        out["title"] = {**title, "subtitle": subtitle if lines[0] in subtitle else [*subtitle, *lines]}
    else:
        out["title"] = {"text": title, "subtitle": lines, "anchor": "start"}
    return out


def _for_export(spec: dict, note: str | None) -> dict:
    """A copy of `spec` at a fixed width, with the source note."""
    out = copy.deepcopy(with_note(spec, note) if note else spec)
    if out.get("width") == "container":
        out["width"] = WIDTH
    for view in out.get("vconcat", []) + out.get("hconcat", []):
        if view.get("width") == "container":
            view["width"] = WIDTH
    return out


def png(spec: dict, note: str | None = None, scale: float = 2.0) -> bytes:
    """PNG bytes of a Vega-Lite spec (rendered without a browser or network)."""
    return vlc.vegalite_to_png(_for_export(spec, note), scale=scale)


def svg(spec: dict, note: str | None = None) -> bytes:
    """SVG text of a Vega-Lite spec, as UTF-8 bytes."""
    return vlc.vegalite_to_svg(_for_export(spec, note)).encode("utf-8")
