-- Check: each indicator's plausible range is a non-empty interval and its source exists.
-- Grain: one row per offending indicator. Params: none.
select indicator_code, plausible_min, plausible_max, source_code
from dim_indicator
where plausible_min >= plausible_max
   or source_code not in (select source_code from dim_source)
