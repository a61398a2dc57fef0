"""Equity gaps: subgroup estimates and HEAT summary measures over survey years, and a benchmark across countries."""

import streamlit as st

from dashboard import components, contract, data, equity, filters, geo
from dashboard.charts import equity as charts
from dashboard.charts import maps
from dashboard.charts.layout import with_unit
from dashboard.equity import presentation as heat
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState, Param
from dashboard.views import equity as view

require_app_frame()

TABS = ("Over time", "Benchmark", "By region")
countries = data.countries_with_subgroups_by_country()
if countries.empty:
    components.page_header("Equity gaps")
    components.empty_state("No disaggregated (subgroup) values in this warehouse.")
    st.stop()

state = PageState("equity", [
    Param("country", "country", lambda v: filters.first_of(["KEN"], countries["iso3"]), lambda v: list(countries["iso3"])),
    Param("indicator", "indicator",
          lambda v: filters.first_of(filters.PREFERRED_INDICATORS, data.dimensions_by_indicator(v["country"])["indicator_code"]),
          lambda v: list(data.dimensions_by_indicator(v["country"])["indicator_code"])),
    Param("dimension", "dimension",
          lambda v: filters.first_of([contract.DIM_WEALTH], view.pairs(data.dimensions_by_indicator(v["country"]), v["indicator"])["dimension"]),
          lambda v: list(view.pairs(data.dimensions_by_indicator(v["country"]), v["indicator"])["dimension"])),
    Param("measure", "summary measure", lambda v: "d", lambda v: view.measure_options(data.measures_by_year(v["country"], v["indicator"], v["dimension"]))),
    filters.flag_param("ci", "confidence intervals"),
    filters.choice_param("tab", "view", TABS),
    filters.choice_param("group", "benchmark group", tuple(view.GROUPS)),
    Param("year", "year", kind="int",
          default=lambda v: view.year_span(view.pairs(data.dimensions_by_indicator(v["country"]), v["indicator"]), v["dimension"])[-1],
          choices=lambda v: view.year_span(view.pairs(data.dimensions_by_indicator(v["country"]), v["indicator"]), v["dimension"])),
])
state.load()
components.page_header("Equity gaps", "How an indicator differs between population subgroups in one country, summarised with WHO HEAT's measures of inequality.")
components.notes(state.notes)
components.add_to_storyboard("equity")

names = dict(zip(countries["iso3"], countries["name"]))
row = st.columns([2, 3, 3, 3])
iso3 = row[0].selectbox("Country", list(names), key=state.key("country"), format_func=names.get)
available = data.dimensions_by_indicator(iso3)
labels = view.indicator_labels(available)
code = row[1].selectbox("Indicator", list(labels), key=state.key("indicator"), format_func=labels.get,
                        help="Indicators with subgroup estimates for this country.")
meta = view.pairs(available, code)
dimension = row[2].selectbox("Dimension of inequality", list(meta["dimension"]), key=state.key("dimension"))
measures = data.measures_by_year(iso3, code, dimension)
measure = row[3].selectbox("Summary measure", view.measure_options(measures), key=state.key("measure"),
                           format_func=view.measure_label, help="Only the measures HEAT applies to this kind of dimension.")
trends, benchmark, by_region = st.tabs(TABS, key=state.key("tab"), on_change="rerun")
components.extract_link(indicators=[code], countries=[iso3], dims=["Total", dimension])
state.save()

