-- Floor for profile/peer_standing_by_indicator_group: each peer's latest value at or before the
-- country's year from one arg_max group-by, compared with the country's value in one final group-by.
-- Grain: one row per indicator_code x peer_group ('who_region', 'income_group') with at least one peer
-- value. Params: $iso3.
with

home as (
    select indicator_code, max(year) as year, arg_max(estimate, year) as estimate
    from fct_indicator_value
    where iso3 = $iso3 and dimension = 'Total' and admin1_code is null and estimate is not null
    group by indicator_code
),

peers as (
    select c.iso3, 'who_region' as peer_group, c.who_region as peer_name
    from dim_country as c
    where not c.is_aggregate and c.iso3 <> $iso3
      and c.who_region = (select who_region from dim_country where iso3 = $iso3)
    union all
    select c.iso3, 'income_group', c.income_group
    from dim_country as c
    where not c.is_aggregate and c.iso3 <> $iso3
      and c.income_group = (select income_group from dim_country where iso3 = $iso3)
),

outcomes as (
    select p.indicator_code, p.iso3,
           case when any_value(i.favourable_indicator) then sign(any_value(h.estimate) - arg_max(p.estimate, p.year))
                else sign(arg_max(p.estimate, p.year) - any_value(h.estimate)) end as outcome
    from fct_indicator_value as p
    join home as h on h.indicator_code = p.indicator_code and p.year <= h.year
    join dim_indicator as i on i.indicator_code = p.indicator_code
    where p.dimension = 'Total' and p.admin1_code is null and p.estimate is not null
      and p.iso3 in (select iso3 from peers)
    group by p.indicator_code, p.iso3
)

select
    o.indicator_code, g.peer_group, g.peer_name, count(*) as peers,
    count(*) filter (where o.outcome > 0) as beaten,
    count(*) filter (where o.outcome = 0) as tied,
    100.0 * (count(*) filter (where o.outcome > 0) + 0.5 * count(*) filter (where o.outcome = 0))
        / count(*) as percentile
from outcomes as o
join peers as g using (iso3)
group by o.indicator_code, g.peer_group, g.peer_name
order by o.indicator_code, g.peer_group
