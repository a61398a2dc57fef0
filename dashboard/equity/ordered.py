"""Concentration indices and the slope and relative indices of inequality, for ordered dimensions."""

from __future__ import annotations

import warnings

import numpy as np

from dashboard.equity.group import Z95, Group, Unavailable, Value, complete, normal_ci, shares


def _ranked(group: Group) -> tuple[Group, np.ndarray]:
    """The complete group and each subgroup's midpoint rank in the cumulative population (0..1)."""
    used = complete(group)
    order = used.order
    if np.isnan(order).any() or not np.array_equal(np.sort(order), np.arange(1, used.n + 1)):
        raise Unavailable("subgroup_order must number the subgroups 1..n, 1 = most disadvantaged")
    share = shares(used)  # the group is sorted by subgroup_order already
    return used, np.cumsum(share) - share / 2


def _concentration(group: Group) -> tuple[float, float, float]:
    """Slope and its se of the convenient regression for the concentration index (healthequal).

    Regress 2*sigma^2*(y/mean)*sqrt(n) on rank*sqrt(n) and sqrt(n) without an intercept; the slope
    is the relative concentration index, its ordinary least-squares se the index's se.
    """
    used, rank = _ranked(group)
    share = used.pop / used.pop.sum()
    mean = float(np.sum(share * used.est))
    if mean == 0:
        raise Unavailable("the population-weighted mean is 0, so the concentration index is undefined")
    sigma2 = float(np.sum(share * (rank - 0.5) ** 2))
    root = np.sqrt(used.pop)
    lhs = 2 * sigma2 * (used.est / mean) * root
    design = np.column_stack([rank * root, root])
    coef, *_ = np.linalg.lstsq(design, lhs, rcond=None)
    residual = lhs - design @ coef
    dispersion = residual @ residual / (used.n - design.shape[1])
    cov = dispersion * np.linalg.inv(design.T @ design)
    return float(coef[0]), float(np.sqrt(cov[0, 0])), mean


def aci(group: Group) -> Value:
    rci_fraction, se, mean = _concentration(group)
    return normal_ci(rci_fraction * mean, se * abs(mean))


def rci(group: Group) -> Value:
    rci_fraction, se, _ = _concentration(group)
    return normal_ci(100 * rci_fraction, 100 * se)


def _logit(group: Group) -> tuple[float, float, np.ndarray]:
    """Predicted proportions at rank 0 and 1 of a logit GLM on the midpoint rank, and their HC1 vcov.

    As healthequal: counts y = round(estimate/scale * ceil(population)) out of ceil(population), with
    prior weights ceil(population), so each subgroup weighs population squared. Returns p0, p1 and the
    HC1 (n/(n-k)) sandwich covariance of the two coefficients; statsmodels' own HC1 for GLMs leaves the
    small-sample factor out, which is why the sandwich is assembled here.
    """
    import statsmodels.api as sm  # heavy; imported when an ordered dimension first needs it (see bootstrap.warm_up)

    used, rank = _ranked(group)
    if np.isnan(used.scale) or used.scale <= 0:
        raise Unavailable("indicator_scale is missing, so the estimates cannot be read as proportions")
    if np.unique(used.est).size == 1:
        raise Unavailable("all subgroups have the same estimate")
    if (used.pop <= 1).all():
        raise Unavailable("population looks like shares (all <= 1); the logistic model needs subgroup "
                          "counts, as the HEAT Plus template asks")
    trials = np.ceil(used.pop)
    events = np.round(used.est / used.scale * trials)
    if ((events < 0) | (events > trials)).any():
        raise Unavailable(f"estimates must lie between 0 and the indicator scale ({used.scale:g})")
    keep = trials > 0
    x = np.column_stack([np.ones(keep.sum()), rank[keep]])
    y = events[keep] / trials[keep]
    weights = trials[keep] ** 2
    if x.shape[0] <= x.shape[1]:
        raise Unavailable("too few subgroups with a population to fit the regression")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            fit = sm.GLM(y, x, family=sm.families.Binomial(), var_weights=weights).fit()
        except (Warning, ValueError, np.linalg.LinAlgError) as exc:
            raise Unavailable(f"the logistic regression did not converge ({exc})") from exc
    mu = fit.fittedvalues
    bread = np.linalg.inv(x.T @ (x * (weights * mu * (1 - mu))[:, None]))
    score = x * (weights * (y - mu))[:, None]
    n, k = x.shape
    vcov = bread @ (score.T @ score) @ bread * n / (n - k)
    b0, b1 = fit.params
    p0, p1 = 1 / (1 + np.exp(-b0)), 1 / (1 + np.exp(-(b0 + b1)))
    return float(p0), float(p1), vcov


def sii(group: Group) -> Value:
    p0, p1, vcov = _logit(group)
    gradient = np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])
    se = float(np.sqrt(gradient @ vcov @ gradient))
    return normal_ci((p1 - p0) * group.scale, se * group.scale)


def rii(group: Group) -> Value:
    p0, p1, vcov = _logit(group)
    if p0 <= 0:
        raise Unavailable("the modelled value at the disadvantaged end is 0, so the ratio is undefined")
    gradient = np.array([p0 - p1, 1 - p1])  # d log(p1/p0) / d(b0, b1)
    log_se = float(np.sqrt(gradient @ vcov @ gradient))
    log_rii = np.log(p1 / p0)
    return Value(float(np.exp(log_rii)), log_se,
                 float(np.exp(log_rii - Z95 * log_se)), float(np.exp(log_rii + Z95 * log_se)))
