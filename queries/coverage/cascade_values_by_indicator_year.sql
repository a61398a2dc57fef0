-- One country's national values of the care-cascade indicators (catalogue/cascades.csv) up to $year, with
-- the name, unit and decimals each step is described with.
-- Grain: one row per indicator_code x year (x source_code). Params: $iso3, $indicator_codes, $year.
with

cascade_values as (
    select indicator_code, year, estimate, source_code, flag
    from national_value
    where iso3 = $iso3
      and list_contains($indicator_codes, indicator_code)
      and year <= $year
      and estimate is not null
),

indicators as (
    select indicator_code, short_name, unit, decimals
    from dim_indicator
),

final as (
    select v.indicator_code, v.year, v.estimate, v.source_code, v.flag, i.short_name, i.unit, i.decimals
    from cascade_values as v
    left join indicators as i using (indicator_code)
)

select * from final
order by indicator_code, year
