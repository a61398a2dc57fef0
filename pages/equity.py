"""Equity gaps: subgroup estimates and HEAT summary measures over survey years, and a benchmark across countries."""

import streamlit as st

from dashboard import components, contract, data, equity, equity_view as view, filters, geo
from dashboard.charts import equity as charts, maps
from dashboard.urlstate import PageState, Param
from dashboard.frame import require_app_frame

require_app_frame()

TABS = ("Over time", "Benchmark")
countries = data.equity_countries()
if countries.empty:
    components.page_header("Equity gaps")
    components.empty_state("No disaggregated (subgroup) values in this warehouse.")
    st.stop()


def pairs(v: dict):
    """The chosen country's indicator x dimension pairs, narrowed to the chosen indicator once known."""
    return view.pairs(data.equity_dimensions(v["country"]), v.get("indicator"))


state = PageState("equity", [
    Param("country", "country", lambda v: view.first_of(["KEN"], countries["iso3"]), lambda v: list(countries["iso3"])),
    Param("indicator", "indicator", lambda v: view.first_of(filters.PREFERRED_INDICATORS, pairs(v)["indicator_code"]),
          lambda v: list(pairs(v)["indicator_code"])),
    Param("dimension", "dimension", lambda v: view.first_of([contract.DIM_WEALTH], pairs(v)["dimension"]),
          lambda v: list(pairs(v)["dimension"])),
    Param("measure", "summary measure", lambda v: "d", lambda v: view.measure_options(
        view.cached_measures_by_year(v["country"], v["indicator"], v["dimension"]))),
    filters.flag_param("ci", "confidence intervals"),
    filters.choice_param("tab", "view", TABS),
    filters.choice_param("group", "benchmark group", tuple(view.GROUPS)),
    Param("year", "year", lambda v: view.year_span(pairs(v), v["dimension"])[-1],
          lambda v: view.year_span(pairs(v), v["dimension"]), kind="int"),
])
state.load()
components.page_header("Equity gaps", "How an indicator differs between population subgroups in one country, "
                       "summarised with WHO HEAT's measures of inequality.")
components.notes(state.notes)

names = dict(zip(countries["iso3"], countries["name"]))
row = st.columns([2, 3, 3, 3])
iso3 = row[0].selectbox("Country", list(names), key=state.key("country"), format_func=names.get)
available = data.equity_dimensions(iso3)
labels = view.indicator_labels(available)
code = row[1].selectbox("Indicator", list(labels), key=state.key("indicator"), format_func=labels.get,
                        help="Indicators with subgroup estimates for this country.")
meta = view.pairs(available, code)
dimension = row[2].selectbox("Dimension of inequality", list(meta["dimension"]), key=state.key("dimension"))
measures = view.cached_measures_by_year(iso3, code, dimension)
measure = row[3].selectbox("Summary measure", view.measure_options(measures), key=state.key("measure"),
                           format_func=lambda m: f"{equity.MEASURES[m].name} ({m.upper()})",
                           help="Only the measures HEAT applies to this kind of dimension.")
trends, benchmark = st.tabs(TABS, key=state.key("tab"), on_change="rerun")
state.save()

indicator = meta[meta["dimension"] == dimension].iloc[0].to_dict()
name, unit, places = indicator["short_name"], indicator["unit"], int(indicator["decimals"])
about, equal = equity.MEASURES[measure], view.equality_value(measure)
m_unit, m_places = view.measure_unit(measure, unit), view.measure_decimals(measure, places)
if trends.open:
    with trends:
        rows = data.equity_subgroups(iso3, code, dimension)
        note = components.source_note(rows["source_code"].dropna().unique(), indicator)
        if warning := view.change_message(view.subgroup_changes(rows), dimension):
            st.warning(warning, icon=":material/warning:")
        show_ci = st.toggle("Show 95% confidence intervals", key=state.key("ci"))
        chart = charts.equiplot(rows, title=name, unit=unit, decimals=places, show_ci=show_ci, dimension=dimension)
        st.altair_chart(chart, theme=None)
        components.data_and_downloads(view.equiplot_download(rows), stem=f"equiplot_{iso3}_{code}", note=note,
                                      spec=chart.to_dict())
        chosen = view.one_measure(measures, measure)
        left, right = st.columns([3, 2])
        trend = charts.measure_trend(chosen, title=about.name, scale=m_unit, decimals=m_places, equality=equal)
        if chosen["estimate"].notna().any():
            left.altair_chart(trend, theme=None)
        else:
            left.warning(f"{about.name} could not be computed for any survey year (see the notes).",
                         icon=":material/search_off:")
        right.markdown(f"**{about.name}.** {about.description}")
        for year, text in view.readings(measures, rows, measure, indicator_name=name, unit=unit,
                                        dimension=dimension).itertuples(index=False):
            right.markdown(f"- **{year}** — {text}.")
        components.data_and_downloads(chosen, stem=f"measure_{iso3}_{code}_{measure}", note=note,
                                      spec=trend.to_dict())
        st.subheader(f"All applicable measures, {int(measures['year'].max())}")
        st.dataframe(view.latest_table(measures, indicator_unit=unit, indicator_decimals=places),
                     hide_index=True, width="stretch")
        st.caption(f"{note}. Computed as WHO HEAT and healthequal do; a note says when a measure could not be.")
if benchmark.open:
    with benchmark:
        row = st.columns([2, 3])
        group = row[0].segmented_control("Compare with", list(view.GROUPS), key=state.key("group"),
                                         format_func=view.GROUPS.get, required=True)
        span = view.year_span(meta, dimension)
        year = row[1].slider("Latest survey at or before", span[0], span[-1], key=state.key("year"))
        who, income, label = view.benchmark_group(data.countries(), iso3, group)
        scores = view.cached_benchmark_measures(code, dimension, year, who, income)
        table = view.benchmark_table(scores, data.countries(), measure, selected=iso3, year=year,
                                     who_regions=who, income_groups=income)
        shown = table[table["estimate"].notna()]
        if shown.empty:
            components.empty_state(f"No {about.name.lower()} for {label} at or before {year}.")
            st.stop()
        note = components.source_note(scores["source_code"].dropna().unique(), indicator)
        st.caption(f"{about.name} of {name} by {dimension.lower()} in {len(shown)} {label}, each at its latest "
                   f"survey at or before {year}." + view.missing_note(table, iso3, names))
        scatter = charts.benchmark_scatter(shown, x_title=f"{name} ({unit})", y_title=f"{about.name} ({m_unit})",
                                           x_decimals=places, y_decimals=m_places, equality=equal)
        st.altair_chart(scatter, theme=None)
        components.data_and_downloads(shown, stem=f"benchmark_{code}_{measure}_{year}", note=note,
                                      spec=scatter.to_dict())
        worse_high = view.worse_when_larger(measure, indicator["favourable_indicator"])
        spec = maps.choropleth(table, topology=geo.world_topology(), feature=geo.WORLD_OBJECT, title=about.name,
                               unit=m_unit, decimals=m_places, favourable=not worse_high,
                               zoom_iso3=list(table["iso3"]) if who else None)
        st.vega_lite_chart(spec, width="stretch", key="equity-map")
        st.caption(f"{note}. Darker = more inequality. Grey = no subgroup data at or before {year}.")
        components.data_and_downloads(table, stem=f"benchmark_map_{code}_{measure}_{year}", note=note, spec=spec)
