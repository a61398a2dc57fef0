-- Every country's latest value of one indicator at or before $year (e.g. catastrophic health spending, or
-- health spending per capita), with the UHC service coverage index of that same year: the index computed
-- from the tracers where the warehouse has it, else the published one. Countries without both are left out.
-- Grain: one row per iso3. Params: $indicator_code, $year.
with

countries as (
    select iso3, name, who_region, income_group
    from dim_country
    where not is_aggregate
),

latest as (
    select iso3, max(year) as year, arg_max(estimate, year) as value, arg_max(source_code, year) as source_code
    from national_value
    where indicator_code = $indicator_code
      and year <= $year
      and estimate is not null
    group by iso3
),

computed as (
    select iso3, year, estimate, source_code
    from national_value
    where indicator_code = 'UHC_INDEX_COMPUTED' and estimate is not null
),

published as (
    select iso3, year, estimate, source_code
    from national_value
    where indicator_code = 'UHC_INDEX_REPORTED' and estimate is not null
),

final as (
    select c.iso3, c.name, c.who_region, c.income_group, l.year, l.value, l.source_code,
           coalesce(k.estimate, p.estimate) as uhc_index,
           case when k.estimate is not null then 'UHC_INDEX_COMPUTED' else 'UHC_INDEX_REPORTED' end as index_code,
           coalesce(k.source_code, p.source_code) as index_source_code
    from countries as c
    join latest as l using (iso3)
    left join computed as k on k.iso3 = l.iso3 and k.year = l.year
    left join published as p on p.iso3 = l.iso3 and p.year = l.year
    where coalesce(k.estimate, p.estimate) is not null
)

select * from final
order by name
