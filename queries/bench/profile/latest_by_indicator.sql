-- Floor for profile/latest_by_indicator: the country's latest and earlier values from one group-by over
-- its own national rows, and each indicator's latest year from one group-by over all national rows.
-- Grain: one row per indicator_code with a national value for $iso3. Params: $iso3, $earlier_years.
select
    i.indicator_code, i.name, i.short_name, i.unit, i.favourable_indicator, i.building_block,
    i.domain, i.uhc_tracer, i.decimals,
    l.year, l.v.estimate, l.v.ci_lower, l.v.ci_upper, l.v.source_code, l.v.flag,
    r.reference_year, r.reference_year - l.year as data_age,
    e.earlier_year, e.earlier_estimate
from (
    select indicator_code, max(year) as year,
           arg_max({'estimate': estimate, 'ci_lower': ci_lower, 'ci_upper': ci_upper,
                    'source_code': source_code, 'flag': flag}, year) as v
    from fct_indicator_value
    where iso3 = $iso3 and dimension = 'Total' and admin1_code is null and estimate is not null
    group by indicator_code
) as l
join dim_indicator as i using (indicator_code)
join (
    select indicator_code, max(year) as reference_year
    from fct_indicator_value
    where dimension = 'Total' and admin1_code is null and estimate is not null
    group by indicator_code
) as r using (indicator_code)
left join (
    select c.indicator_code, max(c.year) as earlier_year, arg_max(c.estimate, c.year) as earlier_estimate
    from fct_indicator_value as c
    join (
        select indicator_code, max(year) as year
        from fct_indicator_value
        where iso3 = $iso3 and dimension = 'Total' and admin1_code is null and estimate is not null
        group by indicator_code
    ) as latest on c.indicator_code = latest.indicator_code and c.year <= latest.year - $earlier_years
    where c.iso3 = $iso3 and c.dimension = 'Total' and c.admin1_code is null and c.estimate is not null
    group by c.indicator_code
) as e using (indicator_code)
order by i.building_block, i.short_name
