"""About the data: every source with release, licence and what it contributes; indicator definitions;
how this warehouse was built. Generated from the warehouse, never hand-written."""

import streamlit as st

from dashboard import components, data
from dashboard.frame import require_app_frame
from dashboard.views import about as view

require_app_frame()

components.page_header("About the data", "Where every number in this dashboard comes from.")
components.add_to_storyboard("about")
warehouse = data.warehouse()
inventory = data.inventory_by_source()
if warehouse.has_synthetic:
    st.warning("This warehouse includes **synthetic demo data**: made-up values for real indicators, "
               "generated for demonstration. They are not WHO or World Bank data and must not be cited. "
               "Import real publisher files (`python -m dashboard import ...`) and build with `--no-demo` "
               "for a dashboard of real data only.", icon=":material/science:")

st.subheader("Sources")
components.table(view.source_table(inventory), hide_index=True, width="stretch",
             column_config={"Link": st.column_config.LinkColumn("Link")})

st.subheader("Indicators")
indicators = data.catalogue_by_indicator()
components.table(view.indicator_table(indicators), hide_index=True, width="stretch", height=420)
components.data_and_downloads(view.indicator_table(indicators), stem="indicator_catalogue",
                              csv=view.catalogue_download(indicators),
                              note=f"Indicator metadata from build {warehouse.build_id}.",
                              title="Download the indicator catalogue")

st.subheader("This build")
meta = warehouse.meta
counts = meta["row_counts"]
cols = st.columns(4)
cols[0].metric("Values", f"{counts['fct_indicator_value']:,}")
cols[1].metric("Indicators", f"{counts['dim_indicator']:,}")
cols[2].metric("Countries and areas", f"{counts['dim_country']:,}")
cols[3].metric("Survey responses", f"{counts['survey_response']:,}")
components.caption(f"Build {meta['build_id']} · built {meta['built_at']:%Y-%m-%d %H:%M} UTC · code {meta['code_version']}"
           f" · synthetic data included: {'yes' if warehouse.has_synthetic else 'no'}")
