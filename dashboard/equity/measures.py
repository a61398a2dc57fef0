"""The catalogue of HEAT summary measures: code -> name, applicability, type, scale and a one-line meaning."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Measure:
    """What one summary measure is and where it applies.

    `applies` is one of: "all" (every dimension, including two-subgroup ones), "ordered" (ordered
    dimensions with more than two subgroups), "non-ordered" (non-ordered dimensions with more than two
    subgroups) or "reference" (non-ordered, more than two subgroups, and a reference subgroup chosen).
    """

    code: str
    name: str
    applies: str
    kind: str          # "absolute" or "relative"
    weighted: bool     # True when subgroups count in proportion to their population
    scale: str         # how to read the number
    description: str


def _m(code, name, applies, kind, weighted, scale, description) -> tuple[str, Measure]:
    return code, Measure(code, name, applies, kind, weighted, scale, description)


MEASURES: MappingProxyType[str, Measure] = MappingProxyType(dict([
    _m("d", "Difference", "all", "absolute", False, "indicator units",
       "Gap between two subgroups (advantaged minus disadvantaged, or highest minus lowest)."),
    _m("r", "Ratio", "all", "relative", False, "ratio (1 = equality); se on the log scale",
       "One subgroup's value divided by another's, the same pair as the difference."),
    _m("aci", "Absolute concentration index", "ordered", "absolute", True, "indicator units",
       "How far the indicator concentrates among the advantaged (positive) or disadvantaged (negative)."),
    _m("rci", "Relative concentration index", "ordered", "relative", True, "x100, bounded -100..100",
       "The concentration index relative to the setting mean; 0 means no inequality."),
    _m("sii", "Slope index of inequality", "ordered", "absolute", True, "indicator units",
       "Modelled gap between the most advantaged and most disadvantaged ends of the ranked population."),
    _m("rii", "Relative index of inequality", "ordered", "relative", True,
       "ratio (1 = equality); se on the log scale",
       "Modelled ratio between the most advantaged and most disadvantaged ends of the ranked population."),
    _m("bgv", "Between-group variance", "non-ordered", "absolute", True, "squared indicator units",
       "Population-weighted mean of squared differences from the setting mean."),
    _m("bgsd", "Between-group standard deviation", "non-ordered", "absolute", True, "indicator units",
       "Square root of the between-group variance."),
    _m("cov", "Coefficient of variation", "non-ordered", "relative", True, "% of the setting mean",
       "Between-group standard deviation as a percentage of the setting mean."),
    _m("mdmu", "Mean difference from mean (unweighted)", "non-ordered", "absolute", False,
       "indicator units", "Average absolute gap between each subgroup and the setting average."),
    _m("mdmw", "Mean difference from mean (weighted)", "non-ordered", "absolute", True,
       "indicator units", "Population-weighted average absolute gap between subgroups and the mean."),
    _m("mdbu", "Mean difference from best performing subgroup (unweighted)", "non-ordered",
       "absolute", False, "indicator units",
       "Average gap between each subgroup and the best-performing one."),
    _m("mdbw", "Mean difference from best performing subgroup (weighted)", "non-ordered",
       "absolute", True, "indicator units",
       "Population-weighted average gap between each subgroup and the best-performing one."),
    _m("mdru", "Mean difference from reference subgroup (unweighted)", "reference", "absolute",
       False, "indicator units", "Average gap between each subgroup and the reference subgroup."),
    _m("mdrw", "Mean difference from reference subgroup (weighted)", "reference", "absolute",
       True, "indicator units",
       "Population-weighted average gap between each subgroup and the reference subgroup."),
    _m("idisu", "Index of disparity (unweighted)", "non-ordered", "relative", False,
       "% of the setting average", "Average absolute gap from the setting average, as a percentage of it."),
    _m("idisw", "Index of disparity (weighted)", "non-ordered", "relative", True,
       "% of the setting mean", "Population-weighted average gap from the mean, as a percentage of it."),
    _m("ti", "Theil index", "non-ordered", "relative", True, "x1000 (0 = equality)",
       "Entropy of the indicator's distribution across subgroups relative to their population shares."),
    _m("mld", "Mean log deviation", "non-ordered", "relative", True, "x1000 (0 = equality)",
       "Population-weighted mean of log differences between the setting mean and each subgroup."),
    _m("par", "Population attributable risk", "all", "absolute", True, "indicator units",
       "Improvement in the setting average if every subgroup reached the reference level."),
    _m("paf", "Population attributable fraction", "all", "relative", True, "% of the setting average",
       "Population attributable risk as a percentage of the setting average."),
]))
