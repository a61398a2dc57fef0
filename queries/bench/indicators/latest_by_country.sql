-- Floor for indicators/latest_by_country: the same rows from one arg_max group-by over the indicator's
-- national values (one struct per country instead of six aggregates), joined to the countries.
-- Grain: one row per iso3. Params: $indicator_code, $year, $who_regions, $income_groups.
select
    c.iso3, c.iso_n3, c.name, c.who_region, c.wb_region, c.income_group,
    l.v.year, l.v.estimate, l.v.ci_lower, l.v.ci_upper, l.v.source_code, l.v.flag,
    $year - l.v.year as data_age,
    case when l.v.estimate is null then null
         else rank() over (order by case when i.favourable_indicator then -l.v.estimate else l.v.estimate end)
    end as rank
from dim_country as c
left join (
    select iso3, arg_max({'year': year, 'estimate': estimate, 'ci_lower': ci_lower, 'ci_upper': ci_upper,
                          'source_code': source_code, 'flag': flag}, year) as v
    from fct_indicator_value
    where indicator_code = $indicator_code and dimension = 'Total' and admin1_code is null
      and year <= $year and estimate is not null
    group by iso3
) as l using (iso3)
cross join (select favourable_indicator from dim_indicator where indicator_code = $indicator_code) as i
where not c.is_aggregate
  and (len($who_regions) = 0 or list_contains($who_regions, c.who_region))
  and (len($income_groups) = 0 or list_contains($income_groups, c.income_group))
order by rank nulls last, c.name
