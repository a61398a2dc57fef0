"""Limits an importer checks before a library parses a file: a zip archive (a zipped shapefile) or an Excel
workbook (itself a zip) has no member outside the archive, no decompression bomb, no macros or external
links and no sheet over the cell limit; JSON is no deeper than the depth limit; a boundary file has no more
vertices than the vertex limit. Limits are settings (config.py); each refusal names the file and the part."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from dashboard import config
from dashboard.sources.errors import ImportFormatError

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open `path` as a zip archive after checking every member's name and expansion; the caller closes it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(path, f"not a zip archive ({exc})") from None
    ratio = config.get("import_max_zip_ratio")
    compressed = max(1, sum(info.compress_size for info in archive.infolist()))
    expanded = sum(info.file_size for info in archive.infolist())
    for info in archive.infolist():
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or re.match(r"^[A-Za-z]:", info.filename):
            archive.close()
            raise ImportFormatError(path, f"the archive member {info.filename[:100]!r} points outside the archive "
                                    "(an absolute path or '..'); refusing to read it")
        if info.file_size > ratio * max(info.compress_size, 1) and info.file_size > 1_000_000:
            archive.close()
            raise ImportFormatError(path, f"the archive member {info.filename[:100]!r} expands {info.file_size:,} "
                                    f"bytes from {info.compress_size:,} (more than {ratio}x, setting "
                                    "HSS_IMPORT_MAX_ZIP_RATIO): a decompression bomb?")
    if expanded > ratio * compressed and expanded > 1_000_000:
        archive.close()
        raise ImportFormatError(path, f"the archive expands to {expanded:,} bytes from {compressed:,} (more than "
                                f"{ratio}x, setting HSS_IMPORT_MAX_ZIP_RATIO): a decompression bomb?")
    return archive


def check_workbook(path: Path) -> None:
    """Refuse an XLSX/XLSM workbook with macros, links to other files, a sheet of more cells than the
    `import_max_cells` setting, or a bomb's expansion, before openpyxl or pandas reads it. A file that is no
    zip at all is left to the importer's reader, which says what it expected."""
    if not zipfile.is_zipfile(path):
        return
    with check_zip(path) as archive:
        names = archive.namelist()
        macros = [n for n in names if n.lower().endswith("vbaproject.bin")]
        if macros:
            raise ImportFormatError(path, "the workbook holds macros (VBA); save it as a plain .xlsx and import that")
        links = [n for n in names if n.lower().startswith("xl/externallinks/")]
        if links:
            raise ImportFormatError(path, "the workbook links to other files (external links); paste the values "
                                    "and save it as a plain .xlsx")
        limit = config.get("import_max_cells")
        for name in (n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            with archive.open(name) as sheet:
                head = sheet.read(4096)
            match = _DIMENSION.search(head)
            if match and match.group(3):
                rows = int(match.group(4)) - int(match.group(2)) + 1
                columns = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
                if rows * columns > limit:
                    raise ImportFormatError(path, f"the sheet {name.rsplit('/', 1)[-1]} spans {rows:,} rows x "
                                            f"{columns:,} columns, more than {limit:,} cells (setting "
                                            "HSS_IMPORT_MAX_CELLS)")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def check_json_depth(path: Path, raw: bytes) -> None:
    """Refuse JSON nested deeper than the `import_max_json_depth` setting, counted without parsing (strings
    removed, then brackets), so a hostile file never reaches a recursive parser."""
    limit = config.get("import_max_json_depth")
    structure = np.frombuffer(_JSON_STRING.sub(b"", raw), dtype=np.uint8)
    steps = np.zeros(len(structure), dtype=np.int32)
    steps[(structure == ord("[")) | (structure == ord("{"))] = 1
    steps[(structure == ord("]")) | (structure == ord("}"))] = -1
    depth = int(np.cumsum(steps).max()) if len(steps) else 0
    if depth > limit:
        raise ImportFormatError(path, f"JSON nested too deeply: {depth:,} levels, more than {limit} (setting "
                                "HSS_IMPORT_MAX_JSON_DEPTH)", line=1)


def load_json(path: Path, text: str):
    """`text`, the content of `path`, parsed as JSON once it has passed the depth check; a parse error
    names the line and character where the file stops making sense."""
    check_json_depth(path, text.encode("utf-8", "surrogatepass"))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(path, f"invalid JSON ({exc.msg}); the file may be truncated",
                                line=exc.lineno, column=f"char {exc.colno}") from None


def check_vertices(path: Path, geometries) -> None:
    """Refuse boundaries with more vertices than the `import_max_vertices` setting."""
    import shapely

    limit = config.get("import_max_vertices")
    count = int(shapely.get_num_coordinates(np.asarray(geometries)).sum())
    if count > limit:
        raise ImportFormatError(path, f"the boundaries have {count:,} vertices, more than {limit:,} (setting "
                                "HSS_IMPORT_MAX_VERTICES); simplify them first (e.g. mapshaper -simplify)")
