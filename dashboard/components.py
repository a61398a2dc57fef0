"""Shared page furniture: header with the synthetic-data badge, notes, source notes, data and downloads."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import config, contract, data
from dashboard.charts import export, maps
from dashboard.markdown import plain
from dashboard.sources import admin1_match
from dashboard.views import downloads, regions

SYNTHETIC_BADGE = "Demo data — synthetic"
_header = threading.local()  # each session's script runs in its own thread


# A fixed style sheet (no user or file text): less empty space above the title and a smaller title, so the
# first chart of every page starts in the top half of a 1280x720 projector screen.
COMPACT_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-bottom: 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0.25rem 0 0 0; }
</style>"""


def page_header(title: str, caption: str | None = None) -> None:
    """Page title with the synthetic-data badge beside it when the warehouse holds synthetic data, and a
    one-line caption."""
    st.html(COMPACT_STYLE)
    _header.row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    with _header.row:
        st.title(plain(title), width="content")  # e.g. a country name from an import
        if data.warehouse().has_synthetic:
            synthetic_badge()
    if caption:
        st.caption(caption)


def header_row():
    """The row holding this run's page title (for controls that sit beside it), or `st` before a header."""
    return getattr(_header, "row", None) or st


def add_to_storyboard(page: str) -> None:
    """"Add to storyboard" beside the page title: saves this view (page `page`, a navigation url_path, with
    its URL parameters) as a slide (see dashboard/present/ui.py)."""
    from dashboard.present import ui

    ui.add_to_storyboard(page)


def synthetic_badge() -> None:
    st.badge(SYNTHETIC_BADGE, icon=":material/science:", color="orange")


def notes(messages: Iterable[str]) -> None:
    """Short notes about the view (e.g. a link parameter that fell back to a default), shown as plain text."""
    for message in messages:
        st.info(plain(message), icon=":material/info:")


def empty_state(message: str) -> None:
    """Why there is nothing to show (shown as plain text: it usually names something from the data)."""
    st.warning(plain(message), icon=":material/search_off:")


def caption(text: str, container=st) -> None:
    """A caption built from data (names, source notes, sentences of a view), shown as plain text."""
    container.caption(plain(text))


def sentence(text: str, container=st, bold: bool = False) -> None:
    """A sentence built from data as a paragraph of plain text, optionally in bold."""
    container.markdown(f"**{plain(text)}**" if bold else plain(text))


def source_note(source_codes: Iterable[str], indicator: dict | None = None) -> str:
    """One line naming publisher, release and licence of the sources behind a chart."""
    rows = data.sources_by_code(source_codes)
    parts = []
    for row in rows.itertuples():
        if row.is_synthetic and str(row.publisher).endswith("(computed)"):
            parts.append(f"{row.title} ({row.licence})")  # e.g. the UHC index computed from synthetic tracers
        elif row.is_synthetic:
            parts.append(f"Synthetic demo data — not real measurements ({row.licence})")
        else:
            release = f", release {row.release}" if isinstance(row.release, str) and row.release else ""
            parts.append(f"{row.publisher}, {row.title}{release} ({row.licence})")
    text = "Source: " + "; ".join(parts) if parts else "Source: none"
    if indicator and rows["is_synthetic"].any():
        text += f". Indicator definition: {indicator['source_code'].replace('_', ' ')} {indicator['indicator_code']}"
    return text


def spec(chart, note: str) -> dict:
    """A chart's Vega-Lite spec with its source note written on it (see charts.export): what the page draws
    and what every image of it carries."""
    return export.with_note(export.to_spec(chart), note)


def drawn(function, /, *args, note: str, **kwargs) -> dict:
    """As `spec`, for the chart `function(*args, **kwargs)` of dashboard.charts, built once per set of
    inputs (data.chart_spec): a rerun that changes nothing in the chart does not build it again."""
    return export.with_note(data.chart_spec(function, *args, **kwargs), note)


