-- Floor for equity/countries_with_subgroups_by_country: one group-by over national subgroup values.
-- Grain: one row per iso3. Params: none.
select c.iso3, c.iso_n3, c.name, c.who_region, c.income_group,
       count(distinct v.indicator_code) as indicators_with_subgroups
from fct_indicator_value as v
join dim_country as c using (iso3)
where not c.is_aggregate
  and v.dimension <> 'Total' and v.estimate is not null
  and (v.admin1_code is null or v.dimension = 'Subnational region')
group by c.iso3, c.iso_n3, c.name, c.who_region, c.income_group
order by c.name
