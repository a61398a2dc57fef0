"""Country profile: one country's UHC headline, building-block scorecards against its peers, equity and capacity."""

import streamlit as st

from dashboard import catalogue, components, config, data, filters, profile
from dashboard.charts import profile as charts
from dashboard.urlstate import PageState, Param
from dashboard.frame import require_app_frame

require_app_frame()


def block_choices(values: dict) -> list[str]:
    return profile.blocks(data.profile_latest(values["country"], profile.DELTA_YEARS)) or [catalogue.BUILDING_BLOCKS[0]]


state = PageState("country", [
    filters.country_param(),
    Param("block", "building block", default=lambda values: block_choices(values)[0], choices=block_choices),
])
values = state.load()
iso3, stale_years = values["country"], config.get("stale_years")
countries = data.countries().set_index("iso3")
home = countries.loc[iso3]
components.page_header(f"Country profile: {home['name']}",
                       profile.context_line(home["who_region"], home["income_group"]))
components.notes(state.notes)
st.sidebar.selectbox("Country", options=list(countries.index), key=state.key("country"),
                     format_func=lambda code: countries.at[code, "name"])
state.save()  # the block tabs below are bound to the same state

latest = data.profile_latest(iso3, profile.DELTA_YEARS)
if latest.empty:
    components.empty_state(f"No national values for {home['name']} in this warehouse.")
    st.stop()
standings, series = data.profile_peer_standing(iso3), data.profile_series(iso3)
for column, metric in zip(st.columns([1.1, 1.1, 1.1, 1, 1]), profile.headline(latest, standings)):
    column.metric(**metric, border=True)

blocks = block_choices(values)
tabs = st.tabs(blocks, key=state.key("block"), on_change="rerun")
headers = {group: profile.peer_header(group, home[group]) for group in profile.PEER_GROUPS}
for block, tab in zip(blocks, tabs):
    if not tab.open:
        continue
    with tab:
        slug = block.lower().replace(" ", "_")
        table = profile.scorecard(latest, standings, series, block=block, stale_years=stale_years)
        st.dataframe(table, hide_index=True, width="stretch", height=min(36 * len(table) + 40, 400),
                     column_config=charts.scorecard_columns(headers["who_region"], headers["income_group"]))
        numbers = profile.scorecard_values(latest, standings, block=block, stale_years=stale_years)
        note = components.source_note(numbers["source_code"].unique())
        st.caption(f"Peers: their latest value at or before {home['name']}'s year; ties count half. {note}.")
        components.data_and_downloads(numbers, stem=f"profile_{iso3}_{slug}", note=note)
        components.data_and_downloads(profile.trend_values(series, latest, block=block),
                                      stem=f"profile_{iso3}_{slug}_trends", note=note, title="Trend data")

equity, capacity = st.columns(2, gap="large")
with equity:
    st.subheader("Equity: richest vs poorest")
    gap = profile.largest_gap(data.profile_wealth_gaps(iso3))
    if gap is None:
        st.caption("No disaggregated data for this country (wealth quintiles of coverage indicators).")
    else:
        st.markdown(f"**{profile.gap_sentence(gap)}** — the largest gap among coverage indicators.")
        points = profile.quintile_points(gap)
        chart = charts.quintile_dots(points, title=f"{gap['short_name']}, {int(gap['year'])}", unit=gap["unit"],
                                     decimals=int(gap["decimals"]))
        st.altair_chart(chart, theme=None)
        components.data_and_downloads(points, stem=f"profile_{iso3}_wealth_gap", spec=chart.to_dict(),
                                      note=components.source_note([gap["source_code"]]))
with capacity:
    st.subheader("Capacity survey")
    surveys = data.profile_capacity_surveys(iso3)
    if surveys.empty:
        st.caption("No capacity-survey respondents from this country.")
    else:
        survey, threshold = surveys.iloc[0], config.get("suppression_threshold")
        summary = data.profile_capacity_summary(iso3, survey["survey_code"], threshold)
        st.markdown(profile.survey_line(survey))
        hidden = profile.suppressed_levels(summary)
        if hidden:
            st.caption(f"Not shown ({', '.join(hidden)}): fewer than {threshold} respondents.")
        if not summary.empty:
            points = profile.capacity_points(summary)
            chart = charts.capacity_dumbbell(points, score_min=float(summary["score_min"].min()),
                                             score_max=float(summary["score_max"].max()),
                                             title="Current capacity and need, by level")
            st.altair_chart(chart, theme=None)
            components.data_and_downloads(summary, stem=f"profile_{iso3}_capacity", spec=chart.to_dict(),
                                          note=components.source_note([survey["source_code"]]))
