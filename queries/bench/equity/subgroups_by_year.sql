-- Floor for equity/subgroups_by_year: the country's subgroup rows with the national value of the same
-- year and source beside them, in one join.
-- Grain: one row per year x subgroup. Params: $iso3, $indicator_code, $dimension.
select s.year, s.subgroup, s.subgroup_order, s.ordered_dimension, s.reference_subgroup,
       s.estimate, s.se, s.ci_lower, s.ci_upper, s.population, s.flag, s.admin1_code, s.source_code,
       i.favourable_indicator, i.indicator_scale, n.estimate as setting_average
from fct_indicator_value as s
join dim_indicator as i using (indicator_code)
left join fct_indicator_value as n
  on n.iso3 = s.iso3 and n.indicator_code = s.indicator_code and n.year = s.year
 and n.source_code = s.source_code and n.dimension = 'Total' and n.admin1_code is null
where s.iso3 = $iso3 and s.indicator_code = $indicator_code and s.dimension = $dimension
  and (s.admin1_code is null or s.dimension = 'Subnational region')
order by s.year, s.subgroup_order nulls last, s.subgroup
