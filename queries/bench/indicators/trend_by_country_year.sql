-- Floor for indicators/trend_by_country_year: one filtered scan of national values joined to the countries.
-- Grain: one row per indicator_code x iso3 x year. Params: $indicator_codes, $iso3_codes.
select v.indicator_code, v.iso3, c.name, c.who_region, c.income_group,
       cast(v.year as integer) as year, v.estimate, v.ci_lower, v.ci_upper, v.source_code, v.flag
from fct_indicator_value as v
join dim_country as c
  on c.iso3 = v.iso3 and not c.is_aggregate and (len($iso3_codes) = 0 or list_contains($iso3_codes, c.iso3))
where (len($indicator_codes) = 0 or list_contains($indicator_codes, v.indicator_code))
  and (len($iso3_codes) = 0 or list_contains($iso3_codes, v.iso3))
  and v.dimension = 'Total' and v.admin1_code is null and v.estimate is not null
order by v.indicator_code, v.iso3, year
