-- The capacity surveys one country's respondents answered, latest first, with how many respondents:
-- the count passes the survey's disclosure control (capacity_cells at survey grain), so it is empty when
-- it would single out a small group.
-- Grain: one row per survey_code with respondents from $iso3. Params: $iso3, $threshold.
with

surveys as (
    select distinct s.survey_code, s.title, s.year, s.source_code
    from survey_respondent as r
    join dim_survey as s using (survey_code)
    where r.iso3 = $iso3
),

final as (
    select s.survey_code, s.title, s.year, s.source_code, c.n as respondents
    from surveys as s,
    lateral (
        select n from capacity_cells(s.survey_code, [$iso3], [], 'survey', $threshold) where is_total
    ) as c
)

select * from final
order by year desc nulls last, survey_code
