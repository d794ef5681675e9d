package io.portcullis.advisories.internal;

import static io.portcullis.advisories.internal.OsvMirror.record;
import static io.portcullis.advisories.internal.OsvMirror.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.advisories.Advisories;
import io.portcullis.advisories.Advisories.AffectedEntry;
import io.portcullis.advisories.AdvisoryTest;
import io.portcullis.advisories.internal.ImportRunner.Job;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import io.portcullis.scanner.advisory.OsvArchive;
import io.portcullis.scanner.advisory.OsvParser;
import io.portcullis.scanner.advisory.OsvParser.Accepted;
import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.EventKind;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * OSV imports against the real database: every record of the shared exports, incremental refreshes, withdrawn records,
 * broken archives and entries, and the importer's place outside tenancy.
 */
@AdvisoryTest
class OsvImportTests {

  /** The shared export folders, in the order they are imported (records shared by two folders count once). */
  static final List<String> SHARED =
      List.of("Go", "PyPI", "AlmaLinux:8", "AlmaLinux:9", "AlmaLinux:10", "Bitnami", "osv-dev-served", "GHSA-sample");

  @Autowired OsvImport osv;
  @Autowired ImportRunner runner;
  @Autowired Advisories advisories;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired Tenants tenants;
  @Autowired @FlywayDataSource DataSource ownerDataSource;

  @BeforeAll
  static void mirror() {
    OsvMirror.linkSharedExports();
  }

