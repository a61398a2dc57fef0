-- The subnational-region subgroups each country's values use, for matching them to imported admin-1
-- boundaries ('Subnational region' is contract.DIM_SUBNATIONAL). Read by the build.
-- Grain: one row per iso3 (subgroups as a sorted list). Params: none.
select iso3, list(distinct subgroup order by subgroup) as subgroups
from fct_indicator_value
where dimension = 'Subnational region'
group by iso3
order by iso3
