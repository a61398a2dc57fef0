-- Indicators that have at least one national value, with their metadata and the span of their data.
-- Grain: one row per indicator_code. Params: none.
with

final as (
    select
        i.indicator_code, i.name, i.short_name, i.unit, i.indicator_scale, i.favourable_indicator,
        i.building_block, i.domain, i.uhc_tracer, i.definition, i.decimals, i.source_code,
        i.plausible_min, i.plausible_max,
        a.first_year, a.last_year, a.countries_with_data, a.source_codes, a.dimensions
    from dim_indicator as i
    join agg_indicator as a using (indicator_code)
)

select * from final
order by building_block, name
