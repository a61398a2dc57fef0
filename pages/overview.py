"""Overview map: one indicator in one year across countries, with ranked table and distribution views."""

import streamlit as st

from dashboard import components, config, data, filters, geo
from dashboard.charts import maps
from dashboard.charts import overview as charts
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState
from dashboard.views import overview as view

require_app_frame()

VIEWS = {"map": "Map and ranking", "table": "Ranked table", "distribution": "Distribution"}
ZOOMS = view.zoom_options()

state = PageState("overview", [
    filters.indicator_param(), filters.year_param(), filters.who_regions_param(),
    filters.income_groups_param(), filters.choice_param("classes", "colour classes", maps.CLASS_METHODS),
    filters.choice_param("zoom", "zoom", list(ZOOMS)), filters.choice_param("view", "view", list(VIEWS)),
])
state.load()
components.page_header("Overview map", "Latest national value at or before the chosen year, by country. "
                                        "Click a country for its profile.")
components.notes(state.notes)
components.add_to_storyboard("overview")

top = st.columns([3, 3, 1])
code = filters.indicator_select(state, container=top[0])
span = filters.year_span(code)
year, playing = filters.year_player(state, span, top[1:])
with st.sidebar:
    st.subheader("Filters")
    who, income = filters.region_filters(state)
    zoom = st.selectbox("Zoom the map to", list(ZOOMS), key=state.key("zoom"), format_func=ZOOMS.get)
    method = st.radio("Colour classes", maps.CLASS_METHODS, key=state.key("classes"), horizontal=True,
                      format_func={"quantile": "Quantiles", "equal": "Equal intervals"}.get)
shown = st.radio("View", list(VIEWS), key=state.key("view"), format_func=VIEWS.get, horizontal=True,
                 label_visibility="collapsed")
state.save()

indicator = data.indicator(code)
latest = data.latest_by_country(code, year, who, income)
if latest["estimate"].notna().sum() == 0:
    components.empty_state(f"No values for {indicator['short_name']} at or before {year} in this selection.")
    st.stop()
decimals = int(indicator["decimals"])
note = components.source_note(latest["source_code"].dropna().unique(), indicator)
filtered = bool(who or income)
ranked = view.ranked_table(latest, decimals=decimals, stale_years=config.get("stale_years"),
                           within=view.zoom_countries(data.catalogue_by_country(), zoom, latest, filtered))

if shown == "map":
    classified = maps.classified(latest, method, decimals)
    spec = maps.choropleth(classified, topology=geo.world_topology(), feature=geo.WORLD_OBJECT,
                           title=indicator["short_name"], unit=indicator["unit"], decimals=decimals,
                           favourable=bool(indicator["favourable_indicator"]), method=method,
                           fit=geo.fit_extent(view.zoom_iso_n3(data.catalogue_by_country(), zoom, latest, filtered)),
                           outside_label=view.outside_label(filtered),
                           heading=view.map_heading(indicator, year, ZOOMS[zoom]))
    spec = components.spec(spec, note)
    left, right = st.columns([2, 1])
    with left:
        event = components.chart(spec, width="stretch", key="overview-map", on_select="rerun",
                                 selection_mode=maps.SELECTION, theme="streamlit")
        st.caption(f"Darker = worse. Grey = no value at or before {year}.")
    components.table(ranked, right, hide_index=True, height=460, width="stretch", column_order=view.BESIDE_MAP)
    picked = event.selection.get(maps.SELECTION) if event else None
    if picked and not playing:
        st.switch_page("pages/country.py", query_params={"country": picked[0]["iso3"]})
    components.data_and_downloads(view.map_download(classified), stem=f"map_{code}_{year}", note=note, spec=spec,
                                  indicator_code=code)
elif shown == "table":
    components.table(ranked, hide_index=True, width="stretch", height=560)
    components.caption(note)
    components.data_and_downloads(ranked, stem=f"ranking_{code}_{year}", note=note, indicator_code=code,
                                  csv=view.ranked_download(latest))
else:
    regions = view.with_region_names(latest)
    spec = components.drawn(charts.by_region, regions, title=indicator["short_name"], unit=indicator["unit"],
                                              decimals=decimals, note=note)
    components.chart(spec, width="stretch")
    components.data_and_downloads(regions.dropna(subset=["estimate"]), stem=f"distribution_{code}_{year}",
                                  note=note, spec=spec, indicator_code=code)

components.extract_link(indicators=[code], who=who, income=income, start=span[0], end=year)
filters.play_on(state, year, span)
