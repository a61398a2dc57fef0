"""How HEAT summary measures are read and shown: units, display precision, the value of equality, and
which direction means more inequality."""

from __future__ import annotations

from dashboard.equity.measures import MEASURES

# Measures whose sign follows the indicator's direction (concentration, slope, attributable
# improvement): larger is worse only for a favourable indicator. Every other measure is a gap or a
# dispersion that grows with inequality.
SIGNED_BY_DIRECTION = ("aci", "rci", "sii", "rii", "par", "paf")

RATIOS = ("r", "rii")


def measure_decimals(code: str, indicator_decimals: int) -> int:
    """Display precision: ratios to 2 decimals, measures in indicator units as the indicator, else 1."""
    if code in RATIOS:
        return 2
    if MEASURES[code].scale == "indicator units":
        return max(int(indicator_decimals), 1)
    return 1


def measure_unit(code: str, indicator_unit: str) -> str:
    """The unit a measure is read in: the indicator's own for gaps in indicator units (percentage
    points for a %), else the catalogue's scale (ratio, x100, % of the setting average ...)."""
    scale = MEASURES[code].scale
    own = "percentage points" if indicator_unit.strip() == "%" else indicator_unit
    if scale == "indicator units":
        return own
    if scale == "squared indicator units":
        return f"squared {own}"
    return scale.split(";")[0]


def equality_value(code: str) -> float:
    """The value a measure takes when there is no inequality: 1 for ratios, 0 otherwise."""
    return 1.0 if code in RATIOS else 0.0


def worse_when_larger(code: str, favourable_indicator: bool) -> bool:
    """Whether a larger value of the measure means more inequality (darker on a map).

    Gaps (D, R) and dispersion measures grow with inequality. Concentration indices, SII and RII point
    towards the advantaged for a favourable indicator and away from them for an adverse one; PAR and
    PAF are positive (more to gain) for a favourable indicator and negative for an adverse one.
    """
    return bool(favourable_indicator) if code in SIGNED_BY_DIRECTION else True

