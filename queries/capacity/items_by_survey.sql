-- The items of one capacity survey with their level, competency domain and whether they are asked as
-- asset, need or both.
-- Grain: one row per item_code. Params: $survey_code.
with

items as (
    select
        item_code, level, coalesce(domain, competency) as domain, competency, text, coalesce(kinds, 'both') as kinds,
        score_min, score_max
    from survey_item
    where survey_code = $survey_code
),

final as (
    select * from items
)

select * from final
order by case level when 'individual' then 1 when 'organisational' then 2 when 'network' then 3 else 4 end,
         item_code
