-- Richest-minus-poorest gaps for one country: for each coverage-domain indicator with national
-- wealth-quintile values ('Economic status (wealth quintile)' is contract.DIM_WEALTH; subgroup_order 1 is
-- the poorest quintile, 5 the richest), the latest survey year in which both the poorest and the richest
-- quintile have a value, its five quintile values and the gap Q5 - Q1 in the indicator's unit.
-- Largest absolute gap first.
-- Grain: one row per indicator_code. Params: $iso3.
with

quintile_values as (
    select v.indicator_code, v.year, v.subgroup_order, v.estimate, v.source_code
    from fct_indicator_value as v
    join dim_indicator as i using (indicator_code)
    where v.iso3 = $iso3
      and v.dimension = 'Economic status (wealth quintile)'
      and v.admin1_code is null
      and v.estimate is not null
      and i.domain = 'coverage'
),

by_year as (
    select
        indicator_code, year,
        max(estimate) filter (where subgroup_order = 1) as q1,
        max(estimate) filter (where subgroup_order = 2) as q2,
        max(estimate) filter (where subgroup_order = 3) as q3,
        max(estimate) filter (where subgroup_order = 4) as q4,
        max(estimate) filter (where subgroup_order = 5) as q5,
        min(source_code) as source_code
    from quintile_values
    group by indicator_code, year
),

latest_complete as (
    select *
    from by_year
    where q1 is not null and q5 is not null
    qualify row_number() over (partition by indicator_code order by year desc) = 1
),

final as (
    select
        l.indicator_code, i.short_name, i.unit, i.decimals, l.year,
        l.q1, l.q2, l.q3, l.q4, l.q5, l.q5 - l.q1 as gap, l.source_code
    from latest_complete as l
    join dim_indicator as i using (indicator_code)
)

select * from final
order by abs(gap) desc, indicator_code
