-- Subgroup estimates of one indicator by one dimension in one country, every survey year, with what the
-- HEAT summary measures need: direction and scale of the indicator, and the setting average (the
-- national value of the same year from the same source, when there is one).
-- Grain: one row per year x subgroup. Params: $iso3, $indicator_code, $dimension.
with

subgroups as (
    select year, subgroup, subgroup_order, ordered_dimension, reference_subgroup, estimate, se,
           ci_lower, ci_upper, population, source_code, flag, admin1_code
    from fct_indicator_value
    where iso3 = $iso3
      and indicator_code = $indicator_code
      and dimension = $dimension
      and (admin1_code is null or dimension = 'Subnational region')
),

national as (
    select year, source_code, estimate as setting_average
    from national_value
    where iso3 = $iso3
      and indicator_code = $indicator_code
),

indicator as (
    select favourable_indicator, indicator_scale
    from dim_indicator
    where indicator_code = $indicator_code
),

final as (
    select s.year, s.subgroup, s.subgroup_order, s.ordered_dimension, s.reference_subgroup,
           s.estimate, s.se, s.ci_lower, s.ci_upper, s.population, s.flag, s.admin1_code, s.source_code,
           i.favourable_indicator, i.indicator_scale, n.setting_average
    from subgroups as s
    cross join indicator as i
    left join national as n using (year, source_code)
)

select * from final
order by year, subgroup_order nulls last, subgroup
