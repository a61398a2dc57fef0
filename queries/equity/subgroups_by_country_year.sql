-- Subgroup estimates of one indicator by one dimension for every country of the chosen WHO regions and
-- income groups (an empty list means all), each at its latest survey year at or before $year, with
-- what the HEAT summary measures need (as in equity/subgroups_by_year) for a benchmark across countries.
-- Grain: one row per iso3 x subgroup. Params: $indicator_code, $dimension, $year, $who_regions, $income_groups.
with

countries as (
    select iso3, iso_n3, name, who_region, income_group
    from dim_country
    where not is_aggregate
      and (len($who_regions) = 0 or list_contains($who_regions, who_region))
      and (len($income_groups) = 0 or list_contains($income_groups, income_group))
),

subgroups as (
    select iso3, year, subgroup, subgroup_order, ordered_dimension, reference_subgroup, estimate, se,
           ci_lower, ci_upper, population, source_code, flag
    from fct_indicator_value
    where indicator_code = $indicator_code
      and dimension = $dimension
      and year <= $year
      and (admin1_code is null or dimension = 'Subnational region')
),

latest_survey as (
    select iso3, max(year) as year
    from subgroups
    where estimate is not null
    group by iso3
),

national as (
    select iso3, year, source_code, estimate as setting_average
    from national_value
    where indicator_code = $indicator_code
      and year <= $year
),

indicator as (
    select favourable_indicator, indicator_scale
    from dim_indicator
    where indicator_code = $indicator_code
),

final as (
    select c.iso3, c.iso_n3, c.name, c.who_region, c.income_group,
           s.year, $year - s.year as data_age,
           s.subgroup, s.subgroup_order, s.ordered_dimension, s.reference_subgroup,
           s.estimate, s.se, s.ci_lower, s.ci_upper, s.population, s.flag, s.source_code,
           i.favourable_indicator, i.indicator_scale, n.setting_average
    from countries as c
    join latest_survey as l using (iso3)
    join subgroups as s using (iso3, year)
    cross join indicator as i
    left join national as n using (iso3, year, source_code)
)

select * from final
order by name, subgroup_order nulls last, subgroup
