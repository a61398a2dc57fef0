"""Capacity survey: HPSR capacity by competency domain and level, where the gaps are, what to build on, for whom,
how answers spread, how two groups differ, what changed between rounds, and capacity beside health systems."""

import streamlit as st

from dashboard import components, config, data, filters
from dashboard.charts import capacity as charts
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState, Param
from dashboard.views import capacity as view

require_app_frame()

surveys = data.surveys_by_code()
if surveys.empty:
    components.page_header("Capacity survey", view.CAPTION)
    components.empty_state("The warehouse holds no capacity survey: import one with `python -m dashboard import survey`.")
    st.stop()
labels, threshold = view.survey_label(surveys), config.get("suppression_threshold")
state = PageState("capacity", [
    filters.choice_param("survey", "survey", list(labels)),
    filters.countries_param(),
    filters.choice_param("tab", "view", view.TABS),
    filters.choice_param("measure", "measure", list(view.MEASURES)),
    filters.choice_param("by", "breakdown", list(view.BREAKDOWNS)),
    filters.choice_param("level", "level", view.LEVELS),
    Param("item", "item", default=lambda v: data.items_by_survey(v["survey"])["item_code"].iloc[0],
          choices=lambda v: list(data.items_by_survey(v["survey"])["item_code"])),
    Param("first", "group", default=lambda v: ""),
    Param("second", "group", default=lambda v: ""),
    filters.choice_param("indicator", "indicator", view.indicator_choices(data.catalogue_by_indicator()["indicator_code"])),
])
values = state.load()
survey, countries, measure, by = values["survey"], values["countries"], values["measure"], values["by"]
components.page_header("Capacity survey", view.CAPTION)
components.notes(state.notes)
components.add_to_storyboard("capacity")
row = st.columns([3, 4, 3], gap="medium", vertical_alignment="bottom")
row[0].selectbox("Survey", list(labels), key=state.key("survey"), format_func=labels.get)
names = data.catalogue_by_country().set_index("iso3")["name"]
row[1].multiselect("Countries", list(names.index), key=state.key("countries"), format_func=names.get,
                   placeholder="All countries")
row[2].segmented_control("Measure", list(view.MEASURES), key=state.key("measure"), format_func=view.MEASURE_BUTTONS.get,
                         required=True)
rows, record = data.summary_by_group(survey, countries, []), surveys.set_index("survey_code").loc[survey]
note = components.source_note([record["source_code"]])
tabs = dict(zip(view.TABS, st.tabs(view.TABS, key=state.key("tab"), on_change="rerun")))
if tabs["Overview"].open:
    with tabs["Overview"]:
        left, right = st.columns([3, 2], gap="large")
        table = view.heatmap_table(rows, measure)
        spec = components.drawn(charts.heatmap, table, title=f"{view.MEASURES[measure]} by competency domain and level",
                                                measure=measure, measure_title=view.MEASURES[measure], note=note)
        with left:
            components.chart(spec, width="stretch")
            st.caption(view.suppression_note(threshold))
            components.data_and_downloads(table, stem=f"capacity_{survey}_{measure}", note=note, spec=spec)
        with right:
            components.sentence(view.headline(rows), bold=True)
            for kind, label in view.RANKINGS.items():
                ranking = view.ranked(rows, kind)
                spec = components.drawn(charts.ranked_bars, ranking, title=label, kind=kind,
                                                            value_title=view.MEASURES[kind], note=note)
                components.chart(spec, width="stretch")
                components.data_and_downloads(ranking, stem=f"capacity_{survey}_top_{kind}", note=note, spec=spec)
if tabs["Breakdowns"].open:
    with tabs["Breakdowns"]:
        pick = st.columns([5, 3], vertical_alignment="bottom")
        pick[0].segmented_control("Break down by", list(view.BREAKDOWNS), key=state.key("by"),
                                  format_func=view.BREAKDOWNS.get, required=True)
        pick[1].segmented_control("Level", view.LEVELS, key=state.key("level"), required=True)
        table = view.breakdown_table(data.summary_by_group(survey, countries, [by]), by)
        cells = view.breakdown_heatmap(table, by, values["level"], measure)
        spec = components.drawn(charts.heatmap, cells, **view.breakdown_options(by, values["level"], measure), note=note)
        components.chart(spec, width="stretch")
        st.caption(view.suppression_note(threshold))
        components.data_and_downloads(table, stem=f"capacity_{survey}_by_{by}", note=note, spec=spec)
