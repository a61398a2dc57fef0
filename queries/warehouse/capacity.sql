-- Disclosure control for capacity-survey statistics: the one place where survey answers become numbers.
-- Every app query, download and command over the survey tables reads capacity_cells(); none reads the
-- answers directly. Created by `build` in the warehouse file, so the read-only app calls it as is.
--
-- capacity_cells(p_survey, p_iso3, p_by, p_grain, p_threshold)
--   p_survey     survey_code
--   p_iso3       list of ISO3 codes the view is filtered to ([] = every country)
--   p_by         list of breakdown fields, each one of regional_network, working_group, organisation_type,
--                career_stage, gender, country ([] = totals only); anything else is ignored here and refused
--                by the callers' allow-list
--   p_grain      'domain' (level x competency domain), 'level', 'item' or 'survey' (every answer)
--   p_threshold  smallest number of respondents a shown statistic may rest on
-- Grain: one row per cell (level, competency, item_code as the grain keeps them) x group, where the groups
-- are the totals (is_total) and, with p_by, every combination of the breakdown fields present in the data
-- (a missing value is its own group, '(not stated)', so the groups always add up to the total).
--
-- A cell's statistics (n, means, standard deviations, answer counts) are nulled and `suppressed` is true
-- when any of these holds:
--   1. threshold: fewer than p_threshold respondents;
--   2. differencing against the parent: the view is filtered to countries and its n differs from the same
--      cell over every country by 1 .. p_threshold - 1 respondents (the two views would reveal the rest);
--   3. differencing between country selections: the view is filtered to countries and one of the chosen
--      countries has 1 .. p_threshold - 1 respondents in the cell (so no two selections can differ by a
--      small country);
--   4. complementary: within one cell's breakdown, when any group is suppressed, the smallest shown groups
--      are suppressed too until at least two are and they hold at least p_threshold respondents together,
--      so no suppressed group can be recovered by subtracting the others from the total;
--   5. a suppressed total suppresses its whole breakdown (the groups would add up to it).
create or replace macro capacity_cells(p_survey, p_iso3, p_by, p_grain, p_threshold) as table
with

answers as (
    select
        a.respondent_id, a.kind, a.score,
        case when p_grain <> 'survey' then i.level end as level,
        case when p_grain in ('survey', 'level') then null else coalesce(i.domain, i.competency) end as competency,
        case when p_grain = 'item' then i.item_code end as item_code,
        r.iso3,
        (len(p_iso3) = 0 or list_contains(p_iso3, r.iso3)) as in_view,
        case when list_contains(p_by, 'regional_network') then coalesce(r.regional_network, '(not stated)') end
            as regional_network,
        case when list_contains(p_by, 'working_group') then coalesce(r.working_group, '(not stated)') end
            as working_group,
        case when list_contains(p_by, 'organisation_type') then coalesce(r.organisation_type, '(not stated)') end
            as organisation_type,
        case when list_contains(p_by, 'career_stage') then coalesce(r.career_stage, '(not stated)') end
            as career_stage,
        case when list_contains(p_by, 'gender') then coalesce(r.sex, '(not stated)') end as gender,
        case when list_contains(p_by, 'country') then r.iso3 end as country
    from survey_response as a
    join survey_respondent as r using (survey_code, respondent_id)
    join survey_item as i using (survey_code, item_code)
    where a.survey_code = p_survey and a.score is not null
),

-- Each respondent's mean over the cell's items, so every respondent weighs the same.
respondent_means as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country, iso3, respondent_id, in_view,
        avg(score) filter (where kind = 'asset') as asset,
        avg(score) filter (where kind = 'need') as need
    from answers
    group by all
),

view_cells as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country,
        grouping(regional_network, working_group, organisation_type, career_stage, gender, country) > 0
            as is_total,
        count(*) as n,
        avg(asset) as mean_asset, avg(need) as mean_need,
        stddev_samp(asset) as sd_asset, stddev_samp(need) as sd_need,
        count(asset) as n_asset, count(need) as n_need,
        case when p_grain = 'item' then histogram(asset) end as asset_counts,
        case when p_grain = 'item' then histogram(need) end as need_counts
    from respondent_means
    where in_view
    group by grouping sets (
        (level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
         gender, country),
        (level, competency, item_code)
    )
),

parent_cells as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country,
        grouping(regional_network, working_group, organisation_type, career_stage, gender, country) > 0
            as is_total,
        count(*) as parent_n
    from respondent_means
    group by grouping sets (
        (level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
         gender, country),
        (level, competency, item_code)
    )
),

