-- One country's UHC service coverage index and sub-indices over time, as computed from the tracers and as
-- published, for the codes asked (dashboard.uhc.warehouse.CODES and PUBLISHED_CODES).
-- Grain: one row per indicator_code x year. Params: $iso3, $indicator_codes.
with

series as (
    select indicator_code, year, estimate, flag, source_code
    from national_value
    where iso3 = $iso3
      and list_contains($indicator_codes, indicator_code)
      and estimate is not null
),

final as (
    select indicator_code, year, estimate, flag, source_code
    from series
)

select * from final
order by indicator_code, year
