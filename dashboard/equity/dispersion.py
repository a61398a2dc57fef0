"""Measures for non-ordered dimensions with more than two subgroups: variance, mean differences, indices.

Confidence intervals for BGSD, COV and the MD*/IDIS* measures come from simulation, as in HEAT and
healthequal: each subgroup estimate is redrawn `DRAWS` times from a normal distribution with its
standard error, truncated to 0..100 for percentages (indicator_scale 100) and to >= 0 otherwise, the
measure is recomputed on every draw, and the 2.5th and 97.5th percentiles are the interval.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np
from scipy.stats import truncnorm

from dashboard.equity.group import (
    Group,
    Unavailable,
    Value,
    available,
    join,
    normal_ci,
    se_gap,
    shares,
)

DRAWS = 100
ZERO_STANDIN = 1e-6  # Theil and MLD take logs; healthequal replaces a zero estimate with this


class NonOrdered:
    """The subgroups a non-ordered measure uses, their shares and the shared simulation draws."""

    def __init__(self, group: Group, seed: int):
        self.group, self.left_out = available(group)
        self.seed = seed

    @cached_property
    def share(self) -> np.ndarray:
        return shares(self.group)

    @property
    def has_population(self) -> bool:
        try:
            _ = self.share  # computing the shares is the test: it raises without populations
        except Unavailable:
            return False
        return True

    @cached_property
    def weighted_mean(self) -> float:
        return float(np.sum(self.share * self.group.est))

    @cached_property
    def setting_mean(self) -> float:
        """The setting average when given, otherwise the population-weighted mean."""
        if not np.isnan(self.group.setting_average):
            return self.group.setting_average
        return self.weighted_mean

    @cached_property
    def best(self) -> float:
        return float(self.group.est.max() if self.group.favourable else self.group.est.min())

    @cached_property
    def reference(self) -> int:
        refs = np.flatnonzero(self.group.reference)
        if len(refs) != 1:
            raise Unavailable("the reference subgroup has no estimate")
        return int(refs[0])

    @cached_property
    def draws(self) -> np.ndarray | str:
        """DRAWS x subgroups simulated estimates, or a note saying why there are none."""
        g = self.group
        gap = se_gap(g)
        if gap:
            return gap
        if np.isnan(g.scale):
            return "no 95% CI: indicator_scale missing"
        upper = 100.0 if g.scale == 100 else np.inf
        if ((g.est < 0) | (g.est > upper)).any():
            return f"no 95% CI: estimates outside 0..{upper:g} cannot be simulated"
        spread = np.where(g.se > 0, g.se, 1.0)
        z = truncnorm.rvs((0 - g.est) / spread, (upper - g.est) / spread,
                          size=(DRAWS, g.n), random_state=np.random.default_rng(self.seed))
        return np.where(g.se > 0, g.est + g.se * z, g.est)

    def simulated(self, estimate: float, statistic: Callable[[np.ndarray], np.ndarray]) -> Value:
        """The estimate with the simulation percentile interval of `statistic` over the draws."""
        if isinstance(self.draws, str):
            return Value(estimate, note=join(self.left_out, self.draws))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = statistic(self.draws)
        lower, upper = np.nanquantile(values, [0.025, 0.975])
        return Value(estimate, np.nan, float(lower), float(upper), self.left_out)

    def analytic(self, estimate: float, se: Callable[[], float]) -> Value:
        gap = se_gap(self.group)
        if gap:
            return Value(estimate, note=join(self.left_out, gap))
        return normal_ci(estimate, se(), self.left_out)

    # Helpers over the draws (rows = draws): weighted means and the per-draw best and reference.
    def mean_of(self, draws: np.ndarray) -> np.ndarray:
        return draws @ self.share

    def setting_mean_of(self, draws: np.ndarray) -> np.ndarray | float:
        """HEAT uses each draw's weighted mean when populations exist, else the fixed setting average."""
        return self.mean_of(draws) if self.has_population else self.group.setting_average


def _nonzero_mean(ctx: NonOrdered) -> float:
    mean = ctx.weighted_mean
    if mean == 0:
        raise Unavailable("the population-weighted mean is 0, so a relative measure is undefined")
    return mean


def bgv(ctx: NonOrdered) -> Value:
    w, y, se = ctx.share, ctx.group.est, ctx.group.se
    dev = y - ctx.weighted_mean
    estimate = float(np.sum(w * dev ** 2))

    def variance_se() -> float:  # Ahn et al. (2018)
        se2 = np.sum(w ** 2 * se ** 2 * dev ** 2)
        s2 = np.sum(w ** 2 * se ** 2)
        s4 = np.sum(w ** 4 * se ** 4)
        se4 = np.sum(w ** 2 * (1 - w) ** 2 * se ** 4)
        return float(np.sqrt(4 * se2 + 2 * (s2 ** 2 - s4 + se4)))

    return ctx.analytic(estimate, variance_se)


def _sd_of(ctx: NonOrdered, draws: np.ndarray) -> np.ndarray:
    centred = draws - ctx.mean_of(draws)[:, None]
    return np.sqrt((centred ** 2) @ ctx.share)


