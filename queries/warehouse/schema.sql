-- The warehouse contract: every table the app reads, created empty by `python -m dashboard build`.
-- Grain: one statement per table. Params: none.
-- Vocabulary follows WHO HEAT (dimension, subgroup, subgroup_order, ordered_dimension,
-- reference_subgroup, favourable_indicator, indicator_scale).

-- One row per country or aggregate area (region, income group, world).
create table dim_country (
    iso3 varchar primary key,           -- ISO 3166-1 alpha-3, or the publisher's aggregate code (WLD, HIC ...)
    iso_n3 varchar,                     -- ISO 3166-1 numeric, zero-padded ('004'); null for aggregates
    name varchar not null,
    who_region varchar,                 -- AFR, AMR, SEAR, EUR, EMR, WPR; null when not a WHO member
    wb_region varchar,                  -- World Bank region name
    income_group varchar,               -- World Bank income group name ('Low income' ...); null when unclassified
    is_aggregate boolean not null
);

-- One row per first-level administrative area that appears in the data or in imported boundaries.
create table dim_admin1 (
    iso3 varchar not null,
    admin1_code varchar not null,       -- ISO 3166-2 where known, else the boundary file's own id
    name varchar not null,
    primary key (iso3, admin1_code)
);

-- One row per source release.
create table dim_source (
    source_code varchar primary key,    -- e.g. WB_WDI_2024-09-19, WHO_GHO_ODATA, DEMO_SYNTHETIC
    publisher varchar not null,
    title varchar not null,
    release varchar,                    -- the publisher's release or last-updated label
    url varchar,
    licence varchar not null,
    citation varchar,
    retrieved_at timestamp,
    is_synthetic boolean not null
);

-- One row per indicator.
create table dim_indicator (
    indicator_code varchar primary key, -- the publisher's code (SH.IMM.IDPT, UHC_INDEX_REPORTED ...)
    name varchar not null,
    short_name varchar not null,        -- for axis titles and tight tables
    unit varchar not null,              -- '%', 'per 1,000 population', 'current US$' ...
    indicator_scale integer,            -- 100 for percentages, 1000 for per 1,000 ...; null when not a rate
    favourable_indicator boolean not null, -- true when higher values are better
    building_block varchar not null,    -- WHO building block, or 'Outcomes'
    domain varchar not null,            -- coverage, quality, financial protection, workforce, outcome ...
    uhc_tracer varchar,                 -- SDG 3.8.1 tracer area (RMNCH, Infectious diseases, NCDs, Service capacity and access), or 'Index'/'Sub-index'
    definition varchar,
    source_code varchar not null,
    plausible_min double not null,      -- build fails on estimates outside [plausible_min, plausible_max]
    plausible_max double not null,
    decimals integer not null           -- display precision
);

-- One row per indicator x setting x date x dimension x subgroup.
create table fct_indicator_value (
    indicator_code varchar not null,
    iso3 varchar not null,
    admin1_code varchar,                -- null at national level
    year smallint not null,
    dimension varchar not null,         -- 'Total' for the national value; 'Economic status (wealth quintile)', 'Sex', ...
    subgroup varchar not null,          -- 'Total' for the national value
    subgroup_order smallint,            -- 1..n along an ordered dimension (1 = most disadvantaged); null otherwise
    ordered_dimension boolean not null,
    reference_subgroup boolean not null,
    estimate double,                    -- null when suppressed (flag says why)
    se double,
    ci_lower double,
    ci_upper double,
    population double,                  -- subgroup population share or count, as published
    source_code varchar not null,
    flag varchar                        -- imputed, modelled, low n, suppressed ...
);

-- One row per capacity survey.
create table dim_survey (
    survey_code varchar primary key,
    title varchar not null,
    year smallint,
    source_code varchar not null,
    description varchar,
    series varchar                      -- surveys of one series are rounds of one instrument (null: none)
);

-- One row per respondent of a capacity survey.
create table survey_respondent (
    survey_code varchar not null,
    respondent_id varchar not null,
    iso3 varchar not null,
    organisation_type varchar not null, -- university, research institute, ministry of health, NGO ...
    role varchar not null,              -- researcher, manager, decision-maker ...
    career_stage varchar,               -- early, mid, senior
    sex varchar,
    regional_network varchar,           -- Africa, Asia-Pacific, Eastern Mediterranean, Europe, Latin America and Caribbean
    working_group varchar,              -- thematic working group (null: none)
    organisation_name varchar,          -- never shown: no query of the app reads it
    primary key (survey_code, respondent_id)
);

-- One row per survey item (a capacity statement rated by respondents).
create table survey_item (
    survey_code varchar not null,
    item_code varchar not null,
    level varchar not null,             -- individual, organisational, network
    competency varchar not null,        -- e.g. 'Research methods', 'Knowledge translation'
    text varchar not null,
    score_min smallint not null,
    score_max smallint not null,
    domain varchar,                     -- competency domain, e.g. 'Evidence synthesis' (null: use competency)
    kinds varchar,                      -- asked as 'asset', 'need' or 'both' (null: both)
    primary key (survey_code, item_code)
);

-- One row per respondent x item x kind (asset = current capacity, need = importance of strengthening it).
create table survey_response (
    survey_code varchar not null,
    respondent_id varchar not null,
    item_code varchar not null,
    kind varchar not null,              -- asset or need
    score smallint                      -- null = no answer
);

-- One row: what this warehouse file holds and how it was made.
create table meta_build (
    build_id varchar not null,
    built_at timestamp not null,
    code_version varchar not null,
    demo_scale integer,                 -- null when built without the demo source
    has_synthetic boolean not null,
    sources varchar not null,           -- JSON list of source codes
    row_counts varchar not null         -- JSON object table -> rows
);
