-- Floor for equity/subgroups_by_country_year: the subgroup rows of each country's latest survey year
-- kept by one window filter, with the national value of the same year and source beside them.
-- Grain: one row per iso3 x subgroup. Params: $indicator_code, $dimension, $year, $who_regions, $income_groups.
select c.iso3, c.iso_n3, c.name, c.who_region, c.income_group,
       s.year, $year - s.year as data_age,
       s.subgroup, s.subgroup_order, s.ordered_dimension, s.reference_subgroup,
       s.estimate, s.se, s.ci_lower, s.ci_upper, s.population, s.flag, s.source_code,
       i.favourable_indicator, i.indicator_scale, n.estimate as setting_average
from (
    select *
    from fct_indicator_value
    where indicator_code = $indicator_code and dimension = $dimension and year <= $year
      and (admin1_code is null or dimension = 'Subnational region')
    qualify year = max(year) filter (where estimate is not null) over (partition by iso3)
) as s
join dim_country as c using (iso3)
join dim_indicator as i using (indicator_code)
left join fct_indicator_value as n
  on n.iso3 = s.iso3 and n.indicator_code = s.indicator_code and n.year = s.year
 and n.source_code = s.source_code and n.dimension = 'Total' and n.admin1_code is null
where not c.is_aggregate
  and (len($who_regions) = 0 or list_contains($who_regions, c.who_region))
  and (len($income_groups) = 0 or list_contains($income_groups, c.income_group))
order by c.name, s.subgroup_order nulls last, s.subgroup
