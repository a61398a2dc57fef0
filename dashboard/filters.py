"""URL parameters and controls shared by the pages: indicator, year, regions, income groups, choices."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import catalogue, data
from dashboard.urlstate import PageState, Param

PREFERRED_INDICATORS = ("UHC_INDEX_REPORTED", "SH.IMM.IDPT")


def default_indicator(_values: dict | None = None) -> str:
    codes = list(data.indicators()["indicator_code"])
    return next((c for c in PREFERRED_INDICATORS if c in codes), codes[0])


def indicator_param(name: str = "indicator") -> Param:
    return Param(name, "indicator", default=default_indicator,
                 choices=lambda values: list(data.indicators()["indicator_code"]))


def year_param(name: str = "year", indicator: str = "indicator") -> Param:
    """A year within the chosen indicator's span of national data; defaults to its latest year."""
    def span(values):
        row = data.indicator(values[indicator])
        return range(int(row["first_year"]), int(row["last_year"]) + 1)
    return Param(name, "year", default=lambda values: span(values)[-1], choices=span, kind="int")


def country_param(name: str = "country", default: str = "KEN") -> Param:
    def fallback(_values):
        codes = list(data.countries()["iso3"])
        return default if default in codes else codes[0]
    return Param(name, "country", default=fallback, choices=lambda values: list(data.countries()["iso3"]))


def countries_param(name: str = "countries", default: Sequence[str] = ()) -> Param:
    return Param(name, "country code", default=lambda values: list(default),
                 choices=lambda values: list(data.countries()["iso3"]), kind="list")


def who_regions_param(name: str = "who") -> Param:
    return Param(name, "WHO region", default=lambda values: [],
                 choices=lambda values: list(catalogue.WHO_REGIONS), kind="list")


def income_groups_param(name: str = "income") -> Param:
    return Param(name, "income group", default=lambda values: [],
                 choices=lambda values: list(catalogue.INCOME_GROUPS), kind="list")


def choice_param(name: str, label: str, options: Sequence[str], default: str | None = None) -> Param:
    return Param(name, label, default=lambda values: default or options[0], choices=lambda values: options)


def flag_param(name: str, label: str, default: bool = False) -> Param:
    return Param(name, label, default=lambda values: default, kind="bool")


def indicator_label(code: str) -> str:
    row = data.indicator(code)
    return f"{row['short_name']} ({row['unit']})"


def indicator_select(state: PageState, name: str = "indicator", label: str = "Indicator",
                     container=st) -> str:
    """Indicator picker grouped by building block (labels carry the block for type-ahead search)."""
    table = data.indicators()
    blocks = dict(zip(table["indicator_code"], table["building_block"]))
    return container.selectbox(
        label, options=list(table["indicator_code"]), key=state.key(name),
        format_func=lambda code: f"{indicator_label(code)} · {blocks[code]}",
        help="Indicators with data in this warehouse, by health-system building block.")


def region_filters(state: PageState, container=st) -> tuple[list[str], list[str]]:
    who = container.multiselect("WHO region", options=list(catalogue.WHO_REGIONS), key=state.key("who"),
                                format_func=lambda code: catalogue.WHO_REGIONS[code],
                                placeholder="All regions")
    income = container.multiselect("Income group", options=list(catalogue.INCOME_GROUPS),
                                   key=state.key("income"), placeholder="All income groups")
    return who, income