  @Test
  void everyRecordOfTheSharedExportsIsStoredOrRejectedWithItsReason() throws IOException {
    // what the strict parser makes of each folder, to compare the database with (the parser itself is checked
    // against the reference validator's results in the scanner's corpus test)
    OsvParser parser = OsvParser.withDefaults();
    Map<String, int[]> expected = new LinkedHashMap<>();
    Map<String, OsvRecord> distinct = new HashMap<>();
    for (String folder : SHARED) {
      int read = 0;
      int rejected = 0;
      int withdrawn = 0;
      Path zip = OsvMirror.ROOT.resolve(folder).resolve("all.zip");
      try (OsvArchive archive = OsvArchive.open(zip, OsvArchive.Limits.DEFAULT)) {
        for (var entries = archive.entries(); entries.hasNext(); ) {
          read++;
          if (parser.parse(((OsvArchive.Json) entries.next()).bytes()) instanceof Accepted accepted) {
            withdrawn += accepted.record().isWithdrawn() ? 1 : 0;
            distinct.putIfAbsent(accepted.record().id(), accepted.record());
          } else {
            rejected++;
          }
        }
      }
      expected.put(folder, new int[] {read, rejected, withdrawn});
    }
    assertThat(expected.get("Go")).containsExactly(4291, 0, 17);
    assertThat(expected.get("PyPI")).containsExactly(2661, 7, 10);
    assertThat(expected.values().stream().mapToInt(e -> e[0]).sum()).isEqualTo(20_439);
    assertThat(distinct).hasSize(20_396 - 7);

    for (String folder : SHARED) {
      long started = System.nanoTime();
      // read in full even when another test imported the folder first
      long runId = osv.run(folder, Trigger.MANUAL, true).orElseThrow();
      Map<String, Object> run = run(runId);
      int[] counts = expected.get(folder);
      assertThat(run.get("status")).as(folder).isEqualTo("SUCCEEDED");
      assertThat(run.get("records_read")).as(folder).isEqualTo(counts[0]);
      assertThat(run.get("rejected")).as(folder).isEqualTo(counts[1]);
      assertThat((int) run.get("imported") + (int) run.get("unchanged")).as(folder).isEqualTo(counts[0] - counts[1]);
      assertThat(run.get("stored")).as(folder).isEqualTo(counts[0] - counts[1]);
      assertThat(run.get("stored_withdrawn")).as(folder).isEqualTo(counts[2]);
      System.out.printf("%s: %d records in %.1f s%n", folder, counts[0], (System.nanoTime() - started) / 1e9);
    }
    assertThat(run(latest("Go")).get("withdrawn")).isEqualTo(17);
    // the seven PyPI records the OSV schema refuses, each with its reason
    Map<String, Object> pypi = run(latest("PyPI"));
    assertThat(pypi.get("reasons").toString())
        .contains("PYSEC-2021-371", "PYSEC-2017-27", "is not a full-length commit hash");

    // the database holds exactly what was accepted: one row per distinct record, one per packaged affected entry
    long entries = distinct.values().stream().flatMap(r -> r.affected().stream()).filter(a -> a.pkg() != null).count();
    String[] ids = distinct.keySet().toArray(String[]::new);
    assertThat(jdbc.sql("select count(*) from advisory where id = any(?)").param(ids).query(Long.class).single())
        .isEqualTo(distinct.size());
    assertThat(jdbc.sql("select count(*) from affected where advisory_id = any(?)").param(ids)
        .query(Long.class).single()).isEqualTo(entries);
    assertThat(jdbc.sql("select count(*) from advisory where id = any(?) and withdrawn is not null").param(ids)
        .query(Long.class).single()).isEqualTo(27);
    assertThat(count("select count(*) from affected where ecosystem = 'AlmaLinux' and release = '9'"))
        .isEqualTo(distinct.values().stream().flatMap(r -> r.affected().stream())
            .filter(a -> a.pkg() != null && a.pkg().ecosystem().equals("AlmaLinux:9")).count());

    // Log4Shell, as a matcher reads it
    List<AffectedEntry> log4j = advisories.affecting("Maven", "", "org.apache.logging.log4j:log4j-core");
    assertThat(log4j).extracting(AffectedEntry::advisoryId).contains("GHSA-jfh8-c2jp-5v3q");
    AffectedEntry log4shell =
        log4j.stream().filter(e -> e.advisoryId().equals("GHSA-jfh8-c2jp-5v3q")).findFirst().orElseThrow();
    assertThat(log4shell.ranges().get(0).events().get(0)).isEqualTo(new Event(EventKind.INTRODUCED, "2.13.0"));
    assertThat(jdbc.sql("select severity_word from advisory where id = 'GHSA-jfh8-c2jp-5v3q'")
        .query(String.class).single()).isEqualTo("CRITICAL");
    assertThat(jdbc.sql("select advisory_id from advisory_alias where alias = 'CVE-2021-44228'")
        .query(String.class).list()).contains("GHSA-jfh8-c2jp-5v3q");

    // the events of every stored range are those of the record, in its order
    OsvRecord alma = distinct.values().stream()
        .filter(r -> r.id().startsWith("ALSA-") && r.affected().size() > 3).findFirst().orElseThrow();
    var first = alma.affected().get(0);
    List<AffectedEntry> stored =
        advisories.affecting(first.pkg().ecosystemName(), first.pkg().release(), first.pkg().name());
    assertThat(stored).filteredOn(e -> e.advisoryId().equals(alma.id()) && e.ordinal() == 0)
        .singleElement().satisfies(e -> assertThat(e.ranges()).isEqualTo(first.ranges()));

    // withdrawn records are kept, flagged, and match nothing
    OsvRecord withdrawn = distinct.values().stream()
        .filter(r -> r.isWithdrawn() && r.id().startsWith("GO-") && !r.affected().isEmpty()).findFirst().orElseThrow();
    var gone = withdrawn.affected().get(0).pkg();
    assertThat(advisories.affecting("Go", "", gone.name())).extracting(AffectedEntry::advisoryId)
        .doesNotContain(withdrawn.id());
    assertThat(count("select count(*) from affected where advisory_id = '" + withdrawn.id() + "' and withdrawn"))
        .isEqualTo(withdrawn.affected().size());

    // a matcher's lookup is one scan of the package index
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    owner.sql("analyze affected").update();
    String plan =
        String.join("\n", owner.sql("explain select advisory_id, ordinal, purl, ranges, versions from affected"
                + " where ecosystem = 'PyPI' and release = '' and package_name = 'django' and not withdrawn")
            .query(String.class).list());
    assertThat(plan).contains("affected_by_package");

    // nothing changed: the mirror's file is as it was, so nothing is read
    long notModified = osv.run("Go", Trigger.SCHEDULE, false).orElseThrow();
    assertThat(run(notModified)).containsEntry("status", "NOT_MODIFIED").containsEntry("records_read", 0)
        .containsEntry("stored", 4291);
    // read again in full: every record unchanged, nothing written
    String before = jdbc.sql("select max(imported_at)::text from advisory").query(String.class).single();
    long reread = osv.run("PyPI", Trigger.MANUAL, true).orElseThrow();
    assertThat(run(reread)).containsEntry("status", "SUCCEEDED").containsEntry("imported", 0)
        .containsEntry("unchanged", 2654).containsEntry("rejected", 7);
    assertThat(jdbc.sql("select max(imported_at)::text from advisory").query(String.class).single()).isEqualTo(before);
  }

