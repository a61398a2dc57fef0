"""WHO GHO importer: OData JSON, theme downloads, who.int exports and Athena CSVs to normalised imports.

Disaggregation codes map to the warehouse's dimensions through gho_dimensions.csv (codes written
with their type as prefix, e.g. SEX_MLE, are looked up without it). A value is taken from the
numeric field; when that is empty the display text is used only if it is unambiguous. When the
numeric field disagrees with the display text by exactly a factor of 100 (UHC_INDEX_REPORTED's
regional rows hold 0-1 numbers beside 0-100 display values) the display's scale wins and the row is
flagged. Rows for regions, income groups and the globe become aggregate areas.

Publishers use three more shapes that are not errors:
- a disaggregation that is not a population subgroup but a breakdown of the indicator itself (IHR SPAR
  files split a score by capacity in IHRSPARCAPACITYLEVEL; EMF limits by exposed group and frequency):
  any disaggregation type gho_dimension_types.csv does not list. Each breakdown code becomes its own
  indicator `<parent>__<code>` (codes in `<type>_TOTL` or `TOTL` are the parent's own value), named
  from the file's or code list's label and described as a breakdown of its parent;
- a year given as a period ('2013-2017'): the value is stored at the period's end year, flagged
  'period 2013-2017';
- a cell with no numeric value whose display is text ('No data', 'Not applicable', 'Other'), or, in an
  indicator that never has a numeric value, a display that is not one plain number ('[5]/[10]'): the
  cell is skipped and counted in the import's report. An indicator with nothing but such cells is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import catalogue, contract
from dashboard.config import CATALOGUE_DIR
from dashboard.sources import assemble, gho_shapes, harmonise, tabular
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.gho_shapes import GhoFile, Observation
from dashboard.sources.imports import ImportSet
from dashboard.sources.indicator_meta import FileIndicator

PUBLISHER = "WHO_GHO"
TITLE = "Global Health Observatory"
COUNTRIES_SOURCE = "WHO_GHO_COUNTRIES"
AGGREGATE_TYPES = ("REGION", "WORLDBANKINCOMEGROUP", "GLOBAL")
RESCALED = "rescaled x100: numeric value given on a 0-1 scale, display on 0-100"
ALTERNATIVES = "several values published for this key; the first listed is kept"
BREAKDOWN_JOIN = "__"
_PERIOD = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
URLS = {"odata": "https://ghoapi.azureedge.net/api/{code}", "athena": "https://apps.who.int/gho/athena/api/GHO/{code}",
        "theme": "https://www.who.int/data/gho", "web": "https://www.who.int/data/gho"}


@cache
def dimension_map() -> dict[tuple[str, str], dict]:
    """(dim_type, value code) -> dimension, subgroup, order, ordered and reference flags."""
    frame = pd.read_csv(CATALOGUE_DIR / "gho_dimensions.csv", dtype=str, keep_default_na=False)
    return {(r["dim_type"], r["code"]): {
        "dimension": r["dimension"], "subgroup": r["subgroup"],
        "subgroup_order": int(r["subgroup_order"]) if r["subgroup_order"] else None,
        "ordered_dimension": r["ordered_dimension"] == "true",
        "reference_subgroup": r["reference_subgroup"] == "true"} for _, r in frame.iterrows()}


@cache
def dimension_types() -> dict[str, str]:
    """Labels publishers use for a disaggregation type ('Wealth Quintile') -> GHO type code."""
    frame = pd.read_csv(CATALOGUE_DIR / "gho_dimension_types.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["label"], frame["dim_type"]))


def read(paths: Iterable[Path], *, progress: Callable[[str], None] = lambda message: None) -> list[ImportSet]:
    """ImportSets (one per release) from GHO files of any shape; code lists beside theme data are used.

    Grain of the values: indicator x area x year x dimension x subgroup.
    """
    given = [Path(p) for p in paths]
    files = [gho_shapes.read_file(p) for p in given]
    codes = _pooled_codes([f for f in files if f.shape == "codes"])
    data = [f for f in files if f.shape != "codes"]
    sets = []
    for f in data:
        file_codes = codes
        if f.shape == "theme":
            beside = f.path.parent.parent / "codes"
            extra = [gho_shapes.read_file(p) for p in sorted(beside.glob("*.csv")) if p.resolve()
                     not in {g.resolve() for g in given}] if beside.is_dir() else []
            file_codes = _merge_codes(codes, _pooled_codes(extra))
        url = URLS[f.shape].format(code=f.observations[0].indicator if f.observations else "")
        made = from_observations(f.observations, origin=f.path, retrieved_at=assemble.file_time([f.path]),
                                 codes=file_codes, url=url, athena=f.shape == "athena", progress=progress)
        sets.extend((str(f.path), s) for s in made)
    if not data:
        areas = _code_list_areas(codes)
        if len(areas):
            release = assemble.Release(COUNTRIES_SOURCE, PUBLISHER, TITLE, None, assemble.file_time(given))
            sets.append((str(given[0]), assemble.countries_only(release, areas)))
        other = sorted(set(codes) - {"COUNTRY", *AGGREGATE_TYPES})
        if other:
            progress(f"code lists {', '.join(other)} read; they describe data files and import nothing alone")
    return combine(sets)


def _pooled_codes(files: list[GhoFile]) -> dict[str, dict[str, dict]]:
    pooled: dict[str, dict[str, dict]] = {}
    for f in files:
        pooled = _merge_codes(pooled, f.codes)
    return pooled


def _merge_codes(first: dict, second: dict) -> dict:
    merged = {k: dict(v) for k, v in second.items()}
    for dimension, values in first.items():
        merged.setdefault(dimension, {}).update(values)
    return merged


def _code_list_areas(codes: dict[str, dict[str, dict]]) -> pd.DataFrame:
    rows = []
    for code, row in codes.get("COUNTRY", {}).items():
        iso3 = harmonise.iso3_for_code(code)
        if iso3:
            parent = row["ParentCode"] if row["ParentDimension"] == "REGION" else ""
            rows.append({"iso3": iso3, "name": row["Title"], "is_aggregate": False,
                         "who_region": parent if parent in catalogue.WHO_REGIONS else None})
    for kind in AGGREGATE_TYPES:
        for code, row in codes.get(kind, {}).items():
            rows.append({"iso3": code, "name": harmonise.aggregate_name("WHO", code) or row["Title"],
                         "is_aggregate": True})
    return pd.DataFrame(rows)


def combine(made: list[tuple[str, ImportSet]]) -> list[ImportSet]:
    """One ImportSet per source_code from (origin, set) pairs: files of the same release are merged.

    The same indicator from two origins of one release would give each key twice: refused, naming both.
    """
    by_code: dict[str, list[tuple[str, ImportSet]]] = {}
    for origin, s in made:
        by_code.setdefault(s.source_code, []).append((origin, s))
    out = []
    for group in by_code.values():
        seen: dict[str, str] = {}
        for origin, s in group:
            for code in s.tables[assemble.FCT]["indicator_code"].unique() if assemble.FCT in s.tables else ():
                if code in seen:
                    raise ImportFormatError(origin, f"indicator {code} of release {s.source_code} is also in "
                                            f"{seen[code]}; import one of them")
                seen[code] = origin
        sets = [s for _, s in group]
        tables = {}
        for table in {t for s in sets for t in s.tables}:
            frame = pd.concat([s.tables[table] for s in sets if table in s.tables], ignore_index=True)
            key = {"dim_country": "iso3", "dim_indicator": "indicator_code"}.get(table)
            tables[table] = frame.drop_duplicates(key) if key else frame
        source = sets[0].source.copy()
        source["retrieved_at"] = max(s.source["retrieved_at"].iloc[0] for s in sets)
        out.append(ImportSet(source=source, tables=tables))
    return out


def from_observations(observations: list[Observation], *, origin: Path | str, retrieved_at: datetime,
                      codes: dict | None = None, url: str | None = None, athena: bool = False,
                      progress: Callable[[str], None] = lambda message: None,
                      names: dict[str, str] | None = None) -> list[ImportSet]:
    """The ImportSet of one file or API response (a list, for symmetry with read); its release is the
    latest date the publisher stamps on a value (none for Athena files, which carry no dates)."""
    codes = codes or {}
    _reject_text_only(observations, origin)
    numeric = {o.indicator for o in observations if o.numeric}
    rows, areas, skipped, texts = [], {}, 0, []
    breakdowns: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}
    for obs in observations:
        row = _value(obs, display_only=obs.indicator not in numeric)
        if row is None:
            skipped += 1
            continue
        if row is _TEXT:
            texts.append(obs.display)
            continue
        row.update(_area(obs, codes, areas))
        dimension, parts = _dimension(obs)
        row.update(dimension)
        if parts:
            row["indicator_code"] = BREAKDOWN_JOIN.join([obs.indicator, *(code for _, code in parts)])
            breakdowns.setdefault(row["indicator_code"], (obs.indicator, [
                (kind, code, obs.dim_titles.get(code) or codes.get(kind, {}).get(code, {}).get("Title") or code)
                for kind, code in parts]))
        row["year"], period = _year(obs)
        if period:
            row["flag"] = _joined(row["flag"], f"period {period}")
        rows.append(row)
    if skipped:
        progress(f"{origin}: {skipped} row(s) without a value skipped")
    if texts:
        shown = ", ".join(repr(t) for t in dict.fromkeys(texts) if t)
        progress(f"{origin}: {len(texts)} cell(s) holding text instead of a number skipped ({shown[:120]})")
    _report_breakdowns(origin, breakdowns, progress)
    if not rows:
        raise ImportFormatError(origin, "no values to import", line=1)
    values = _resolve_alternatives(pd.DataFrame(rows))
    # The release is the latest modification date the publisher gives for any of these values.
    dates = [o.date[:10] for o in observations if o.date]
    release = max(dates) if dates else None
    code = f"{PUBLISHER}_{release}" if release else f"{PUBLISHER}_ATHENA" if athena else f"{PUBLISHER}_UNDATED"
    described = [_describe(c, observations, codes, names, breakdowns)
                 for c in sorted(values["indicator_code"].unique())]
    meta = assemble.Release(code, PUBLISHER, TITLE, release, retrieved_at, url=url)
    long = assemble.long_values(**{c: values[c].to_numpy() for c in values.columns if c != "note"})
    used = pd.DataFrame([areas[i] for i in values["iso3"].unique()])
    return [assemble.assemble(meta, long, used, described)]


def _reject_text_only(observations: list[Observation], origin) -> None:
    """An indicator never given a number (neither a numeric value nor a display that is one), with some
    values that are text, is a text indicator: refused, as the warehouse holds numbers only."""
    by_code: dict[str, list[Observation]] = {}
    for obs in observations:
        by_code.setdefault(obs.indicator, []).append(obs)
    for code, group in by_code.items():
        if any(o.numeric or (o.display and tabular.display_value(o.display) is not None) for o in group):
            continue
        texts = [o.display for o in group if o.display and tabular.display_value(o.display) is None]
        if texts:
            raise ImportFormatError(
                origin, f"indicator {code} holds no numeric values ({group[0].numeric_column} is empty in all "
                f"{len(group)} records and the value field holds text such as {texts[0]!r}); the warehouse "
                "stores numbers only", line=group[0].line, column=group[0].numeric_column)


_TEXT = object()  # what _value returns for a cell holding text instead of a number


def _joined(flag: str | None, more: str) -> str:
    return f"{flag}; {more}" if flag else more


def _report_breakdowns(origin, breakdowns: dict, progress: Callable[[str], None]) -> None:
    """One line per breakdown type: the catalogue has no subgroups for it, so its codes became indicators."""
    by_kind: dict[str, set[str]] = {}
    for _, parts in breakdowns.values():
        for kind, code, _ in parts:
            by_kind.setdefault(kind, set()).add(code)
    for kind, found in sorted(by_kind.items()):
        listed = sorted(found)
        examples = ", ".join(listed[:4]) + (" ..." if len(listed) > 4 else "")
        progress(f"{origin}: {kind} is not a population subgroup in gho_dimension_types.csv; its {len(listed)} "
                 f"code(s) ({examples}) are imported as separate indicators <indicator>{BREAKDOWN_JOIN}<code>")


def _value(obs: Observation, display_only: bool = False) -> dict | object | None:
    """Estimate and interval of one observation, None when it has no value at all, or _TEXT when its
    only value is text: words, or (in an indicator never given a numeric value) anything not one number."""
    estimate = tabular.number(obs.numeric, obs.path, obs.line, obs.numeric_column)
    low = tabular.number(obs.low, obs.path, obs.line, obs.low_column)
    high = tabular.number(obs.high, obs.path, obs.line, obs.high_column)
    shown = tabular.display_value(obs.display) if obs.display else None
    flag = f"value given as '{obs.prefix}'" if obs.prefix else None
    if estimate is None:
        if obs.display and shown is None:
            if display_only or not re.search(r"\d", obs.display):
                return _TEXT
            raise ImportFormatError(obs.path, f"{obs.display!r} is not a number and {obs.numeric_column} is "
                                    "empty", line=obs.line, column=obs.numeric_column)
        if shown is None:
            return None
        estimate, low, high = shown[0], low if low is not None else shown[1], high if high is not None else shown[2]
    elif shown is not None:
        tolerance = 0.5 * 10 ** -tabular.decimals_shown(obs.display) + 1e-9
        if abs(estimate - shown[0]) > tolerance and abs(estimate * 100 - shown[0]) <= tolerance:
            estimate, low, high = (None if v is None else v * 100 for v in (estimate, low, high))
            flag = RESCALED
    return {"indicator_code": obs.indicator, "estimate": estimate, "ci_lower": low, "ci_upper": high,
            "flag": flag, "note": obs.note,
            "_path": obs.path, "_line": obs.line, "_column": obs.numeric_column}


def _area(obs: Observation, codes: dict, areas: dict) -> dict:
    kind, code = obs.spatial_type, obs.spatial_code
    if kind == "COUNTRY":
        iso3 = harmonise.iso3_for_code(code) if code else (harmonise.iso3_for_name(obs.location) if obs.location else None)
        if iso3 is None:
            raise ImportFormatError(obs.path, f"unknown country code {code or obs.location!r} (not ISO 3166-1 "
                                    "nor in country_aliases.csv)", line=obs.line, column=obs.spatial_column)
        listed = codes.get("COUNTRY", {}).get(code, {})
        areas.setdefault(iso3, {"iso3": iso3, "is_aggregate": False, "name": obs.location or listed.get("Title"),
                                "who_region": obs.parent if obs.parent in catalogue.WHO_REGIONS else None})
        return {"iso3": iso3}
    if kind in AGGREGATE_TYPES:
        name = harmonise.aggregate_name("WHO", code) or codes.get(kind, {}).get(code, {}).get("Title")
        if not name:
            raise ImportFormatError(obs.path, f"unknown {kind.lower()} code {code!r} (not in aggregates.csv "
                                    "nor in a code list)", line=obs.line, column=obs.spatial_column)
        areas.setdefault(code, {"iso3": code, "is_aggregate": True, "name": name})
        return {"iso3": code}
    raise ImportFormatError(obs.path, f"unsupported area type {kind!r}", line=obs.line, column=obs.spatial_column)


def _dimension(obs: Observation) -> tuple[dict, list[tuple[str, str]]]:
    """The one dimension and subgroup of an observation ('Total' when it is not disaggregated), and the
    (type, code) of each breakdown of the indicator itself, in the file's order."""
    chosen = {"dimension": contract.TOTAL, "subgroup": contract.TOTAL, "subgroup_order": None,
              "ordered_dimension": False, "reference_subgroup": False}
    split, parts = [], []
    for column, label, value in obs.dims:
        if not value:
            continue
        dim_type = dimension_types().get(label)
        if dim_type is None:
            if value != "TOTL" and not value.endswith("_TOTL"):
                parts.append((label, value))
            continue
        code = value[len(dim_type) + 1:] if value.startswith(f"{dim_type}_") else value
        mapped = dimension_map().get((dim_type, code))
        if mapped is None:
            raise ImportFormatError(obs.path, f"unknown {dim_type} code {value!r} (not in gho_dimensions.csv)",
                                    line=obs.line, column=column)
        if mapped["dimension"] != contract.TOTAL:
            split.append((column, mapped))
    if len(split) > 1:
        raise ImportFormatError(obs.path, "value is disaggregated by more than one dimension ("
                                + ", ".join(c for c, _ in split) + "); the warehouse holds one per value",
                                line=obs.line, column=split[1][0])
    if split:
        chosen.update(split[0][1])
    return chosen, parts


