"""HSS dashboard: builds the demo warehouse on first start, then serves the pages."""

import streamlit as st

from dashboard import bootstrap
from dashboard.charts import theme  # noqa: F401  registers and enables the house Altair theme

st.set_page_config(page_title="HSS dashboard", page_icon=":material/monitor_heart:", layout="wide")
bootstrap.ensure_warehouse()

PAGES = {
    "Explore": [
        st.Page("pages/overview.py", title="Overview map", icon=":material/public:", default=True),
        st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:"),
        st.Page("pages/country.py", title="Country profile", icon=":material/flag:"),
    ],
    "Equity": [st.Page("pages/equity.py", title="Equity gaps", icon=":material/balance:")],
    "Data": [
        st.Page("pages/about.py", title="About the data", icon=":material/info:"),
    ],
}

st.navigation(PAGES, position="top").run()
