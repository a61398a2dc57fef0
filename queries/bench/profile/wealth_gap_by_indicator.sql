-- Floor for profile/wealth_gap_by_indicator: quintiles pivoted in one group-by over the country's
-- wealth-quintile rows, the latest complete year kept by one window filter.
-- Grain: one row per indicator_code. Params: $iso3.
select
    q.indicator_code, i.short_name, i.unit, i.decimals, q.year,
    q.q1, q.q2, q.q3, q.q4, q.q5, q.q5 - q.q1 as gap, q.source_code
from (
    select
        v.indicator_code, v.year,
        max(v.estimate) filter (where v.subgroup_order = 1) as q1,
        max(v.estimate) filter (where v.subgroup_order = 2) as q2,
        max(v.estimate) filter (where v.subgroup_order = 3) as q3,
        max(v.estimate) filter (where v.subgroup_order = 4) as q4,
        max(v.estimate) filter (where v.subgroup_order = 5) as q5,
        min(v.source_code) as source_code
    from fct_indicator_value as v
    semi join dim_indicator as d on d.indicator_code = v.indicator_code and d.domain = 'coverage'
    where v.iso3 = $iso3 and v.dimension = 'Economic status (wealth quintile)'
      and v.admin1_code is null and v.estimate is not null
    group by v.indicator_code, v.year
    having q1 is not null and q5 is not null
    qualify row_number() over (partition by v.indicator_code order by v.year desc) = 1
) as q
join dim_indicator as i using (indicator_code)
order by abs(gap) desc, q.indicator_code
