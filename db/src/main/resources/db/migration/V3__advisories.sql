-- Advisories: OSV records of the configured ecosystems, EPSS scores and the CISA KEV catalogue, with the import runs
-- that keep them current. This is reference data, the same for every tenant: no tenant_id, no row-level security. The
-- importer runs without a tenant; tenant-owned tables stay closed to it all the same, because their policies fail when
-- no tenant is set.

-- One OSV record. Only a newer `modified` replaces a stored record (of two copies of an id, the later one is
-- authoritative), so re-reading an unchanged export writes nothing.
create table advisory (
  id                text primary key check (length(id) between 1 and 256),
  modified          timestamptz not null,
  published         timestamptz,
  withdrawn         timestamptz,
  schema_version    text check (length(schema_version) <= 64),
  summary           text,
  details           text,
  severity          jsonb not null default '[]' check (jsonb_typeof(severity) = 'array'),
  severity_word     text check (length(severity_word) <= 32),
  refs              jsonb not null default '[]' check (jsonb_typeof(refs) = 'array'),
  database_specific jsonb check (jsonb_typeof(database_specific) = 'object'),
  imported_at       timestamptz not null default now()
);
comment on table advisory is 'OSV records as published (reference data, no tenant). A withdrawn record is kept, flagged, and matches nothing.';
comment on column advisory.severity is 'The record''s severity list as in OSV: [{"type": "CVSS_V3", "score": "CVSS:3.1/..."}].';
comment on column advisory.severity_word is 'The database''s own label (GitHub''s MODERATE, Ubuntu''s medium, Debian''s urgency), when it gives one.';
comment on column advisory.refs is 'The record''s references as in OSV: [{"type": "ADVISORY", "url": "..."}].';

-- The other ids a record names: its aliases, the upstream vulnerabilities a distribution advisory bundles, and related
-- ones. Looking a CVE up here finds every record about it (EPSS and KEV are keyed by CVE).
create table advisory_alias (
  advisory_id text not null references advisory (id) on delete cascade,
  relation    text not null check (relation in ('ALIAS', 'UPSTREAM', 'RELATED')),
  alias       text not null check (length(alias) between 1 and 256),
  primary key (advisory_id, relation, alias)
);
create index advisory_alias_by_alias on advisory_alias (alias);

-- One entry of a record's `affected` list, with the ecosystem split at its first colon: `Debian:12` is ecosystem
-- Debian, release 12; `Ubuntu:Pro:18.04:LTS` is Ubuntu, Pro:18.04:LTS; `Go` is Go with an empty release. Ranges stay
-- in one jsonb array on the row, in OSV's own shape and order, because a matcher always needs all of them at once:
-- one index lookup by (ecosystem, release, package_name) returns every entry for a package with everything needed to
-- evaluate it, with no join and no reassembly of events. `withdrawn` repeats the record's flag so that lookup need
-- not join advisory either:
--
--   select advisory_id, ranges, versions from affected
--    where ecosystem = ? and release = ? and package_name = ? and not withdrawn
--
-- Entries without a package (git commit ranges only) are not stored: nothing can look them up by package.
create table affected (
  advisory_id        text not null references advisory (id) on delete cascade,
  ordinal            int not null check (ordinal >= 0),
  ecosystem          text not null check (length(ecosystem) between 1 and 1024),
  release            text not null default '' check (length(release) <= 1024),
  package_name       text not null check (length(package_name) <= 1024),
  purl               text check (length(purl) <= 8192),
  withdrawn          boolean not null,
  ranges             jsonb not null default '[]' check (jsonb_typeof(ranges) = 'array'),
  versions           text[] not null default '{}',
  severity           jsonb not null default '[]' check (jsonb_typeof(severity) = 'array'),
  ecosystem_specific jsonb check (jsonb_typeof(ecosystem_specific) = 'object'),
  database_specific  jsonb check (jsonb_typeof(database_specific) = 'object'),
  primary key (advisory_id, ordinal)
);
create index affected_by_package on affected (ecosystem, release, package_name);
comment on table affected is 'The packages an advisory affects; ordinal is the entry''s place in the record''s affected list.';
comment on column affected.release is 'What followed the first colon of the OSV ecosystem: a distribution release, or for Maven and Packagist a repository URL; empty when none.';
comment on column affected.ranges is 'The entry''s ranges as in OSV, events in the record''s order: [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2-3"}]}].';

