-- Check: every survey response belongs to a known respondent and item, and respondents to known countries.
-- Grain: one row per offending code. Params: none.
select 'respondent' as code_kind, survey_code, respondent_id as code
from (select distinct survey_code, respondent_id from survey_response)
anti join survey_respondent using (survey_code, respondent_id)
union all
select 'item', survey_code, item_code
from (select distinct survey_code, item_code from survey_response)
anti join survey_item using (survey_code, item_code)
union all
select 'iso3', survey_code, iso3
from (select distinct survey_code, iso3 from survey_respondent)
anti join dim_country using (iso3)
union all
select 'survey', survey_code, null
from (select distinct survey_code from survey_respondent)
anti join dim_survey using (survey_code)
