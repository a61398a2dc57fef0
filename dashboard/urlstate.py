"""Page state mirrored in the URL: every control reads its start value from `st.query_params` and
writes its current value back, so a copied link reopens the same view.

A value in the URL that is not allowed (unknown indicator, country or year) falls back to the default
and leaves a short note for the page to show; it never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

Kind = Literal["str", "int", "list", "bool"]
MAX_SHOWN = 40  # characters of a bad URL value repeated back in a note


@dataclass(frozen=True)
class Param:
    """One URL parameter bound to one control.

    `choices(values)` returns the allowed values given the values resolved so far (parameters are
    resolved in order, so a year's choices can depend on the indicator); `default(values)` likewise.
    """

    name: str
    label: str
    default: Callable[[dict], Any]
    choices: Callable[[dict], Sequence] | None = None
    kind: Kind = "str"

    def parse(self, raw: str, values: dict) -> tuple[Any, str | None]:
        """(value, note): the parsed value, or the default with a note saying what was wrong."""
        allowed = self.choices(values) if self.choices else None
        if allowed is not None and not isinstance(allowed, (Mapping, range)):
            allowed = set(allowed)
        if self.kind == "list":
            items = [item for item in raw.split(",") if item] if raw else []
            good = [item for item in items if allowed is None or item in allowed]
            bad = [item for item in items if allowed is not None and item not in allowed]
            note = f"Ignored unknown {self.label} {_shown(', '.join(bad))} in the link." if bad else None
            return good, note
        try:
            if self.kind == "int":
                value = int(raw)
            elif self.kind == "bool":
                if raw not in ("0", "1", "true", "false"):
                    raise ValueError(raw)
                value = raw in ("1", "true")
            else:
                value = raw
        except ValueError:
            value = None
        if value is None or (allowed is not None and value not in allowed):
            fallback = self.default(values)
            return fallback, (f"Unknown {self.label} {_shown(raw)} in the link; "
                              f"showing {_shown(str(fallback))} instead.")
        return value, None

    def format(self, value: Any) -> str:
        if self.kind == "list":
            return ",".join(str(v) for v in value)
        if self.kind == "bool":
            return "1" if value else "0"
        return str(value)


def _shown(text: str) -> str:
    """A URL value quoted for a note: truncated and stripped of Markdown control characters."""
    clean = "".join(ch for ch in text[:MAX_SHOWN] if ch.isalnum() or ch in " .,_-()")
    return f"“{clean}{'…' if len(text) > MAX_SHOWN else ''}”"


class PageState:
    """The URL-backed state of one page's controls (widget keys are `<page>.<param>`)."""

    def __init__(self, page: str, params: Sequence[Param]):
        self.page = page
        self.params = list(params)
        self.notes: list[str] = []

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def load(self) -> dict:
        """Resolve every parameter from the URL (when it changed since we last wrote it) or from the
        widget state, validating in order; returns the values and records notes for bad input."""
        last = st.session_state.setdefault("_urlstate_last", {}).setdefault(self.page, {})
        for name, value in st.session_state.get("_urlstate_pending", {}).pop(self.page, {}).items():
            st.session_state[self.key(name)] = value
        values: dict = {}
        self.notes = []
        for param in self.params:
            key = self.key(param.name)
            raw = st.query_params.get(param.name)
            if raw is not None and (raw != last.get(param.name) or key not in st.session_state):
                value, note = param.parse(raw, values)
                if note:
                    self.notes.append(note)
            elif key in st.session_state:
                value, note = param.parse(param.format(st.session_state[key]), values)
            else:
                value = param.default(values)
            st.session_state[key] = value
            values[param.name] = value
        return values

    def set_next_run(self, name: str, value: Any) -> None:
        """Give control `name` a new value from the next run on (a widget's value cannot change once it is
        drawn in the current run; e.g. the next year of a playing map)."""
        st.session_state.setdefault("_urlstate_pending", {}).setdefault(self.page, {})[name] = value

    def save(self) -> None:
        """Write every control's current value to the URL."""
        last = st.session_state["_urlstate_last"][self.page]
        for param in self.params:
            text = param.format(st.session_state[self.key(param.name)])
            if st.query_params.get(param.name) != text:
                st.query_params[param.name] = text
            last[param.name] = text