-- EPSS (FIRST's Exploit Prediction Scoring System): the probability of exploitation in the next 30 days, per CVE,
-- replaced as a whole by each day's file.
create table epss_score (
  cve        text primary key check (cve ~ '^CVE-[0-9]{4}-[0-9]{4,}$'),
  epss       real not null check (epss between 0 and 1),
  percentile real not null check (percentile between 0 and 1)
);

-- CISA's catalogue of Known Exploited Vulnerabilities, replaced as a whole by each new catalogue.
create table kev_entry (
  cve                  text primary key check (cve ~ '^CVE-[0-9]{4}-[0-9]{4,}$'),
  vendor_project       text check (length(vendor_project) <= 500),
  product              text check (length(product) <= 500),
  vulnerability_name   text check (length(vulnerability_name) <= 1000),
  date_added           date not null,
  due_date             date,
  known_ransomware_use boolean not null,
  short_description    text check (length(short_description) <= 10000),
  required_action      text check (length(required_action) <= 10000)
);

-- One import of one feed: an OSV ecosystem, EPSS or KEV. Shown to administrators of every tenant, so it names no
-- person (who asked for a manual import is in that tenant's own audit log).
create table advisory_import (
  id               bigint generated always as identity primary key,
  feed             text not null check (feed in ('OSV', 'EPSS', 'KEV')),
  ecosystem        text not null default '' check (length(ecosystem) <= 100),
  trigger          text not null check (trigger in ('SCHEDULE', 'MANUAL')),
  status           text not null check (status in ('RUNNING', 'SUCCEEDED', 'NOT_MODIFIED', 'FAILED')),
  started_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  finished_at      timestamptz,
  records_read     int not null default 0,
  imported         int not null default 0,
  unchanged        int not null default 0,
  withdrawn        int not null default 0,
  rejected         int not null default 0,
  stored           int,
  stored_withdrawn int,
  reasons          jsonb not null default '[]' check (jsonb_typeof(reasons) = 'array'),
  error            text check (length(error) <= 4000)
);
comment on column advisory_import.withdrawn is 'Of the records imported (new or changed) by this run, how many are withdrawn.';
comment on column advisory_import.stored is 'Records stored for this ecosystem (or rows for EPSS and KEV) when the run ended.';
comment on column advisory_import.reasons is 'The first rejected records and why: [{"record": "PYSEC-2021-371", "reason": "..."}].';
-- One import at a time per feed, across every replica.
create unique index advisory_import_one_running on advisory_import (feed, ecosystem) where status = 'RUNNING';
create index advisory_import_recent on advisory_import (feed, ecosystem, started_at desc);

-- What each feed's source last answered, for conditional requests (ETag, Last-Modified) and for the schedule.
create table advisory_source_state (
  feed          text not null check (feed in ('OSV', 'EPSS', 'KEV')),
  ecosystem     text not null default '' check (length(ecosystem) <= 100),
  etag          text check (length(etag) <= 1000),
  last_modified text check (length(last_modified) <= 100),
  version       text check (length(version) <= 200),
  max_modified  timestamptz,
  checked_at    timestamptz,
  changed_at    timestamptz,
  primary key (feed, ecosystem)
);
comment on column advisory_source_state.version is 'What the feed says of itself: EPSS model version and score date, KEV catalogue version.';
comment on column advisory_source_state.max_modified is 'The newest modified time of an OSV record stored from this ecosystem.';

grant select, insert, update, delete on advisory, advisory_alias, affected, epss_score, kev_entry, advisory_import,
  advisory_source_state to "${appRole}";
