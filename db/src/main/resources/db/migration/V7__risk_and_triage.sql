-- Risk and triage. Every finding gets a risk score (0-100) from one SQL function, so that sorting, filtering and the
-- "why this score" explanation agree; and a triage state with its history: who decided what, when and why.

-- The parts of a finding's risk (docs/risk.md), each a plain expression PostgreSQL inlines into the queries that sort
-- and filter by risk (a function with a FROM clause would run once per row, hundreds of times slower). Stable, not
-- immutable: date arithmetic depends on the session's time zone, and PostgreSQL inlines only what is no more volatile
-- than the function says.
create function risk_severity_points(p_severity text, p_cvss numeric) returns float8
  language sql immutable parallel safe
  return coalesce(p_cvss::float8 * 5, case p_severity when 'CRITICAL' then 47.5 when 'HIGH' then 37.5
                                                     when 'MEDIUM' then 25 when 'LOW' then 10 when 'NONE' then 0
                                                     else 25 end);

create function risk_threat_points(p_epss real, p_kev boolean) returns float8
  language sql immutable parallel safe
  return case when p_kev then 30 else least(30, coalesce(p_epss, 0)::float8 * 60) end;

create function risk_fix_points(p_fixed text) returns float8
  language sql immutable parallel safe
  return case when p_fixed is not null then 10 else 0 end;

create function risk_age_points(p_opened timestamptz, p_now timestamptz) returns float8
  language sql stable parallel safe
  return case when p_opened < p_now - interval '90 days' then 10
              when p_opened < p_now - interval '30 days' then 5 else 0 end;

-- Exposure (a running workload, a reachable registry) is filled by cluster inventory; until then it adds nothing.
create function risk_exposure_points() returns float8
  language sql immutable parallel safe
  return 0;

-- A finding's risk, 0-100, halves rounded up. p_now is explicit so the function is testable at any moment. In
-- double precision: it is computed for every candidate row of a sort, where numeric arithmetic costs several times more.
create function finding_risk(p_severity text, p_cvss numeric, p_epss real, p_kev boolean, p_fixed text,
                             p_opened timestamptz, p_now timestamptz) returns int
  language sql stable parallel safe
  return least(100, floor(risk_severity_points(p_severity, p_cvss) + risk_threat_points(p_epss, p_kev)
                          + risk_fix_points(p_fixed) + risk_age_points(p_opened, p_now) + risk_exposure_points()
                          + 0.5 + 1e-9))::int;

-- The same, part by part: why a finding scores what it scores.
create function finding_risk_parts(p_severity text, p_cvss numeric, p_epss real, p_kev boolean, p_fixed text,
                                   p_opened timestamptz, p_now timestamptz,
                                   out severity_points float8, out threat_points float8, out fix_points float8,
                                   out age_points float8, out exposure_points float8, out total int)
  language sql stable parallel safe
as $$
  select risk_severity_points(p_severity, p_cvss), risk_threat_points(p_epss, p_kev), risk_fix_points(p_fixed),
         risk_age_points(p_opened, p_now), risk_exposure_points(),
         finding_risk(p_severity, p_cvss, p_epss, p_kev, p_fixed, p_opened, p_now)
$$;

-- The triage state of a finding. Matching decides whether a finding is OPEN or FIXED (status); people decide what an
-- open finding means (triage). A fixed finding keeps its last triage for the record.
alter table finding
  add column triage               text not null default 'OPEN'
    check (triage in ('OPEN', 'IN_TRIAGE', 'ACCEPTED_RISK', 'FALSE_POSITIVE', 'NOT_AFFECTED')),
  add column triage_justification text check (length(triage_justification) <= 2000),
  add column vex_justification    text check (vex_justification in ('component_not_present',
    'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path',
    'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist')),
  add column triage_expires_at    timestamptz,
  add column triaged_by           text check (length(triaged_by) <= 320),
  add column triaged_at           timestamptz,
  add check (triage <> 'ACCEPTED_RISK' or (triage_justification is not null and triage_expires_at is not null)),
  add check (triage <> 'NOT_AFFECTED' or vex_justification is not null);
comment on column finding.triage is 'What people decided about an open finding; OPEN until someone decides. Accepted risk expires and reopens.';

-- The explorer, the API and the risk roll-ups read an image's open findings and the inputs of their risk: this index
-- answers them without touching the table (an index-only scan), and replaces the plain (image_id, status) one. The
-- tenant leads, as row-level security adds it to every query: one index serves both conditions.
drop index finding_by_image;
create index finding_by_image on finding (tenant_id, image_id, status, triage)
  include (severity, cvss_score, epss, kev, fixed_version, opened_at);
