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



# Measures whose 95% CI is the 2.5th-97.5th percentile of 100 simulated values (as in HEAT and
# healthequal): the interval is not centred on the estimate and can exclude it.
SIMULATED = ("bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw")

# Measures that cannot be negative (dispersion and gaps from the best), whose symmetric normal CI can be.
NON_NEGATIVE = ("bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw",
                "ti", "mld")

EXCLUDES_ESTIMATE = ("The 95% CI excludes the estimate: it is the spread of 100 simulated values (as in HEAT), "
                     "which is not centred on the estimate when subgroups are few or near a bound")
BELOW_ZERO = "The CI's lower bound is below 0, which this measure cannot be (a symmetric normal interval): read it as 0"


def interval_note(code: str, estimate: float, lower: float, upper: float) -> str:
    """Why an interval looks wrong, when it does: a simulated CI that excludes its estimate, or a
    normal CI reaching below 0 for a measure that cannot be negative; '' otherwise."""
    if any(v is None or v != v for v in (estimate, lower, upper)):
        return ""
    if lower > estimate or upper < estimate:
        return EXCLUDES_ESTIMATE
    if lower < 0 and code in NON_NEGATIVE:
        return BELOW_ZERO
    return ""


def interval_caption(code: str) -> str:
    """A standing caption for measures with simulated intervals; '' for the others."""
    if code not in SIMULATED:
        return ""
    return (f"{MEASURES[code].name}: its 95% CI comes from 100 simulations, as in HEAT, so it can exclude the "
            "estimate; the Note column says where it does.")


def with_interval_notes(frame):
    """`frame` (columns measure, estimate, ci_lower, ci_upper and maybe note) with interval_note filled in
    where the note is empty; a computed note (why a measure is missing) is kept."""
    out = frame.copy()
    notes = out["note"].tolist() if "note" in out else [None] * len(out)
    out["note"] = [note if isinstance(note, str) and note else (interval_note(m, e, lo, hi) or None)
                   for note, m, e, lo, hi in zip(notes, out["measure"], out["estimate"], out["ci_lower"],
                                                 out["ci_upper"])]
    return out
