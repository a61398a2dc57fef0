"""One plain-language sentence per summary measure, for captions, tooltips and extracts."""

from __future__ import annotations

import math
from collections.abc import Mapping

from dashboard.equity.measures import MEASURES


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _decimals(value: float) -> int:
    size = abs(value)
    return 0 if size >= 10 else 1 if size >= 1 else 2


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


def _units(unit: str | None) -> str:
    """'%' reads as points (a difference of percentages); other units are quoted after the number."""
    if not unit:
        return ""
    return " points" if unit.strip() == "%" else f" {unit.strip()}"


def _ci(lower: float, upper: float, decimals: int, inside: bool = False) -> str:
    """' (95% CI 36–46)', or ', 95% CI 36–46' when already inside parentheses."""
    if math.isnan(lower) or math.isnan(upper):
        return ""
    low, high = sorted((lower, upper))
    joiner = " to " if low < 0 or high < 0 else "–"
    text = f"95% CI {_fmt(low, decimals)}{joiner}{_fmt(high, decimals)}"
    return f", {text}" if inside else f" ({text})"


def _when(row) -> str:
    for key in ("date", "year"):
        value = row.get(key) if isinstance(row, Mapping) or hasattr(row, "get") else None
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            return f" in {value}"
    return ""


def _change(estimate: float, previous) -> str:
    """', down from 70 in 2005', comparing the two values at the precision they are shown with."""
    if previous is None:
        return ""
    before = _number(previous.get("estimate") if hasattr(previous, "get") else previous)
    if math.isnan(before):
        return ""
    precision = max(_decimals(estimate), _decimals(before))
    now_shown, before_shown = round(estimate, precision), round(before, precision)
    word = "down" if now_shown < before_shown else "up" if now_shown > before_shown else "unchanged"
    when = _when(previous) if hasattr(previous, "get") else ""
    return f", {word} from {_fmt(before, _decimals(before))}{when}"


def reading(row, *, indicator_name: str, unit: str | None, dimension: str, lowest_label: str,
            highest_label: str, previous=None) -> str:
    """A one-line plain-language reading of one summary-measure row.

    `row` is a mapping (dict or Series) with measure, estimate, ci_lower, ci_upper and note.
    `highest_label` names the subgroup a pair measure puts first (y1 of D and R: the most advantaged
    of an ordered dimension for a favourable indicator, the reference, or the highest estimate) and,
    for SII/RII/ACI/RCI, the top of the ordered scale; for PAR and PAF it names the reference the
    setting could reach. `lowest_label` names the other end. `previous` is the same measure at an
    earlier date (a mapping with estimate and optionally date), or a bare number.
    """
    code = str(row["measure"]).lower()
    measure = MEASURES.get(code)
    name = measure.name if measure else code.upper()
    estimate = _number(row.get("estimate"))
    lower, upper = _number(row.get("ci_lower")), _number(row.get("ci_upper"))
    if math.isnan(estimate):
        why = row.get("note") or "no estimate"
        return f"{name} of {indicator_name} by {dimension} could not be computed: {why}"
    decimals = _decimals(estimate)
    units = _units(unit)
    value = _fmt(abs(estimate), decimals)
    signed = _fmt(estimate, decimals)
    ci = _ci(lower, upper, decimals)
    lead = indicator_name[:1].upper() + indicator_name[1:]
    changed = _change(estimate, previous)

    if code == "d":
        if round(estimate, decimals) == 0:
            return f"{lead} is the same among {highest_label} and among {lowest_label}{ci}{changed}"
        lo, hi = (lower, upper) if estimate > 0 else (-upper, -lower)
        direction = "higher" if estimate > 0 else "lower"
        return (f"{lead} among {highest_label} is {value}{units}{_ci(lo, hi, decimals)} {direction} "
                f"than among {lowest_label}{changed}")
    if code == "r":
        return f"{lead} among {highest_label} is {signed} times that among {lowest_label}{ci}{changed}"
    if code == "sii":
        lo, hi = (lower, upper) if estimate >= 0 else (-upper, -lower)
        direction = "higher" if estimate >= 0 else "lower"
        return (f"Across the {dimension} scale, {indicator_name} is {value}{units}"
                f"{_ci(lo, hi, decimals)} {direction} at the top ({highest_label}) than at the "
                f"bottom ({lowest_label}) (slope index of inequality){changed}")
    if code == "rii":
        return (f"Across the {dimension} scale, {indicator_name} at the top ({highest_label}) is "
                f"{signed} times that at the bottom ({lowest_label}){ci} "
                f"(relative index of inequality){changed}")
    if code in ("aci", "rci"):
        towards = highest_label if estimate > 0 else lowest_label
        spread = (f"is concentrated towards {towards}" if round(estimate, decimals) != 0
                  else "is spread evenly")
        scale = "" if code == "aci" else " on a -100 to 100 scale"
        inside = _ci(lower, upper, decimals, inside=True)
        return (f"{lead} {spread} along the {dimension} scale ({name.lower()} {signed}{scale}{inside})"
                f"{changed}")
    if code in ("par", "paf"):
        if round(estimate, decimals) == 0:
            return (f"{highest_label[:1].upper() + highest_label[1:]} does no better than the setting "
                    f"average of {indicator_name}, so no improvement is attributable to {dimension} "
                    f"({name.lower()} 0){changed}")
        verb = "rise" if estimate > 0 else "fall"
        lo, hi = (lower, upper) if estimate >= 0 else (-upper, -lower)
        amount = f"{value}%" if code == "paf" else f"{value}{units}"
        return (f"If every subgroup reached the level of {highest_label}, the setting average of "
                f"{indicator_name} would {verb} by {amount}{_ci(lo, hi, decimals)} "
                f"({name.lower()}){changed}")
    if code == "bgv":
        squared = f"squared{units}" if units else "squared units"
        return (f"The between-group variance of {indicator_name} across {dimension} subgroups is "
                f"{signed}{ci} ({squared.strip()}; 0 means no inequality){changed}")
    if code == "mdmw":
        return (f"Weighted by population, {dimension} subgroups differ from the mean of "
                f"{indicator_name} by {value}{units}{ci} on average{changed}")
    if code in ("ti", "mld"):
        title = "Theil index" if code == "ti" else "mean log deviation"
        return (f"The {title} of {indicator_name} across {dimension} subgroups is {signed}{ci} "
                f"(x1000; 0 means no inequality, higher means more unequal){changed}")
    scale = f" ({measure.scale})" if measure else ""
    return f"{name} of {indicator_name} across {dimension} subgroups: {signed}{ci}{scale}{changed}"
