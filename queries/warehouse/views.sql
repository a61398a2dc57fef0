-- Shared views every app query reads instead of repeating a rule. Created by the build after the tables.
-- Grain: national_value one row per indicator_code x iso3 x year (x source_code), as fct_indicator_value.
-- Params: none.

-- The national value: no disaggregation (dimension 'Total') and not a subnational area. Suppressed values
-- keep their row with a null estimate; queries that plot or rank add `estimate is not null`.
create view national_value as
select *
from fct_indicator_value
where dimension = 'Total'
  and admin1_code is null;
