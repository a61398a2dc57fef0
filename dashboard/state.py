"""The app's own writable store: storyboards in a small SQLite file apart from the read-only warehouse.

One row per storyboard holds its slides as JSON, so reordering or editing slides rewrites one row in one
transaction. A connection is opened per call (SQLite connections are not shared across threads).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from dashboard import config
from dashboard.present import model

SCHEMA = """
create table if not exists storyboard (
    id integer primary key,
    title text not null,
    slides text not null,
    updated_at text not null
)
"""


def store_path() -> Path:
    """The state_store setting, or state.sqlite beside the warehouse."""
    configured = config.get("state_store")
    return Path(configured) if configured else config.path("warehouse").parent / "state.sqlite"


def _connect() -> sqlite3.Connection:
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10)
    connection.execute(SCHEMA)
    return connection


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _board(row) -> model.Storyboard:
    slides = tuple(model.Slide(**slide) for slide in json.loads(row[2]))
    return model.Storyboard(title=row[1], slides=slides, id=row[0])


def _slides_json(slides) -> str:
    return json.dumps([{"title": s.title, "note": s.note, "page": s.page, "params": s.params} for s in slides])


def list_storyboards() -> list[model.Storyboard]:
    """Every storyboard, most recently changed first."""
    with closing(_connect()) as connection:
        rows = connection.execute("select id, title, slides from storyboard order by updated_at desc, id desc")
        return [_board(row) for row in rows.fetchall()]


def get(board_id: int) -> model.Storyboard | None:
    with closing(_connect()) as connection:
        row = connection.execute("select id, title, slides from storyboard where id = ?", (board_id,)).fetchone()
    return _board(row) if row else None


def create(title: str, slides=()) -> model.Storyboard:
    with closing(_connect()) as connection, connection:
        cursor = connection.execute("insert into storyboard (title, slides, updated_at) values (?, ?, ?)",
                                    (title, _slides_json(slides), _now()))
    return model.Storyboard(title=title, slides=tuple(slides), id=cursor.lastrowid)


def save(board: model.Storyboard) -> model.Storyboard:
    """Write a storyboard's title and slides (it must exist)."""
    with closing(_connect()) as connection, connection:
        changed = connection.execute("update storyboard set title = ?, slides = ?, updated_at = ? where id = ?",
                                     (board.title, _slides_json(board.slides), _now(), board.id)).rowcount
    if not changed:
        raise KeyError(f"no storyboard {board.id}")
    return board


def delete(board_id: int) -> None:
    with closing(_connect()) as connection, connection:
        connection.execute("delete from storyboard where id = ?", (board_id,))


def rename(board_id: int, title: str) -> model.Storyboard:
    board = get(board_id)
    return save(model.Storyboard(title=title, slides=board.slides, id=board_id))


def duplicate(board_id: int, title: str | None = None) -> model.Storyboard:
    board = get(board_id)
    return create(title or f"{board.title} (copy)", board.slides)


def add_slide(board_id: int, slide: model.Slide) -> model.Storyboard:
    board = get(board_id)
    return save(model.Storyboard(title=board.title, slides=(*board.slides, slide), id=board_id))


def move_slide(board_id: int, index: int, offset: int) -> model.Storyboard:
    """Move slide `index` (from 0) by `offset` places, within the list."""
    board = get(board_id)
    slides = list(board.slides)
    target = min(max(index + offset, 0), len(slides) - 1)
    slides.insert(target, slides.pop(index))
    return save(model.Storyboard(title=board.title, slides=tuple(slides), id=board_id))


def remove_slide(board_id: int, index: int) -> model.Storyboard:
    board = get(board_id)
    slides = tuple(s for i, s in enumerate(board.slides) if i != index)
    return save(model.Storyboard(title=board.title, slides=slides, id=board_id))
