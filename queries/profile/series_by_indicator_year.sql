-- One country's national series of every indicator it has (for sparklines and trend downloads).
-- Grain: one row per indicator_code x year. Params: $iso3.
with

national as (
    select indicator_code, year, estimate, source_code
    from national_by_country
    where iso3 = $iso3
      and estimate is not null
),

final as (
    select indicator_code, year, estimate, source_code
    from national
)

select * from final
order by indicator_code, year
