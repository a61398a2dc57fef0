"""HSS dashboard: builds the demo warehouse on first start, then serves the pages."""

import streamlit as st

from dashboard import bootstrap, navigation
from dashboard.charts import theme  # noqa: F401  registers and enables the house Altair theme
from dashboard.config import PROJECT_ROOT

# A local icon file: nothing is fetched from the network, so the app works offline.
st.set_page_config(page_title="HSS dashboard", page_icon=str(PROJECT_ROOT / "dashboard" / "static" / "icon.png"),
                   layout="wide")
pages = {
    section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in specs]
    for section, specs in navigation.sections().items()
}
# The navigation is declared before the first-start build, so the build's progress appears under the app's
# own navigation rather than Streamlit's raw list of page files.
current = st.navigation(pages, position="top")
bootstrap.ensure_warehouse()
current.run()
