-- Continuous scanning: the job queue (db-scheduler's table), the record of each scan job a tenant can see, the layer
-- analysis cache shared by every tenant (reference data, content-addressed), per-registry request limits and the
-- freshness objectives each tenant is held to.

-- db-scheduler's queue. Not tenant data: a job's tenant travels in its task_data and is set on every transaction the
-- job opens; nobody reads this table through the application except the scheduler and the queue-depth metric.
create table scheduled_tasks (
  task_name            text not null,
  task_instance        text not null,
  task_data            bytea,
  execution_time       timestamptz not null,
  picked               boolean not null,
  picked_by            text,
  last_success         timestamptz,
  last_failure         timestamptz,
  consecutive_failures int,
  last_heartbeat       timestamptz,
  version              bigint not null,
  priority             smallint,
  primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time on scheduled_tasks (priority desc, execution_time asc);
grant select, insert, update, delete on scheduled_tasks to "${appRole}";

-- What analysers found in one layer, whoever's image it came from: a layer is pulled and read once for everyone.
-- analyzers names the analyzer versions that produced it ("type@version,..."), touched_by the analyzers that chose at
-- least one file of the layer: bumping an analyzer's version re-reads only the layers it touched.
create table layer_analysis (
  layer_digest text primary key check (layer_digest ~ '^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$'),
  analyzers    text not null check (length(analyzers) <= 2000),
  touched_by   text[] not null,
  contents     bytea not null,
  size         bigint,
  analysed_at  timestamptz not null default now(),
  used_at      timestamptz not null default now()
);
comment on table layer_analysis is 'Reference data: analysis results by layer digest, shared across tenants and never shown per tenant.';
grant select, insert, update, delete on layer_analysis to "${appRole}";

-- One scan of one image, as its tenant sees it: queued, running, retrying, done or failed with the reason.
create table scan_job (
  id            uuid primary key default gen_random_uuid(),
  tenant_id     uuid not null references tenant (id),
  image_id      uuid not null references image (id) on delete cascade,
  connection_id uuid not null references registry_connection (id) on delete cascade,
  trigger       text not null check (trigger in ('MANUAL', 'PUSH_EVENT', 'SCHEDULE')),
  status        text not null check (status in ('QUEUED', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED')),
  attempts      int not null default 0,
  queued_at     timestamptz not null default now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  next_attempt_at timestamptz,
  worker        text check (length(worker) <= 200),
  layers        int,
  layers_cached int,
  bytes_pulled  bigint,
  findings      int,
  error         text check (length(error) <= 4000)
);
-- At most one active job per image (one image row per digest and repository).
create unique index scan_job_one_active on scan_job (image_id) where status in ('QUEUED', 'RUNNING', 'RETRYING');
create index scan_job_recent on scan_job (tenant_id, queued_at desc);
create index scan_job_by_connection on scan_job (connection_id, status);

alter table scan_job enable row level security;
alter table scan_job force row level security;
create policy tenant_isolation on scan_job using (tenant_id = (select app_current_tenant()))
  with check (tenant_id = (select app_current_tenant()));
grant select, insert, update on scan_job to "${appRole}";

alter table image
  add column scan_error     text check (length(scan_error) <= 4000),
  add column scan_failed_at timestamptz,
  add column findings_state text check (length(findings_state) <= 64);
comment on column image.findings_state is 'SHA-256 over the open findings a match wrote (key and state of each): a re-match that computes the same digest has nothing to write and skips reading them. Anything else that changes an image''s findings clears it.';
comment on column image.scan_error is 'Why the last scan failed for good (after its retries); cleared by the next successful scan.';

-- Registries throttle (ACR by SKU): each connection limits the requests one instance makes to it at a time and per second.
alter table registry_connection
  add column max_concurrent_requests int not null default 8 check (max_concurrent_requests between 1 and 64),
  add column requests_per_second     int not null default 20 check (requests_per_second between 1 and 1000),
  alter column discovery_interval set default interval '15 minutes';

-- Freshness objectives: a new digest is scanned within scan_objective of being found; every image is re-matched within
-- rematch_objective of an advisory change.
alter table tenant
  add column scan_objective    interval not null default interval '15 minutes'
    check (scan_objective between interval '1 minute' and interval '7 days'),
  add column rematch_objective interval not null default interval '24 hours'
    check (rematch_objective between interval '5 minutes' and interval '30 days');
grant update (scan_objective, rematch_objective) on tenant to "${appRole}";

-- The last time the advisories changed (an import that added, changed or withdrew records): re-match freshness is
-- measured from it. Reference data, readable by everyone.
create view advisories_changed as
  select max(changed_at) as changed_at from advisory_source_state;
grant select on advisories_changed to "${appRole}";

-- The discovery schedule works across tenants: which images were found but never scanned and have no job (a job that
-- was lost, or images found before scanning was enabled), and nothing else about them.
create function images_awaiting_scan(p_limit int)
  returns table (tenant_id uuid, image_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select i.tenant_id, i.id from image i
   where i.analysed_at is null and i.scan_failed_at is null and i.gone_at is null and not i.is_index
     and not exists (select 1 from scan_job j where j.image_id = i.id and j.status in ('QUEUED', 'RUNNING', 'RETRYING'))
   order by i.first_seen_at
   limit p_limit
$$;
revoke all on function images_awaiting_scan(int) from public;
grant execute on function images_awaiting_scan(int) to "${appRole}";
create policy scan_directory on scan_job for select to current_user using (true);
