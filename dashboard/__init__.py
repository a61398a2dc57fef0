"""Health systems strengthening dashboard: warehouse, queries, domain maths and charts behind the Streamlit pages."""

__version__ = "0.1.0"
