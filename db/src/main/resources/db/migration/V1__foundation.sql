-- Foundation: tenants, users, role assignments and the audit log, every tenant-owned table under row-level security.
--
-- This script runs as the owner role. The application connects as ${appRole}: it owns nothing, cannot bypass row-level
-- security, and gets only the privileges granted below. Its password is set from configuration after each migration run,
-- so it never appears in a migration script or in the schema history.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = '${appRole}') then
    create role "${appRole}" nologin nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
  end if;
end
$$;

grant usage on schema public to "${appRole}";

-- The tenant of the current transaction, set by the application with set_config('app.tenant_id', ?, true).
-- No tenant means an error, never "every tenant": row-level security fails closed.
create function app_current_tenant() returns uuid
  language plpgsql stable parallel safe
as $$
declare
  v text := current_setting('app.tenant_id', true);
begin
  if v is null or v = '' then
    raise exception 'no tenant is set for this transaction'
      using errcode = 'insufficient_privilege',
            hint = 'tenant-owned rows are reachable only inside a transaction that sets app.tenant_id';
  end if;
  return v::uuid;
end
$$;

create table tenant (
  id              uuid primary key,
  entra_tenant_id text unique check (entra_tenant_id is null or length(entra_tenant_id) <= 100),
  display_name    text not null check (length(display_name) between 1 and 200),
  onboarded_at    timestamptz not null default now(),
  onboarded_by    text not null check (length(onboarded_by) <= 320)
);
comment on table tenant is 'An organisation using Portcullis; the nil UUID is the platform itself (events no tenant can own).';

-- The platform pseudo-tenant owns what cannot be attributed to a tenant, such as a failed sign-in with an untrusted token.
insert into tenant (id, entra_tenant_id, display_name, onboarded_by)
values ('00000000-0000-0000-0000-000000000000', null, 'Portcullis platform', 'system');

alter table tenant enable row level security;
alter table tenant force row level security;
create policy tenant_isolation on tenant to "${appRole}"
  using (id = (select app_current_tenant()))
  with check (id = (select app_current_tenant()));
-- The directory functions below run as the owner and must see every tenant to map an Entra tenant id to its row.
create policy tenant_directory on tenant to current_user using (true) with check (true);
grant select, update (display_name) on tenant to "${appRole}";

-- Sign-in needs the tenant before it can set it: these two functions are the only ways across the tenant boundary.
create function tenant_for_entra(p_entra_tenant_id text)
  returns table (id uuid, display_name text)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select t.id, t.display_name from tenant t where t.entra_tenant_id = p_entra_tenant_id
$$;

create function onboard_tenant(p_entra_tenant_id text, p_display_name text, p_onboarded_by text)
  returns table (id uuid, created boolean)
  language plpgsql security definer
  set search_path = public, pg_temp
as $$
declare
  v_id uuid;
begin
  insert into tenant as t (id, entra_tenant_id, display_name, onboarded_by)
  values (gen_random_uuid(), p_entra_tenant_id, p_display_name, p_onboarded_by)
  on conflict (entra_tenant_id) do nothing
  returning t.id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select t.id, false from tenant t where t.entra_tenant_id = p_entra_tenant_id;
  end if;
end
$$;

revoke all on function tenant_for_entra(text) from public;
revoke all on function onboard_tenant(text, text, text) from public;
grant execute on function tenant_for_entra(text) to "${appRole}";
grant execute on function onboard_tenant(text, text, text) to "${appRole}";

create table app_user (
  id              uuid primary key default gen_random_uuid(),
  tenant_id       uuid not null references tenant (id),
  entra_object_id text not null check (length(entra_object_id) <= 100),
  display_name    text not null check (length(display_name) <= 200),
  email           text check (length(email) <= 320),
  directory_role  text check (directory_role in ('ADMIN', 'ANALYST', 'VIEWER')),
  created_at      timestamptz not null default now(),
  last_sign_in_at timestamptz,
  unique (tenant_id, entra_object_id)
);
comment on column app_user.directory_role is 'The role the user''s token carried at their last sign-in (Entra app roles, or the local configuration).';
comment on column app_user.entra_object_id is 'The Entra object id (oid claim); local sign-in users are stored as local:<username>.';

