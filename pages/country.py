"""Country profile: one country's UHC headline, building-block scorecards against its peers, equity and capacity."""

import streamlit as st

from dashboard import components, config, data, filters
from dashboard.charts import country as charts
from dashboard.frame import require_app_frame
from dashboard.present import brief
from dashboard.urlstate import PageState, Param
from dashboard.views import country as view
from dashboard.views import regions

require_app_frame()

state = PageState("country", [
    filters.country_param(),
    Param("block", "building block", default=lambda v: view.block_choices(data.latest_by_indicator(v["country"], view.DELTA_YEARS))[0],
          choices=lambda v: view.block_choices(data.latest_by_indicator(v["country"], view.DELTA_YEARS))),
    Param("regional", "regional indicator", default=lambda v: regions.region_default(data.dimensions_by_indicator(v["country"])),
          choices=lambda v: list(regions.region_indicators(data.dimensions_by_indicator(v["country"]))) or [""]),
])
values = state.load()
iso3, stale_years = values["country"], config.get("stale_years")
countries = data.catalogue_by_country().set_index("iso3")
home = countries.loc[iso3]
components.page_header(f"Country profile: {home['name']}", view.context_line(home["who_region"], home["income_group"]))
components.notes(state.notes)
components.add_to_storyboard("country")
components.header_row().download_button("Country brief (PDF)", data=lambda: brief.country_brief(iso3), key="country-brief", file_name=brief.file_name(iso3),
                                        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:")
st.selectbox("Country", options=list(countries.index), key=state.key("country"), width=360,
             format_func=lambda code: countries.at[code, "name"])
state.save()  # the block tabs below are bound to the same state

latest = data.latest_by_indicator(iso3, view.DELTA_YEARS)
if latest.empty:
    components.empty_state(f"No national values for {home['name']} in this warehouse.")
    st.stop()
standings = data.peer_standing_by_indicator_group(iso3)
for column, metric in zip(st.columns([1.1, 1.1, 1.1, 1, 1]), view.headline(latest, standings)):
    column.metric(**metric, border=True)
headline = view.headline_values(latest)
if not headline.empty:
    components.data_and_downloads(headline, stem=f"profile_{iso3}_uhc", title="UHC index data", iso3=iso3,
                                  note=components.source_note(headline["source_code"].unique()))

blocks = view.blocks(latest)
tabs = st.tabs(blocks, key=state.key("block"), on_change="rerun")
headers = {group: view.peer_header(group, home[group]) for group in view.PEER_GROUPS}
for block, tab in zip(blocks, tabs):
    if not tab.open:
        continue
    with tab:
        slug = block.lower().replace(" ", "_")
        table, numbers, trends = data.profile_block(iso3, block, stale_years)
        components.table(table, hide_index=True, width="stretch", height=view.table_height(len(table)),
                     column_config=components.scorecard_columns(headers["who_region"], headers["income_group"]))
        note = components.source_note(numbers["source_code"].unique())
        components.caption(f"Peers: their latest value at or before {home['name']}'s year; ties count half. {note}.")
        components.data_and_downloads(numbers, stem=f"profile_{iso3}_{slug}", note=note, iso3=iso3)
        components.extract_link(countries=[iso3], blocks=[block])
        components.data_and_downloads(trends,
                                      stem=f"profile_{iso3}_{slug}_trends", note=note, title="Trend data", iso3=iso3)

equity, capacity = st.columns(2, gap="large")
with equity:
    st.subheader("Equity: richest vs poorest")
    gap = view.largest_gap(data.wealth_gap_by_indicator(iso3))
    if gap is None:
        st.caption("No disaggregated data for this country (wealth quintiles of coverage indicators).")
    else:
        st.markdown(f"**{components.plain(view.gap_sentence(gap))}** — the largest gap among coverage indicators.")
        points, note = view.quintile_points(gap), components.source_note([gap["source_code"]])
        spec = components.drawn(charts.quintile_dots, points, title=f"{home['name']}: {gap['short_name']}, "
                                                      f"{int(gap['year'])}", unit=gap["unit"],
                                                      decimals=int(gap["decimals"]), note=note)
        components.chart(spec, width="stretch")
        components.data_and_downloads(points, stem=f"profile_{iso3}_wealth_gap", spec=spec, note=note, iso3=iso3,
                                      indicator_code=gap["indicator_code"], source_codes=[gap["source_code"]])
with capacity:
    st.subheader("Capacity survey")
    surveys = data.capacity_respondents_by_survey(iso3)
    if surveys.empty:
        st.caption("No capacity-survey respondents from this country.")
    else:
        survey, threshold = surveys.iloc[0], config.get("suppression_threshold")
        summary = data.capacity_summary_by_level(iso3, survey["survey_code"], threshold)
        st.markdown(view.survey_line(survey))
        if hidden := view.suppressed_levels(summary):
            components.caption(f"Not shown ({', '.join(hidden)}): fewer than {threshold} respondents, or close enough to "
                       "a shown group's number to be subtracted from it.")
        if not summary.empty:
            points, note = view.capacity_points(summary), components.source_note([survey["source_code"]])
            spec = components.drawn(charts.capacity_dumbbell, points, score_min=float(summary["score_min"].min()),
                                                              score_max=float(summary["score_max"].max()),
                                                              title=f"{home['name']}: current capacity and need, "
                                                                    f"by level ({view.survey_name(survey)})", note=note)
            components.chart(spec, width="stretch")
            components.data_and_downloads(summary, stem=f"profile_{iso3}_capacity", spec=spec, note=note, iso3=iso3,
                                          source_codes=[survey["source_code"]])

st.subheader("By subnational region")
options = regions.region_indicators(data.dimensions_by_indicator(iso3))
if not options:
    st.caption(f"No subnational values for {home['name']} in this warehouse.")
else:
    regional = st.selectbox("Indicator", list(options), key=state.key("regional"), format_func=options.get, width=360)
    components.region_map(iso3, regional, place=home["name"], key="country-regions")
