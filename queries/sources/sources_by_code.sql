-- Provenance of the given sources, for source notes under charts and in extracts.
-- Grain: one row per source_code. Params: $source_codes.
select source_code, publisher, title, release, url, licence, citation, retrieved_at, is_synthetic
from dim_source
where list_contains($source_codes, source_code)
order by is_synthetic, publisher, source_code
