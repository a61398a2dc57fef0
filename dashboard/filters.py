"""URL parameters and controls shared by the pages: indicator, year, regions, income groups, choices."""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from dashboard import catalogue, config, data
from dashboard.urlstate import PageState, Param

PREFERRED_INDICATORS = ("UHC_INDEX_COMPUTED", "UHC_INDEX_REPORTED", "SH.IMM.IDPT")


def first_of(preferred: Sequence, options: Sequence):
    """The one default picker: the first of `preferred` among `options`, else the first option."""
    options = list(options)
    return next((value for value in preferred if value in options), options[0])


def default_indicator(_values: dict | None = None) -> str:
    return first_of(PREFERRED_INDICATORS, data.catalogue_by_indicator()["indicator_code"])


def indicator_param(name: str = "indicator") -> Param:
    return Param(name, "indicator", default=default_indicator, choices=lambda values: data.indicator_options())


def year_span(indicator_code: str) -> range:
    """The years of an indicator's national data, first to last."""
    row = data.indicator(indicator_code)
    return range(int(row["first_year"]), int(row["last_year"]) + 1)


def year_param(name: str = "year", indicator: str = "indicator") -> Param:
    """A year within the chosen indicator's span of national data; defaults to its latest year."""
    return Param(name, "year", default=lambda values: year_span(values[indicator])[-1],
                 choices=lambda values: year_span(values[indicator]), kind="int")


def all_years() -> range:
    """The years any indicator has national data for, first to last."""
    table = data.catalogue_by_indicator()
    return range(int(table["first_year"].min()), int(table["last_year"].max()) + 1)


def year_range_params(start: str = "start", end: str = "end") -> list[Param]:
    """Two URL parameters for the ends of a year range (within `all_years`)."""
    return [Param(start, "first year", default=lambda v: all_years()[0], choices=lambda v: all_years(), kind="int"),
            Param(end, "last year", default=lambda v: all_years()[-1], choices=lambda v: all_years(), kind="int")]


def _set_range(state: PageState, start: str, end: str) -> None:
    st.session_state[state.key(start)], st.session_state[state.key(end)] = st.session_state[state.key("years")]


def year_range(state: PageState, container=st, start: str = "start", end: str = "end") -> tuple[int, int]:
    """A range slider over `all_years` bound to the `start` and `end` parameters (in either order in a
    link): (first, last)."""
    span = all_years()
    st.session_state[state.key("years")] = tuple(sorted((st.session_state[state.key(start)],
                                                         st.session_state[state.key(end)])))
    _set_range(state, start, end)
    return container.slider("Years", span[0], span[-1], key=state.key("years"), on_change=_set_range,
                            args=(state, start, end))


def _add_items(state: PageState, name: str, items: list, cap: int) -> None:
    chosen = list(st.session_state[state.key(name)])
    st.session_state[state.key(name)] = (chosen + [item for item in items if item not in chosen])[:cap]


def add_button(state: PageState, container, label: str, name: str, items: list, cap: int, **kwargs) -> None:
    """A button adding `items` to the list control `name` (at most `cap` in all)."""
    container.button(label, on_click=_add_items, args=(state, name, list(items), cap), **kwargs)


def cap_list(state: PageState, values: dict, name: str, cap: int, what: str) -> None:
    """Keep at most `cap` items of list control `name`, with a note when a link asked for more."""
    if len(values[name]) > cap:
        state.notes.append(f"The link names {len(values[name])} {what}; showing the first {cap}, the most at once.")
        st.session_state[state.key(name)] = values[name] = values[name][:cap]


def _toggle_play(state: PageState, name: str, span: range) -> None:
    playing = not st.session_state.get(state.key(f"{name}.playing"), False)
    st.session_state[state.key(f"{name}.playing")] = playing
    if playing and st.session_state[state.key(name)] >= span[-1]:
        st.session_state[state.key(name)] = span[0]  # a callback runs before the slider is drawn


def year_player(state: PageState, span: range, columns, name: str = "year") -> tuple[int, bool]:
    """A year slider with a Play/Pause button beside it (two containers in `columns`): (year, playing).
    While playing the slider is locked; call `play_on` at the end of the page to step to the next year."""
    playing = st.session_state.get(state.key(f"{name}.playing"), False)
    year = columns[0].slider("Year", span[0], span[-1], key=state.key(name), disabled=playing)
    columns[1].button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
                      help="Step through the years", width="stretch", key=state.key(f"{name}.play"),
                      on_click=_toggle_play, args=(state, name, span))
    return year, playing


def play_on(state: PageState, year: int, span: range, name: str = "year") -> None:
    """When playing: wait one step, then rerun showing the next year, or stop at the last one."""
    if not st.session_state.get(state.key(f"{name}.playing"), False):
        return
    time.sleep(config.get("play_step_seconds"))
    if year < span[-1]:
        state.set_next_run(name, year + 1)
    else:
        st.session_state[state.key(f"{name}.playing")] = False
    st.rerun()


def country_param(name: str = "country", default: str = "KEN") -> Param:
    return Param(name, "country", default=lambda values: first_of([default], data.catalogue_by_country()["iso3"]),
                 choices=lambda values: list(data.catalogue_by_country()["iso3"]))


def countries_param(name: str = "countries", default: Sequence[str] = ()) -> Param:
    return Param(name, "country code", default=lambda values: list(default),
                 choices=lambda values: list(data.catalogue_by_country()["iso3"]), kind="list")


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


def indicator_select(state: PageState, name: str = "indicator", label: str = "Indicator",
                     container=st) -> str:
    """Indicator picker: type-ahead over names, codes and building blocks (each label carries all three)."""
    options = data.indicator_options()
    return container.selectbox(
        label, options=list(options), key=state.key(name), format_func=options.__getitem__,
        help="Indicators with data in this warehouse; type part of a name, a code or a building block.")


def region_filters(state: PageState, container=st) -> tuple[list[str], list[str]]:
    who = container.multiselect("WHO region", options=list(catalogue.WHO_REGIONS), key=state.key("who"),
                                format_func=catalogue.who_region_name,
                                placeholder="All regions")
    income = container.multiselect("Income group", options=list(catalogue.INCOME_GROUPS),
                                   key=state.key("income"), placeholder="All income groups")
    return who, income
