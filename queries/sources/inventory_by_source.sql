-- Every source in the warehouse with what it contributes, for "About the data".
-- Grain: one row per source_code. Params: none.
with

value_counts as (
    select source_code, values, indicators, countries, first_year, last_year
    from agg_source
),

survey_counts as (
    select s.source_code, count(*) as responses
    from survey_response as r
    join dim_survey as s using (survey_code)
    group by s.source_code
),

final as (
    select d.source_code, d.publisher, d.title, d.release, d.url, d.licence, d.citation,
           d.retrieved_at, d.is_synthetic,
           coalesce(v.values, 0) as values, coalesce(v.indicators, 0) as indicators,
           coalesce(v.countries, 0) as countries, v.first_year, v.last_year,
           coalesce(s.responses, 0) as survey_responses
    from dim_source as d
    left join value_counts as v using (source_code)
    left join survey_counts as s using (source_code)
)

select * from final
order by is_synthetic, publisher, source_code
