"""A two-page PDF brief of one country, made from the Country profile's accessors and view functions: the
UHC index and sub-indices, the trend of three headline indicators, the largest equity gap, a scorecard per
building block with peer standing, and the data's sources and dates."""

from __future__ import annotations

import io

import pandas as pd

from dashboard import components, config, data, filters
from dashboard.charts import country as country_charts
from dashboard.charts import trends as trends_charts
from dashboard.present.handouts import Pdf, fit, png
from dashboard.views import country as view
from dashboard.views import trends as trends_view

ROWS_PER_BLOCK = 9  # scorecard rows per building block, so the brief stays on two pages
TREND_INDICATORS = 3


def _trend_chart(iso3: str, name: str, latest: pd.DataFrame, region: str | None):
    """Small multiples of three headline indicators (the UHC index and sub-indices where the country has them)."""
    codes = (view.headline_codes(latest) or list(latest["indicator_code"]))[:TREND_INDICATORS]
    indicators, span = data.catalogue_by_indicator(), filters.all_years()
    medians = data.reference_medians_by_year(codes, region, None)
    frame = trends_view.panel_frame(data.trend_by_country_year(codes, (iso3,)), medians, indicators, codes=codes,
                                    start=span[0], end=span[-1])
    if frame.empty:
        return None
    note = components.source_note(trends_view.panel_sources(frame, indicators))
    chart = trends_charts.indicator_panels(frame, title=f"{name}: headline indicators over time",
                                           years=(span[0], span[-1]), columns=TREND_INDICATORS)
    return components.spec(chart, note)


def _picture(doc: Pdf, spec: dict, max_height: float) -> None:
    picture, size = png(spec)
    width, height = fit(size, doc.pdf.w - 28, max_height)
    doc.pdf.image(io.BytesIO(picture), x=14, y=doc.pdf.get_y(), w=width, h=height)
    doc.pdf.set_y(doc.pdf.get_y() + height + 2)


def _synthetic_line(doc: Pdf) -> None:
    doc.lines(f"{components.SYNTHETIC_BADGE}: made-up values for real indicators, for demonstration. Not WHO or "
              "World Bank data; do not cite.", 8.5, bold=True, colour=(166, 83, 0), height=4.5)


def _scorecard(doc: Pdf, latest: pd.DataFrame, standings: pd.DataFrame, home: pd.Series) -> None:
    stale = config.get("stale_years")
    region = view.peer_header("who_region", home["who_region"])
    income = view.peer_header("income_group", home["income_group"])
    decimals = dict(zip(latest["indicator_code"], latest["decimals"]))
    doc.font(6.8)
    doc.pdf.set_text_color(34, 34, 34)
    with doc.pdf.table(col_widths=(62, 16, 24, 38, 38), line_height=3.3, text_align="LEFT",
                       first_row_as_headings=True, padding=0.6) as table:
        table.row([doc.text(text) for text in ("Indicator", "Latest", "Year", region, income)])
        for block in view.blocks(latest):
            values = view.scorecard_values(latest, standings, block=block, stale_years=stale)
            table.row([doc.text(f"{block} ({len(values)} indicators)"), "", "", "", ""])
            for row in values.head(ROWS_PER_BLOCK).itertuples():
                table.row([doc.text(text) for text in (
                    f"{row.indicator} ({row.unit})", view.fmt(row.estimate, int(decimals[row.indicator_code])),
                    view.year_label(int(row.year), int(row.data_age), stale),
                    view.standing(row.who_region_percentile, row.who_region_peers),
                    view.standing(row.income_group_percentile, row.income_group_peers))])
            if len(values) > ROWS_PER_BLOCK:
                table.row([doc.text(f"… and {len(values) - ROWS_PER_BLOCK} more in the Country profile"),
                           "", "", "", ""])


def _sources(doc: Pdf, source_codes) -> None:
    warehouse = data.warehouse()
    doc.lines("Data sources and dates", 10, bold=True, height=5)
    for row in data.sources_by_code(source_codes).itertuples():
        release = f", release {row.release}" if isinstance(row.release, str) and row.release else ""
        retrieved = f"; retrieved {row.retrieved_at:%Y-%m-%d}" if not pd.isna(row.retrieved_at) else ""
        doc.lines(f"• {row.publisher}, {row.title}{release} ({row.licence}){retrieved}.", 7.5, height=3.6)
    meta = warehouse.meta
    doc.lines(f"Warehouse build {meta['build_id']}, built {meta['built_at']:%Y-%m-%d %H:%M} UTC. Peer standing: share "
              "of the other countries in the group with a worse latest value at or before this country's year "
              "(ties count half).", 7.5, height=3.6, colour=(85, 85, 85))


def country_brief(iso3: str) -> bytes:
    """The brief of country `iso3` as PDF bytes (A4 portrait, two pages)."""
    countries = data.catalogue_by_country().set_index("iso3")
    home = countries.loc[iso3]
    name = home["name"]
    latest = data.latest_by_indicator(iso3, view.DELTA_YEARS)
    standings = data.peer_standing_by_indicator_group(iso3)
    synthetic = data.warehouse().has_synthetic
    doc = Pdf(orientation="P")
    doc.pdf.set_title(doc.text(f"Country brief: {name}"))
    doc.pdf.add_page()
    if synthetic:
        _synthetic_line(doc)
    doc.lines(f"Country brief: {name}", 20, bold=True, height=9)
    doc.lines(view.context_line(home["who_region"], home["income_group"]), 10, colour=(85, 85, 85), height=5)
    if latest.empty:
        doc.lines("No national values for this country in the warehouse.", 12, height=6)
        return bytes(doc.pdf.output())
    doc.pdf.ln(2)
    doc.lines("UHC service coverage index and sub-indices", 12, bold=True, height=6)
    for metric in view.headline(latest, standings):
        change = f" ({metric['delta']:+} {metric['delta_description']})" if metric["delta"] is not None else ""
        doc.lines(f"{metric['label']}: {metric['value']}{change}", 10, bold=True, height=4.8)
        doc.lines(metric["help"], 7.5, colour=(85, 85, 85), height=3.5)
    doc.pdf.ln(2)
    trend = _trend_chart(iso3, name, latest, home["who_region"])
    if trend is not None:
        _picture(doc, trend, 62)
    gap = view.largest_gap(data.wealth_gap_by_indicator(iso3))
    doc.lines("Largest equity gap", 12, bold=True, height=6)
    if gap is None:
        doc.lines("No disaggregated data for this country (wealth quintiles of coverage indicators).", 9, height=4.5)
    else:
        doc.lines(f"{view.gap_sentence(gap)} — the largest gap among coverage indicators.", 9, height=4.5)
        spec = components.spec(country_charts.quintile_dots(
            view.quintile_points(gap), title=f"{name}: {gap['short_name']}, {int(gap['year'])}", unit=gap["unit"],
            decimals=int(gap["decimals"])), components.source_note([gap["source_code"]]))
        _picture(doc, spec, max(doc.pdf.h - 14 - doc.pdf.get_y(), 20))
    doc.pdf.add_page()
    if synthetic:
        _synthetic_line(doc)
    doc.lines(f"{name}: scorecard by building block, with standing among peers", 12, bold=True, height=6)
    _scorecard(doc, latest, standings, home)
    doc.pdf.ln(3)
    _sources(doc, latest["source_code"].unique())
    return bytes(doc.pdf.output())


def file_name(iso3: str) -> str:
    return f"brief_{iso3}.pdf"
