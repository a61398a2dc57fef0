-- How respondents answered one item: the count of each score, as asset and as need, for the total and
-- every breakdown group, after disclosure control (capacity_cells). Suppressed groups keep their row with
-- empty counts.
-- Grain: one row per group x kind x score (score null for a suppressed group). Params: $survey_code,
-- $iso3_codes, $by_fields, $item_code, $threshold.
with

cells as (
    select *
    from capacity_cells($survey_code, $iso3_codes, $by_fields, 'item', $threshold)
    where item_code = $item_code
),

long as (
    select c.*, 'asset' as kind, c.asset_counts as counts from cells as c
    union all
    select c.*, 'need' as kind, c.need_counts as counts from cells as c
),

final as (
    select
        regional_network, working_group, organisation_type, career_stage, gender, country, is_total,
        item_code, kind, n, suppressed,
        cast(unnest(map_keys(counts)) as integer) as score,
        unnest(map_values(counts)) as answers
    from long
    where not suppressed
    union all by name
    select
        regional_network, working_group, organisation_type, career_stage, gender, country, is_total,
        item_code, kind, null as n, suppressed, null as score, null as answers
    from long
    where suppressed
)

select * from final
order by is_total desc, regional_network, working_group, organisation_type, career_stage, gender, country, kind,
         score
