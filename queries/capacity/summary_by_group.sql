-- Mean asset, mean need and the gap (need - asset) by capacity level and competency domain, for the totals
-- and every breakdown group, after disclosure control (capacity_cells: threshold, differencing and
-- complementary suppression). A suppressed row stays, with its statistics and n empty.
-- Grain: one row per group x level x competency (is_total marks the totals). Params: $survey_code,
-- $iso3_codes (empty = every country), $by_fields (allow-listed breakdown fields), $threshold.
with

cells as (
    select *
    from capacity_cells($survey_code, $iso3_codes, $by_fields, 'domain', $threshold)
),

final as (
    select
        regional_network, working_group, organisation_type, career_stage, gender, country, is_total,
        level, competency, n, mean_asset, mean_need, gap, suppressed, sd_asset, sd_need, n_asset, n_need
    from cells
)

select * from final
order by is_total desc, regional_network, working_group, organisation_type, career_stage, gender, country,
         case level when 'individual' then 1 when 'organisational' then 2 when 'network' then 3 else 4 end,
         competency
