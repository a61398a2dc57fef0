-- Check: ci_lower <= estimate <= ci_upper wherever they are given, and se is not negative.
-- Grain: one row per offending value. Params: none.
select indicator_code, iso3, admin1_code, year, dimension, subgroup, estimate, se, ci_lower, ci_upper
from fct_indicator_value
where ci_lower > estimate
   or estimate > ci_upper
   or ci_lower > ci_upper
   or se < 0
