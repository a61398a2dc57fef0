"""Overview map: one indicator in one year across countries, with ranked table and distribution views."""

import time

import streamlit as st

from dashboard import catalogue, components, config, data, filters, geo, shape
from dashboard.charts import distribution, maps
from dashboard.urlstate import PageState
from dashboard.frame import require_app_frame

require_app_frame()

VIEWS = {"map": "Map and ranking", "table": "Ranked table", "distribution": "Distribution"}
ZOOMS = {"world": "World", **{f"who:{c}": f"WHO {n}" for c, n in catalogue.WHO_REGIONS.items()},
         **{f"wb:{c}": f"World Bank: {n}" for c, n in catalogue.WB_REGION_CODES.items()}}
PLAY_STEP_SECONDS = 0.8

state = PageState("overview", [
    filters.indicator_param(), filters.year_param(), filters.who_regions_param(),
    filters.income_groups_param(), filters.choice_param("classes", "colour classes", maps.CLASS_METHODS),
    filters.choice_param("zoom", "zoom", list(ZOOMS)), filters.choice_param("view", "view", list(VIEWS)),
])
state.load()
components.page_header("Overview map", "Latest national value at or before the chosen year, by country. "
                                        "Click a country for its profile.")
components.notes(state.notes)

top = st.columns([3, 3, 1])
code = filters.indicator_select(state, container=top[0])
indicator = data.indicator(code)
first, last = int(indicator["first_year"]), int(indicator["last_year"])
playing = st.session_state.get("overview.playing", False)
year = top[1].slider("Year", first, last, key=state.key("year"), disabled=playing)
if top[2].button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
                 help="Step through the years", width="stretch"):
    st.session_state["overview.playing"] = playing = not playing
    if playing and year >= last:
        st.session_state[state.key("year")] = year = first
with st.sidebar:
    st.subheader("Filters")
    who, income = filters.region_filters(state)
    zoom = st.selectbox("Zoom the map to", list(ZOOMS), key=state.key("zoom"), format_func=ZOOMS.get)
    method = st.radio("Colour classes", maps.CLASS_METHODS, key=state.key("classes"), horizontal=True,
                      format_func={"quantile": "Quantiles", "equal": "Equal intervals"}.get)
view = st.radio("View", list(VIEWS), key=state.key("view"), format_func=VIEWS.get, horizontal=True,
                label_visibility="collapsed")
state.save()

latest = data.latest_by_country(code, year, who, income)
if latest["estimate"].notna().sum() == 0:
    components.empty_state(f"No values for {indicator['short_name']} at or before {year} in this selection.")
    st.stop()
decimals = int(indicator["decimals"])
note = components.source_note(latest["source_code"].dropna().unique(), indicator)
ranked = shape.ranked_table(latest, decimals=decimals, stale_years=config.get("stale_years"))

if view == "map":
    spec = maps.choropleth(latest, topology=geo.world_topology(), feature=geo.WORLD_OBJECT,
                           title=indicator["short_name"], unit=indicator["unit"], decimals=decimals,
                           favourable=bool(indicator["favourable_indicator"]), method=method,
                           zoom_iso3=shape.zoom_countries(data.countries(), zoom, latest, bool(who or income)))
    left, right = st.columns([3, 2])
    with left:
        event = st.vega_lite_chart(spec, width="stretch", key="overview-map", on_select="rerun",
                                   selection_mode=maps.SELECTION)
        st.caption(f"{note}. Darker = worse. Grey = no value at or before {year}.")
    right.dataframe(ranked, hide_index=True, height=460, width="stretch")
    picked = event.selection.get(maps.SELECTION) if event else None
    if picked and not playing:
        st.switch_page("pages/country.py", query_params={"country": picked[0]["iso3"]})
    classes = maps.assign_classes(latest["estimate"], maps.class_breaks(latest["estimate"].dropna(), method), decimals)
    components.data_and_downloads(shape.map_download(latest, classes), stem=f"map_{code}_{year}", note=note, spec=spec)
elif view == "table":
    st.dataframe(ranked, hide_index=True, width="stretch", height=560)
    st.caption(note)
    components.data_and_downloads(ranked, stem=f"ranking_{code}_{year}", note=note)
else:
    chart = distribution.by_region(shape.with_region_names(latest), title=indicator["short_name"],
                                   unit=indicator["unit"], decimals=decimals)
    st.altair_chart(chart, theme=None, width="stretch")
    st.caption(note)
    components.data_and_downloads(shape.with_region_names(latest).dropna(subset=["estimate"]),
                                  stem=f"distribution_{code}_{year}", note=note, spec=chart.to_dict())

if playing:
    time.sleep(PLAY_STEP_SECONDS)
    if year < last:
        st.session_state[state.key("year")] = year + 1
    else:
        st.session_state["overview.playing"] = False
    st.rerun()
