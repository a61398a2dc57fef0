"""Trends: one indicator over time for chosen countries and their peers, or one country's indicators."""

import streamlit as st

from dashboard import catalogue, components, config, data, filters, trends
from dashboard.charts import trends as charts
from dashboard.urlstate import PageState, Param
from dashboard.frame import require_app_frame

require_app_frame()

CAP = config.get("max_trend_countries")
MODES = {"countries": "One indicator, many countries", "indicators": "One country, many indicators"}
YEARS = "trends.years"  # the range slider; its two ends live in the `start` and `end` parameters
PEERS = 5


def span(_values=None) -> range:
    table = data.indicators()
    return range(int(table["first_year"].min()), int(table["last_year"].max()) + 1)


def first_block(values) -> str:
    series = data.trend_by_country_year((), (values["country"],))
    return trends.first_block_with_data(series, data.indicators()) or trends.block_order(data.indicators())[0]


state = PageState("trends", [
    filters.choice_param("mode", "view", list(MODES)), filters.indicator_param(),
    filters.countries_param(default=("KEN", "UGA", "TZA")),
    Param("start", "first year", default=lambda v: span()[0], choices=span, kind="int"),
    Param("end", "last year", default=lambda v: span()[-1], choices=span, kind="int"),
    filters.flag_param("log", "log scale"), filters.flag_param("indexed", "indexing"),
    Param("country", "country", default=lambda v: (v["countries"] or ["KEN"])[0],
          choices=lambda v: list(data.countries()["iso3"])),
    Param("block", "building block", default=first_block,
          choices=lambda v: trends.block_order(data.indicators())),
    Param("indicators", "indicator", default=lambda v: [], kind="list",
          choices=lambda v: list(data.indicators()["indicator_code"])),
    filters.flag_param("median", "region median", default=True),
])
values = state.load()
if len(values["countries"]) > CAP:
    state.notes.append(f"The link names {len(values['countries'])} countries; showing the first {CAP}, "
                       "the most at once.")
    st.session_state[state.key("countries")] = values["countries"][:CAP]


def set_years() -> None:
    st.session_state[state.key("start")], st.session_state[state.key("end")] = st.session_state[YEARS]


def add_countries(codes: list[str]) -> None:
    chosen = list(st.session_state[state.key("countries")])
    st.session_state[state.key("countries")] = (chosen + [c for c in codes if c not in chosen])[:CAP]


st.session_state[YEARS] = tuple(sorted((values["start"], values["end"])))
set_years()


components.page_header("Trends", "National values over time, with regional and income-group medians "
                                  "for reference.")
components.notes(state.notes)
countries, indicators = data.countries(), data.indicators()
names = dict(zip(countries["iso3"], countries["name"]))
mode = st.radio("View", list(MODES), format_func=MODES.get, key=state.key("mode"), horizontal=True,
                label_visibility="collapsed")
top, bottom = st.columns([3, 4]), st.columns([3, 2, 2])
start, end = bottom[0].slider("Years", span()[0], span()[-1], key=YEARS, on_change=set_years)

if mode == "countries":
    code = filters.indicator_select(state, container=top[0])
    chosen = top[1].multiselect("Countries", list(countries["iso3"]), format_func=names.get,
                                max_selections=CAP, key=state.key("countries"),
                                placeholder=f"Choose up to {CAP} countries")
    log = bottom[1].toggle("Log scale", key=state.key("log"))
    indexed = bottom[2].toggle("Index: first year in view = 100", key=state.key("indexed"))
    state.save()
    if not chosen:
        components.empty_state("Choose at least one country to draw its trend.")
        st.stop()
    indicator = data.indicator(code)
    decimals = int(indicator["decimals"])
    region, income = trends.groups_of(countries, chosen[0])
    if len(chosen) >= CAP:
        st.caption(f"At most {CAP} countries at once: remove one to add a peer.")
    elif region and income:
        peers = trends.suggest_peers(data.latest_by_country(code, end, [region], [income]), chosen[0], chosen,
                                     n=min(PEERS, CAP - len(chosen)))
        st.caption(f"Add a peer of {names[chosen[0]]} ({catalogue.WHO_REGIONS[region]}, {income}), "
                   f"nearest by value in {end}:")
        row = st.container(horizontal=True)
        for peer in peers.itertuples():
            row.button(trends.peer_label(peer.name, peer.estimate, decimals), key=f"trends.peer.{peer.iso3}",
                       icon=":material/add:", on_click=add_countries, args=([peer.iso3],))
        row.button(f"Add all {len(peers)}", key="trends.peers", icon=":material/group_add:",
                   on_click=add_countries, args=(list(peers["iso3"]),), disabled=peers.empty)
    medians = data.reference_medians_by_year((code,), region, income)
    frame = trends.plot_frame(data.trend_by_country_year((code,), chosen), medians, order=chosen,
                              start=start, end=end, indexed=indexed)
    if log:
        frame, dropped = trends.loggable(frame)
        if dropped:
            components.notes([f"{dropped} values at or below zero cannot be drawn on a log scale."])
    plotted = set(frame.loc[frame["role"] == trends.COUNTRY, "iso3"])
    if not plotted:
        components.empty_state(f"No values of {indicator['short_name']} for these countries "
                               f"in {start}–{end}.")
        st.stop()
    chart = charts.trend_lines(frame, title=indicator["short_name"], unit=indicator["unit"],
                               decimals=decimals, log=log, indexed=indexed, years=(start, end))
    spec = chart.to_dict()  # converted once for the chart and its downloads: Altair's conversion is the slow part
    st.vega_lite_chart(spec, theme=None, width="stretch")
    missing = [names[c] for c in chosen if c not in plotted]
    st.caption(trends.reference_note(frame, names[chosen[0]])
               + (f" No values in {start}–{end} for {', '.join(missing)}." if missing else ""))
    components.data_and_downloads(frame, stem=f"trend_{code}_{start}_{end}", spec=spec,
                                  note=components.source_note(indicator["source_codes"], indicator))
else:
    iso3 = top[0].selectbox("Country", list(countries["iso3"]), format_func=names.get,
                            key=state.key("country"))
    block = bottom[1].selectbox("Building block", trends.block_order(indicators), key=state.key("block"))
    labels = trends.indicator_labels(indicators)
    picked = top[1].multiselect("Indicators", list(labels), key=state.key("indicators"), format_func=labels.get,
                                placeholder=f"All of {block}")
    median = bottom[2].toggle("Region median", key=state.key("median"))
    state.save()
    codes = trends.panel_codes(indicators, block=block, chosen=picked)
    region, _ = trends.groups_of(countries, iso3)
    medians = data.reference_medians_by_year(codes, region if median else None, None)
    frame = trends.panel_frame(data.trend_by_country_year((), (iso3,)), medians, indicators, codes=codes,
                               start=start, end=end)
    if frame.empty:
        components.empty_state(f"No values for {names[iso3]} in {start}–{end} for these indicators.")
        st.stop()
    chart = charts.indicator_panels(frame, title=f"{names[iso3]}: {'chosen indicators' if picked else block}",
                                    years=(start, end))
    spec = chart.to_dict()
    st.vega_lite_chart(spec, theme=None, width="content")
    missing = [labels[c] for c in codes if c not in set(frame["indicator_code"])]
    if missing:
        st.caption(f"No values in {start}–{end} for {', '.join(missing)}.")
    sources = {s for c in frame["indicator_code"].unique() for s in data.indicator(c)["source_codes"]}
    components.data_and_downloads(frame, stem=f"trends_{iso3}_{start}_{end}", spec=spec,
                                  note=components.source_note(sources))
