-- Indicators that have at least one value, with their metadata and the span of their national data.
-- Grain: one row per indicator_code. Params: none.
with

national as (
    select indicator_code, min(year) as first_year, max(year) as last_year,
           count(distinct iso3) as countries_with_data, list(distinct source_code) as source_codes
    from fct_indicator_value
    where dimension = 'Total' and admin1_code is null and estimate is not null
    group by indicator_code
),

disaggregated as (
    select indicator_code, list(distinct dimension order by dimension) as dimensions
    from fct_indicator_value
    where dimension <> 'Total'
    group by indicator_code
),

final as (
    select
        i.indicator_code, i.name, i.short_name, i.unit, i.indicator_scale, i.favourable_indicator,
        i.building_block, i.domain, i.uhc_tracer, i.definition, i.decimals, i.source_code,
        i.plausible_min, i.plausible_max,
        n.first_year, n.last_year, n.countries_with_data, n.source_codes,
        coalesce(d.dimensions, []) as dimensions
    from dim_indicator as i
    join national as n using (indicator_code)
    left join disaggregated as d using (indicator_code)
)

select * from final
order by building_block, name