indicator = view.indicator_row(meta, dimension)
name, unit, places = indicator["short_name"], indicator["unit"], int(indicator["decimals"])
about, equal = equity.MEASURES[measure], heat.equality_value(measure)
m_unit, m_places = heat.measure_unit(measure, unit), heat.measure_decimals(measure, places)
if trends.open:
    with trends:
        rows = data.subgroups_by_year(iso3, code, dimension)
        note = components.source_note(rows["source_code"].dropna().unique(), indicator)
        about_this = dict(note=note, indicator_code=code, iso3=iso3, source_codes=rows["source_code"].dropna())
        if warning := view.change_message(view.subgroup_changes(rows), dimension):
            st.warning(components.plain(warning), icon=":material/warning:")
        show_ci = st.toggle("Show 95% confidence intervals", key=state.key("ci"))
        spec = components.drawn(charts.equiplot, rows, title=name, place=names[iso3], unit=unit, decimals=places,
                                                 show_ci=show_ci, dimension=dimension, note=note)
        components.chart(spec, width="stretch")
        components.data_and_downloads(view.equiplot_download(rows), stem=f"equiplot_{iso3}_{code}", spec=spec, **about_this)
        chosen = view.one_measure(measures, measure)
        left, right = st.columns([3, 2])
        trend = components.drawn(charts.measure_trend, chosen, title=f"{names[iso3]}: {about.name} of {name} by "
                                                       f"{dimension.lower()}", scale=m_unit, decimals=m_places,
                                                       equality=equal, note=note)
        if chosen["estimate"].notna().any():
            components.chart(trend, container=left, width="stretch")
        else:
            left.warning(f"{about.name} could not be computed for any survey year (see the notes).",
                         icon=":material/search_off:")
        right.markdown(f"**{about.name}.** {about.description} {heat.interval_caption(measure)}")
        for year, text in data.equity_readings(iso3, code, dimension, measure, indicator_name=name,
                                               unit=unit).itertuples(index=False):
            right.markdown(f"- **{year}** — {components.plain(text)}.")
        components.data_and_downloads(chosen, stem=f"measure_{iso3}_{code}_{measure}", spec=trend, **about_this)
        st.subheader(f"All applicable measures, {int(measures['year'].max())}")
        components.table(view.latest_table(measures, indicator_unit=unit, indicator_decimals=places),
                     hide_index=True, width="stretch")
        components.caption(f"{note}. Computed as WHO HEAT and healthequal do; a note says when a measure could not be.")
if benchmark.open:
    with benchmark:
        row = st.columns([2, 3])
        group = row[0].segmented_control("Compare with", list(view.GROUPS), key=state.key("group"),
                                         format_func=view.GROUPS.get, required=True)
        span = view.year_span(meta, dimension)
        year = row[1].slider("Latest survey at or before", span[0], span[-1], key=state.key("year"))
        who, income, label = view.benchmark_group(data.catalogue_by_country(), iso3, group)
        scores = data.benchmark_measures(code, dimension, year, who, income, measure=measure)
        table = view.benchmark_table(scores, data.catalogue_by_country(), measure, selected=iso3, year=year,
                                     who_regions=who, income_groups=income)
        shown = view.with_estimate(table)
        if shown.empty:
            components.empty_state(f"No {about.name.lower()} for {label} at or before {year}.")
            st.stop()
        note = components.source_note(scores["source_code"].dropna().unique(), indicator)
        about_this = dict(note=note, indicator_code=code)
        components.caption(f"{about.name} of {name} by {dimension.lower()} in {len(shown)} {label}, each at its latest "
                   f"survey at or before {year}." + view.missing_note(table, iso3, names))
        scatter = components.drawn(charts.benchmark_scatter, shown, x_title=with_unit(name, unit),
                                                             y_title=with_unit(about.name, m_unit), x_decimals=places,
                                                             y_decimals=m_places, equality=equal, note=note)
        components.chart(scatter, width="stretch")
        components.data_and_downloads(shown, stem=f"benchmark_{code}_{measure}_{year}", spec=scatter, **about_this)
        spec = components.spec(maps.choropleth(table, topology=geo.world_topology(), feature=geo.WORLD_OBJECT,
                                               title=about.name, unit=m_unit, decimals=m_places,
                                               favourable=not heat.worse_when_larger(measure, indicator["favourable_indicator"]),
                                               fit=geo.fit_extent(table["iso_n3"]) if who else None,
                                               outside_label=f"Not among {label}",
                                               heading=f"{about.name} of {name} by {dimension.lower()}, latest survey "
                                                       f"at or before {year}"), note)
        components.chart(spec, width="stretch", key="equity-map")
        st.caption(f"Darker = more inequality. Grey = no subgroup data at or before {year}.")
        components.data_and_downloads(table, stem=f"benchmark_map_{code}_{measure}_{year}", spec=spec, **about_this)
if by_region.open:
    components.region_map(iso3, code, place=names[iso3], key="equity-regions", container=by_region)
