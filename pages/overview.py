"""Overview map: one indicator in one year across countries, with a ranked table beside it."""

import streamlit as st

from dashboard import components, config, data, filters, geo, shape
from dashboard.charts import maps
from dashboard.urlstate import PageState

state = PageState("overview", [
    filters.indicator_param(), filters.year_param(), filters.who_regions_param(),
    filters.income_groups_param(), filters.choice_param("classes", "colour classes", maps.CLASS_METHODS),
])
values = state.load()
components.page_header("Overview map", "Latest national value at or before the chosen year, by country.")
components.notes(state.notes)

controls = st.columns([3, 2, 1])
code = filters.indicator_select(state, container=controls[0])
indicator = data.indicator(code)
year = controls[1].slider("Year", int(indicator["first_year"]), int(indicator["last_year"]), key=state.key("year"))
method = controls[2].radio("Colour classes", maps.CLASS_METHODS, key=state.key("classes"),
                           format_func={"quantile": "Quantiles", "equal": "Equal intervals"}.get)
who, income = filters.region_filters(state, container=st.columns(2)[0].container(horizontal=True))
state.save()

latest = data.latest_by_country(code, year, who, income)
if latest["estimate"].notna().sum() == 0:
    components.empty_state(f"No values for {indicator['short_name']} at or before {year} in this selection.")
    st.stop()

spec = maps.choropleth(latest, topology=geo.world_topology(), feature=geo.WORLD_OBJECT,
                       title=indicator["short_name"], unit=indicator["unit"], decimals=int(indicator["decimals"]),
                       favourable=bool(indicator["favourable_indicator"]), method=method,
                       zoom_to_values=bool(who))
note = components.source_note(latest["source_code"].dropna().unique(), indicator)
left, right = st.columns([3, 2])
with left:
    st.vega_lite_chart(spec, width="stretch", key="overview-map")
    st.caption(f"{note}. Darker = worse. Grey = no value at or before {year}.")
with right:
    st.dataframe(shape.ranked_table(latest, decimals=int(indicator["decimals"]), stale_years=config.get("stale_years")),
                 hide_index=True, height=460, width="stretch")
classes = maps.assign_classes(latest["estimate"], maps.class_breaks(latest["estimate"].dropna(), method),
                              int(indicator["decimals"]))
components.data_and_downloads(shape.map_download(latest, classes), stem=f"map_{code}_{year}", note=note, spec=spec)
