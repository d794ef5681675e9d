-- What a scan found beyond packages, kept with the image: how it is meant to run (its configuration, with environment
-- variable names only, never values), the secrets in its layers and config (redacted as the scanner reports them:
-- at most four characters of any secret), its layers, and the risk the secrets and configuration add (docs/risk.md).
alter table image
  add column configuration jsonb check (configuration is null or jsonb_typeof(configuration) = 'object'),
  add column secrets       jsonb not null default '[]' check (jsonb_typeof(secrets) = 'array'),
  add column layer_summary jsonb not null default '[]' check (jsonb_typeof(layer_summary) = 'array'),
  add column secrets_risk  int not null default 0 check (secrets_risk between 0 and 100),
  add column config_risk   int not null default 0 check (config_risk between 0 and 100);
comment on column image.secrets is 'Secrets found by the scan, redacted: rule, title, severity, path, line, layer, deletedInLaterLayer, excerpt.';
comment on column image.config_risk is 'Risk from configuration checks (runs as root 40, no health check 10); see docs/risk.md.';
