-- Median national value per year across the countries of one WHO region and, separately, of one World
-- Bank income group, for the chosen indicators (an empty list means all). So that the median does not
-- jump when a country skips a year, each country's missing years between two observed years are filled
-- by linear interpolation (never extrapolated). `countries` counts the countries pooled that year,
-- `observed` those with a published value, `reporting` the group's countries with any value for the
-- indicator. A year is left out where too few countries report, so the line does not dip or jump at a
-- series end because the pool shrank: it needs at least $min_countries countries and at least
-- $min_share of `reporting`. A null region or income group gives no rows for it.
-- Grain: one row per indicator_code x reference x year.
-- Params: $indicator_codes, $who_region, $income_group, $min_countries, $min_share.
with

group_countries as (
    select iso3, who_region, income_group
    from dim_country
    where not is_aggregate and (who_region = $who_region or income_group = $income_group)
),

national_values as (
    select indicator_code, iso3, cast(year as integer) as year, estimate
    from national_value
    where (len($indicator_codes) = 0 or list_contains($indicator_codes, indicator_code))
      and iso3 in (select iso3 from group_countries)
      and estimate is not null
),

country_years as (
    select indicator_code, iso3, cast(unnest(range(min(year), max(year) + 1)) as integer) as year
    from national_values
    group by indicator_code, iso3
),

neighbours as (
    select
        y.indicator_code, y.iso3, y.year, v.estimate,
        last_value(v.estimate ignore nulls) over before as before_estimate,
        last_value(v.year ignore nulls) over before as before_year,
        first_value(v.estimate ignore nulls) over after as after_estimate,
        first_value(v.year ignore nulls) over after as after_year
    from country_years as y
    left join national_values as v using (indicator_code, iso3, year)
    window
        before as (partition by y.indicator_code, y.iso3 order by y.year
                   rows between unbounded preceding and current row),
        after as (partition by y.indicator_code, y.iso3 order by y.year
                  rows between current row and unbounded following)
),

filled as (
    select
        indicator_code, iso3, year, estimate is not null as is_observed,
        coalesce(estimate, before_estimate + (after_estimate - before_estimate)
                 * (year - before_year) / (after_year - before_year)) as estimate
    from neighbours
),

pooled as (
    select f.indicator_code, f.iso3, f.year, f.estimate, f.is_observed, 'who_region' as reference,
           c.who_region as reference_group
    from filled as f
    join group_countries as c using (iso3)
    where c.who_region = $who_region
    union all
    select f.indicator_code, f.iso3, f.year, f.estimate, f.is_observed, 'income_group', c.income_group
    from filled as f
    join group_countries as c using (iso3)
    where c.income_group = $income_group
),

medians as (
    select indicator_code, reference, reference_group, year,
           median(estimate) as estimate, cast(count(*) as integer) as countries,
           cast(count_if(is_observed) as integer) as observed
    from pooled
    group by indicator_code, reference, reference_group, year
),

reporting as (
    select indicator_code, reference, reference_group, cast(count(distinct iso3) as integer) as reporting
    from pooled
    group by indicator_code, reference, reference_group
),

final as (
    select m.*, r.reporting
    from medians as m
    join reporting as r using (indicator_code, reference, reference_group)
    where m.countries >= $min_countries and m.countries >= $min_share * r.reporting
)

select * from final
order by indicator_code, reference, year
