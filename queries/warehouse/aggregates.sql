-- Summaries derived once at build time, so a page's first query need not scan every value.
-- Grain: agg_indicator one row per indicator_code; agg_source one row per source_code; agg_subgroup_pair one
-- row per iso3 x indicator_code x dimension; national_by_country as national_value; agg_latest one row per
-- indicator_code x iso3. Params: none.

create table agg_indicator as
with

national as (
    select indicator_code, min(year) as first_year, max(year) as last_year,
           count(distinct iso3) as countries_with_data, list(distinct source_code order by source_code) as source_codes
    from national_value
    where estimate is not null
    group by indicator_code
),

disaggregated as (
    select indicator_code, list(distinct dimension order by dimension) as dimensions
    from fct_indicator_value
    where dimension <> 'Total'
    group by indicator_code
),

final as (
    select n.*, coalesce(d.dimensions, []) as dimensions
    from national as n
    left join disaggregated as d using (indicator_code)
)

select * from final;

create table agg_source as
select source_code, count(*) as values, count(distinct indicator_code) as indicators,
       count(distinct iso3) as countries, min(year) as first_year, max(year) as last_year
from fct_indicator_value
group by source_code;

-- The indicator x dimension pairs each country has subgroup values for (national level; subnational-region
-- subgroups carry an admin1_code but describe the national setting), so the equity page's pickers read a
-- small table instead of scanning every value.
-- Grain: agg_subgroup_pair one row per iso3 x indicator_code x dimension.
create table agg_subgroup_pair as
select iso3, indicator_code, dimension,
       bool_or(ordered_dimension) as ordered_dimension,
       min(year) as first_year, max(year) as last_year,
       count(distinct year) as survey_years,
       count(distinct subgroup) as subgroups
from fct_indicator_value
where dimension <> 'Total'
  and estimate is not null
  and (admin1_code is null or dimension = 'Subnational region')
group by iso3, indicator_code, dimension
order by iso3, indicator_code, dimension;

-- National values again, ordered by country: the value table is ordered by indicator, so a query for one
-- country's values (the Country profile, a country's small multiples) would otherwise read every row group.
-- Grain: national_by_country one row per iso3 x indicator_code x year (x source_code), as national_value.
create table national_by_country as
select iso3, indicator_code, year, estimate, se, ci_lower, ci_upper, source_code, flag
from national_value
order by iso3, indicator_code, year;

-- Each country's latest national value of each indicator, with its whole history as a list, so "a peer's
-- latest value at or before year Y" is read from one row instead of every value (Country profile standings).
-- Grain: agg_latest one row per indicator_code x iso3 with a national value.
create table agg_latest as
select indicator_code, iso3, max(year) as year, arg_max(estimate, year) as estimate,
       list({'year': year, 'estimate': estimate} order by year) as history
from national_value
where estimate is not null
group by indicator_code, iso3
order by indicator_code, iso3;
