"""HEAT summary measures of health inequality, computed as WHO's HEAT and `healthequal` 1.0.1 do.

Public API: `summary_measures(group)` for one setting x date x indicator x dimension, `summarise(df, by)`
for many, `MEASURES` (what each measure is and where it applies) and `reading(row, ...)` (one plain
sentence per measure).

Applicability follows HEAT: D, R, PAR and PAF for every dimension; ACI, RCI, SII and RII for ordered
dimensions with more than two subgroups; BGV, BGSD, COV, MDB*, MDM*, IDIS*, TI and MLD for non-ordered
dimensions with more than two subgroups; MDRU and MDRW in addition need a reference subgroup.

Conventions (the scale each number is reported on):
- RCI is reported x100, bounded -100..100 as in the HEAT technical notes (healthequal returns the
  fraction: 0.1778 there is 17.78 here); its se and CI on the same x100 scale.
- TI and MLD are x1000, and so are their se and CI. healthequal scales the estimate but not the se,
  which makes its CI inconsistent; here the se is scaled with the estimate.
- SII's se and CI are on the indicator's scale (as healthequal 1.0.1).
- R and RII: `se` is the standard error of log(R) / log(RII); the CI is exp(log estimate +- 1.96 se).
- PAF is a percentage of the setting average; PAR is in indicator units. Both are truncated at zero
  (a reference subgroup worse than the average gives 0, not a negative improvement).
- PAF's se and CI are on the same percentage scale (100 x Walter's se of the fraction), so its CI is
  PAR's CI divided by the setting average, x100. healthequal adds the fraction's se to the
  percentage, a CI 100 times too narrow; its PAF estimates agree with these.
- BGSD, COV, MDMU, MDMW, MDBU, MDBW, MDRU, MDRW, IDISU, IDISW have simulation CIs (100 draws,
  truncated normal, percentiles 2.5 and 97.5) and no se. The seed is fixed (default 123456) and can
  be set, so results are reproducible; numpy's generator does not reproduce R's draws, so the
  simulated limits differ slightly from healthequal's while the estimates agree.

Choices where HEAT and healthequal differ, or where healthequal has a known slip:
- D and R pairs: ordered dimensions compare the most advantaged with the most disadvantaged subgroup
  (advantaged minus disadvantaged for favourable indicators, the reverse for adverse ones); with a
  reference subgroup, the reference against the lowest other subgroup (favourable) or the highest
  other subgroup against the reference (adverse), as HEAT does; otherwise highest minus lowest.
- PAR and PAF take as reference the most advantaged subgroup (ordered) or the best-performing one
  (non-ordered), as healthequal does, even when a reference subgroup is chosen (HEAT's own code then
  uses the reference subgroup); as "setting average" they use the file's setting_average when given,
  else the population-weighted mean of the subgroups. When PAR is truncated to 0 its se (from
  Walter's formula on the untruncated value) is kept, as in HEAT, so the CI straddles 0.
- MDMU and IDISU measure gaps from the setting average; the weighted measures from the
  population-weighted mean. In simulation IDISW divides by each draw's own mean (as HEAT does).
- Missing estimates: ordered measures need every subgroup; non-ordered measures drop subgroups without
  an estimate when no more than 15% are missing, and say so in the note.
"""

from dashboard.equity.measures import MEASURES, Measure
from dashboard.equity.reading import reading
from dashboard.equity.summary import DEFAULT_SEED, applicable, summarise, summary_measures
from dashboard.equity.tables import benchmark_measures, measures_by_year

__all__ = ["MEASURES", "Measure", "DEFAULT_SEED", "applicable", "benchmark_measures", "measures_by_year",
           "reading", "summarise", "summary_measures"]
