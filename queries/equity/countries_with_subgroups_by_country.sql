-- Countries with at least one disaggregated (subgroup) value at national level, for the equity page's
-- country picker. Reads the build's summary agg_subgroup_pair (queries/warehouse/aggregates.sql).
-- Grain: one row per iso3. Params: none.
with

pairs as (
    select iso3, count(distinct indicator_code) as indicators_with_subgroups
    from agg_subgroup_pair
    group by iso3
),

final as (
    select c.iso3, c.iso_n3, c.name, c.who_region, c.income_group, p.indicators_with_subgroups
    from dim_country as c
    join pairs as p using (iso3)
    where not c.is_aggregate
)

select * from final
order by name
