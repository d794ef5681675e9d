-- Registry connections and what discovery finds in them: repositories, images (by digest), tags and their moves,
-- push events and discovery runs. Every table is tenant-owned and under forced row-level security.

create table registry_connection (
  id                   uuid primary key default gen_random_uuid(),
  tenant_id            uuid not null references tenant (id),
  name                 text not null check (length(name) between 1 and 100),
  kind                 text not null check (kind in ('ACR', 'OCI')),
  endpoint             text not null check (length(endpoint) between 1 and 500),
  auth                 text not null check (auth in ('ANONYMOUS', 'BASIC', 'BEARER', 'ACR_APPLICATION',
                                                     'ACR_SERVICE_PRINCIPAL', 'ACR_MANAGED_IDENTITY', 'ACR_TOKEN')),
  username             text check (length(username) <= 200),
  azure_tenant_id      text check (length(azure_tenant_id) <= 100),
  secret               bytea,
  secret_key_id        text check (length(secret_key_id) <= 64),
  ca_certificates      text check (length(ca_certificates) <= 65536),
  include_repositories text[] not null default '{}',
  exclude_repositories text[] not null default '{}',
  enabled              boolean not null default true,
  discovery_interval   interval not null default interval '1 hour'
                         check (discovery_interval between interval '5 minutes' and interval '7 days'),
  webhook_secret_hash  bytea,
  health               text not null default 'UNKNOWN' check (health in ('UNKNOWN', 'HEALTHY', 'UNHEALTHY')),
  health_reason        text check (length(health_reason) <= 2000),
  health_checked_at    timestamptz,
  last_discovery_at    timestamptz,
  created_at           timestamptz not null default now(),
  created_by           text not null,
  unique (tenant_id, name),
  check ((secret is null) = (secret_key_id is null))
);
comment on column registry_connection.secret is 'AES-GCM ciphertext of the password, token, client secret or certificate; never stored in clear.';
comment on column registry_connection.webhook_secret_hash is 'SHA-256 of the random secret push events must present; the secret itself is shown once.';

create table container_repository (
  id            uuid primary key default gen_random_uuid(),
  tenant_id     uuid not null references tenant (id),
  connection_id uuid not null references registry_connection (id) on delete cascade,
  name          text not null check (length(name) between 1 and 255),
  first_seen_at timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  gone_at       timestamptz,
  unique (connection_id, name)
);

create table image (
  id            uuid primary key default gen_random_uuid(),
  tenant_id     uuid not null references tenant (id),
  repository_id uuid not null references container_repository (id) on delete cascade,
  digest        text not null check (digest ~ '^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$'),
  media_type    text not null check (length(media_type) <= 200),
  is_index      boolean not null,
  index_digest  text check (index_digest ~ '^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$'),
  platform      text check (length(platform) <= 100),
  size          bigint,
  created       timestamptz,
  config_digest text,
  layers        jsonb not null default '[]',
  first_seen_at timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  gone_at       timestamptz,
  unique (repository_id, digest)
);
comment on column image.index_digest is 'For a platform manifest: the index (multi-arch list) it was found through.';
create index image_by_digest on image (tenant_id, digest);

create table tag (
  id            uuid primary key default gen_random_uuid(),
  tenant_id     uuid not null references tenant (id),
  repository_id uuid not null references container_repository (id) on delete cascade,
  name          text not null check (name ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$'),
  digest        text not null,
  updated_at    timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  gone_at       timestamptz,
  unique (repository_id, name)
);

-- When a tag started (and stopped) pointing at a digest: the history of tag moves.
create table tag_history (
  id        bigint generated always as identity primary key,
  tenant_id uuid not null references tenant (id),
  tag_id    uuid not null references tag (id) on delete cascade,
  digest    text not null,
  since     timestamptz not null,
  until     timestamptz
);
create index tag_history_by_tag on tag_history (tag_id, since desc);

create table push_event (
  id            bigint generated always as identity primary key,
  tenant_id     uuid not null references tenant (id),
  connection_id uuid not null references registry_connection (id) on delete cascade,
  source        text not null check (source in ('ACR_WEBHOOK', 'EVENT_GRID')),
  event_id      text check (length(event_id) <= 200),
  action        text not null check (action in ('push', 'delete')),
  repository    text not null check (length(repository) <= 255),
  tag           text check (length(tag) <= 128),
  digest        text check (length(digest) <= 200),
  occurred_at   timestamptz,
  received_at   timestamptz not null default now()
);
create index push_event_recent on push_event (connection_id, received_at desc);

create table discovery_run (
  id               uuid primary key default gen_random_uuid(),
  tenant_id        uuid not null references tenant (id),
  connection_id    uuid not null references registry_connection (id) on delete cascade,
  trigger          text not null check (trigger in ('MANUAL', 'SCHEDULE', 'PUSH_EVENT')),
  repository       text check (length(repository) <= 255),
  status           text not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
  started_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  finished_at      timestamptz,
  repositories     int not null default 0,
  repositories_total int,
  images           int not null default 0,
  tags             int not null default 0,
  failures         int not null default 0,
  error            text check (length(error) <= 4000)
);
-- One discovery at a time per connection.
create unique index discovery_run_one_running on discovery_run (connection_id) where status = 'RUNNING';
create index discovery_run_recent on discovery_run (connection_id, started_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['container_repository', 'image', 'tag', 'tag_history', 'push_event', 'discovery_run']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select app_current_tenant()))'
                   ' with check (tenant_id = (select app_current_tenant()))', t);
  end loop;
end
$$;

alter table registry_connection enable row level security;
alter table registry_connection force row level security;
create policy tenant_isolation on registry_connection to "${appRole}"
  using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));

grant select, insert, update, delete on registry_connection, container_repository, image, tag, push_event,
  discovery_run to "${appRole}";
grant select, insert, update on tag_history to "${appRole}";

-- A webhook call names a connection but carries no tenant: this function maps the connection to its tenant and the hash
-- of its webhook secret, and nothing else, so the call can be authenticated before any tenant data is touched.
create function webhook_target(p_connection_id uuid)
  returns table (tenant_id uuid, webhook_secret_hash bytea, enabled boolean)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select c.tenant_id, c.webhook_secret_hash, c.enabled from registry_connection c where c.id = p_connection_id
$$;

-- The scheduler works across tenants: this lists which connections are due, and nothing about them.
create function connections_due_for_discovery()
  returns table (tenant_id uuid, connection_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select c.tenant_id, c.id from registry_connection c
   where c.enabled
     and (c.last_discovery_at is null or c.last_discovery_at + c.discovery_interval <= now())
     and not exists (select 1 from discovery_run r where r.connection_id = c.id and r.status = 'RUNNING'
                     and r.updated_at > now() - interval '15 minutes')
$$;

revoke all on function webhook_target(uuid) from public;
revoke all on function connections_due_for_discovery() from public;
grant execute on function webhook_target(uuid) to "${appRole}";
grant execute on function connections_due_for_discovery() to "${appRole}";

-- The security-definer functions above read registry_connection as the owner, which row-level security binds too.
create policy registry_directory on registry_connection for select to current_user using (true);
