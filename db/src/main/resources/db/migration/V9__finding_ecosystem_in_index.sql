-- The explorer filters by ecosystem and offers the ecosystems a tenant's findings have: with the package type in the
-- covering index both are answered from the index alone, like the other filters, instead of reading every finding.
drop index finding_by_image;
create index finding_by_image on finding (tenant_id, image_id, status, triage)
  include (severity, cvss_score, epss, kev, fixed_version, opened_at, package_type);