def chart(spec: dict, container=st, **kwargs):
    """Draw a spec made by `spec` with the house theme (never Streamlit's, which would restyle it); a chart
    of more rows than the `max_browser_rows` setting is not sent to the browser, and a note says why."""
    rows, limit = spec_rows(spec), config.get("max_browser_rows")
    if rows > limit:
        container.warning(f"This chart would send {rows:,} values to the browser, more than the limit of {limit:,} "
                          "(setting HSS_MAX_BROWSER_ROWS): narrow the selection to draw it.", icon=":material/block:")
        return None
    return container.vega_lite_chart(spec, **{"theme": None, **kwargs})


def spec_rows(spec) -> int:
    """Rows of inline data in a Vega-Lite spec (its named datasets and `values`, at any depth)."""
    if isinstance(spec, dict):
        own = sum(len(v) for k, v in spec.items() if k in ("values", "datasets") and isinstance(v, list))
        named = spec.get("datasets")
        if isinstance(named, dict):
            own += sum(len(v) for v in named.values() if isinstance(v, list))
        return own + sum(spec_rows(v) for k, v in spec.items() if k != "datasets" and isinstance(v, (dict, list)))
    if isinstance(spec, list):
        return sum(spec_rows(v) for v in spec if isinstance(v, (dict, list)))
    return 0


def table(frame: pd.DataFrame, container=st, **kwargs):
    """`st.dataframe` of at most `max_browser_rows` rows; when the frame has more, its first rows and a note
    saying how many were left out (the downloads still hold every row)."""
    limit = config.get("max_browser_rows")
    shown = container.dataframe(frame.head(limit) if len(frame) > limit else frame, **kwargs)
    if len(frame) > limit:
        container.caption(f"The first {limit:,} of {len(frame):,} rows are shown (setting HSS_MAX_BROWSER_ROWS); "
                          "the downloads hold every row.")
    return shown


def scorecard_columns(who_header: str, income_header: str) -> dict:
    """`st.dataframe` column settings for a Country profile scorecard (see views.country.scorecard)."""
    return {
        "Indicator": st.column_config.TextColumn("Indicator", width=215),
        "Latest": st.column_config.TextColumn("Latest", width=60),
        "Unit": st.column_config.TextColumn("Unit", width="small"),
        "Year": st.column_config.TextColumn("Year", width=140,
                                            help="Year of the latest value; ⚠ marks a value older than the "
                                                 "stale-year limit, counted from the newest year any "
                                                 "country has."),
        "Trend": st.column_config.LineChartColumn("Trend", width=80),
        "who_region": st.column_config.TextColumn(who_header, width=160,
                                                  help="Share of the other countries in the region that this "
                                                       "country does better than (higher for favourable "
                                                       "indicators, lower for adverse ones; ties count half), "
                                                       "using their latest value at or before this country's "
                                                       "year. In brackets: how many have a value."),
        "income_group": st.column_config.TextColumn(income_header, width=160,
                                                    help="As for the region, among the other countries of "
                                                         "the same World Bank income group."),
    }


def extract_link(container=st, **params) -> None:
    """'Extract this data': the Extract page with this page's selection filled in (lists joined by commas)."""
    query = {k: ",".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for k, v in params.items() if v}
    container.link_button("Extract this data", url=f"extract?{urlencode(query)}", icon=":material/download:",
                          help="Open the Extract page with this selection, to download it with its metadata.")


