-- Where one country stands among its peers on each indicator: the share of the OTHER countries in its WHO
-- region, and in its income group, that it beats. Each peer contributes its latest national value at or
-- before the country's own latest year for the indicator, so a country with an old value is compared
-- with its peers as they were then. Better means higher for favourable indicators and lower for adverse
-- ones; a tie counts half. Peers without a value are not counted.
-- Grain: one row per indicator_code x peer_group ('who_region', 'income_group') with at least one peer
-- value. Params: $iso3.
with

home as (
    select who_region, income_group
    from dim_country
    where iso3 = $iso3
),

peers as (
    select c.iso3, 'who_region' as peer_group, c.who_region as peer_name
    from dim_country as c, home as h
    where not c.is_aggregate and c.iso3 <> $iso3 and c.who_region = h.who_region
    union all
    select c.iso3, 'income_group' as peer_group, c.income_group as peer_name
    from dim_country as c, home as h
    where not c.is_aggregate and c.iso3 <> $iso3 and c.income_group = h.income_group
),

national as (
    select indicator_code, iso3, year, estimate
    from national_by_country
    where estimate is not null
),

country_latest as (
    select indicator_code, max(year) as year, arg_max(estimate, year) as estimate
    from national
    where iso3 = $iso3
    group by indicator_code
),

peer_latest as (
    select n.indicator_code, n.iso3, arg_max(n.estimate, n.year) as estimate
    from national as n
    join country_latest as c
      on n.indicator_code = c.indicator_code and n.year <= c.year
    where n.iso3 in (select iso3 from peers)
    group by n.indicator_code, n.iso3
),

comparisons as (
    -- outcome: 1 when the country is better than this peer, 0 when equal, -1 when worse
    select
        p.indicator_code, g.peer_group, g.peer_name,
        case when i.favourable_indicator then sign(c.estimate - p.estimate)
             else sign(p.estimate - c.estimate) end as outcome
    from peer_latest as p
    join peers as g using (iso3)
    join country_latest as c using (indicator_code)
    join dim_indicator as i using (indicator_code)
),

final as (
    select
        indicator_code, peer_group, peer_name,
        count(*) as peers,
        count(*) filter (where outcome > 0) as beaten,
        count(*) filter (where outcome = 0) as tied,
        100.0 * (count(*) filter (where outcome > 0) + 0.5 * count(*) filter (where outcome = 0))
            / count(*) as percentile
    from comparisons
    group by indicator_code, peer_group, peer_name
)

select * from final
order by indicator_code, peer_group