def _year(obs: Observation) -> tuple[int, str | None]:
    """(year, period): a period such as '2013-2017' is stored at its end year and kept as text."""
    period = _PERIOD.match(obs.year)
    if period and int(period.group(1)) <= int(period.group(2)):
        return int(period.group(2)), f"{period.group(1)}-{period.group(2)}"
    if len(obs.year) != 4 or not obs.year.isdigit():
        raise ImportFormatError(obs.path, f"year {obs.year!r} is not a four-digit year nor a period such as "
                                "'2013-2017'", line=obs.line, column=obs.year_column)
    return int(obs.year), None


def _resolve_alternatives(values: pd.DataFrame) -> pd.DataFrame:
    """Rows sharing a key but differing in value or cited source: keep the first listed and flag it.

    Older GHO files list one value per data source (MDG_0000000025 has surveys and registries for the
    same country-year). Rows that repeat a key with the same value and source are a broken file, not
    alternatives: they stay, so that assemble.check_unique reports them.
    """
    key = assemble.KEY
    shared = values.duplicated(key, keep=False)
    if not shared.any():
        return values
    repeated = values.duplicated(key + ["estimate", "ci_lower", "ci_upper", "note"], keep=False)
    broken = values.assign(_repeated=repeated).groupby(key, sort=False)["_repeated"].transform("any")
    alternative = shared & ~broken
    first = ~values.duplicated(key, keep="first")
    values = values[~alternative | first].copy()
    chosen = alternative[values.index]
    values.loc[chosen, "flag"] = [_joined(None if pd.isna(f) else f, ALTERNATIVES)
                                  for f in values.loc[chosen, "flag"]]
    return values.reset_index(drop=True)


