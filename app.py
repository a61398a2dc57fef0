"""HSS dashboard: builds the demo warehouse on first start, then serves the pages."""

import streamlit as st

from dashboard import bootstrap, navigation
from dashboard.charts import theme  # noqa: F401  registers and enables the house Altair theme

st.set_page_config(page_title="HSS dashboard", page_icon=":material/monitor_heart:", layout="wide")
bootstrap.ensure_warehouse()

pages = {
    section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in specs]
    for section, specs in navigation.sections().items()
}
st.navigation(pages, position="top").run()