  @Test
  void anIncrementalImportWritesOnlyTheRecordsThatChanged() {
    String ecosystem = OsvMirror.ecosystem("incremental");
    String p = UUID.randomUUID().toString().substring(0, 8);
    String a = "GHSA-" + p + "-aaaa-aaaa";
    String b = "GHSA-" + p + "-bbbb-bbbb";
    String c = "GHSA-" + p + "-cccc-cccc";
    String pkg = "pkg-" + p;
    OsvMirror.write(ecosystem, records(
        record(a, "2024-01-01T00:00:00Z", "first a", pkg, "1.1.0"),
        record(b, "2024-01-01T00:00:00Z", "first b", pkg, "1.2.0"),
        record(c, "2024-01-01T00:00:00Z", "first c", pkg, "1.3.0")));
    assertThat(run(osv.run(ecosystem, Trigger.MANUAL, false).orElseThrow()))
        .containsEntry("imported", 3).containsEntry("unchanged", 0).containsEntry("stored", 3);

    // b changed, d is new, and the export's copy of c is older than the stored one
    String d = "GHSA-" + p + "-dddd-dddd";
    OsvMirror.write(ecosystem, records(
        record(a, "2024-01-01T00:00:00Z", "first a", pkg, "1.1.0"),
        record(b, "2024-02-01T00:00:00Z", "second b", pkg + "-renamed", "1.2.5"),
        record(c, "2023-12-01T00:00:00Z", "older c", pkg, "9.9.9"),
        record(d, "2024-02-01T00:00:00Z", "first d", pkg, "1.4.0")));
    assertThat(run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow()))
        .containsEntry("status", "SUCCEEDED").containsEntry("records_read", 4)
        .containsEntry("imported", 2).containsEntry("unchanged", 2).containsEntry("stored", 4);
    assertThat(jdbc.sql("select summary from advisory where id = ?").param(b).query(String.class).single())
        .isEqualTo("second b");
    assertThat(jdbc.sql("select summary from advisory where id = ?").param(c).query(String.class).single())
        .isEqualTo("first c");
    // b's old entry is gone with its old version, not left beside the new one
    assertThat(advisories.affecting("npm", "", pkg)).extracting(AffectedEntry::advisoryId).containsExactly(a, c, d);
    assertThat(advisories.affecting("npm", "", pkg + "-renamed")).singleElement()
        .satisfies(e -> assertThat(e.ranges().get(0).events().get(1)).isEqualTo(new Event(EventKind.FIXED, "1.2.5")));

