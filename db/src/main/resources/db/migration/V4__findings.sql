-- What the scanner found in each image (its stored inventory) and what matching against the advisories made of it
-- (findings). Both are tenant-owned, under forced row-level security. Findings are soft state: a vulnerability that no
-- longer matches is marked fixed with the time, never deleted, so the history of an image's exposure stays.

-- PyPI names are equal under PEP 503 normalisation and NuGet ids regardless of case: the key the matchers look up.
alter table affected add column name_key text generated always as (
  case
    when ecosystem = 'PyPI' then lower(regexp_replace(package_name, '[-_.]+', '-', 'g'))
    when ecosystem = 'NuGet' then lower(package_name)
    else package_name
  end) stored;
create index affected_by_name_key on affected (ecosystem, release, name_key) where not withdrawn;

alter table image
  add column os_id           text check (length(os_id) <= 100),
  add column os_version      text check (length(os_version) <= 100),
  add column os_name         text check (length(os_name) <= 200),
  add column analysed_at     timestamptz,
  add column matched_at      timestamptz,
  add column match_problems  int not null default 0,
  add column foreign_packages text[] not null default '{}';
comment on column image.foreign_packages is 'OS packages built outside the distribution (another rpm VENDOR): flagged, not matched against its advisories.';
comment on column image.analysed_at is 'When the image''s inventory was last stored from a scan.';
comment on column image.matched_at is 'When the stored inventory was last matched against the advisories.';

-- One package of an image, with its evidence: the analyzer, the file and the layer that brought it.
create table image_package (
  tenant_id      uuid not null references tenant (id),
  image_id       uuid not null references image (id) on delete cascade,
  ordinal        int not null check (ordinal >= 0),
  type           text not null check (length(type) between 1 and 32),
  name           text not null check (length(name) between 1 and 1024),
  version        text not null check (length(version) <= 1024),
  purl           text check (length(purl) <= 4096),
  architecture   text check (length(architecture) <= 64),
  source_name    text check (length(source_name) <= 1024),
  source_version text check (length(source_version) <= 1024),
  license        text check (length(license) <= 2048),
  found_by       text not null check (length(found_by) <= 64),
  path           text not null check (length(path) <= 8192),
  layer          text not null check (length(layer) <= 200),
  checksum       text check (length(checksum) <= 200),
  vendor         text check (length(vendor) <= 500),
  primary key (image_id, ordinal)
);
create index image_package_by_tenant on image_package (tenant_id, image_id);

-- One vulnerability of one package of one image. `vulnerability` is its name (the CVE when one is known),
-- `identifiers` every id of every advisory that matched it; `evidence` says which matcher looked where and which range
-- or version list matched, per advisory.
create table finding (
  id               uuid primary key default gen_random_uuid(),
  tenant_id        uuid not null references tenant (id),
  image_id         uuid not null references image (id) on delete cascade,
  vulnerability    text not null check (length(vulnerability) between 1 and 256),
  identifiers      text[] not null,
  package_key      text not null check (length(package_key) <= 10000),
  package_type     text not null,
  package_name     text not null,
  package_version  text not null,
  package_purl     text,
  package_path     text not null,
  layer            text not null,
  fixed_version    text check (length(fixed_version) <= 1024),
  severity         text not null check (severity in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN')),
  cvss_score       numeric(3, 1) check (cvss_score between 0 and 10),
  cvss_vector      text check (length(cvss_vector) <= 512),
  epss             real check (epss between 0 and 1),
  epss_percentile  real check (epss_percentile between 0 and 1),
  kev              boolean not null default false,
  summary          text check (length(summary) <= 2000),
  evidence         jsonb not null check (jsonb_typeof(evidence) = 'array'),
  state            text not null check (length(state) = 64),
  status           text not null check (status in ('OPEN', 'FIXED')),
  opened_at        timestamptz not null default now(),
  fixed_at         timestamptz,
  last_matched_at  timestamptz not null default now(),
  unique (image_id, vulnerability, package_key),
  check ((status = 'FIXED') = (fixed_at is not null))
);
comment on column finding.package_key is 'Which package of the image: type, name, version and path, so the same jar at two paths is two findings.';
create index finding_by_image on finding (image_id, status);
create index finding_by_vulnerability on finding (tenant_id, vulnerability);

do $$
declare
  t text;
begin
  foreach t in array array['image_package', 'finding']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select app_current_tenant()))'
                   ' with check (tenant_id = (select app_current_tenant()))', t);
  end loop;
end
$$;

grant select, insert, update, delete on image_package to "${appRole}";
-- findings are never deleted: fixed ones are marked, and an image's findings go only with the image itself
grant select, insert, update on finding to "${appRole}";

-- Re-matching works across tenants after an advisory change: this lists which images have an inventory, and nothing
-- about them, so each can then be matched inside its own tenant.
create function images_with_inventory()
  returns table (tenant_id uuid, image_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select i.tenant_id, i.id from image i where i.analysed_at is not null and i.gone_at is null
   order by i.tenant_id, i.id
$$;
revoke all on function images_with_inventory() from public;
grant execute on function images_with_inventory() to "${appRole}";
create policy inventory_directory on image for select to current_user using (true);
