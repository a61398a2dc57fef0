-- One country's latest national value of every indicator it has, with the indicator's metadata, the age
-- of the value against the warehouse's latest year for that indicator, and the country's latest value at
-- least $earlier_years years before it (for "change since" deltas).
-- Grain: one row per indicator_code with a national value for $iso3. Params: $iso3, $earlier_years.
with

reference_years as (
    select indicator_code, last_year as reference_year
    from agg_indicator
),

country_values as (
    select indicator_code, iso3, year, estimate, ci_lower, ci_upper, source_code, flag
    from national_by_country
    where iso3 = $iso3
      and estimate is not null
),

latest as (
    select indicator_code, max(year) as year, arg_max(estimate, year) as estimate,
           arg_max(ci_lower, year) as ci_lower, arg_max(ci_upper, year) as ci_upper,
           arg_max(source_code, year) as source_code, arg_max(flag, year) as flag
    from country_values
    group by indicator_code
),

earlier as (
    select l.indicator_code, max(c.year) as earlier_year, arg_max(c.estimate, c.year) as earlier_estimate
    from latest as l
    join country_values as c
      on c.indicator_code = l.indicator_code and c.year <= l.year - $earlier_years
    group by l.indicator_code
),

final as (
    select
        i.indicator_code, i.name, i.short_name, i.unit, i.favourable_indicator, i.building_block,
        i.domain, i.uhc_tracer, i.decimals,
        l.year, l.estimate, l.ci_lower, l.ci_upper, l.source_code, l.flag,
        r.reference_year, r.reference_year - l.year as data_age,
        e.earlier_year, e.earlier_estimate
    from latest as l
    join dim_indicator as i using (indicator_code)
    join reference_years as r using (indicator_code)
    left join earlier as e using (indicator_code)
)

select * from final
order by building_block, short_name
