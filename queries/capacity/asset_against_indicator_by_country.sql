-- Each country's mean asset at one capacity level beside its latest national value of one indicator at or
-- before the survey year. Countries come from capacity_cells broken down by country, so a country whose
-- group is suppressed (threshold or complementary) is left out.
-- Grain: one row per iso3 with a shown capacity mean and an indicator value. Params: $survey_code, $level,
-- $indicator_code, $threshold.
with

capacity as (
    select country as iso3, n, mean_asset, mean_need, gap
    from capacity_cells($survey_code, [], ['country'], 'level', $threshold)
    where level = $level and not is_total and not suppressed
),

survey_year as (
    select coalesce(max(year), 9999) as year from dim_survey where survey_code = $survey_code
),

latest as (
    select iso3, arg_max(estimate, year) as estimate, max(year) as year, arg_max(source_code, year) as source_code
    from national_value
    where indicator_code = $indicator_code and estimate is not null
      and year <= (select year from survey_year)
    group by iso3
),

final as (
    select
        c.iso3, k.name, k.who_region, k.income_group, c.n, c.mean_asset, c.mean_need, c.gap,
        l.estimate, l.year, l.source_code
    from capacity as c
    join latest as l using (iso3)
    join dim_country as k using (iso3)
)

select * from final
order by iso3
