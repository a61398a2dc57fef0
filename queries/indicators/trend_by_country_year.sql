-- National values over time for the chosen indicators and countries (an empty list means all), with
-- confidence bounds where published. Suppressed values (null estimate) are left out: they are gaps.
-- Grain: one row per indicator_code x iso3 x year. Params: $indicator_codes, $iso3_codes.
with

countries as (
    select iso3, name, who_region, income_group
    from dim_country
    where not is_aggregate
      and (len($iso3_codes) = 0 or list_contains($iso3_codes, iso3))
),

national_values as (
    select indicator_code, iso3, cast(year as integer) as year, estimate, ci_lower, ci_upper,
           source_code, flag
    from national_by_country
    where (len($indicator_codes) = 0 or list_contains($indicator_codes, indicator_code))
      and (len($iso3_codes) = 0 or list_contains($iso3_codes, iso3))
      and estimate is not null
),

final as (
    select
        v.indicator_code, v.iso3, c.name, c.who_region, c.income_group,
        v.year, v.estimate, v.ci_lower, v.ci_upper, v.source_code, v.flag
    from national_values as v
    join countries as c using (iso3)
)

select * from final
order by indicator_code, iso3, year