    // a withdrawn copy replaces the record, which stays stored, flagged, and stops matching
    OsvMirror.write(ecosystem, records(
        record(a, "2024-03-01T00:00:00Z", "first a", pkg, "1.1.0")
            .replace("\"published\"", "\"withdrawn\": \"2024-03-01T00:00:00Z\", \"published\""),
        record(b, "2024-02-01T00:00:00Z", "second b", pkg + "-renamed", "1.2.5"),
        record(c, "2024-01-01T00:00:00Z", "first c", pkg, "1.3.0"),
        record(d, "2024-02-01T00:00:00Z", "first d", pkg, "1.4.0")));
    assertThat(run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow()))
        .containsEntry("imported", 1).containsEntry("withdrawn", 1).containsEntry("unchanged", 3)
        .containsEntry("stored_withdrawn", 1);
    assertThat(advisories.affecting("npm", "", pkg)).extracting(AffectedEntry::advisoryId).containsExactly(c, d);
    assertThat(jdbc.sql("select withdrawn is not null from advisory where id = ?").param(a)
        .query(Boolean.class).single()).isTrue();
  }

  @Test
  void brokenEntriesAreCountedWithTheirReasonsAndTheImportGoesOn() throws IOException {
    String ecosystem = OsvMirror.ecosystem("broken");
    String p = UUID.randomUUID().toString().substring(0, 8);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("GOOD.json", record("GHSA-" + p + "-good-good", "2024-01-01T00:00:00Z", "fine", "ok-" + p, "2.0.0")
        .getBytes(StandardCharsets.UTF_8));
    entries.put("NOT-JSON.json", "{\"id\": \"GHSA-x".getBytes(StandardCharsets.UTF_8));
    String huge = "{\"id\": \"X-1\", \"details\": \"" + " ".repeat(5 << 20) + "\"}";
    entries.put("HUGE.json", huge.getBytes(StandardCharsets.UTF_8));
    entries.put("NO-INTRODUCED.json", ("{\"id\": \"GHSA-" + p + "-nope-nope\", \"modified\": \"2024-01-01T00:00:00Z\","
        + " \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"x\"}, \"ranges\": [{\"type\": \"SEMVER\","
        + " \"events\": [{\"fixed\": \"1.0.0\"}]}]}]}").getBytes(StandardCharsets.UTF_8));
    entries.put("DAMAGED.json", ("{\"id\": \"GHSA-" + p + "-dmg\", \"details\": \"" + "abcdefghij".repeat(500) + "\"}")
        .getBytes(StandardCharsets.UTF_8));
    entries.put("README.md", "not a record".getBytes(StandardCharsets.UTF_8));
    Path zip = OsvMirror.write(ecosystem, entries);
    damage(zip, "DAMAGED.json");

    Map<String, Object> run = run(osv.run(ecosystem, Trigger.MANUAL, false).orElseThrow());
    assertThat(run).containsEntry("status", "SUCCEEDED").containsEntry("records_read", 5)
        .containsEntry("imported", 1).containsEntry("rejected", 4);
    String reasons = run.get("reasons").toString();
    assertThat(reasons)
        .contains("'NOT-JSON.json'", "not valid JSON")
        .contains("'HUGE.json'", "larger than 4194304 bytes")
        .contains("GHSA-" + p + "-nope-nope", "affected[0].ranges[0]: SEMVER range without an introduced event")
        .contains("'DAMAGED.json'", "damaged");
    assertThat(advisories.affecting("npm", "", "ok-" + p)).hasSize(1);
  }

  @Test
  void anArchiveThatCannotBeOpenedFailsTheRunAndKeepsWhatIsStored() throws IOException {
    String ecosystem = OsvMirror.ecosystem("corrupt");
    String id = "GHSA-" + UUID.randomUUID().toString().substring(0, 8) + "-keep-keep";
    OsvMirror.write(ecosystem, records(record(id, "2024-01-01T00:00:00Z", "kept", "kept-pkg", "1.0.1")));
    osv.run(ecosystem, Trigger.MANUAL, false);

    Files.writeString(OsvMirror.ROOT.resolve(ecosystem).resolve("all.zip"), "<html>Service Unavailable</html>");
    Map<String, Object> failed = run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow());
    assertThat(failed).containsEntry("status", "FAILED").containsEntry("stored", 1);
    assertThat(failed.get("error").toString()).startsWith("not a zip archive");
    assertThat(count("select count(*) from advisory where id = '" + id + "'")).isEqualTo(1);
    // the failed file is not remembered as read: the next run tries it again
    assertThat(run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow())).containsEntry("status", "FAILED");

    Map<String, Object> missing = run(osv.run(OsvMirror.ecosystem("missing"), Trigger.MANUAL, false).orElseThrow());
    assertThat(missing).containsEntry("status", "FAILED");
    assertThat(missing.get("error").toString()).startsWith("no file ");
  }

  @Test
  void theImporterWorksWithoutATenantAndStillReachesNoTenantData() {
    assertThat(TenantScope.current()).isEmpty();
    String ecosystem = OsvMirror.ecosystem("tenancy");
    String id = "GHSA-" + UUID.randomUUID().toString().substring(0, 8) + "-tnnt-tnnt";
    OsvMirror.write(ecosystem, records(record(id, "2024-01-01T00:00:00Z", "no tenant", "tenantless", "1.0.1")));
    runner.runNow(new Job(Feed.OSV, ecosystem), Trigger.MANUAL, false);
    assertThat(count("select count(*) from advisory where id = '" + id + "'")).isEqualTo(1);

    // the same kind of transaction, without a tenant, is refused by every tenant-owned table
    TransactionTemplate transaction = new TransactionTemplate(transactionManager);
    transaction.executeWithoutResult(status -> {
      assertThat(jdbc.sql("select count(*) from affected").query(Long.class).single()).isPositive();
      assertThatThrownBy(() -> jdbc.sql("select count(*) from app_user").query(Long.class).single())
          .isInstanceOf(DataAccessException.class)
          .rootCause().hasMessageContaining("no tenant is set for this transaction");
    });
    // and an import never runs on a thread that works for a tenant
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Importers", "test").tenantId();
    Job job = new Job(Feed.OSV, ecosystem);
    assertThatThrownBy(() -> TenantScope.runAs(tenant, () -> runner.runNow(job, Trigger.MANUAL, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("advisory imports run without a tenant");

    // reference tables: no tenant column, no row-level security, and the application role may use them
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    for (String table : List.of("advisory", "advisory_alias", "affected", "epss_score", "kev_entry", "advisory_import",
        "advisory_source_state")) {
      assertThat(owner.sql("select relrowsecurity from pg_class where relname = ?").param(table)
          .query(Boolean.class).single()).as(table).isFalse();
      assertThat(owner.sql("select count(*) from information_schema.columns where table_name = ?"
              + " and column_name = 'tenant_id'")
          .param(table).query(Long.class).single()).as(table).isZero();
      for (String privilege : List.of("select", "insert", "update", "delete")) {
        assertThat(owner.sql("select has_table_privilege('portcullis_app', ?, ?)").param(table).param(privilege)
            .query(Boolean.class).single()).as(table + " " + privilege).isTrue();
      }
    }
  }

  @Test
  void onlyOneImportOfAnEcosystemRunsAtATime() {
    String ecosystem = OsvMirror.ecosystem("concurrent");
    OsvMirror.write(ecosystem, records(record("GHSA-" + UUID.randomUUID().toString().substring(0, 8) + "-conc-conc",
        "2024-01-01T00:00:00Z", "one", "conc", "1.0.1")));
    jdbc.sql("insert into advisory_import (feed, ecosystem, trigger, status) values ('OSV', ?, 'SCHEDULE', 'RUNNING')")
        .param(ecosystem).update();
    assertThat(osv.run(ecosystem, Trigger.MANUAL, false)).isEmpty();
    // a run that stopped making progress belongs to a process that died: it is closed and a new one starts
    jdbc.sql("update advisory_import set updated_at = now() - interval '20 minutes' where ecosystem = ?")
        .param(ecosystem).update();
    assertThat(osv.run(ecosystem, Trigger.MANUAL, false)).isPresent();
    assertThat(jdbc.sql("select error from advisory_import where ecosystem = ? order by id limit 1").param(ecosystem)
        .query(String.class).single()).startsWith("abandoned");
  }

  private Map<String, Object> run(long id) {
    return jdbc.sql("select * from advisory_import where id = ?").param(id).query().singleRow();
  }

  private long latest(String ecosystem) {
    return jdbc.sql("select max(id) from advisory_import where feed = 'OSV' and ecosystem = ?").param(ecosystem)
        .query(Long.class).single();
  }

  private long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  /** Flips bytes inside the compressed data of {@code name}, so that it no longer inflates or fails its checksum. */
  private static void damage(Path zip, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 30 + wanted.length < bytes.length; i++) {
      // the local header (signature PK\3\4) of the entry, then its name, then its data
      if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4
          && java.util.Arrays.equals(java.util.Arrays.copyOfRange(bytes, i + 30, i + 30 + wanted.length), wanted)) {
        int data = i + 30 + wanted.length + ((bytes[i + 28] & 0xff) | (bytes[i + 29] & 0xff) << 8);
        for (int j = data + 5; j < data + 25; j++) {
          bytes[j] ^= 0x5a;
        }
        Files.write(zip, bytes);
        return;
      }
    }
    throw new IllegalStateException("no entry " + name);
  }
}