def bgsd(ctx: NonOrdered) -> Value:
    estimate = float(np.sqrt(np.sum(ctx.share * (ctx.group.est - ctx.weighted_mean) ** 2)))
    return ctx.simulated(estimate, lambda s: _sd_of(ctx, s))


def cov(ctx: NonOrdered) -> Value:
    mean = _nonzero_mean(ctx)
    estimate = float(np.sqrt(np.sum(ctx.share * (ctx.group.est - mean) ** 2))) / mean * 100
    return ctx.simulated(estimate, lambda s: _sd_of(ctx, s) / ctx.mean_of(s) * 100)


def _best_of(ctx: NonOrdered, draws: np.ndarray) -> np.ndarray:
    return draws.max(axis=1) if ctx.group.favourable else draws.min(axis=1)


def mdbu(ctx: NonOrdered) -> Value:
    estimate = float(np.mean(np.abs(ctx.group.est - ctx.best)))
    return ctx.simulated(estimate, lambda s: np.abs(s - _best_of(ctx, s)[:, None]).mean(axis=1))


def mdbw(ctx: NonOrdered) -> Value:
    estimate = float(np.sum(ctx.share * np.abs(ctx.group.est - ctx.best)))
    return ctx.simulated(estimate, lambda s: np.abs(s - _best_of(ctx, s)[:, None]) @ ctx.share)


def _deviation_from(ctx: NonOrdered, draws: np.ndarray, centre) -> np.ndarray:
    centre = np.broadcast_to(np.asarray(centre, dtype=float), (draws.shape[0],))
    return np.abs(draws - centre[:, None])


def mdmu(ctx: NonOrdered) -> Value:
    mu = ctx.setting_mean
    estimate = float(np.mean(np.abs(ctx.group.est - mu)))
    return ctx.simulated(estimate, lambda s: _deviation_from(ctx, s, ctx.setting_mean_of(s)).mean(axis=1))


def mdmw(ctx: NonOrdered) -> Value:
    estimate = float(np.sum(ctx.share * np.abs(ctx.group.est - ctx.weighted_mean)))
    return ctx.simulated(estimate, lambda s: _deviation_from(ctx, s, ctx.mean_of(s)) @ ctx.share)


def mdru(ctx: NonOrdered) -> Value:
    ref = ctx.reference
    estimate = float(np.mean(np.abs(ctx.group.est - ctx.group.est[ref])))
    return ctx.simulated(estimate, lambda s: _deviation_from(ctx, s, s[:, ref]).mean(axis=1))


def mdrw(ctx: NonOrdered) -> Value:
    ref = ctx.reference
    estimate = float(np.sum(ctx.share * np.abs(ctx.group.est - ctx.group.est[ref])))
    return ctx.simulated(estimate, lambda s: _deviation_from(ctx, s, s[:, ref]) @ ctx.share)


def idisu(ctx: NonOrdered) -> Value:
    mu = ctx.setting_mean
    if mu == 0:
        raise Unavailable("the setting average is 0, so the index of disparity is undefined")
    estimate = float(100 * np.mean(np.abs(ctx.group.est - mu)) / mu)

    def statistic(s: np.ndarray) -> np.ndarray:
        centre = ctx.setting_mean_of(s)
        return 100 * _deviation_from(ctx, s, centre).mean(axis=1) / centre

    return ctx.simulated(estimate, statistic)


def idisw(ctx: NonOrdered) -> Value:
    mean = _nonzero_mean(ctx)
    estimate = float(100 * np.sum(ctx.share * np.abs(ctx.group.est - mean)) / mean)

    def statistic(s: np.ndarray) -> np.ndarray:
        centre = ctx.mean_of(s)  # healthequal keeps the observed mean here; HEAT uses each draw's
        return 100 * (_deviation_from(ctx, s, centre) @ ctx.share) / centre

    return ctx.simulated(estimate, statistic)


def _relative_to_mean(ctx: NonOrdered) -> tuple[np.ndarray, float]:
    if (ctx.group.est < 0).any():
        raise Unavailable("negative estimates have no logarithm")
    y = np.where(ctx.group.est == 0, ZERO_STANDIN, ctx.group.est)
    mean = float(np.sum(ctx.share * y))
    return y / mean, mean


def ti(ctx: NonOrdered) -> Value:
    ratio, mean = _relative_to_mean(ctx)
    w, se = ctx.share, ctx.group.se
    estimate = 1000 * float(np.sum(w * ratio * np.log(ratio)))

    def theil_se() -> float:
        centre = np.sum(w * ratio * (1 + np.log(ratio)))
        return 1000 * float(np.sqrt(np.sum((1 + np.log(ratio) - centre) ** 2 * w ** 2 * se ** 2
                                           / mean ** 2)))

    return ctx.analytic(estimate, theil_se)


def mld(ctx: NonOrdered) -> Value:
    ratio, mean = _relative_to_mean(ctx)
    w, se = ctx.share, ctx.group.se
    estimate = 1000 * float(np.sum(w * -np.log(ratio)))

    def mld_se() -> float:
        return 1000 * float(np.sqrt(np.sum(se ** 2 * w ** 2 / mean ** 2 * (1 - 1 / ratio) ** 2)))

    return ctx.analytic(estimate, mld_se)
