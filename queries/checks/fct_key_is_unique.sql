-- Check: one value per indicator x setting x date x dimension x subgroup.
-- Grain: one row per duplicated key (offending rows). Params: none.
select indicator_code, iso3, admin1_code, year, dimension, subgroup, count(*) as copies
from fct_indicator_value
group by all
having count(*) > 1
