-- Where one country stands among its peers on each indicator: the share of the OTHER countries in its WHO
-- region, and in its income group, that it beats. Each peer contributes its latest national value at or
-- before the country's own latest year for the indicator, so a country with an old value is compared
-- with its peers as they were then. Better means higher for favourable indicators and lower for adverse
-- ones; a tie counts half. Peers without a value are not counted.
-- Grain: one row per indicator_code x peer_group ('who_region', 'income_group') with at least one peer
-- value. Params: $iso3.
-- Reads the build's summary agg_latest (queries/warehouse/aggregates.sql).
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

country_latest as (
    select indicator_code, year, estimate
    from agg_latest
    where iso3 = $iso3
),

peer_latest as (
    -- each peer's latest value at or before the country's year, read from its value history
    select a.indicator_code, a.iso3,
           case when a.year <= c.year then a.estimate
                else list_filter(a.history, lambda h: h.year <= c.year)[-1].estimate end as estimate
    from agg_latest as a
    join country_latest as c using (indicator_code)
    where a.iso3 in (select iso3 from peers)
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
    where p.estimate is not null  -- a peer with no value by the country's year is not counted
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
