-- Check: responses are 'asset' or 'need' and scores lie within their item's scale; one response per key.
-- Grain: one row per offending response or duplicated key. Params: none.
select r.survey_code, r.respondent_id, r.item_code, r.kind, r.score, 'score outside item range or bad kind' as problem
from survey_response as r
join survey_item as i using (survey_code, item_code)
where r.kind not in ('asset', 'need') or r.score < i.score_min or r.score > i.score_max
union all
select survey_code, respondent_id, item_code, kind, null, 'duplicated response'
from survey_response
group by survey_code, respondent_id, item_code, kind
having count(*) > 1
