-- Check: the UHC index and sub-indices computed from the tracers agree with the published ones
-- (UHC_INDEX_REPORTED, UHC_SCI_*) within 5 points wherever both exist for a country-year.
-- Level: warning (a gap is worth a look - different tracer vintages, imputation - not a broken warehouse)
-- Grain: one row per computed indicator x iso3 x year that differs by more than 5 points. Params: none.
with

pairs (computed_code, reported_code) as (
    values
        ('UHC_INDEX_COMPUTED', 'UHC_INDEX_REPORTED'),
        ('UHC_SCI_RMNCH_COMPUTED', 'UHC_SCI_RMNCH'),
        ('UHC_SCI_INFECT_COMPUTED', 'UHC_SCI_INFECT'),
        ('UHC_SCI_NCD_COMPUTED', 'UHC_SCI_NCD'),
        ('UHC_SCI_CAPACITY_COMPUTED', 'UHC_SCI_CAPACITY')
),

national as (
    select indicator_code, iso3, year, estimate
    from fct_indicator_value
    where dimension = 'Total' and admin1_code is null and estimate is not null
      and indicator_code in (select computed_code from pairs union all select reported_code from pairs)
),

final as (
    select p.reported_code, c.iso3, c.year, r.estimate as reported, round(c.estimate, 1) as computed,
           round(c.estimate - r.estimate, 1) as difference
    from pairs as p
    join national as c on c.indicator_code = p.computed_code
    join national as r on r.indicator_code = p.reported_code and r.iso3 = c.iso3 and r.year = c.year
    where abs(c.estimate - r.estimate) > 5
)

select * from final
order by reported_code, iso3, year
