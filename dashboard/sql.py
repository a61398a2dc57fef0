"""Load named SQL files from queries/ and check the parameters a caller binds against those the SQL uses.

Only shipped files run: a name is a relative path inside `queries/` without the `.sql` suffix
(`indicators/latest_by_country`). Values are always bound as DuckDB `$name` parameters, never formatted
into the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dashboard.config import QUERIES_DIR

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Strip what may hold a '$' that is not a parameter: string literals, quoted identifiers, comments.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)


class QueryError(ValueError):
    """A query name or its parameters are not acceptable; the message says which."""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: frozenset[str]
    digest: str
    header: str

    def check(self, params: dict) -> None:
        """Raise QueryError unless `params` names exactly the parameters the SQL uses."""
        given = set(params)
        missing = sorted(self.params - given)
        extra = sorted(given - self.params)
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(f"${p}" for p in missing))
            if extra:
                parts.append("unexpected " + ", ".join(f"${p}" for p in extra))
            raise QueryError(f"query {self.name}: {'; '.join(parts)}")


def resolve(name: str, root: Path = QUERIES_DIR) -> Path:
    """Path of query `name` inside `root`; rejects anything that is not a plain name under it."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise QueryError(f"query name {name!r} is not of the form 'folder/name' (lower-case, digits, _)")
    root = root.resolve()
    path = (root / f"{name}.sql").resolve()
    if root not in path.parents:
        raise QueryError(f"query {name!r} is outside {root}")
    if not path.is_file():
        raise QueryError(f"no query file {name}.sql under {root}")
    return path


def parameters(text: str) -> frozenset[str]:
    """The `$name` parameters used by SQL text, ignoring literals and comments."""
    return frozenset(_PARAM.findall(_NOT_CODE.sub(" ", text)))


def header(text: str) -> str:
    """The leading comment block: purpose, grain and parameters."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


@cache
def load(name: str, root: Path = QUERIES_DIR) -> Query:
    """Read and describe query `name` (cached for the process; files ship with the code)."""
    text = resolve(name, root).read_text(encoding="utf-8")
    head = header(text)
    if "Grain:" not in head:
        raise QueryError(f"query {name}: header must state its grain ('-- Grain: ...')")
    return Query(name=name, text=text, params=parameters(text),
                 digest=hashlib.sha256(text.encode()).hexdigest()[:16], header=head)


def all_names(root: Path = QUERIES_DIR, *, exclude: tuple[str, ...] = ("warehouse", "checks", "bench")) -> list[str]:
    """Names of the app's query files (not build, check or benchmark-floor SQL)."""
    names = []
    for path in sorted(root.rglob("*.sql")):
        rel = path.relative_to(root).with_suffix("").as_posix()
        if rel.split("/")[0] not in exclude:
            names.append(rel)
    return names
