"""Shared parsing helpers for publisher files: strict CSV records with line numbers, and numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.sources.errors import ImportFormatError

_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
# WHO formats large numbers with (non-breaking or thin) spaces between groups of three digits.
_NUMBER = r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_DISPLAY = re.compile(rf"^\s*({_NUMBER})\s*(?:\[\s*({_NUMBER})\s*-\s*({_NUMBER})\s*\])?\s*$")
_OTHER_DELIMITERS = (";", "\t", "|")


def read_text(path: Path) -> str:
    """The file decoded as UTF-8, without a byte-order mark; raises naming the line of a bad byte."""
    data = Path(path).read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line=line) from exc


def records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, fields) for every non-blank CSV record.

    Strict: a quote that is never closed (a truncated file) raises ImportFormatError with its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raw = io.StringIO(text, newline="").readlines()[previous: previous + 1]
            for delimiter in _OTHER_DELIMITERS:
                if raw and f'"{delimiter}"' in raw[0]:
                    raise ImportFormatError(path, f"fields are separated by {delimiter!r}: the file is "
                                            f"{delimiter!r}-delimited, expected ','", line=previous + 1) from exc
            raise ImportFormatError(path, f"malformed CSV ({exc}); the file may be truncated",
                                    line=previous + 1) from exc
        start, previous = previous + 1, reader.line_num
        if fields and any(f != "" for f in fields):
            yield start, fields


@dataclass
class Table:
    """A CSV table read strictly: header, rows of strings, and each row's first physical line."""

    path: Path
    header: list[str]
    header_line: int
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """Rows as a DataFrame of strings (one column per named header field) plus `_line`."""
        named = [(i, name) for i, name in enumerate(self.header) if name != ""]
        frame = pd.DataFrame({name: [row[i] for row in self.rows] for i, name in named}, dtype="string")
        frame["_line"] = pd.Series(self.lines, dtype="int64")
        return frame


def check_delimiter(path: Path, header: list[str], line: int) -> None:
    """Raise when a header that should be comma-separated is one field holding another delimiter."""
    if len(header) == 1:
        for delimiter in _OTHER_DELIMITERS:
            if delimiter in header[0]:
                raise ImportFormatError(
                    path, f"the header is a single field containing {delimiter!r}: the file is "
                    f"{delimiter!r}-delimited, expected ','", line=line)


def table(path: Path, rows: Iterator[tuple[int, list[str]]],
          keep: Callable[[list[str]], bool] | None = None) -> Table:
    """Read a header record then every row, each row with exactly the header's number of fields.

    `keep` drops rows (after their field count is checked) that the caller will not use.
    """
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise ImportFormatError(path, "the file is empty", line=1) from None
    header = [h.strip() for h in header]
    check_delimiter(path, header, header_line)
    result = Table(path=Path(path), header=header, header_line=header_line)
    for line, fields in rows:
        if len(fields) != len(header):
            raise ImportFormatError(
                path, f"row has {len(fields)} field(s) but the header (line {header_line}) has "
                f"{len(header)}: the file is truncated or uses another delimiter", line=line)
        if keep is None or keep(fields):
            result.rows.append(fields)
            result.lines.append(line)
    return result


def require_columns(t: Table, columns: tuple[str, ...], what: str) -> None:
    """Raise naming the first missing column when the header lacks any of `columns`."""
    missing = [c for c in columns if c not in t.header]
    if missing:
        raise ImportFormatError(
            t.path, f"not {what}: the header lacks {', '.join(repr(c) for c in missing)}",
            line=t.header_line, column=missing[0])


def number(text: str | None, path: Path, line: int, column: str) -> float | None:
    """A plain decimal number; '' and None mean missing; anything else raises naming line and column."""
    if text is None:
        return None
    text = text.strip()
    if text == "":
        return None
    if not _PLAIN_NUMBER.match(text):
        raise ImportFormatError(path, f"{text!r} is not a number", line=line, column=column)
    return float(text)


def display_value(text: str) -> tuple[float, float | None, float | None] | None:
    """Parse WHO display text such as '1 610 [ 1 290 - 2 020 ]' into (estimate, low, high).

    Returns None unless the text is unambiguous: one number (digit groups of three separated by
    spaces allowed), optionally followed by a bracketed range. '<0.1', '1,5' or 'No data' give None.
    """
    match = _DISPLAY.match(text or "")
    if not match:
        return None

    def as_float(group: str | None) -> float | None:
        return None if group is None else float(re.sub(r"[ \u00a0\u202f]", "", group))

    return as_float(match.group(1)), as_float(match.group(2)), as_float(match.group(3))


def decimals_shown(text: str) -> int:
    """Number of decimals in the leading number of a display text ('45.2 [..]' -> 1)."""
    match = _DISPLAY.match(text or "")
    if not match or "." not in match.group(1):
        return 0
    return len(match.group(1).split(".")[1])
