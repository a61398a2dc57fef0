-- Floor for profile/series_by_indicator_year: one filtered scan of the country's national values.
-- Grain: one row per indicator_code x year. Params: $iso3.
select indicator_code, year, estimate, source_code
from fct_indicator_value
where iso3 = $iso3 and dimension = 'Total' and admin1_code is null and estimate is not null
order by indicator_code, year
