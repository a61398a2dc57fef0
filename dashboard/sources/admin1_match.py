"""Match the subnational subgroups of a dataset to imported admin-1 boundaries: by code, name, then alias."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import CATALOGUE_DIR

ALIASES_FILE = CATALOGUE_DIR / "admin1_aliases.csv"
ALIAS_COLUMNS = ("iso3", "alias", "name", "note")

# Generic words for the kind of area: "Western Region" and "Western" are the same area.
STOP_WORDS = frozenset({
    "region", "county", "province", "state", "district", "department", "governorate", "prefecture",
    "division",
})


@dataclass(frozen=True)
class Match:
    subgroup: str
    admin1_code: str
    boundary_name: str
    method: str  # "code", "name" or "alias"


@dataclass(frozen=True)
class MatchReport:
    """How the subgroups of one country met its boundaries (grain: one Match per matched subgroup)."""

    matches: tuple[Match, ...]
    unmatched_subgroups: tuple[str, ...]
    unmatched_boundaries: tuple[tuple[str, str], ...]  # (admin1_code, name) with no subgroup
    ambiguous: Mapping[str, tuple[str, ...]]  # subgroup -> the admin1_codes it could be

    @property
    def matched_count(self) -> int:
        return len(self.matches)

    def codes(self) -> dict[str, str]:
        """subgroup -> admin1_code for every matched subgroup."""
        return {m.subgroup: m.admin1_code for m in self.matches}

    def lines(self) -> list[str]:
        """The report as text lines for the command line."""
        total = self.matched_count + len(self.unmatched_subgroups)
        by = {method: sum(m.method == method for m in self.matches) for method in ("code", "name", "alias")}
        out = [f"matched {self.matched_count} of {total} subnational subgroup(s) to boundaries "
               f"({by['code']} by code, {by['name']} by name, {by['alias']} by alias)"]
        if self.unmatched_subgroups:
            out.append(f"subgroups without a boundary ({len(self.unmatched_subgroups)}): "
                       + "; ".join(self.unmatched_subgroups))
        for subgroup, codes in self.ambiguous.items():
            out.append(f"subgroup {subgroup!r} fits several boundaries: {', '.join(codes)}")
        if self.unmatched_boundaries:
            out.append(f"boundaries without a subgroup ({len(self.unmatched_boundaries)}): "
                       + "; ".join(f"{name} ({code})" for code, name in self.unmatched_boundaries))
        return out


def normalise_name(name: str) -> str:
    """Comparable form of an area name: casefolded, unaccented, '&' read as 'and', generic words
    (region, county, province ...), punctuation and spaces dropped. "Murang'a County" -> "muranga"."""
    text = unicodedata.normalize("NFKD", str(name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", " and ")
    words = re.findall(r"[^\W_]+", text)
    kept = [w for w in words if w not in STOP_WORDS]
    return "".join(kept or words)  # a name made only of generic words keeps them


def match_subgroups(boundary_names_and_codes: Iterable[tuple[str, str]], subgroup_names: Iterable[str],
                    *, aliases: Mapping[str, str] | None = None) -> MatchReport:
    """Match subgroup names to boundaries given as (admin1_code, name) pairs.

    A subgroup matches a boundary whose code it equals (ignoring case), else whose normalised name it
    shares, else whose name it shares once both are mapped through `aliases` (normalised alias ->
    normalised name, see `load_aliases`). A subgroup whose name fits several boundaries is left
    unmatched and listed as ambiguous. Grain: one Match per distinct subgroup that matched.
    """
    aliases = dict(aliases or {})
    boundaries = [(str(code), str(name)) for code, name in boundary_names_and_codes]
    by_code = _index((code.strip().casefold(), (code, name)) for code, name in boundaries)
    by_name = _index((normalise_name(name), (code, name)) for code, name in boundaries)
    by_alias = _index((_canonical(normalise_name(name), aliases), (code, name)) for code, name in boundaries)

    matches, unmatched, ambiguous = [], [], {}
    for subgroup in dict.fromkeys(str(s) for s in subgroup_names):
        key = normalise_name(subgroup)
        for method, found in (("code", by_code.get(subgroup.strip().casefold())),  # noqa: B007 (read after the loop)
                              ("name", by_name.get(key)),
                              ("alias", by_alias.get(_canonical(key, aliases)))):
            if found:
                break
        if not found:
            unmatched.append(subgroup)
        elif len(found) > 1:
            unmatched.append(subgroup)
            ambiguous[subgroup] = tuple(sorted(code for code, _ in found))
        else:
            code, name = found[0]
            matches.append(Match(subgroup=subgroup, admin1_code=code, boundary_name=name, method=method))

    used = {m.admin1_code for m in matches}
    return MatchReport(
        matches=tuple(matches),
        unmatched_subgroups=tuple(unmatched),
        unmatched_boundaries=tuple(sorted((c, n) for c, n in boundaries if c not in used)),
        ambiguous=ambiguous,
    )


def load_aliases(iso3: str, path: Path = ALIASES_FILE) -> dict[str, str]:
    """Known alternative names of one country's admin-1 areas: normalised alias -> normalised name."""
    aliases = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ALIAS_COLUMNS:
            raise ValueError(f"{path}: columns must be {', '.join(ALIAS_COLUMNS)}, "
                             f"got {', '.join(reader.fieldnames or ())}")
        for line, row in enumerate(reader, start=2):
            for column in ("iso3", "alias", "name"):
                if not (row[column] or "").strip():
                    raise ValueError(f"{path}: line {line}, column {column} is empty")
            if row["iso3"].strip().upper() == iso3.upper():
                aliases[normalise_name(row["alias"])] = normalise_name(row["name"])
    return aliases


def _index(pairs: Iterable[tuple[str, tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for key, boundary in pairs:
        if boundary not in index.setdefault(key, []):
            index[key].append(boundary)
    return index


def _canonical(key: str, aliases: Mapping[str, str]) -> str:
    return aliases.get(key, key)
