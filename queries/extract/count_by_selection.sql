-- How many rows, indicators, countries and synthetic rows an extract of this selection holds (the same
-- filter as extract/values_by_selection), shown before anything is downloaded.
-- Grain: one row. Params: $indicator_codes, $iso3_codes, $who_regions, $income_groups, $wb_regions, $year_from,
-- $year_to, $dimensions, $subgroups, $subnational.
with

countries as (
    select iso3
    from dim_country
    where (len($iso3_codes) = 0 or list_contains($iso3_codes, iso3))
      and (len($who_regions) = 0 or list_contains($who_regions, who_region))
      and (len($income_groups) = 0 or list_contains($income_groups, income_group))
      and (len($wb_regions) = 0 or list_contains($wb_regions, wb_region))
),

chosen_values as (
    select v.indicator_code, v.iso3, v.source_code
    from fct_indicator_value as v
    join countries as c using (iso3)
    where list_contains($indicator_codes, v.indicator_code)
      and v.year between $year_from and $year_to
      and (len($dimensions) = 0 or list_contains($dimensions, v.dimension))
      and (len($subgroups) = 0 or v.dimension = 'Total' or list_contains($subgroups, v.subgroup))
      and ($subnational or v.admin1_code is null or v.dimension = 'Subnational region')
),

final as (
    select count(*) as rows, count(distinct indicator_code) as indicators, count(distinct iso3) as countries,
           count(*) filter (where s.is_synthetic) as synthetic_rows,
           list(distinct v.source_code order by v.source_code) as source_codes
    from chosen_values as v
    join dim_source as s using (source_code)
)

select * from final
