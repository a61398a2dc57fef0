-- Check: every estimate lies within its indicator's plausible range.
-- Grain: one row per offending value. Params: none.
select v.indicator_code, v.iso3, v.year, v.dimension, v.subgroup, v.estimate,
       i.plausible_min, i.plausible_max
from fct_indicator_value as v
join dim_indicator as i using (indicator_code)
where v.estimate < i.plausible_min or v.estimate > i.plausible_max
