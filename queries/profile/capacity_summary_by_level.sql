-- Mean asset and need scores of one country's respondents to one capacity survey, by capacity level
-- (individual, organisational, network), through the survey's disclosure control (capacity_cells in
-- queries/warehouse/capacity.sql): each respondent's answers are averaged first, and a level is left
-- out when its statistics are suppressed (fewer than $min_respondents respondents, or a number that
-- differs from all countries' by fewer than that, so the two could be subtracted).
-- Grain: one row per level whose statistics are shown. Params: $iso3, $survey_code, $min_respondents.
with

cells as (
    select level, n, mean_asset, mean_need
    from capacity_cells($survey_code, [$iso3], [], 'level', $min_respondents)
    where is_total and not suppressed
),

scales as (
    select level, min(score_min) as score_min, max(score_max) as score_max
    from survey_item
    where survey_code = $survey_code
    group by level
),

final as (
    select c.level, c.n as respondents, c.mean_asset, c.mean_need, s.score_min, s.score_max
    from cells as c
    join scales as s using (level)
)

select * from final
order by case level when 'individual' then 1 when 'organisational' then 2 when 'network' then 3 else 4 end,
         level
