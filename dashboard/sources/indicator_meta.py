"""dim_indicator rows for imported indicators: the catalogue for units and ranges, the file for its own text.

Curated indicators (dashboard/catalogue/indicators.csv) take unit, scale, direction, building block,
domain, plausible range and decimals from the catalogue, and name and definition from the publisher's
file when it gives them. Indicators the catalogue does not know are described from the file alone:
- unit and scale from the name's closing parenthesis ('(per 1,000 people)' -> per 1,000, scale 1000;
  '(%)' or '(% of ...)' -> %, scale 100), else 'value';
- plausible range 0-100 for %, 0-N for 'per N', else 0 to ten times the next power of ten above the
  largest value (negative bounds mirror positive ones when the data hold negative values); a derived
  range is widened to hold every value in the file, since it is a guess, not curated knowledge;
- favourable unless the name speaks of mortality, deaths, prevalence, incidence and the like;
- building block and domain 'Unclassified'.
A breakdown of a curated indicator (one series per capacity of an IHR score, say) takes its parent's
unit, scale, direction, building block, domain, range and decimals, but is never a UHC tracer itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from dashboard import catalogue, contract

UNCLASSIFIED = "Unclassified"
_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_PER = re.compile(r"^per\s+([\d][\d ,.]*\d|\d)\s*(.*)$", re.IGNORECASE)
# Words that mark an adverse indicator (lower is better), for indicators the catalogue does not know.
_ADVERSE = re.compile(
    r"mortality|death|dying|prevalence|incidence|out-of-pocket|catastrophic|impoverish|stunting|"
    r"wasting|underweight|overweight|obesity|raised|tobacco|smok|suicide|injur|anaemia|anemia",
    re.IGNORECASE)


@dataclass
class FileIndicator:
    """What a publisher's file says about one indicator; None where it says nothing."""

    code: str
    name: str | None = None
    definition: str | None = None
    parent: str | None = None    # the indicator this one breaks down, when it is a breakdown


def unit_from_name(name: str | None) -> tuple[str, int | None]:
    """(unit, indicator_scale) read from an indicator name's closing parenthesis."""
    match = _PAREN.search(name or "")
    if not match:
        return "value", None
    text = match.group(1).strip()
    if text.startswith("%"):
        return "%", 100
    per = _PER.match(text)
    if per:
        scale = int(re.sub(r"[ ,.]", "", per.group(1)))
        rest = f" {per.group(2)}" if per.group(2) else ""
        return f"per {scale:,}{rest}", scale
    return text, None


def _power_bound(largest: float) -> float:
    return 10.0 ** (math.floor(math.log10(largest)) + 2) if largest > 0 else 1.0


def derived_bounds(unit: str, scale: int | None, estimates: pd.Series) -> tuple[float, float]:
    """A generous plausible range for an uncurated indicator, always holding every estimate given."""
    values = pd.to_numeric(estimates, errors="coerce").dropna()
    largest = float(values.abs().max()) if len(values) else 0.0
    if unit == "%":
        high = 100.0
    elif scale:
        high = float(scale)
    else:
        high = _power_bound(largest)
    if largest > high:
        high = _power_bound(largest)
    low = -high if len(values) and float(values.min()) < 0 else 0.0
    return low, high


def _short(name: str) -> str:
    short = _PAREN.sub("", name).strip() or name
    return short if len(short) <= 60 else short[:59].rstrip() + "…"


def indicator_rows(described: list[FileIndicator], source_code: str,
                   estimates: pd.DataFrame) -> pd.DataFrame:
    """dim_indicator rows, one per described indicator; `estimates` has indicator_code and estimate."""
    curated = catalogue.known_indicators().set_index("indicator_code")
    rows = []
    for item in described:
        values = estimates.loc[estimates["indicator_code"] == item.code, "estimate"]
        like = item.code if item.code in curated.index else item.parent if item.parent in curated.index else None
        if like is not None:
            row = curated.loc[like]
            own = like == item.code
            rows.append({
                "indicator_code": item.code, "name": item.name or row["name"],
                "short_name": row["short_name"] if own else _short(item.name or item.code), "unit": row["unit"],
                "indicator_scale": row["indicator_scale"],
                "favourable_indicator": row["favourable_indicator"],
                "building_block": row["building_block"], "domain": row["domain"],
                "uhc_tracer": row["uhc_tracer"] if own else pd.NA,
                "definition": item.definition or (row["definition"] if own else None),
                "plausible_min": row["plausible_min"], "plausible_max": row["plausible_max"],
                "decimals": row["decimals"], "source_code": source_code})
            continue
        name = item.name or item.code
        unit, scale = unit_from_name(name)
        low, high = derived_bounds(unit, scale, values)
        rows.append({
            "indicator_code": item.code, "name": name, "short_name": _short(name), "unit": unit,
            "indicator_scale": scale, "favourable_indicator": not _ADVERSE.search(name),
            "building_block": UNCLASSIFIED, "domain": UNCLASSIFIED.lower(), "uhc_tracer": pd.NA,
            "definition": item.definition, "plausible_min": low, "plausible_max": high,
            "decimals": 0 if unit == "number" else 1, "source_code": source_code})
    frame = pd.DataFrame(rows, columns=list(contract.COLUMNS["dim_indicator"]))
    for column in ("uhc_tracer", "definition"):
        frame[column] = frame[column].replace("", pd.NA)
    return contract.conform("dim_indicator", frame)
