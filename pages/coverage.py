"""Coverage & quality: a country's UHC service coverage index from its tracers, what would move it, who is left
behind, where people drop out of care, and the index beside financial protection."""

import streamlit as st

from dashboard import components, data, filters
from dashboard.charts import coverage as charts
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState, Param
from dashboard.views import coverage as view

require_app_frame()

TABS = ("Index and tracers", "What if", "By subgroup", "Care cascades", "Financial protection")
state = PageState("coverage", [
    filters.country_param(),
    Param("year", "year", kind="int",
          default=lambda v: view.default_year(data.index_series_by_year(v["country"], view.INDEX_CODES), filters.all_years()),
          choices=lambda v: view.years(data.index_series_by_year(v["country"], view.INDEX_CODES), filters.all_years())),
    filters.choice_param("tab", "view", TABS),
    Param("whatif", "what-if setting", default=lambda v: [], kind="list"),
    filters.choice_param("by", "subgroup dimension", tuple(view.DIMENSIONS)),
])
values = state.load()
iso3, year = values["country"], values["year"]
countries = data.catalogue_by_country().set_index("iso3")
name, rows = countries.at[iso3, "name"], data.index_series_by_year(iso3, view.INDEX_CODES)
components.page_header(f"Coverage & quality: {name}", view.CAPTION)
components.notes(state.notes)
components.add_to_storyboard("coverage")
row = st.columns([2, 3], gap="large")
row[0].selectbox("Country", list(countries.index), key=state.key("country"), format_func=countries["name"].get)
row[1].select_slider("Year", view.years(rows, filters.all_years()), key=state.key("year"))
tabs = dict(zip(TABS, st.tabs(TABS, key=state.key("tab"), on_change="rerun")))

scores, series = data.tracer_scores(iso3, year), view.index_series(rows)
note = components.source_note(codes := rows["source_code"].unique())
components.notes(view.moves_note(values["whatif"], scores))
sliders = view.slider_rows(scores, view.parse_moves(values["whatif"], scores))
chosen = dict(zip(sliders["tracer"], sliders["start"]))
for tab in (t for t in TABS[:2] if tabs[t].open and scores.empty):
    with tabs[tab]:
        components.empty_state(f"No UHC index can be computed for {name} in {year}: the warehouse lacks its tracers.")
if tabs["What if"].open and not scores.empty:
    with tabs["What if"]:
        metrics, (left, right) = st.container(), st.columns([5, 6], gap="large")
        left.caption("Move a tracer's score (0-100): the index and sub-indices above follow at once.")
        pair = left.columns(2)
        chosen = {r.tracer: pair[i % 2].slider(r.label, 1, 100, value=r.start, help=r.help,
                                               key=state.key(f"whatif.{iso3}.{year}.{r.tracer}"))
                  for i, r in enumerate(sliders.itertuples())}
        new_scores = view.changes(chosen, scores)
        scenario, gains = view.what_if_table(scores, new_scores), view.gains(scores, new_scores)
        for column, metric in zip(metrics.columns(5), view.metrics(scenario)):
            column.metric(**metric, border=True)
        spec = components.drawn(charts.gain_bars, gains, title=f"{name}, {year}: where {view.GAIN_POINTS} more points "
                                                  "move the index most", points=view.GAIN_POINTS, note=note)
        with right:
            components.chart(spec, width="stretch")
            components.sentence(view.first_sentence(gains), bold=True)
            components.data_and_downloads(scenario, stem=f"whatif_{iso3}_{year}", note=note, title="Scenario data",
                                          iso3=iso3, source_codes=codes, indicator_code=view.INDEX)
            components.data_and_downloads(gains, stem=f"gains_{iso3}_{year}", note=note, spec=spec, iso3=iso3,
                                          source_codes=codes, indicator_code=view.INDEX)
