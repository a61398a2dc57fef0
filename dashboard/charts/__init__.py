"""Pure chart functions (DataFrame in, chart out); importing the package registers the house theme."""

from dashboard.charts import theme  # noqa: F401
