-- National values of the UHC tracer indicators for every country and year: the inputs of
-- dashboard.uhc.country_scores, which needs every country's values to fill an input a country lacks with
-- its WHO region's median, exactly as the build computed UHC_INDEX_COMPUTED.
-- Grain: one row per indicator_code x iso3 x year (x source_code). Params: $indicator_codes.
with

tracer_values as (
    select indicator_code, iso3, year, dimension, admin1_code, estimate, source_code
    from national_value
    where list_contains($indicator_codes, indicator_code)
      and estimate is not null
),

final as (
    select indicator_code, iso3, year, dimension, admin1_code, estimate, source_code
    from tracer_values
)

select * from final
order by indicator_code, iso3, year
