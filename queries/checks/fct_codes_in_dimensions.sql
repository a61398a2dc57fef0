-- Check: every value's indicator, country and source exist in their dimension tables.
-- Grain: one row per distinct missing code. Params: none.
with

facts as (
    select distinct indicator_code, iso3, source_code from fct_indicator_value
),

final as (
    select 'indicator_code' as code_kind, indicator_code as code
    from facts anti join dim_indicator using (indicator_code)
    union
    select 'iso3', iso3 from facts anti join dim_country using (iso3)
    union
    select 'source_code', source_code from facts anti join dim_source using (source_code)
)

select * from final
