-- Indicator values for an extract: the chosen indicators, countries (by code, WHO region, World Bank region
-- name or income group; an empty list means all), years, dimensions ('Total' is the national value) and
-- subgroups of them (empty: all; national rows are always kept) and, when $subnational, the
-- values of subnational areas too; with their indicator's name and unit, the country's name and groups,
-- and whether their source is synthetic.
-- Grain: one row per indicator_code x iso3 x admin1_code x year x dimension x subgroup x source_code.
-- Params: $indicator_codes, $iso3_codes, $who_regions, $income_groups, $wb_regions, $year_from, $year_to,
-- $dimensions, $subgroups, $subnational.
with

countries as (
    select iso3, name as country, who_region, income_group
    from dim_country
    where (len($iso3_codes) = 0 or list_contains($iso3_codes, iso3))
      and (len($who_regions) = 0 or list_contains($who_regions, who_region))
      and (len($income_groups) = 0 or list_contains($income_groups, income_group))
      and (len($wb_regions) = 0 or list_contains($wb_regions, wb_region))
),

chosen_values as (
    select *
    from fct_indicator_value
    where list_contains($indicator_codes, indicator_code)
      and year between $year_from and $year_to
      and (len($dimensions) = 0 or list_contains($dimensions, dimension))
      and (len($subgroups) = 0 or dimension = 'Total' or list_contains($subgroups, subgroup))
      and ($subnational or admin1_code is null or dimension = 'Subnational region')
),

final as (
    select
        v.indicator_code, i.name as indicator_name, i.unit, v.iso3, c.country, c.who_region, c.income_group,
        v.admin1_code, cast(v.year as integer) as year, v.dimension, v.subgroup, v.subgroup_order,
        v.estimate, v.se, v.ci_lower, v.ci_upper, v.population, v.source_code, v.flag, s.is_synthetic
    from chosen_values as v
    join countries as c using (iso3)
    join dim_indicator as i using (indicator_code)
    join dim_source as s on s.source_code = v.source_code
)

select * from final
order by indicator_code, iso3, admin1_code nulls first, year, dimension, subgroup_order, subgroup, source_code