if tabs["Answers"].open:
    with tabs["Answers"]:
        items = data.items_by_survey(survey).set_index("item_code")
        pick = st.columns([5, 3], vertical_alignment="bottom")
        pick[0].selectbox("Item", list(items.index), key=state.key("item"), format_func=view.item_labels(items).get)
        pick[1].selectbox("Break down by", list(view.BREAKDOWNS), key=state.key("by"), format_func=view.BREAKDOWNS.get)
        table = view.distribution_table(data.distribution_by_group(survey, countries, [by], values["item"]), by)
        spec = components.drawn(charts.diverging_answers, table, title=f"How respondents answered: "
                                                          f"{items.at[values['item'], 'text']}", note=note)
        components.chart(spec)
        st.caption(view.suppression_note(threshold))
        components.data_and_downloads(table, stem=f"capacity_{survey}_{values['item']}_answers", note=note, spec=spec)
if tabs["Compare two groups"].open:
    with tabs["Compare two groups"]:
        table = data.summary_by_group(survey, countries, [by])
        options, (first, second) = view.groups(table, by), view.chosen_groups(table, by, values["first"], values["second"])
        st.session_state[state.key("first")], st.session_state[state.key("second")] = first, second
        pick = st.columns(3, vertical_alignment="bottom")
        pick[0].selectbox("Break down by", list(view.BREAKDOWNS), key=state.key("by"), format_func=view.BREAKDOWNS.get)
        pick[1].selectbox("First group", options, key=state.key("first"))
        pick[2].selectbox("Second group", options, key=state.key("second"))
        compared = view.comparison_table(table, by, first, second, measure)
        components.sentence(view.comparison_sentence(compared, first, second), bold=True)
        spec = components.drawn(charts.difference_dots, compared, **view.comparison_options(first, second, measure), note=note)
        components.chart(spec, width="stretch")
        components.data_and_downloads(compared, stem=f"capacity_{survey}_compare_{by}", note=note, spec=spec)
if tabs["Change between rounds"].open:
    with tabs["Change between rounds"]:
        previous = record["previous_code"]
        if not isinstance(previous, str):
            components.empty_state(f"{labels[survey]} has no earlier round in the warehouse.")
        else:
            table = view.change_table(data.change_by_item(survey, previous, countries))
            components.sentence(view.change_sentence(table, labels[previous], labels[survey]), bold=True)
            spec = components.drawn(charts.change_bars, table, title="Change in mean asset, items asked in both rounds",
                                                        subtitle="Lines: 95% interval (Welch).", note=note)
            components.chart(spec, width="stretch")
            components.data_and_downloads(table, stem=f"capacity_{survey}_change", note=note, spec=spec)
if tabs["Against indicators"].open and values["indicator"]:  # no indicator: a survey-only warehouse
    with tabs["Against indicators"]:
        pick = st.columns([5, 3], vertical_alignment="bottom")
        pick[0].selectbox("Indicator", view.indicator_choices(data.catalogue_by_indicator()["indicator_code"]),
                          key=state.key("indicator"), format_func=lambda code: data.indicator(code)["name"])
        pick[1].segmented_control("Level", view.LEVELS, key=state.key("level"), required=True)
        meta = data.indicator(values["indicator"])
        table = view.scatter_table(data.asset_against_indicator_by_country(survey, values["level"], values["indicator"]))
        scatter_note = components.source_note({record["source_code"], *table["source_code"]})
        spec = components.drawn(charts.capacity_scatter, table, **view.scatter_options(meta, values["level"]), note=scatter_note)
        components.chart(spec, width="stretch")
        components.caption(view.correlation_sentence(table, meta["short_name"], values["level"]))
        components.data_and_downloads(table, stem=f"capacity_{survey}_{values['indicator']}", note=scatter_note, spec=spec)
state.save()
