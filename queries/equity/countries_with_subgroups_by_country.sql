-- Countries with at least one disaggregated (subgroup) value at national level, for the equity page's
-- country picker; subnational-region subgroups carry an admin1_code but describe the national setting.
-- Grain: one row per iso3. Params: none.
with

subgroup_values as (
    select iso3, indicator_code
    from fct_indicator_value
    where dimension <> 'Total'
      and estimate is not null
      and (admin1_code is null or dimension = 'Subnational region')
),

countries as (
    select iso3, iso_n3, name, who_region, income_group
    from dim_country
    where not is_aggregate
),

final as (
    select c.iso3, c.iso_n3, c.name, c.who_region, c.income_group,
           count(distinct s.indicator_code) as indicators_with_subgroups
    from countries as c
    join subgroup_values as s using (iso3)
    group by c.iso3, c.iso_n3, c.name, c.who_region, c.income_group
)

select * from final
order by name
