package io.portcullis.findings.internal;

import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.matching.AdvisorySource;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The advisories in PostgreSQL as the matchers read them: one indexed lookup per (ecosystem, release, package) on
 * {@code affected}, with the record's aliases. Reference data, the same for every tenant, so one instance may serve a
 * whole re-matching run and remembers each lookup: images share most of their packages.
 */
final class StoredAdvisories implements AdvisorySource {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final Map<String, List<Candidate>> cache = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();

  StoredAdvisories(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** How many lookups went to the database (the rest came from memory). */
  int lookups() {
    return lookups.get();
  }

  @Override
  public List<Candidate> affecting(String ecosystem, String nameKey) {
    return cache.computeIfAbsent(ecosystem + "\u0000" + nameKey, k -> load(ecosystem, nameKey));
  }

  private List<Candidate> load(String ecosystem, String nameKey) {
    lookups.incrementAndGet();
    int colon = ecosystem.indexOf(':');
    String base = colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    String release = colon < 0 ? "" : ecosystem.substring(colon + 1);
    return jdbc.sql(
            """
            select f.advisory_id, f.package_name, f.purl, f.ranges::text as ranges, f.versions,
                   coalesce((select array_agg(a.alias order by a.alias) from advisory_alias a
                              where a.advisory_id = f.advisory_id and a.relation = 'ALIAS'), '{}') as aliases
              from affected f
             where f.ecosystem = :ecosystem and f.release = :release and f.name_key = :name and not f.withdrawn
             order by f.advisory_id, f.ordinal
            """)
        .param("ecosystem", base)
        .param("release", release)
        .param("name", nameKey)
        .query((rs, i) -> new Candidate(
            rs.getString("advisory_id"),
            strings(rs.getArray("aliases")),
            new OsvRecord.Affected(
                new OsvRecord.AffectedPackage(ecosystem, rs.getString("package_name"), rs.getString("purl")),
                List.of(), ranges(rs.getString("ranges")), strings(rs.getArray("versions")), null, null)))
        .list();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  /** The ranges as stored, in OSV's own shape; a range of a type this version does not know is left out. */
  static List<OsvRecord.Range> ranges(String json) {
    List<OsvRecord.Range> ranges = new ArrayList<>();
    for (JsonNode range : JSON.readTree(json)) {
      OsvRecord.RangeType type;
      try {
        type = OsvRecord.RangeType.valueOf(range.path("type").asString());
      } catch (IllegalArgumentException e) {
        continue;
      }
      List<OsvRecord.Event> events = new ArrayList<>();
      for (JsonNode event : range.path("events")) {
        for (OsvRecord.EventKind kind : OsvRecord.EventKind.values()) {
          JsonNode value = event.get(kind.field());
          if (value != null && value.isString()) {
            events.add(new OsvRecord.Event(kind, value.asString()));
          }
        }
      }
      String repo = range.hasNonNull("repo") ? range.get("repo").asString() : null;
      ranges.add(new OsvRecord.Range(type, repo, events, null));
    }
    return ranges;
  }
}
