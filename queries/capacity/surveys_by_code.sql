-- The capacity surveys in the warehouse, latest first, with whether their source is synthetic and the
-- earlier round of the same series (for change between rounds). No statistic: counts come from
-- capacity_cells (queries/warehouse/capacity.sql) so they pass the suppression rule.
-- Grain: one row per survey_code. Params: none.
with

surveys as (
    select s.survey_code, s.title, s.year, s.series, s.source_code, coalesce(d.is_synthetic, false) as is_synthetic
    from dim_survey as s
    left join dim_source as d using (source_code)
),

final as (
    select
        s.*,
        (select p.survey_code from surveys as p
         where p.series = s.series and p.year < s.year
         order by p.year desc, p.survey_code limit 1) as previous_code
    from surveys as s
)

select * from final
order by year desc nulls last, survey_code