create table role_assignment (
  tenant_id   uuid not null references tenant (id),
  user_id     uuid not null references app_user (id),
  role        text not null check (role in ('ADMIN', 'ANALYST', 'VIEWER')),
  assigned_by text not null check (length(assigned_by) <= 320),
  assigned_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
comment on table role_assignment is 'An Admin''s in-app override of the role a user''s token carries.';

create table audit_event (
  id            bigint generated always as identity primary key,
  tenant_id     uuid not null references tenant (id),
  seq           bigint not null,
  occurred_at   timestamptz not null,
  actor         text not null check (length(actor) <= 320),
  action        text not null check (length(action) <= 64),
  target        text check (length(target) <= 500),
  outcome       text not null check (outcome in ('SUCCESS', 'FAILURE')),
  source_ip     text check (length(source_ip) <= 64),
  user_agent    text check (length(user_agent) <= 500),
  detail        text check (length(detail) <= 2000),
  previous_hash bytea not null,
  hash          bytea not null,
  unique (tenant_id, seq)
);
create index audit_event_tenant_time on audit_event (tenant_id, occurred_at desc);
comment on table audit_event is 'Append-only; each event carries the SHA-256 of its predecessor in the same tenant''s chain.';

-- The canonical text an event's hash covers. jsonb renders keys in a fixed order, and the time is rendered in UTC,
-- so the digest does not depend on session settings.
create function audit_event_digest(e audit_event) returns bytea
  language sql immutable parallel safe
as $$
  select sha256(convert_to(jsonb_build_object(
    'tenant', e.tenant_id, 'seq', e.seq,
    'at', to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor', e.actor, 'action', e.action, 'target', e.target, 'outcome', e.outcome,
    'ip', e.source_ip, 'agent', e.user_agent, 'detail', e.detail,
    'previous', encode(e.previous_hash, 'hex'))::text, 'UTF8'))
$$;

-- Chains every new event to the tenant's previous one. The advisory lock serialises writers per tenant so the chain
-- never forks; the time is taken here so the application cannot backdate an event.
create function audit_event_chain() returns trigger
  language plpgsql
as $$
declare
  v_seq  bigint;
  v_hash bytea;
begin
  perform pg_advisory_xact_lock(hashtextextended('audit_event:' || new.tenant_id::text, 0));
  select e.seq, e.hash into v_seq, v_hash
    from audit_event e where e.tenant_id = new.tenant_id order by e.seq desc limit 1;
  new.seq := coalesce(v_seq, 0) + 1;
  new.previous_hash := coalesce(v_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  new.occurred_at := clock_timestamp();
  new.hash := audit_event_digest(new);
  return new;
end
$$;

create trigger audit_event_chain before insert on audit_event
  for each row execute function audit_event_chain();

-- Append-only for everyone, the owner included: a change needs a deliberate act (dropping this trigger), and even then
-- the hash chain shows it.
create function audit_event_immutable() returns trigger
  language plpgsql
as $$
begin
  raise exception 'audit events are append-only' using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_event_no_update before update or delete on audit_event
  for each row execute function audit_event_immutable();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_immutable();

-- Row-level security on every tenant-owned table, forced so that the table owner is bound too.
alter table app_user enable row level security;
alter table app_user force row level security;
create policy tenant_isolation on app_user
  using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));

alter table role_assignment enable row level security;
alter table role_assignment force row level security;
create policy tenant_isolation on role_assignment
  using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));

alter table audit_event enable row level security;
alter table audit_event force row level security;
create policy tenant_isolation on audit_event
  using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));

grant select, insert, update on app_user to "${appRole}";
grant select, insert, update, delete on role_assignment to "${appRole}";
-- Insert and read only: the application can never change or remove an audit event.
grant select, insert on audit_event to "${appRole}";
