"""Commit importer output to the import store without losing or duplicating values.

Two rules keep the store consistent with the warehouse's one-value-per-key contract:
- an import of a release already in the store merges into it: the new file's indicators replace
  their earlier values, the release's other indicators stay (two API files of one WDI release
  imported one after the other both survive);
- an indicator holds values from one release only: importing it again from another release removes
  it from the older folder (a folder left without values is removed). Survey releases (one per DHS
  survey, DHS_<SurveyId>) are the exception among themselves: each survey holds other country-years of
  the same indicators, so surveys complement each other instead of replacing one another.
Everything is validated before anything is written, so a failing import leaves the store as it was.
An import that passes here can still fail the build's data checks; `kept_unless_failed` then puts the
whole store back as it was before the import.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from dashboard.sources import imports
from dashboard.sources.imports import ImportSet

FCT = "fct_indicator_value"
SURVEY_RELEASE_PREFIXES = ("DHS_",)  # dhs.SOURCE_PREFIX: one release per survey
_KEYS = {"dim_country": ["iso3"], "dim_indicator": ["indicator_code"], "dim_admin1": ["iso3", "admin1_code"]}


def _codes(import_set: ImportSet) -> set[str]:
    codes = set()
    for table in (FCT, "dim_indicator"):
        if table in import_set.tables:
            codes |= set(import_set.tables[table]["indicator_code"])
    return codes


def _union(first: ImportSet, second: ImportSet) -> ImportSet:
    """Tables of `first` over those of `second` (dimension rows of `first` win on their key)."""
    tables = dict(second.tables)
    for table, frame in first.tables.items():
        if table in tables:
            frame = pd.concat([frame, tables[table]], ignore_index=True)
            if table in _KEYS:
                frame = frame.drop_duplicates(_KEYS[table], keep="first")
        tables[table] = frame.reset_index(drop=True)
    source = first.source.copy()
    source["retrieved_at"] = max(first.source["retrieved_at"].iloc[0], second.source["retrieved_at"].iloc[0])
    return ImportSet(source=source, tables=tables)


def _without(import_set: ImportSet, codes: set[str]) -> ImportSet:
    tables = {}
    for table, frame in import_set.tables.items():
        if table in (FCT, "dim_indicator"):
            frame = frame[~frame["indicator_code"].isin(codes)].reset_index(drop=True)
        tables[table] = frame
    return ImportSet(source=import_set.source, tables=tables)


def _is_empty(import_set: ImportSet) -> bool:
    """True when nothing but descriptions (countries, indicators) would remain."""
    return all(len(frame) == 0 for table, frame in import_set.tables.items()
               if table not in ("dim_country", "dim_indicator"))


def _is_survey(source_code: str) -> bool:
    return source_code.startswith(SURVEY_RELEASE_PREFIXES)


def plan(new_sets: Iterable[ImportSet], imports_dir: Path) -> tuple[dict[str, ImportSet], list[str], list[str]]:
    """(sets to write by source_code, source_codes of folders to remove, one message per change)."""
    combined: dict[str, ImportSet] = {}
    for import_set in new_sets:
        code = import_set.source_code
        combined[code] = _union(combined[code], import_set) if code in combined else import_set
    existing = {s.source_code: s for s in imports.read_all(imports_dir)}
    writes, removals, messages = {}, [], []
    for code, import_set in combined.items():
        if code in existing:
            kept = _without(existing[code], _codes(import_set))
            import_set = _union(import_set, kept)
        writes[code] = import_set
    for code, old in existing.items():
        if code in writes:
            continue
        superseded = set()
        for new_code, new in combined.items():
            if _is_survey(new_code) and _is_survey(code):
                continue
            overlap = _codes(new) & _codes(old) if FCT in new.tables else set()
            superseded |= overlap
            for indicator in sorted(overlap):
                messages.append(f"{indicator}: values from {new_code} replace those from {code}")
        if superseded:
            remaining = _without(old, superseded)
            if _is_empty(remaining):
                removals.append(code)
            else:
                writes[code] = remaining
    return writes, removals, messages


def commit(new_sets: Iterable[ImportSet], imports_dir: Path,
           progress: Callable[[str], None] = lambda message: None) -> list[Path]:
    """Validate, then write every changed release folder and remove emptied ones; returns written folders."""
    imports_dir = Path(imports_dir)
    writes, removals, messages = plan(list(new_sets), imports_dir)
    checked = {code: imports.validate(s, origin=code) for code, s in writes.items()}
    for message in messages:
        progress(message)
    written = [imports.write(s, imports_dir, origin=code) for code, s in checked.items()]
    for code in removals:
        retired = imports_dir / f".retired-{uuid.uuid4().hex}"
        (imports_dir / code).rename(retired)
        shutil.rmtree(retired, ignore_errors=True)
        progress(f"removed {code}: all its indicators now come from a newer import")
    return written


_SNAPSHOT = ".snapshot-"


class Snapshot:
    """The import store as it is now, kept as hard links in a hidden folder inside it (so taking one copies
    no data: the store's writers replace whole folders and never rewrite a file in place). Other
    snapshots in the store are left where they are."""

    def __init__(self, imports_dir: Path):
        self.imports_dir = Path(imports_dir)
        self.existed = self.imports_dir.is_dir()
        self.folder = None
        if self.existed:
            self.folder = self.imports_dir / f"{_SNAPSHOT}{uuid.uuid4().hex}"
            entries = self._entries()
            self.folder.mkdir()
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, self.folder / entry.name, symlinks=True, copy_function=_link)
                else:
                    _link(entry, self.folder / entry.name)

    def restore(self) -> None:
        """Put the store back exactly as it was when the snapshot was taken, then drop the snapshot."""
        if not self.existed:
            shutil.rmtree(self.imports_dir, ignore_errors=True)
            return
        discarded = self.imports_dir / f".discarded-{uuid.uuid4().hex}"
        entries = self._entries()
        discarded.mkdir()
        for entry in entries:
            entry.rename(discarded / entry.name)
        for entry in list(self.folder.iterdir()):
            entry.rename(self.imports_dir / entry.name)
        self.folder.rmdir()
        shutil.rmtree(discarded, ignore_errors=True)

    def discard(self) -> None:
        """Keep the store as it is now and drop the snapshot."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _entries(self) -> list[Path]:
        return [entry for entry in self.imports_dir.iterdir() if not entry.name.startswith(_SNAPSHOT)]


def _link(source, target) -> None:
    """Hard-link `source` at `target`; copy where the file system has no hard links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


@contextmanager
def kept_unless_failed(imports_dir: Path) -> Iterator[None]:
    """Keep the block's changes to the store (an import, then the rebuild) only if the whole block
    succeeds: if anything in it raises, put the store back exactly as it was before and re-raise."""
    snapshot = Snapshot(imports_dir)
    try:
        yield
    except BaseException:
        snapshot.restore()
        raise
    snapshot.discard()