def _describe(code: str, observations: list[Observation], codes: dict, names: dict | None,
              breakdowns: dict | None = None) -> FileIndicator:
    if code in (breakdowns or {}):
        parent, parts = breakdowns[code]
        curated = catalogue.known_indicators().set_index("indicator_code")["name"]
        parent_name = _describe(parent, observations, codes, names).name or curated.get(parent)
        labels = ", ".join(title for _, _, title in parts)
        of = f"{parent} ({parent_name})" if parent_name else parent
        definition = (f"Breakdown of {of} by " + ", ".join(f"{kind} = {value}" for kind, value, _ in parts)
                      + "; published under the parent indicator's code.")
        return FileIndicator(code, _breakdown_name(parent_name or parent, labels), definition, parent=parent)
    name = (names or {}).get(code) or codes.get("GHO", {}).get(code, {}).get("Title")
    if not name:
        name = next((o.indicator_name for o in observations if o.indicator == code and o.indicator_name), None)
    return FileIndicator(code, name or None, None)


def _breakdown_name(parent: str, labels: str) -> str:
    """'Hospital beds (per 10 000 population)' + 'Level 1' -> 'Hospital beds, Level 1 (per 10 000 population)':
    the unit stays in the closing parenthesis, where uncurated indicators' units are read from."""
    unit = re.search(r"\s*(\([^()]*\))\s*$", parent)
    if unit:
        return f"{parent[:unit.start()]}, {labels} {unit.group(1)}"
    return f"{parent}, {labels}"
