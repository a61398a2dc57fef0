-- Countries (not aggregates) with their codes, regions and income group.
-- Grain: one row per iso3. Params: none.
select iso3, iso_n3, name, who_region, wb_region, income_group
from dim_country
where not is_aggregate
order by name
