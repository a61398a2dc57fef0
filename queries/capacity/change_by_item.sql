-- Change between two rounds of a survey series for every item asked in both: the mean asset and need of
-- each round, after disclosure control (capacity_cells) in each round separately.
-- Grain: one row per item_code asked in both rounds. Params: $survey_code (later round), $previous_code
-- (earlier round), $iso3_codes, $threshold.
with

later as (
    select item_code, level, competency, n, mean_asset, mean_need, sd_asset, sd_need, n_asset, n_need, suppressed
    from capacity_cells($survey_code, $iso3_codes, [], 'item', $threshold)
),

earlier as (
    select item_code, n, mean_asset, mean_need, sd_asset, sd_need, n_asset, n_need, suppressed
    from capacity_cells($previous_code, $iso3_codes, [], 'item', $threshold)
),

items as (
    select item_code, text from survey_item where survey_code = $survey_code
),

final as (
    select
        l.item_code, l.level, l.competency, i.text,
        e.n as n_before, l.n as n_after,
        e.mean_asset as asset_before, l.mean_asset as asset_after, l.mean_asset - e.mean_asset as asset_change,
        e.mean_need as need_before, l.mean_need as need_after, l.mean_need - e.mean_need as need_change,
        e.sd_asset as sd_asset_before, l.sd_asset as sd_asset_after,
        e.n_asset as n_asset_before, l.n_asset as n_asset_after,
        e.suppressed or l.suppressed as suppressed
    from later as l
    join earlier as e using (item_code)
    join items as i using (item_code)
)

select * from final
order by case level when 'individual' then 1 when 'organisational' then 2 when 'network' then 3 else 4 end,
         item_code
