"""The one error every importer raises for input it cannot read: it names the file, line and column."""

from __future__ import annotations

from pathlib import Path


class ImportFormatError(ValueError):
    """A publisher file (or API response) does not have the shape or content its importer expects.

    `line` counts physical lines from 1 (the header is usually line 1); for JSON it is the record
    number within the response. `column` is the header name of the offending field.
    """

    def __init__(self, path: Path | str, message: str, *, line: int | None = None,
                 column: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.column = None if column is None else short(str(column), 80)
        self.reason = short(message, MAX_REASON)
        where = self.path
        if line is not None:
            where += f", line {line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        super().__init__(f"{where}: {self.reason}")


MAX_REASON = 400  # characters: a reason quotes the offending value, which a hostile file can make megabytes long


def short(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
