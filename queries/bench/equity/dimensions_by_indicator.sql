-- Floor for equity/dimensions_by_indicator: the country's pairs from one group-by over its own subgroup
-- values, the span across all countries from one group-by over every national subgroup value.
-- Grain: one row per indicator_code x dimension. Params: $iso3.
select
    p.indicator_code, i.name, i.short_name, i.unit, i.indicator_scale, i.favourable_indicator,
    i.decimals, i.definition, i.source_code,
    p.dimension, p.ordered_dimension, p.first_year, p.last_year, p.survey_years, p.subgroups,
    a.benchmark_first_year, a.benchmark_last_year
from (
    select indicator_code, dimension, bool_or(ordered_dimension) as ordered_dimension,
           min(year) as first_year, max(year) as last_year,
           count(distinct year) as survey_years, count(distinct subgroup) as subgroups
    from fct_indicator_value
    where iso3 = $iso3 and dimension <> 'Total' and estimate is not null
      and (admin1_code is null or dimension = 'Subnational region')
    group by indicator_code, dimension
) as p
join dim_indicator as i using (indicator_code)
join (
    select indicator_code, dimension, min(year) as benchmark_first_year, max(year) as benchmark_last_year
    from fct_indicator_value
    where dimension <> 'Total' and estimate is not null
      and (admin1_code is null or dimension = 'Subnational region')
    group by indicator_code, dimension
) as a using (indicator_code, dimension)
order by i.short_name, p.ordered_dimension desc, p.dimension
