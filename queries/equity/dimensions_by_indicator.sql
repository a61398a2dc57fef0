-- The indicator x dimension pairs with subgroup values for one country, with indicator metadata, the
-- country's survey years and the span of survey years across all countries (for the benchmark year).
-- Reads the build's summary agg_subgroup_pair (queries/warehouse/aggregates.sql), not every value.
-- Grain: one row per indicator_code x dimension. Params: $iso3.
with

country_pairs as (
    select indicator_code, dimension, ordered_dimension, first_year, last_year, survey_years, subgroups
    from agg_subgroup_pair
    where iso3 = $iso3
),

all_countries as (
    select indicator_code, dimension,
           min(first_year) as benchmark_first_year, max(last_year) as benchmark_last_year
    from agg_subgroup_pair
    where (indicator_code, dimension) in (select (indicator_code, dimension) from country_pairs)
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
