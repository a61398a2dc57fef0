-- Every source in the warehouse with what it contributes, for "About the data".
-- Grain: one row per source_code. Params: none.
with

value_counts as (
    select source_code, count(*) as values, count(distinct indicator_code) as indicators,
           count(distinct iso3) as countries, min(year) as first_year, max(year) as last_year
    from fct_indicator_value
    group by source_code
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
