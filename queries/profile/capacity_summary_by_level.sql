-- Mean asset and need scores of one country's respondents to one capacity survey, by capacity level
-- (individual, organisational, network). Each respondent's answers are averaged first, so every
-- respondent weighs the same whatever the number of items they answered. Levels answered by fewer than
-- $min_respondents respondents are left out, so no small group can be singled out.
-- Grain: one row per level with at least $min_respondents respondents. Params: $iso3, $survey_code,
-- $min_respondents.
with

answers as (
    select a.respondent_id, i.level, a.kind, a.score
    from survey_response as a
    join survey_respondent as r using (survey_code, respondent_id)
    join survey_item as i using (survey_code, item_code)
    where a.survey_code = $survey_code
      and r.iso3 = $iso3
      and a.score is not null
),

respondent_means as (
    select
        level, respondent_id,
        avg(score) filter (where kind = 'asset') as asset,
        avg(score) filter (where kind = 'need') as need
    from answers
    group by level, respondent_id
),

scales as (
    select level, min(score_min) as score_min, max(score_max) as score_max
    from survey_item
    where survey_code = $survey_code
    group by level
),

final as (
    select
        m.level, count(distinct m.respondent_id) as respondents,
        avg(m.asset) as mean_asset, avg(m.need) as mean_need,
        any_value(s.score_min) as score_min, any_value(s.score_max) as score_max
    from respondent_means as m
    join scales as s using (level)
    group by m.level
    having count(distinct m.respondent_id) >= $min_respondents
)

select * from final
order by case level when 'individual' then 1 when 'organisational' then 2 when 'network' then 3 else 4 end,
         level
