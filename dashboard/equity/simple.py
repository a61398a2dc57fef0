"""Difference, ratio, population attributable risk and fraction: the measures for every dimension."""

from __future__ import annotations

import numpy as np

from dashboard.equity.group import (
    Z95,
    Group,
    Unavailable,
    Value,
    available,
    complete,
    join,
    normal_ci,
    se_gap,
    setting_mean,
)


def pair(group: Group) -> tuple[int, int]:
    """Indices (y1, y2) of the two subgroups D and R compare, following HEAT.

    Ordered dimensions: most advantaged minus most disadvantaged for favourable indicators, the
    reverse for adverse ones. Non-ordered with a reference subgroup: the reference against the
    lowest other subgroup (favourable) or the highest other subgroup against the reference (adverse),
    so the reference is never compared with itself. Otherwise highest minus lowest, so D >= 0, R >= 1.
    """
    has_est = ~np.isnan(group.est)
    if group.ordered and not np.isnan(group.order).all():
        extremes = {"most disadvantaged": int(np.nanargmin(group.order)),
                    "most advantaged": int(np.nanargmax(group.order))}
        for label, i in extremes.items():
            if not has_est[i]:
                raise Unavailable(f"estimate missing for the {label} subgroup {group.subgroup[i]}")
        low, high = extremes["most disadvantaged"], extremes["most advantaged"]
        return (high, low) if group.favourable else (low, high)
    if group.has_reference:
        ref = int(np.flatnonzero(group.reference)[0])
        if not has_est[ref]:
            raise Unavailable(f"estimate missing for the reference subgroup {group.subgroup[ref]}")
        others = has_est.copy()
        others[ref] = False
        if not others.any():
            raise Unavailable("no subgroup other than the reference has an estimate")
        candidates = np.where(others, group.est, np.nan)
        if group.favourable:
            return ref, int(np.nanargmin(candidates))
        return int(np.nanargmax(candidates)), ref
    if has_est.sum() < 2:
        raise Unavailable("fewer than 2 subgroups have an estimate")
    return int(np.nanargmax(group.est)), int(np.nanargmin(group.est))


def d(group: Group) -> Value:
    i, j = pair(group)
    estimate = group.est[i] - group.est[j]
    gap = se_gap(group, np.array([i, j]))
    if gap:
        return Value(estimate, note=gap)
    return normal_ci(estimate, float(np.hypot(group.se[i], group.se[j])))


def r(group: Group) -> Value:
    i, j = pair(group)
    y1, y2 = group.est[i], group.est[j]
    if y2 == 0:
        raise Unavailable(f"the estimate of {group.subgroup[j]} is 0, so the ratio is undefined")
    ratio = y1 / y2
    gap = se_gap(group, np.array([i, j]))
    if gap:
        return Value(ratio, note=gap)
    if ratio <= 0:
        return Value(ratio, note="no 95% CI: the ratio is not positive")
    # Ahn et al. (2018): delta-method se of R, divided by R to put it on the log scale.
    log_se = np.sqrt((group.se[i] ** 2 + ratio ** 2 * group.se[j] ** 2) / y2 ** 2) / ratio
    return Value(ratio, log_se, ratio * np.exp(-Z95 * log_se), ratio * np.exp(Z95 * log_se))


def _attributable(group: Group) -> tuple[float, float, float, str | None, str | None]:
    """Reference estimate, setting mean, walter se of PAF (or nan), a note on subgroups left out, a CI note.

    The reference is the most advantaged subgroup of an ordered dimension, otherwise the best
    estimate (highest when favourable, lowest when adverse), as in healthequal.
    """
    if group.ordered:
        used, left_out = complete(group), None
        ref = int(np.argmax(used.order))
    else:
        used, left_out = available(group, minimum=2)
        ref = int(np.argmax(used.est) if used.favourable else np.argmin(used.est))
    mu = setting_mean(used)
    ref_est = float(used.est[ref])
    if np.isnan(used.pop).any() or np.isnan(used.scale):
        return ref_est, mu, np.nan, left_out, "no 95% CI: population or indicator scale missing"
    # Walter (1978) variance of the attributable fraction from a 2x2 table built from the shares.
    total = used.pop.sum()
    ref_pop = used.pop[ref]
    c = ref_est / used.scale * ref_pop
    dd = ref_pop - c
    a = mu / used.scale * total - c
    b = total - a - ref_pop
    with np.errstate(divide="ignore", invalid="ignore"):
        paf_se = float(np.sqrt(c * total * (a * dd * (total - c) + b * c ** 2)
                               / ((a + c) ** 3 * (c + dd) ** 3)))
    ci_note = None if np.isfinite(paf_se) else "no 95% CI: the variance formula is undefined here"
    return ref_est, mu, paf_se, left_out, ci_note


def _truncate(value: float, favourable: bool) -> float:
    """No negative attributable improvement: HEAT reports 0 when the reference is worse than the mean."""
    if (favourable and value < 0) or (not favourable and value > 0):
        return 0.0
    return value


def par(group: Group) -> Value:
    ref_est, mu, paf_se, left_out, ci_note = _attributable(group)
    estimate = _truncate(ref_est - mu, group.favourable)
    if ci_note:
        return Value(estimate, note=join(left_out, ci_note))
    return normal_ci(estimate, abs(mu) * paf_se, left_out)


def paf(group: Group) -> Value:
    ref_est, mu, paf_se, left_out, ci_note = _attributable(group)
    if mu == 0:
        raise Unavailable("the setting average is 0, so a fraction of it is undefined")
    estimate = _truncate(100 * (ref_est - mu) / mu, group.favourable)
    if ci_note:
        return Value(estimate, note=join(left_out, ci_note))
    # Walter's se is of the fraction; PAF is reported x100, so its se is too. healthequal 1.0.1 adds
    # the fraction's se to the percentage, which makes the CI 100 times too narrow.
    return normal_ci(estimate, 100 * paf_se, left_out)

