"""HSS dashboard: builds the demo warehouse on first start, then serves the pages."""

import streamlit as st

from dashboard import bootstrap, config, db, navigation
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
try:
    bootstrap.ensure_warehouse()
    current.run()
    bootstrap.warm_up()  # once per process, after its first page is drawn
except (db.WarehouseMissing, db.WarehouseUnreadable) as exc:  # deleted, truncated or replaced by a bad file
    bootstrap.unavailable(exc)
except db.QueryTimeout:  # what the page drew before the slow query stays; the next interaction runs afresh
    st.warning(f"**This view took too long to compute** (over {config.get('query_timeout_s'):g} s) and was "
               "stopped. Choose fewer countries, indicators or years, or try again when the server is less busy.",
               icon=":material/timer_off:")
finally:
    bootstrap.end_of_run()
