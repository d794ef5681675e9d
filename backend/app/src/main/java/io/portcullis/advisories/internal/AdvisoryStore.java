package io.portcullis.advisories.internal;

import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.advisory.OsvRecord.Affected;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.Range;
import io.portcullis.scanner.advisory.OsvRecord.Reference;
import io.portcullis.scanner.advisory.OsvRecord.Severity;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes OSV records: a batch at a time, in one transaction, only the records whose {@code modified} is newer than the
 * stored copy. A changed record is replaced whole (its affected entries and aliases are deleted and written again), so
 * no trace of an older version survives in what matchers read.
 *
 * <p>Batches of all imports take one transaction-scoped advisory lock: two ecosystems' exports often carry the same
 * record (a GitHub advisory for npm and Maven, {@code Debian} and {@code Debian:12}), and two replicas importing them
 * at once would otherwise both decide the record is new and both write its entries.
 */
@Component
class AdvisoryStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What one batch did. */
  record Written(int imported, int unchanged, int withdrawn) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  AdvisoryStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /** Stores the records of {@code batch} that are new or newer than what is stored. */
  Written store(List<OsvRecord> batch) {
    // of two copies of an id in one batch, the later one is authoritative
    Map<String, OsvRecord> byId = new LinkedHashMap<>();
    for (OsvRecord record : batch) {
      byId.merge(record.id(), record, (a, b) -> b.modified().isAfter(a.modified()) ? b : a);
    }
    return transactions.execute(
        status -> {
          jdbc.queryForObject(
              "select pg_advisory_xact_lock(hashtextextended('advisory-import', 0))::text", String.class);
          Map<String, Instant> stored = new HashMap<>();
          jdbc.query(
              "select id, modified from advisory where id = any(?)",
              ps -> ps.setArray(1, textArray(ps.getConnection(), byId.keySet())),
              rs -> {
                // java.time, not java.sql.Timestamp: records dated 0001-01-01 (Go's zero time) must compare exactly
                stored.put(rs.getString("id"), rs.getObject("modified", OffsetDateTime.class).toInstant());
              });
          List<OsvRecord> changed = new ArrayList<>();
          for (OsvRecord record : byId.values()) {
            Instant current = stored.get(record.id());
            if (current == null || current.isBefore(micros(record.modified()))) {
              changed.add(record);
            }
          }
          if (!changed.isEmpty()) {
            write(changed, stored);
          }
          int withdrawn = (int) changed.stream().filter(OsvRecord::isWithdrawn).count();
          // of two copies of one id in a batch, the superseded one counts as unchanged
          return new Written(changed.size(), batch.size() - changed.size(), withdrawn);
        });
  }

  private void write(List<OsvRecord> changed, Map<String, Instant> stored) {
    List<String> replaced = changed.stream().map(OsvRecord::id).filter(stored::containsKey).toList();
    if (!replaced.isEmpty()) {
      jdbc.update(
          "delete from affected where advisory_id = any(?)",
          ps -> ps.setArray(1, textArray(ps.getConnection(), replaced)));
      jdbc.update(
          "delete from advisory_alias where advisory_id = any(?)",
          ps -> ps.setArray(1, textArray(ps.getConnection(), replaced)));
    }
    jdbc.batchUpdate(
        """
        insert into advisory (id, modified, published, withdrawn, schema_version, summary, details, severity,
                              severity_word, refs, database_specific, imported_at)
        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, now())
        on conflict (id) do update set
          modified = excluded.modified, published = excluded.published, withdrawn = excluded.withdrawn,
          schema_version = excluded.schema_version, summary = excluded.summary, details = excluded.details,
          severity = excluded.severity, severity_word = excluded.severity_word, refs = excluded.refs,
          database_specific = excluded.database_specific, imported_at = now()
        """,
        changed,
        changed.size(),
        (ps, record) -> {
          ps.setString(1, record.id());
          ps.setObject(2, timestamp(record.modified()));
          ps.setObject(3, timestamp(record.published()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(4, timestamp(record.withdrawn()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setString(5, record.schemaVersion());
          ps.setString(6, record.summary());
          ps.setString(7, record.details());
          ps.setString(8, severities(record.severity()));
          ps.setString(9, record.severityWord());
          ps.setString(10, references(record.references()));
          ps.setString(11, record.databaseSpecific());
        });

    List<Object[]> affected = new ArrayList<>();
    List<Object[]> aliases = new ArrayList<>();
    for (OsvRecord record : changed) {
      for (int i = 0; i < record.affected().size(); i++) {
        Affected entry = record.affected().get(i);
        if (entry.pkg() != null) {
          affected.add(new Object[] {record, i, entry});
        }
      }
      addAliases(aliases, record.id(), "ALIAS", record.aliases());
      addAliases(aliases, record.id(), "UPSTREAM", record.upstream());
      addAliases(aliases, record.id(), "RELATED", record.related());
    }
    jdbc.batchUpdate(
        """
        insert into affected (advisory_id, ordinal, ecosystem, release, package_name, purl, withdrawn, ranges, versions,
                              severity, ecosystem_specific, database_specific)
        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?::jsonb)
        """,
        affected,
        500,
        (ps, row) -> {
          OsvRecord record = (OsvRecord) row[0];
          Affected entry = (Affected) row[2];
          ps.setString(1, record.id());
          ps.setInt(2, (Integer) row[1]);
          ps.setString(3, entry.pkg().ecosystemName());
          ps.setString(4, entry.pkg().release());
          ps.setString(5, entry.pkg().name());
          ps.setString(6, entry.pkg().purl());
          ps.setBoolean(7, record.isWithdrawn());
          ps.setString(8, ranges(entry.ranges()));
          ps.setArray(9, textArray(ps.getConnection(), entry.versions()));
          ps.setString(10, severities(entry.severity()));
          ps.setString(11, entry.ecosystemSpecific());
          ps.setString(12, entry.databaseSpecific());
        });
    jdbc.batchUpdate(
        "insert into advisory_alias (advisory_id, relation, alias) values (?, ?, ?) on conflict do nothing",
        aliases,
        500,
        (ps, row) -> {
          ps.setObject(1, row[0]);
          ps.setObject(2, row[1]);
          ps.setObject(3, row[2]);
        });
  }

  private static void addAliases(List<Object[]> rows, String id, String relation, List<String> ids) {
    for (String alias : ids) {
      if (!alias.isEmpty()) {
        rows.add(new Object[] {id, relation, alias});
      }
    }
  }

  /** The ranges in OSV's own shape, so that what a matcher reads is what the record said. */
  static String ranges(List<Range> ranges) {
    ArrayNode array = JSON.createArrayNode();
    for (Range range : ranges) {
      ObjectNode node = array.addObject().put("type", range.type().name());
      if (range.repo() != null) {
        node.put("repo", range.repo());
      }
      ArrayNode events = node.putArray("events");
      for (Event event : range.events()) {
        events.addObject().put(event.kind().field(), event.version());
      }
      if (range.databaseSpecific() != null) {
        node.set("database_specific", JSON.readTree(range.databaseSpecific()));
      }
    }
    return JSON.writeValueAsString(array);
  }

  private static String severities(List<Severity> severities) {
    ArrayNode array = JSON.createArrayNode();
    for (Severity severity : severities) {
      array.addObject().put("type", severity.type()).put("score", severity.score());
    }
    return JSON.writeValueAsString(array);
  }

  private static String references(List<Reference> references) {
    ArrayNode array = JSON.createArrayNode();
    for (Reference reference : references) {
      array.addObject().put("type", reference.type()).put("url", reference.url());
    }
    return JSON.writeValueAsString(array);
  }

  /** PostgreSQL keeps microseconds; an instant is stored, and compared, at that precision. */
  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static Object timestamp(Instant instant) {
    return instant == null ? null : micros(instant).atOffset(ZoneOffset.UTC);
  }

  private static Array textArray(Connection connection, java.util.Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray());
  }
}
