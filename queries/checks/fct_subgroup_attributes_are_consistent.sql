-- Check: national values say dimension = subgroup = 'Total'; ordered dimensions number their subgroups;
-- at most one reference subgroup per indicator x setting x date x dimension.
-- Grain: one row per offending value or group. Params: none.
select indicator_code, iso3, year, dimension, subgroup, 'total row must have subgroup Total' as problem
from fct_indicator_value
where (dimension = 'Total') <> (subgroup = 'Total')
union all
select indicator_code, iso3, year, dimension, subgroup, 'ordered subgroup without subgroup_order'
from fct_indicator_value
where ordered_dimension and subgroup_order is null
union all
select indicator_code, iso3, year, dimension, null, 'more than one reference subgroup'
from fct_indicator_value
where reference_subgroup
group by indicator_code, iso3, year, dimension
having count(*) > 1
