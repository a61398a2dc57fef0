"""Extract: filtered values to download as parquet, CSV (with a Frictionless Data Package) or XLSX, each with its
definitions, units, sources, licences, filter and build; also as `python -m dashboard extract`."""

import streamlit as st

from dashboard import catalogue, components, data, extract, filters
from dashboard.frame import require_app_frame
from dashboard.urlstate import PageState, Param
from dashboard.views import extract as view

require_app_frame()

state = PageState("extract", [
    Param("indicators", "indicator", default=lambda v: [filters.default_indicator()], kind="list",
          choices=lambda v: data.indicator_options()),
    Param("blocks", "building block", default=lambda v: [], kind="list",
          choices=lambda v: catalogue.block_order(data.catalogue_by_indicator()["building_block"])),
    Param("domains", "domain", default=lambda v: [], kind="list",
          choices=lambda v: view.domain_choices(data.catalogue_by_indicator())),
    filters.countries_param(), filters.who_regions_param(), filters.income_groups_param(),
    Param("wb", "World Bank region", default=lambda v: [], kind="list", choices=lambda v: list(catalogue.WB_REGION_CODES)),
    *filters.year_range_params(),
    Param("dims", "dimension", default=lambda v: ["Total"], kind="list",
          choices=lambda v: view.dimension_choices(data.catalogue_by_indicator())),
    Param("subgroups", "subgroup", default=lambda v: [], kind="list",
          choices=lambda v: view.subgroup_choices(data.subgroups_by_dimension(), v["dims"])),
    filters.flag_param("sub", "subnational values"),
])
values = state.load()
components.page_header("Extract", "Filtered values as a file that carries its own metadata. The selection is in "
                                   "the address bar: share the link to share the extract.")
components.notes(state.notes)
components.add_to_storyboard("extract")
indicators, countries = data.catalogue_by_indicator(), data.catalogue_by_country()
options, names = data.indicator_options(), dict(zip(countries["iso3"], countries["name"]))
row = st.columns([3, 2, 2])
codes = row[0].multiselect("Indicators", list(options), key=state.key("indicators"), format_func=options.__getitem__,
                           placeholder="Type a name, code or building block")
blocks = row[1].multiselect("Whole building blocks", catalogue.block_order(indicators["building_block"]),
                            key=state.key("blocks"))
domains = row[2].multiselect("Whole domains", view.domain_choices(indicators), key=state.key("domains"))
row = st.columns([3, 2, 2, 2])
chosen = row[0].multiselect("Countries", list(names), key=state.key("countries"), format_func=names.get,
                            placeholder="All countries")
who, income = filters.region_filters(state, container=row[1])
wb = row[2].multiselect("World Bank region", list(catalogue.WB_REGION_CODES), key=state.key("wb"),
                        format_func=catalogue.WB_REGION_CODES.get, placeholder="All regions")
years = filters.year_range(state, row[3])
row = st.columns([3, 3, 1])
dims = row[0].multiselect("Dimensions", view.dimension_choices(indicators), key=state.key("dims"),
                          help="'Total' is the national value; the others are population subgroups.")
groups = row[1].multiselect("Subgroups", view.subgroup_choices(data.subgroups_by_dimension(), dims),
                            key=state.key("subgroups"), placeholder="All subgroups of these dimensions")
sub = row[2].toggle("Subnational areas", key=state.key("sub"))
state.save()

selection = view.selection(indicators, codes=codes, blocks=blocks, domains=domains, countries=chosen, who_regions=who,
                           income_groups=income, wb_regions=wb, years=years, dimensions=dims, subgroups=groups,
                           subnational=sub)
if not selection.indicators:
    components.empty_state("Choose at least one indicator or building block.")
    st.stop()
counts = data.count_by_selection(selection).iloc[0]
cols = st.columns(4)
cols[0].metric("Rows", f"{int(counts['rows']):,}")
cols[1].metric("Indicators", f"{int(counts['indicators']):,}")
cols[2].metric("Countries and areas", f"{int(counts['countries']):,}")
cols[3].metric("Synthetic rows", f"{int(counts['synthetic_rows']):,}")
if int(counts["rows"]) == 0:
    components.empty_state("No values match this selection: widen the years, countries or dimensions.")
    st.stop()
st.dataframe(data.values_by_selection(selection, 20), hide_index=True, width="stretch", height=300)
components.caption(f"The first 20 of {int(counts['rows']):,} rows. {components.source_note(counts['source_codes'])}.")
meta = extract.metadata(selection, data.warehouse(), [dict(data.indicator(c)) for c in selection.indicators],
                        data.sources_by_code(counts["source_codes"]), counts["synthetic_rows"] > 0)
buttons = st.columns(3)
for column, (fmt, label) in zip(buttons, {"parquet": "Parquet", "csv": "CSV + datapackage (zip)",
                                          "xlsx": "Excel"}.items()):
    too_big = fmt == "xlsx" and int(counts["rows"]) > extract.EXCEL_MAX_ROWS
    column.download_button(f"{label} · {view.size_text(int(counts['rows']), fmt)}", key=f"extract-{fmt}",
                           data=lambda fmt=fmt: extract.to_bytes(data.warehouse().connection, selection, fmt, meta),
                           file_name=extract.default_name(selection, fmt), on_click="ignore", disabled=too_big,
                           icon=":material/download:", help="Over Excel's row limit: choose parquet or CSV."
                           if too_big else None)
st.subheader("Read it back")
for tab, code in zip(st.tabs(list(view.snippets(""))), view.snippets(extract.default_name(selection, "parquet")).values()):
    tab.code(code, language="r" if "library(" in code else "sql" if code.startswith("select") else "python")
components.caption(f"Cite as: {meta['citation']}")
