package io.portcullis.advisories;

import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.EventKind;
import io.portcullis.scanner.advisory.OsvRecord.Range;
import io.portcullis.scanner.advisory.OsvRecord.RangeType;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored advisories, as matchers read them. Reference data: no tenant is needed, and none is consulted.
 */
@Repository
public class Advisories {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One affected entry of a record that is not withdrawn, with what is needed to evaluate it.
   *
   * @param advisoryId the record's id
   * @param ordinal the entry's place in the record's {@code affected} list
   * @param purl the package URL the record gives, or null
   * @param ranges the ranges, events in the record's order
   * @param versions the versions the record lists one by one
   */
  public record AffectedEntry(String advisoryId, int ordinal, String purl, List<Range> ranges, List<String> versions) {}

  private final JdbcClient jdbc;

  Advisories(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Every entry that affects {@code packageName} in {@code ecosystem} and {@code release} (empty for ecosystems without
   * releases), from records that are not withdrawn: one lookup on the {@code affected_by_package} index.
   */
  @Transactional(readOnly = true)
  public List<AffectedEntry> affecting(String ecosystem, String release, String packageName) {
    return jdbc.sql(
            """
            select advisory_id, ordinal, purl, ranges, versions from affected
             where ecosystem = ? and release = ? and package_name = ? and not withdrawn
             order by advisory_id, ordinal
            """)
        .param(ecosystem)
        .param(release)
        .param(packageName)
        .query(Advisories::entry)
        .list();
  }

  /** How many records are stored, and how many of them are withdrawn. */
  public record Totals(long records, long withdrawn) {}

  @Transactional(readOnly = true)
  public Totals totals() {
    return jdbc.sql("select count(*) as records, count(withdrawn) as withdrawn from advisory")
        .query((rs, i) -> new Totals(rs.getLong("records"), rs.getLong("withdrawn")))
        .single();
  }

  private static AffectedEntry entry(ResultSet rs, int row) throws SQLException {
    List<Range> ranges = new ArrayList<>();
    for (JsonNode range : JSON.readTree(rs.getString("ranges"))) {
      List<Event> events = new ArrayList<>();
      for (JsonNode event : range.get("events")) {
        String field = event.propertyNames().iterator().next();
        EventKind kind = EventKind.valueOf(field.toUpperCase(Locale.ROOT));
        events.add(new Event(kind, event.get(field).stringValue()));
      }
      JsonNode databaseSpecific = range.get("database_specific");
      ranges.add(
          new Range(
              RangeType.valueOf(range.get("type").stringValue()),
              range.hasNonNull("repo") ? range.get("repo").stringValue() : null,
              events,
              databaseSpecific == null ? null : JSON.writeValueAsString(databaseSpecific)));
    }
    Array versions = rs.getArray("versions");
    return new AffectedEntry(
        rs.getString("advisory_id"),
        rs.getInt("ordinal"),
        rs.getString("purl"),
        ranges,
        Arrays.asList((String[]) versions.getArray()));
  }
}
