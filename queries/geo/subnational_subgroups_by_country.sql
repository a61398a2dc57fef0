-- The subnational-region subgroups one country's values use, with how many values each has, for matching
-- them to imported admin-1 boundaries ('Subnational region' is contract.DIM_SUBNATIONAL).
-- Grain: one row per subgroup. Params: $iso3.
with

subnational_values as (
    select subgroup, admin1_code
    from fct_indicator_value
    where iso3 = $iso3
      and dimension = 'Subnational region'
),

final as (
    select subgroup, count(*) as value_count, count(admin1_code) as coded_value_count
    from subnational_values
    group by subgroup
)

select * from final
order by subgroup
