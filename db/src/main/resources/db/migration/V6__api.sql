-- API tokens: how scripts and pipelines call the REST API. A token is shown once when it is made; only the SHA-256 of
-- the whole token is stored, beside a short prefix that lets people recognise it. Tenant-owned, under forced row-level
-- security like every other tenant table.

create table api_token (
  id           uuid primary key default gen_random_uuid(),
  tenant_id    uuid not null references tenant (id),
  name         text not null check (length(name) between 1 and 100),
  scope        text not null check (scope in ('READ', 'READ_WRITE')),
  secret_hash  bytea not null unique check (length(secret_hash) = 32),
  prefix       text not null check (prefix ~ '^[a-z0-9]{8}$'),
  created_by   text not null check (length(created_by) <= 320),
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  revoked_at   timestamptz,
  revoked_by   text check (length(revoked_by) <= 320),
  last_used_at timestamptz,
  -- every token expires, within a year of being made
  check (expires_at > created_at and expires_at <= created_at + interval '1 year'),
  check ((revoked_at is null) = (revoked_by is null))
);
create index api_token_by_tenant on api_token (tenant_id, created_at desc);
comment on column api_token.secret_hash is 'SHA-256 of the whole token (pcl_<prefix>_<secret>); the token itself is never stored.';
comment on column api_token.prefix is 'Random, not secret: shown in the token list so people can tell their tokens apart.';

alter table api_token enable row level security;
alter table api_token force row level security;
create policy tenant_isolation on api_token to "${appRole}"
  using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));

-- Tokens are never deleted (revoked ones stay for the record); only revocation and the last use change.
grant select, insert on api_token to "${appRole}";
grant update (revoked_at, revoked_by, last_used_at) on api_token to "${appRole}";

-- A request presents a token but carries no tenant: this maps the token's hash to its tenant, id, scope, expiry and
-- whether it was revoked, and nothing else, so the request can be authenticated before any tenant data is touched.
-- The lookup is by hash, so no comparison of secrets happens here at all.
create function api_token_for_hash(p_secret_hash bytea)
  returns table (tenant_id uuid, token_id uuid, scope text, expires_at timestamptz, revoked boolean)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select t.tenant_id, t.id, t.scope, t.expires_at, t.revoked_at is not null
    from api_token t where t.secret_hash = p_secret_hash
$$;

revoke all on function api_token_for_hash(bytea) from public;
grant execute on function api_token_for_hash(bytea) to "${appRole}";

-- The security-definer function reads api_token as the owner, which row-level security binds too.
create policy api_token_directory on api_token for select to current_user using (true);
