"""Derive the committed admin-1 layer (data/geo/admin1-naturalearth.geojson) from a Natural Earth admin-1 file.

The layer gives the demo's subnational regions shapes out of the box. It keeps only the countries the
demo disaggregates by subnational region (not high income, with at least two first-level ISO 3166-2
subdivisions in pycountry, see dashboard/sources/demo.py) and only features whose `iso_3166_2` is a valid
code of their country, simplified per country with the boundary importer's web simplification.

Regenerate with:

    python -m dashboard.sources.admin1_layer ne_50m_admin_1_states_provinces.json

(any Natural Earth admin-1 file GDAL reads: GeoJSON or shapefile, 1:10m or 1:50m).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pycountry

from dashboard import catalogue, geo
from dashboard.sources import boundaries

MAX_BYTES = 1_500_000  # the whole layer; shared equally between the countries it holds
MAX_COUNTRY_BYTES = 60_000  # at most this per country, however few countries there are


def demo_countries() -> set[str]:
    """ISO3 codes of the countries the demo gives subnational values (not high income, >= 2 subdivisions)."""
    countries = catalogue.countries()
    chosen = set()
    for iso3 in countries.loc[countries["income_group"] != "High income", "iso3"]:
        if len(subdivision_codes(iso3)) >= 2:
            chosen.add(iso3)
    return chosen


def subdivision_codes(iso3: str) -> set[str]:
    """The first-level ISO 3166-2 codes of one country (pycountry), as the demo uses them."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return set()
    subdivisions = pycountry.subdivisions.get(country_code=country.alpha_2) or []
    return {s.code for s in subdivisions if s.parent_code is None}


def derive(source: Path, countries: set[str], *, max_bytes: int = MAX_BYTES) -> tuple[bytes, pd.DataFrame]:
    """The layer's GeoJSON bytes and a report (one row per country: areas kept, features dropped, bytes).

    Features carry `id` = ISO 3166-2 code and properties iso3, admin1_code, name (grain: one feature per
    admin-1 area; an area stored as several features is dissolved into one).
    """
    frame = boundaries.read_file(Path(source))
    missing = {"adm0_a3", "iso_3166_2", "name"} - set(frame.columns)
    if missing:
        raise boundaries.BoundaryFormatError(f"{source}: not a Natural Earth admin-1 file (no field "
                                             f"{', '.join(sorted(missing))})")
    frame = frame[frame["adm0_a3"].isin(countries)]
    present = sorted(set(frame["adm0_a3"]))
    budget = min(MAX_COUNTRY_BYTES, max_bytes // max(len(present), 1))
    tables, geometries, report = [], [], []
    for iso3 in present:
        part = frame[frame["adm0_a3"] == iso3]
        valid = part["iso_3166_2"].isin(subdivision_codes(iso3))
        areas = gpd.GeoDataFrame({"admin1_code": part.loc[valid, "iso_3166_2"], "name": part.loc[valid, "name"]},
                                 geometry=part.loc[valid].geometry.values, crs=part.crs)
        if len(areas) < 2:
            report.append((iso3, len(areas), int((~valid).sum()), 0))
            continue
        areas = areas.dissolve(by="admin1_code", aggfunc="first", as_index=False).sort_values("admin1_code")
        simplified, _ = boundaries.simplify_for_web(areas.geometry.values, max_bytes=budget)
        table = pd.DataFrame({"iso3": iso3, "admin1_code": areas["admin1_code"].to_numpy(),
                              "name": areas["name"].to_numpy()})
        tables.append(table)
        geometries.extend(simplified)
        size = len(boundaries.feature_collection(table, simplified))
        report.append((iso3, len(table), int((~valid).sum()), size))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["iso3", "admin1_code", "name"])
    layer = boundaries.feature_collection(table, geometries)
    return layer, pd.DataFrame(report, columns=["iso3", "areas", "dropped", "bytes"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="Natural Earth admin-1 file (GeoJSON or shapefile)")
    parser.add_argument("--out", type=Path, default=geo.ADMIN1_LAYER_FILE, help="output GeoJSON file")
    args = parser.parse_args(argv)
    if not args.out.parent.is_dir():
        print(f"{args.out}: folder {args.out.parent} does not exist", file=sys.stderr)
        return 1
    try:
        layer, report = derive(args.source, demo_countries())
    except boundaries.BoundaryFormatError as exc:
        print(exc, file=sys.stderr)
        return 1
    args.out.write_bytes(layer)
    for row in report.itertuples(index=False):
        print(f"{row.iso3}: {row.areas} areas ({row.dropped} features without a valid ISO 3166-2 code "
              f"dropped), {row.bytes / 1000:,.0f} KB")
    print(f"wrote {args.out} ({len(layer) / 1000:,.0f} KB, {len(json.loads(layer)['features'])} areas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
