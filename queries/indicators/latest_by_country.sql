-- Latest national value per country for one indicator at or before $year, ranked best first, for the
-- countries in the chosen WHO regions and income groups (an empty list means all). Countries without a
-- value are kept with a null estimate so maps can show them as "no data".
-- Grain: one row per iso3. Params: $indicator_code, $year, $who_regions, $income_groups.
with

countries as (
    select iso3, iso_n3, name, who_region, wb_region, income_group
    from dim_country
    where not is_aggregate
      and (len($who_regions) = 0 or list_contains($who_regions, who_region))
      and (len($income_groups) = 0 or list_contains($income_groups, income_group))
),

values_up_to_year as (
    select iso3, year, estimate, ci_lower, ci_upper, source_code, flag
    from national_value
    where indicator_code = $indicator_code
      and year <= $year
      and estimate is not null
),

latest as (
    select iso3, max(year) as year, arg_max(estimate, year) as estimate,
           arg_max(ci_lower, year) as ci_lower, arg_max(ci_upper, year) as ci_upper,
           arg_max(source_code, year) as source_code, arg_max(flag, year) as flag
    from values_up_to_year
    group by iso3
),

direction as (
    select favourable_indicator from dim_indicator where indicator_code = $indicator_code
),

final as (
    select
        c.iso3, c.iso_n3, c.name, c.who_region, c.wb_region, c.income_group,
        l.year, l.estimate, l.ci_lower, l.ci_upper, l.source_code, l.flag,
        $year - l.year as data_age,
        case when l.estimate is null then null
             else rank() over (
                 partition by l.estimate is null
                 order by case when (select favourable_indicator from direction) then -l.estimate
                               else l.estimate end)
        end as rank
    from countries as c
    left join latest as l using (iso3)
)

select * from final
order by rank nulls last, name
