"""Chart images rendered offline with vl-convert, with the source note written onto the image."""

from __future__ import annotations

import copy

import vl_convert as vlc

WIDTH = 960  # pixels for charts whose width follows their container in the app


def _for_export(spec: dict, note: str) -> dict:
    """A copy of `spec` with a fixed width and the source note as a caption line under the title."""
    out = copy.deepcopy(spec)
    if out.get("width") == "container":
        out["width"] = WIDTH
    for view in out.get("vconcat", []) + out.get("hconcat", []):
        if view.get("width") == "container":
            view["width"] = WIDTH
    title = out.get("title") or ""
    if isinstance(title, dict):
        subtitle = title.get("subtitle") or []
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        out["title"] = {**title, "subtitle": subtitle + [note]}
    else:
        out["title"] = {"text": title, "subtitle": [note], "anchor": "start"}
    return out


def png(spec: dict, note: str, scale: float = 2.0) -> bytes:
    """PNG bytes of a Vega-Lite spec (rendered without a browser or network)."""
    return vlc.vegalite_to_png(_for_export(spec, note), scale=scale)


def svg(spec: dict, note: str) -> bytes:
    """SVG text of a Vega-Lite spec, as UTF-8 bytes."""
    return vlc.vegalite_to_svg(_for_export(spec, note)).encode("utf-8")