create index finding_expiring on finding (triage_expires_at) where triage_expires_at is not null;

-- Every triage change of a finding: the finding's history, kept as long as the finding.
create table finding_history (
  id                bigint generated always as identity primary key,
  tenant_id         uuid not null references tenant (id),
  finding_id        uuid not null references finding (id) on delete cascade,
  at                timestamptz not null default now(),
  actor             text not null check (length(actor) <= 320),
  from_triage       text not null,
  to_triage         text not null,
  justification     text check (length(justification) <= 2000),
  vex_justification text,
  expires_at        timestamptz,
  scope             text not null check (scope in ('FINDING', 'PACKAGE', 'REPOSITORY', 'EXPIRY', 'DECISION')),
  decision_id       uuid
);
create index finding_history_by_finding on finding_history (finding_id, at desc);

-- A decision that reaches beyond one finding: a vulnerability in a package (any image), or a vulnerability across a
-- repository. It applies to the findings that exist when it is made and to those that matching opens later.
create table triage_decision (
  id                uuid primary key default gen_random_uuid(),
  tenant_id         uuid not null references tenant (id),
  scope             text not null check (scope in ('PACKAGE', 'REPOSITORY')),
  vulnerability     text not null check (length(vulnerability) between 1 and 256),
  package_name      text check (length(package_name) <= 1000),
  repository_id     uuid references container_repository (id) on delete cascade,
  triage            text not null check (triage in ('IN_TRIAGE', 'ACCEPTED_RISK', 'FALSE_POSITIVE', 'NOT_AFFECTED')),
  justification     text check (length(justification) <= 2000),
  vex_justification text,
  expires_at        timestamptz,
  decided_by        text not null check (length(decided_by) <= 320),
  decided_at        timestamptz not null default now(),
  withdrawn_at      timestamptz,
  check ((scope = 'PACKAGE') = (package_name is not null)),
  check ((scope = 'REPOSITORY') = (repository_id is not null))
);
create index triage_decision_by_vulnerability on triage_decision (tenant_id, vulnerability) where withdrawn_at is null;

do $$
declare
  t text;
begin
  foreach t in array array['finding_history', 'triage_decision']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select app_current_tenant()))'
                   ' with check (tenant_id = (select app_current_tenant()))', t);
  end loop;
end
$$;
grant select, insert on finding_history to "${appRole}";
grant select, insert, update on triage_decision to "${appRole}";
grant execute on function finding_risk_parts(text, numeric, real, boolean, text, timestamptz, timestamptz) to "${appRole}";
grant execute on function risk_severity_points(text, numeric), risk_threat_points(real, boolean),
  risk_fix_points(text), risk_age_points(timestamptz, timestamptz), risk_exposure_points() to "${appRole}";
grant execute on function finding_risk(text, numeric, real, boolean, text, timestamptz, timestamptz) to "${appRole}";

-- Accepted risk expires across tenants: this lists the expired findings and their tenants, nothing else.
create function findings_with_expired_triage(p_limit int)
  returns table (tenant_id uuid, finding_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select f.tenant_id, f.id from finding f
   where f.triage_expires_at is not null and f.triage_expires_at <= now() and f.triage <> 'OPEN'
   order by f.triage_expires_at limit p_limit
$$;
revoke all on function findings_with_expired_triage(int) from public;
grant execute on function findings_with_expired_triage(int) to "${appRole}";
create policy expiry_directory on finding for select to current_user using (true);

-- What each day looked like for a tenant: findings opened and fixed that day, and what was open at the end of it. The
-- overview's trend reads these; a job writes today's (and, after midnight, yesterday's final) row every hour.
create table finding_daily (
  tenant_id  uuid not null references tenant (id),
  day        date not null,
  opened     int not null,
  fixed      int not null,
  open_total int not null,
  critical   int not null,
  high       int not null,
  kev        int not null,
  max_risk   int not null,
  taken_at   timestamptz not null default now(),
  primary key (tenant_id, day)
);
alter table finding_daily enable row level security;
alter table finding_daily force row level security;
create policy tenant_isolation on finding_daily using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));
grant select, insert, update on finding_daily to "${appRole}";

-- The snapshot job works across tenants: which tenants have findings, and nothing else.
create function tenants_with_findings()
  returns table (tenant_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select distinct f.tenant_id from finding f
$$;
revoke all on function tenants_with_findings() from public;
grant execute on function tenants_with_findings() to "${appRole}";
