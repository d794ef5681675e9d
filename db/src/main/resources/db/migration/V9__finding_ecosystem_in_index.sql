-- The explorer filters by ecosystem and offers the ecosystems a tenant's findings have: with the package type in the
-- covering index both are answered from the index alone, like the other filters, instead of reading every finding.
-- Built concurrently beside the index it replaces, so that on a large table neither matching nor the explorer waits
-- for the build (Flyway runs these statements outside a transaction).
create index concurrently if not exists finding_risk_inputs on finding (tenant_id, image_id, status, triage)
  include (severity, cvss_score, epss, kev, fixed_version, opened_at, package_type);
drop index concurrently if exists finding_by_image;
