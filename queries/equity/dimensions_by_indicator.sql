-- The indicator x dimension pairs with subgroup values for one country, with indicator metadata, the
-- country's survey years and the span of survey years across all countries (for the benchmark year).
-- Grain: one row per indicator_code x dimension. Params: $iso3.
with

national_subgroups as (
    select indicator_code, iso3, year, dimension, subgroup, ordered_dimension
    from fct_indicator_value
    where dimension <> 'Total'
      and estimate is not null
      and (admin1_code is null or dimension = 'Subnational region')
),

country_pairs as (
    select indicator_code, dimension,
           bool_or(ordered_dimension) as ordered_dimension,
           min(year) as first_year, max(year) as last_year,
           count(distinct year) as survey_years,
           count(distinct subgroup) as subgroups
    from national_subgroups
    where iso3 = $iso3
    group by indicator_code, dimension
),

all_countries as (
    select indicator_code, dimension,
           min(year) as benchmark_first_year, max(year) as benchmark_last_year
    from national_subgroups
    group by indicator_code, dimension
),

final as (
    select
        p.indicator_code, i.name, i.short_name, i.unit, i.indicator_scale, i.favourable_indicator,
        i.decimals, i.definition, i.source_code,
        p.dimension, p.ordered_dimension, p.first_year, p.last_year, p.survey_years, p.subgroups,
        a.benchmark_first_year, a.benchmark_last_year
    from country_pairs as p
    join dim_indicator as i using (indicator_code)
    join all_countries as a using (indicator_code, dimension)
)

select * from final
order by short_name, ordered_dimension desc, dimension
