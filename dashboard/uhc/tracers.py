"""The 14 tracers of SDG 3.8.1, the 16 measured inputs behind them, and how each input becomes a 0-100 score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import catalogue

FLOOR, CEILING = 1.0, 100.0

AREAS: dict[str, str] = {
    "rmnch": "reproductive, maternal, newborn and child health",
    "infectious": "infectious diseases",
    "ncd": "noncommunicable diseases",
    "capacity": "service capacity and access",
}


@dataclass(frozen=True)
class Input:
    """One measured quantity, in the unit the publisher reports it, and its rescaling to 0-100.

    The score is `(value - zero) / (full - zero) * 100`, then held within [1, 100]: `zero` is the value
    that scores 0 and `full` the value that scores 100 (both may lie outside the observed range).
    `low`..`high` is the range an input value may take at all; anything outside it is a data error.
    """

    key: str
    tracer: str
    label: str
    unit: str
    zero: float
    full: float
    low: float
    high: float
    decimals: int
    rescaling: str

    def describe(self, value: float) -> str:
        """'hospital beds 9 per 10,000', 'DTP3 coverage 62%': the input and its value for a sentence."""
        number = f"{value:,.{self.decimals}f}"
        joined = self.unit.startswith(("%", "/"))
        return f"{self.label} {number}{self.unit}" if joined else f"{self.label} {number} {self.unit}"


@dataclass(frozen=True)
class Tracer:
    """One of the 14 tracers: its area, the inputs it is built from, and how."""

    key: str
    area: str
    label: str
    inputs: tuple[str, ...]
    rescaling: str


def _percent(key: str, tracer: str, label: str, high: float = 100.0) -> Input:
    return Input(key, tracer, label, "%", 0.0, 100.0, 0.0, high, 0, "value as a percentage")


INPUTS: dict[str, Input] = {i.key: i for i in (
    _percent("fp_demand_satisfied", "fp_demand_satisfied", "family planning demand satisfied"),
    _percent("anc4", "anc4", "antenatal care (4+ visits)"),
    _percent("dtp3", "dtp3", "DTP3 coverage"),
    _percent("pneumonia_care", "pneumonia_care", "care-seeking for suspected pneumonia"),
    # Notified cases over estimated incidence: published values can exceed 100 (then scored 100).
    _percent("tb_treatment", "tb_treatment", "TB treatment coverage", high=200.0),
    _percent("art", "art", "ART coverage"),
    _percent("itn", "itn", "ITN use"),
    _percent("sanitation_basic", "sanitation_basic", "at least basic sanitation"),
    _percent("hypertension_treated", "hypertension_treated", "hypertension treatment"),
    Input("fpg_mean_mmol", "fpg_mean_mmol", "mean fasting plasma glucose", "mmol/L", 7.4, 5.1, 2.0, 15.0, 1,
          "(7.4 - FPG) / (7.4 - 5.1) x 100: 5.1 mmol/L (lowest biological risk) scores 100, 7.4 scores 0"),
    # Non-use X = 100 - prevalence, rescaled (X - 30) / (100 - 30) x 100: prevalence 70% scores 0.
    Input("tobacco_prevalence", "tobacco_prevalence", "tobacco use", "%", 70.0, 0.0, 0.0, 100.0, 0,
          "non-use X = 100 - prevalence, then (X - 30) / (100 - 30) x 100"),
    Input("hospital_beds_per_10k", "hospital_beds_per_10k", "hospital beds", "per 10,000", 0.0, 18.0,
          0.0, 500.0, 0, "min(100, beds / 18 x 100)"),
    Input("physicians_per_1k", "health_workforce", "physicians", "per 1,000", 0.0, 0.9, 0.0, 20.0, 2,
          "min(100, physicians / 0.9 x 100)"),
    Input("psychiatrists_per_100k", "health_workforce", "psychiatrists", "per 100,000", 0.0, 1.0, 0.0, 100.0,
          2, "min(100, psychiatrists / 1 x 100)"),
    Input("surgeons_per_100k", "health_workforce", "surgeons", "per 100,000", 0.0, 14.0, 0.0, 300.0, 1,
          "min(100, surgeons / 14 x 100)"),
    Input("ihr_capacity", "ihr_capacity", "IHR core capacity", "/100", 0.0, 100.0, 0.0, 100.0, 0,
          "value as a score out of 100"),
)}

TRACERS: tuple[Tracer, ...] = (
    Tracer("fp_demand_satisfied", "rmnch", "Family planning demand satisfied with modern methods",
           ("fp_demand_satisfied",), "as measured (%)"),
    Tracer("anc4", "rmnch", "Antenatal care, 4+ visits", ("anc4",), "as measured (%)"),
    Tracer("dtp3", "rmnch", "DTP3 immunization", ("dtp3",), "as measured (%)"),
    Tracer("pneumonia_care", "rmnch", "Care-seeking for suspected pneumonia", ("pneumonia_care",),
           "as measured (%)"),
    Tracer("tb_treatment", "infectious", "TB treatment coverage", ("tb_treatment",), "as measured (%)"),
    Tracer("art", "infectious", "ART coverage among people living with HIV", ("art",), "as measured (%)"),
    Tracer("itn", "infectious", "Insecticide-treated net use", ("itn",),
           "as measured (%); dropped where a country has no ITN value at all (not malaria-endemic)"),
    Tracer("sanitation_basic", "infectious", "At least basic sanitation", ("sanitation_basic",),
           "as measured (%)"),
    Tracer("hypertension_treated", "ncd", "Treatment of hypertension", ("hypertension_treated",),
           "as measured (%)"),
    Tracer("fpg_mean_mmol", "ncd", "Mean fasting plasma glucose", ("fpg_mean_mmol",),
           INPUTS["fpg_mean_mmol"].rescaling),
    Tracer("tobacco_prevalence", "ncd", "Tobacco non-use", ("tobacco_prevalence",),
           INPUTS["tobacco_prevalence"].rescaling),
    Tracer("hospital_beds_per_10k", "capacity", "Hospital bed density", ("hospital_beds_per_10k",),
           INPUTS["hospital_beds_per_10k"].rescaling),
    Tracer("health_workforce", "capacity", "Health workforce density",
           ("physicians_per_1k", "psychiatrists_per_100k", "surgeons_per_100k"),
           "geometric mean of physicians per 1,000 / 0.9, psychiatrists per 100,000 / 1 and surgeons per "
           "100,000 / 14, each x 100 and capped at 100"),
    Tracer("ihr_capacity", "capacity", "IHR core capacity index", ("ihr_capacity",), "as measured (0-100)"),
)
TRACER_KEYS: tuple[str, ...] = tuple(t.key for t in TRACERS)
TRACER_BY_KEY: dict[str, Tracer] = {t.key: t for t in TRACERS}
OPTIONAL_TRACERS = frozenset({"itn"})  # dropped, not imputed, when a country has no value at all


in_sentence = catalogue.in_sentence  # 'Hospital bed density' -> 'hospital bed density', 'DTP3 ...' kept


def tracer_table() -> pd.DataFrame:
    """One row per tracer: key, area, area_label, label, inputs (comma-separated input keys), rescaling."""
    return pd.DataFrame({
        "key": [t.key for t in TRACERS],
        "area": [t.area for t in TRACERS],
        "area_label": [AREAS[t.area] for t in TRACERS],
        "label": [t.label for t in TRACERS],
        "inputs": [", ".join(t.inputs) for t in TRACERS],
        "rescaling": [t.rescaling for t in TRACERS],
    })


def input_table() -> pd.DataFrame:
    """One row per measured input: key, tracer, label, unit, the valid range (low, high), rescaling."""
    return pd.DataFrame([{"key": i.key, "tracer": i.tracer, "label": i.label, "unit": i.unit, "low": i.low,
                          "high": i.high, "rescaling": i.rescaling} for i in INPUTS.values()])


def rescale(tracer: str, value):
    """The 0-100 score of `value` of one input (scalar or array-like), held within [1, 100].

    `tracer` is an input key: a single-input tracer's own key (`dtp3`, `hospital_beds_per_10k` ...) or one
    of the health workforce's three cadres. Scores below 1 (a value of 0, or beyond the point that scores
    0, such as a mean glucose above 7.4 mmol/L) become 1 and scores above 100 become 100, as the
    metadata sets zeros to 1 and values beyond 100 to 100 so every geometric mean is defined.
    """
    if tracer not in INPUTS:
        if tracer == "health_workforce":
            raise ValueError("health_workforce combines three inputs: rescale physicians_per_1k, "
                             "psychiatrists_per_100k and surgeons_per_100k and take their geometric mean")
        raise ValueError(f"unknown tracer {tracer!r}; expected one of {', '.join(INPUTS)}")
    spec = INPUTS[tracer]
    raw = (np.asarray(value, dtype=float) - spec.zero) / (spec.full - spec.zero) * 100.0
    score = np.clip(raw, FLOOR, CEILING)
    return float(score) if score.ndim == 0 else score