def data_and_downloads(frame: pd.DataFrame, *, stem: str, note: str, spec: dict | None = None,
                       title: str = "Data and downloads", csv: pd.DataFrame | None = None,
                       indicator_code: str | None = None, iso3: str | None = None,
                       source_codes: Iterable[str] = ()) -> None:
    """An expander with exactly the plotted data as a table, and CSV, PNG and SVG downloads (`spec` from
    `spec`, so its images carry the source note). The CSV is `csv` (default: the table) made a data product
    by views.downloads.complete: indicator, unit, country, source and synthetic columns at full precision;
    `indicator_code`, `iso3` and `source_codes` say what the frame itself does not. Files are made when a
    button is clicked, not on every run, and the table is sent only while the expander is open."""
    box = st.expander(title, key=f"{stem}-data", on_change="rerun")
    if not box.open:  # closed: nothing is sent or prepared (opening it reruns the page)
        return
    whole = frame if csv is None else csv
    codes = downloads.source_codes(whole, source_codes)
    context = dict(indicators=data.catalogue_by_indicator(), countries=data.catalogue_by_country(),
                   sources=data.sources_by_code(codes), indicator_code=indicator_code, iso3=iso3,
                   source_codes=codes)
    with box:
        table(frame, hide_index=True, width="stretch")
        st.caption(plain(note))
        columns = st.columns(3)
        columns[0].download_button("CSV", data=lambda: downloads.to_csv(downloads.complete(whole, **context)),
                                   file_name=f"{stem}.csv", mime="text/csv", on_click="ignore",
                                   icon=":material/table:", key=f"{stem}-csv")
        if spec is not None:
            frozen = json.dumps(spec, default=str)
            columns[1].download_button("PNG", data=lambda: export.png(json.loads(frozen)),
                                       file_name=f"{stem}.png", mime="image/png", on_click="ignore",
                                       icon=":material/image:", key=f"{stem}-png")
            columns[2].download_button("SVG", data=lambda: export.svg(json.loads(frozen)),
                                       file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                                       icon=":material/draw:", key=f"{stem}-svg")


def region_map_parts(iso3: str, indicator_code: str, *, place: str):
    """(message, result, spec, note) of an indicator's regional map in one country at its latest survey year:
    `message` is a one-line note to show instead when the country has no regional values or no admin-1
    shapes (the rest None); else `result` is views.regions.RegionValues and `spec` the choropleth with its
    source note (indicator and boundaries) written on it. Shared by the pages and storyboard slides."""
    indicator = data.indicator(indicator_code)
    name, unit, decimals = indicator["short_name"], indicator["unit"], int(indicator["decimals"])
    rows = data.subgroups_by_year(iso3, indicator_code, contract.DIM_SUBNATIONAL)
    if regions.latest_year(rows) is None:
        return f"No subnational values of {name} for {place}.", None, None, ""
    shapes = data.admin1_shapes(iso3)
    if shapes is None:
        return (f"No admin-1 boundaries for {place}, so no regional map: import them with "
                f"`python -m dashboard import boundaries FILE --iso3 {iso3}`."), None, None, ""
    result = regions.region_values(rows, shapes.areas, aliases=admin1_match.load_aliases(iso3))
    note = f"{source_note(result.table['source_code'].dropna().unique(), indicator)}. {shapes.source}"
    chart_spec = maps.region_choropleth(result.mapped, shapes=shapes.collection, reference=result.reference,
                                        title=name, unit=unit, decimals=decimals,
                                        favourable=bool(indicator["favourable_indicator"]),
                                        heading=regions.heading(result, name=name, unit=unit, place=place))
    return None, result, spec(chart_spec, note), note


def region_map(iso3: str, indicator_code: str, *, place: str, key: str, container=None) -> None:
    """An indicator by subnational region in one country, latest survey year: a choropleth around the
    national value with the regions that could not be matched listed, its data and downloads; a one-line
    note instead when the country has no regional values or no admin-1 shapes. Drawn in `container` (e.g. a
    tab) when given."""
    if container is not None:
        with container:
            return region_map(iso3, indicator_code, place=place, key=key)
    message, result, chart_spec, note = region_map_parts(iso3, indicator_code, place=place)
    if message:
        st.caption(message)
        return
    indicator = data.indicator(indicator_code)
    chart(chart_spec, width="stretch", key=key)
    st.caption(regions.reference_line(result, unit=indicator["unit"], decimals=int(indicator["decimals"]),
                                      favourable=bool(indicator["favourable_indicator"])))
    if unmatched := regions.unmatched_line(result):
        st.caption(plain(unmatched))  # region names come from imported files
    data_and_downloads(result.table, stem=f"regions_{iso3}_{indicator_code}_{result.year}", spec=chart_spec,
                       note=note, indicator_code=indicator_code, iso3=iso3)
