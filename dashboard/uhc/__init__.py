"""The UHC service coverage index (SDG 3.8.1) computed from its 14 tracers, as WHO's 2023 metadata sets out.

Method (https://unstats.un.org/sdgs/metadata/files/Metadata-03-08-01.pdf, revision of 2023):
- 14 tracers in four areas: RMNCH (family planning demand satisfied with modern methods, ANC4+, DTP3,
  care-seeking for suspected pneumonia); infectious diseases (TB treatment coverage, ART coverage, ITN
  use, at least basic sanitation); NCDs (treatment of hypertension, mean fasting plasma glucose, tobacco
  non-use); service capacity and access (hospital beds, health workforce, IHR core capacity).
- Each tracer is put on 0-100 (`tracers.INPUTS` says how): percentages as they are; glucose as
  (7.4 - FPG) / (7.4 - 5.1) x 100; tobacco as non-use X = 100 - prevalence, (X - 30) / 70 x 100; beds
  as min(100, beds per 10,000 / 18 x 100); the health workforce as the geometric mean of physicians per
  1,000 / 0.9, psychiatrists per 100,000 / 1 and surgeons per 100,000 / 14 (each x 100, capped at 100).
- Scores below 1 (zeros, or values beyond the point that scores 0) become 1 and scores above 100 become
  100 - applied to every value entering a geometric mean, the health workforce's cadres included, so
  one missing cadre cannot zero the tracer.
- Geometric mean of the tracers within each area, then of the four areas. ITN use is dropped for a
  country with no ITN value at all (not malaria-endemic).
- Missing years: see `method` (interpolation, carried forward, regional medians; never carried back).

Public API: `compute(values)` (long iso3, year, tracer, value -> one row per country-year),
`rescale(tracer, value)`, `tracer_table()`, `input_table()`, `validate`, `fill`; for one country-year
`country_scores`, `binding_constraint`, `what_if`, `marginal_gains`.

No published set of all 14 tracer values with the index WHO computed from them was found to test
against; the tests pin the method on hand-computed cases instead.
"""

from dashboard.uhc.explain import Constraint, binding_constraint, country_scores, marginal_gains, what_if
from dashboard.uhc.method import (
    CARRIED,
    INTERPOLATED,
    OBSERVED,
    REGIONAL,
    RESULT_COLUMNS,
    Filled,
    TracerInputError,
    aggregate,
    compute,
    fill,
    tracer_scores,
    validate,
)
from dashboard.uhc.tracers import (
    AREAS,
    INPUTS,
    TRACER_KEYS,
    TRACERS,
    Input,
    Tracer,
    input_table,
    rescale,
    tracer_table,
)

__all__ = [
    "AREAS", "CARRIED", "INPUTS", "INTERPOLATED", "OBSERVED", "REGIONAL", "RESULT_COLUMNS", "TRACERS",
    "TRACER_KEYS", "Constraint", "Filled", "Input", "Tracer", "TracerInputError", "aggregate",
    "binding_constraint", "compute", "country_scores", "fill", "input_table", "marginal_gains", "rescale",
    "tracer_scores", "tracer_table", "validate", "what_if",
]
