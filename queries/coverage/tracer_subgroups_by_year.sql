-- Subgroup values of the UHC tracer indicators in one country, in survey years up to $year, for the
-- dimensions asked (e.g. wealth quintile, place of residence, subnational region).
-- Grain: one row per indicator_code x dimension x subgroup x year (x source_code).
-- Params: $iso3, $indicator_codes, $dimensions, $year.
with

subgroup_values as (
    select indicator_code, dimension, subgroup, subgroup_order, admin1_code, year, estimate, source_code
    from fct_indicator_value
    where iso3 = $iso3
      and list_contains($indicator_codes, indicator_code)
      and list_contains($dimensions, dimension)
      and (admin1_code is null or dimension = 'Subnational region')
      and year <= $year
      and estimate is not null
),

final as (
    select indicator_code, dimension, subgroup, subgroup_order, admin1_code, year, estimate, source_code
    from subgroup_values
)

select * from final
order by dimension, year, indicator_code, subgroup_order nulls last, subgroup
