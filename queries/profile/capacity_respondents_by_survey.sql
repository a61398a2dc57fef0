-- The capacity surveys one country's respondents answered, latest first, with how many respondents.
-- Grain: one row per survey_code with respondents from $iso3. Params: $iso3.
with

respondents as (
    select survey_code, respondent_id
    from survey_respondent
    where iso3 = $iso3
),

final as (
    select s.survey_code, s.title, s.year, s.source_code, count(distinct r.respondent_id) as respondents
    from respondents as r
    join dim_survey as s using (survey_code)
    group by s.survey_code, s.title, s.year, s.source_code
)

select * from final
order by year desc nulls last, survey_code
