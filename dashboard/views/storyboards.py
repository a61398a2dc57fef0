"""Storyboards page views: a storyboard's slides as a table, file names and counters (pure)."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.present import model

SHOWN_VALUE = 40  # characters of a parameter value shown in the slide table


def params_text(params: dict[str, str]) -> str:
    """'indicator SH.IMM.IDPT · countries KEN,UGA': a slide's URL parameters in one short line."""
    parts = [f"{name} {value if len(value) <= SHOWN_VALUE else value[:SHOWN_VALUE] + '…'}"
             for name, value in params.items()]
    return " · ".join(parts) or "default view"


def slide_table(board: model.Storyboard) -> pd.DataFrame:
    """One row per slide: number, title, page, view and note."""
    return pd.DataFrame({
        "No.": range(1, len(board.slides) + 1),
        "Title": [s.title for s in board.slides],
        "Page": [model.page_title(s.page) if s.page in model.PAGE_PARAMS else s.page for s in board.slides],
        "View": [params_text(s.params) for s in board.slides],
        "Speaker note": [s.note for s in board.slides],
    })


def file_stem(title: str) -> str:
    """A storyboard title as a safe file name stem ('Board meeting, May' -> 'board-meeting-may')."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "storyboard"


def counter(number: int, total: int) -> str:
    return f"{number} / {total}"


def board_label(board: model.Storyboard) -> str:
    return f"{board.title} · {len(board.slides)} slide{'s' if len(board.slides) != 1 else ''}"
