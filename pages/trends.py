"""Trends: one indicator over time for chosen countries and their peers, or one country's indicators."""

import streamlit as st

from dashboard import catalogue, components, config, data, filters
from dashboard.charts import trends as charts
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState, Param
from dashboard.views import trends as view

require_app_frame()

CAP = config.get("max_trend_countries")
MODES = {"countries": "One indicator, many countries", "indicators": "One country, many indicators"}
PEERS = 5

state = PageState("trends", [
    filters.choice_param("mode", "view", list(MODES)), filters.indicator_param(),
    filters.countries_param(default=("KEN", "UGA", "TZA")), *filters.year_range_params(),
    filters.flag_param("log", "log scale"), filters.flag_param("indexed", "indexing"),
    Param("country", "country", default=lambda v: (v["countries"] or ["KEN"])[0],
          choices=lambda v: list(data.catalogue_by_country()["iso3"])),
    Param("block", "building block", choices=lambda v: view.blocks(data.catalogue_by_indicator()),
          default=lambda v: view.first_block(data.trend_by_country_year((), (v["country"],)),
                                             data.catalogue_by_indicator())),
    Param("indicators", "indicator", default=lambda v: [], kind="list", choices=lambda v: data.indicator_options()),
    filters.flag_param("median", "region median", default=True),
])
values = state.load()
filters.cap_list(state, values, "countries", CAP, "countries")
components.page_header("Trends", "National values over time, with regional and income-group medians "
                                  "for reference.")
components.notes(state.notes)
components.add_to_storyboard("trends")
countries, indicators = data.catalogue_by_country(), data.catalogue_by_indicator()
names = dict(zip(countries["iso3"], countries["name"]))
top, bottom = st.columns([2, 3, 4]), st.columns([3, 2, 2])
mode = top[0].selectbox("View", list(MODES), format_func=MODES.get, key=state.key("mode"))
start, end = filters.year_range(state, bottom[0])

if mode == "countries":
    code = filters.indicator_select(state, container=top[1])
    chosen = top[2].multiselect("Countries", list(countries["iso3"]), format_func=names.get,
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
    region, income = view.groups_of(countries, chosen[0])
    medians = data.reference_medians_by_year((code,), region, income)
    frame = view.plot_frame(data.trend_by_country_year((code,), chosen), medians, order=chosen,
                            start=start, end=end, indexed=indexed)
    frame, dropped = view.loggable(frame) if log else (frame, 0)
    components.notes([f"{dropped} values at or below zero cannot be drawn on a log scale."] if dropped else [])
    if frame.empty or not (frame["role"] == charts.COUNTRY).any():
        components.empty_state(f"No values of {indicator['short_name']} for these countries in {start}–{end}.")
        st.stop()
    note = components.source_note(indicator["source_codes"], indicator)
    spec = components.drawn(charts.trend_lines, frame, title=indicator["short_name"], unit=indicator["unit"],
                                                decimals=decimals, log=log, indexed=indexed, years=(start, end), note=note)
    components.chart(spec, width="stretch")
    components.caption(view.trend_caption(frame, chosen, names, start, end, config.get("median_min_countries"),
                                  config.get("median_min_share")))
    if len(chosen) >= CAP:
        st.caption(f"At most {CAP} countries at once: remove one to add a peer.")
    elif region and income:
        peers = view.suggest_peers(data.latest_by_country(code, end, [region], [income]), chosen[0], chosen,
                                   n=min(PEERS, CAP - len(chosen)))
        components.caption(f"Add a peer of {names[chosen[0]]} ({catalogue.who_region_name(region)}, {income}), "
                   f"nearest by value in {end}:")
        row = st.container(horizontal=True)
        for peer in peers.itertuples():
            filters.add_button(state, row, view.peer_label(peer.name, peer.estimate, decimals), "countries",
                               [peer.iso3], CAP, key=f"trends.peer.{peer.iso3}", icon=":material/add:")
        filters.add_button(state, row, f"Add all {len(peers)}", "countries", peers["iso3"], CAP,
                           key="trends.peers", icon=":material/group_add:", disabled=peers.empty)
    components.data_and_downloads(frame, stem=f"trend_{code}_{start}_{end}", spec=spec, note=note, indicator_code=code)
    components.extract_link(indicators=[code], countries=chosen, start=start, end=end)
else:
    iso3 = top[1].selectbox("Country", list(countries["iso3"]), format_func=names.get, key=state.key("country"))
    block = bottom[1].selectbox("Building block", view.blocks(indicators), key=state.key("block"))
    labels = view.indicator_labels(indicators)
    picked = top[2].multiselect("Indicators", list(labels), key=state.key("indicators"), format_func=labels.get,
                                placeholder=f"All of {block}")
    median = bottom[2].toggle("Region median", key=state.key("median"))
    state.save()
    codes = view.panel_codes(indicators, block=block, chosen=picked)
    region, _ = view.groups_of(countries, iso3)
    series = data.trend_by_country_year(codes, (iso3,))
    medians = data.reference_medians_by_year(view.drawn_codes(series, codes, start, end), region if median else None,
                                             None)
    frame = view.panel_frame(series, medians, indicators, codes=codes, start=start, end=end)
    if frame.empty:
        components.empty_state(f"No values for {names[iso3]} in {start}–{end} for these indicators.")
        st.stop()
    note = components.source_note(view.panel_sources(frame, indicators))
    spec = components.drawn(charts.indicator_panels, frame, title=f"{names[iso3]}: "
                                                     f"{'chosen indicators' if picked else block}", years=(start, end), note=note)
    components.chart(spec, width="content")
    components.caption(view.panel_caption(frame, codes, labels, start, end,
                                  None if picked else view.codes_with_values(series, start, end)))
    components.data_and_downloads(frame, stem=f"trends_{iso3}_{start}_{end}", spec=spec, note=note, iso3=iso3)