-- The smallest non-zero number of respondents any chosen country has in each cell and group.
country_cells as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country,
        grouping(regional_network, working_group, organisation_type, career_stage, gender, country) > 0
            as is_total,
        min(n) as smallest_country_n
    from (
        select
            level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
            gender, country, iso3, count(*) as n
        from respondent_means
        where in_view
        group by all
    )
    group by grouping sets (
        (level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
         gender, country),
        (level, competency, item_code)
    )
),

flagged as (
    select
        v.*,
        v.n < p_threshold
        or (len(p_iso3) > 0 and p.parent_n - v.n between 1 and p_threshold - 1)
        or (len(p_iso3) > 0 and c.smallest_country_n < p_threshold) as primary_suppressed,
        coalesce(v.regional_network, '') || '|' || coalesce(v.working_group, '') || '|'
        || coalesce(v.organisation_type, '') || '|' || coalesce(v.career_stage, '') || '|'
        || coalesce(v.gender, '') || '|' || coalesce(v.country, '') as group_key
    from view_cells as v
    join parent_cells as p
        on p.level is not distinct from v.level and p.competency is not distinct from v.competency
        and p.item_code is not distinct from v.item_code and p.is_total = v.is_total
        and p.regional_network is not distinct from v.regional_network
        and p.working_group is not distinct from v.working_group
        and p.organisation_type is not distinct from v.organisation_type
        and p.career_stage is not distinct from v.career_stage
        and p.gender is not distinct from v.gender and p.country is not distinct from v.country
    join country_cells as c
        on c.level is not distinct from v.level and c.competency is not distinct from v.competency
        and c.item_code is not distinct from v.item_code and c.is_total = v.is_total
        and c.regional_network is not distinct from v.regional_network
        and c.working_group is not distinct from v.working_group
        and c.organisation_type is not distinct from v.organisation_type
        and c.career_stage is not distinct from v.career_stage
        and c.gender is not distinct from v.gender and c.country is not distinct from v.country
    where v.is_total or len(p_by) > 0
),

totals as (
    select level, competency, item_code, primary_suppressed as total_suppressed
    from flagged
    where is_total
),

-- Within one cell's breakdown: how many groups are suppressed already, with how many respondents, and
-- each shown group's rank (smallest first) and the respondents of the shown groups up to it.
breakdown as (
    select
        f.*,
        t.total_suppressed,
        sum(case when f.primary_suppressed then 1 else 0 end)
            over (partition by f.level, f.competency, f.item_code) as primary_groups,
        sum(case when f.primary_suppressed then f.n else 0 end)
            over (partition by f.level, f.competency, f.item_code) as primary_n,
        row_number() over (partition by f.level, f.competency, f.item_code, f.primary_suppressed
                           order by f.n, f.group_key) as shown_rank,
        sum(f.n) over (partition by f.level, f.competency, f.item_code, f.primary_suppressed
                       order by f.n, f.group_key rows between unbounded preceding and current row) as shown_cum_n
    from flagged as f
    join totals as t
        on t.level is not distinct from f.level and t.competency is not distinct from f.competency
        and t.item_code is not distinct from f.item_code
    where not f.is_total
),

groups_suppressed as (
    select
        *,
        primary_suppressed
        or total_suppressed
        -- a shown group is suppressed unless the groups suppressed before it already protect each other
        or (primary_groups > 0
            and not (primary_groups + shown_rank - 1 >= 2 and primary_n + shown_cum_n - n >= p_threshold))
            as suppressed
    from breakdown
),

all_cells as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country, true as is_total, primary_suppressed as suppressed, n, mean_asset, mean_need,
        sd_asset, sd_need, n_asset, n_need, asset_counts, need_counts
    from flagged
    where is_total
    union all by name
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country, false as is_total, suppressed, n, mean_asset, mean_need,
        sd_asset, sd_need, n_asset, n_need, asset_counts, need_counts
    from groups_suppressed
),

final as (
    select
        level, competency, item_code, regional_network, working_group, organisation_type, career_stage,
        gender, country, is_total, suppressed,
        case when not suppressed then n end as n,
        case when not suppressed then mean_asset end as mean_asset,
        case when not suppressed then mean_need end as mean_need,
        case when not suppressed then mean_need - mean_asset end as gap,
        case when not suppressed then sd_asset end as sd_asset,
        case when not suppressed then sd_need end as sd_need,
        case when not suppressed then n_asset end as n_asset,
        case when not suppressed then n_need end as n_need,
        case when not suppressed then asset_counts end as asset_counts,
        case when not suppressed then need_counts end as need_counts
    from all_cells
)

select * from final;