st.session_state[state.key("whatif")] = view.format_moves(view.changes(chosen, scores), scores)
state.save()
if tabs["Index and tracers"].open and not series.empty:
    with tabs["Index and tracers"]:
        spec = components.drawn(charts.index_panels, series, title=f"{name}: UHC service coverage index and its "
                                                     "four sub-indices", year=year, note=note)
        components.chart(spec)
        components.data_and_downloads(series, stem=f"uhc_{iso3}_series", note=note, spec=spec, iso3=iso3)
        if not scores.empty:
            left, right = st.columns([3, 2], gap="large")
            table = view.tracer_table(scores)
            spec = components.drawn(charts.tracer_bars, table, title=f"{name}, {year}: tracer scores, lowest first", note=note)
            with left:
                components.chart(spec, width="stretch")
                components.data_and_downloads(table, stem=f"uhc_{iso3}_{year}_tracers", note=note, spec=spec,
                                              iso3=iso3, source_codes=codes, indicator_code=view.INDEX)
            if metric := view.headline(series, year):
                right.metric(**metric, border=True)
            right.markdown(f"#### What holds the index down\n**{components.plain(view.constraint_sentence(scores))}**")
            right.caption(view.METHOD_NOTE)
if tabs["By subgroup"].open:
    with tabs["By subgroup"]:
        by = st.segmented_control("Compare by", list(view.DIMENSIONS), key=state.key("by"),
                                  format_func=view.DIMENSION_LABELS.get, required=True)
        subgroups = data.tracer_subgroups_by_year(iso3, view.subgroup_codes(), list(view.DIMENSIONS.values()), year)
        table = view.subgroup_table(view.subgroup_results(subgroups), view.DIMENSIONS[by])
        if table.empty:
            components.empty_state(f"No survey of {name} up to {year} measured the RMNCH tracers by "
                                   f"{view.DIMENSION_LABELS[by].lower()}.")
        else:
            sub_note = components.source_note(set(subgroups["source_code"]) | set(rows["source_code"]))
            spec = components.drawn(charts.subgroup_dots, table, **view.subgroup_options(table, series, name, by), note=sub_note)
            components.chart(spec, width="stretch")
            components.caption(view.subgroup_caption(table, view.DIMENSION_LABELS[by]))
            components.data_and_downloads(table, stem=f"uhc_{iso3}_{by}", note=sub_note, spec=spec, iso3=iso3,
                                          source_codes=set(subgroups["source_code"]) | set(codes))

if tabs["Care cascades"].open:
    with tabs["Care cascades"]:
        steps = data.cascade_values_by_indicator_year(iso3, view.cascade_codes(), year)
        table = view.cascade_table(steps)
        if table.empty:
            components.empty_state(f"No care-cascade indicator of {name} has a value by {year}.")
        else:
            cascade_note = components.source_note(steps["source_code"].unique())
            spec = components.drawn(charts.cascade_bars, table, title=f"{name}: care cascades, where people drop out", note=cascade_note)
            components.chart(spec)
            components.caption(view.cascade_note(table, year))
            components.data_and_downloads(table, stem=f"cascades_{iso3}_{year}", note=cascade_note, spec=spec,
                                          iso3=iso3, source_codes=steps["source_code"].unique())

if tabs["Financial protection"].open:
    with tabs["Financial protection"]:
        for code in view.PROTECTION:
            table = view.peer_table(data.index_against_indicator_by_country(code, year), iso3)
            if table.empty:
                components.empty_state(view.no_peers_message(code, year))
                continue
            scatter_note = components.source_note(set(table["source_code"]) | set(table["index_source_code"]))
            spec = components.drawn(charts.index_scatter, table, **view.scatter_options(code, table, year), note=scatter_note)
            components.chart(spec, width="stretch")
            components.caption(view.position_sentence(table, iso3, name, code))
            components.data_and_downloads(table, stem=f"uhc_against_{code}_{year}", note=scatter_note, spec=spec,
                                          indicator_code=code, source_codes=table["index_source_code"].dropna())
