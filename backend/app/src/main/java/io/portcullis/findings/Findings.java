package io.portcullis.findings;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The current tenant's findings, as pages and exports read them. */
@Repository
public class Findings {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Severities worst first, as findings are ordered. */
  public static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNKNOWN");

  private final JdbcClient jdbc;

  Findings(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * An image's state of analysis: when it was analysed and matched, its distribution, its package count, and its open
   * findings by severity (worst first, every severity present, zeros included).
   */
  public record ImageSummary(Instant analysedAt, Instant matchedAt, String os, long packages, Map<String, Long> open,
      long fixed, List<String> foreign) {

    public long openTotal() {
      return open.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Transactional(readOnly = true)
  public ImageSummary summary(UUID imageId) {
    Map<String, Long> open = new LinkedHashMap<>();
    SEVERITIES.forEach(s -> open.put(s, 0L));
    jdbc.sql("select severity, count(*) as n from finding where image_id = ? and status = 'OPEN' group by severity")
        .param(imageId)
        .query((rs, i) -> open.put(rs.getString("severity"), rs.getLong("n")))
        .list();
    return jdbc.sql(
            """
            select i.analysed_at, i.matched_at, i.os_name, i.os_id, i.os_version,
                   (select count(*) from image_package p where p.image_id = i.id) as packages,
                   (select count(*) from finding f where f.image_id = i.id and f.status = 'FIXED') as fixed,
                   i.foreign_packages
              from image i where i.id = ?
            """)
        .param(imageId)
        .query((rs, i) -> new ImageSummary(instant(rs.getTimestamp("analysed_at")), instant(rs.getTimestamp("matched_at")),
            rs.getString("os_name") != null ? rs.getString("os_name")
                : rs.getString("os_id") == null ? null : rs.getString("os_id") + " " + rs.getString("os_version"),
            rs.getLong("packages"), open, rs.getLong("fixed"), strings(rs.getArray("foreign_packages"))))
        .optional()
        .orElse(new ImageSummary(null, null, null, 0, open, 0, List.of()));
  }

  /** An image's first {@code limit} findings: open ones first, worst first, then by vulnerability and package. */
  @Transactional(readOnly = true)
  public List<Finding> ofImage(UUID imageId, boolean includeFixed, int limit) {
    return jdbc.sql(
            """
            select * from finding where image_id = :image and (:fixed or status = 'OPEN')
             order by status desc, array_position(array['CRITICAL','HIGH','MEDIUM','LOW','NONE','UNKNOWN'], severity),
                      kev desc, epss desc nulls last, vulnerability, package_name, id
             limit :limit
            """)
        .param("image", imageId)
        .param("fixed", includeFixed)
        .param("limit", limit)
        .query(Findings::map)
        .list();
  }

  static Finding map(ResultSet rs, int row) throws SQLException {
    List<Finding.Evidence> evidence = new ArrayList<>();
    for (JsonNode e : JSON.readTree(rs.getString("evidence"))) {
      evidence.add(new Finding.Evidence(text(e, "advisory"), text(e, "matcher"), text(e, "ecosystem"), text(e, "name"),
          text(e, "version"), text(e, "scheme"), text(e, "range"), text(e, "fixed")));
    }
    float epss = rs.getFloat("epss");
    Float epssValue = rs.wasNull() ? null : epss;
    float percentile = rs.getFloat("epss_percentile");
    Float percentileValue = rs.wasNull() ? null : percentile;
    return new Finding(
        rs.getObject("id", UUID.class), rs.getObject("image_id", UUID.class), rs.getString("vulnerability"),
        strings(rs.getArray("identifiers")), rs.getString("package_type"), rs.getString("package_name"),
        rs.getString("package_version"), rs.getString("package_purl"), rs.getString("package_path"),
        rs.getString("layer"), rs.getString("fixed_version"), rs.getString("severity"), rs.getBigDecimal("cvss_score"),
        rs.getString("cvss_vector"), epssValue, percentileValue, rs.getBoolean("kev"), rs.getString("summary"), evidence,
        rs.getString("status"), instant(rs.getTimestamp("opened_at")), instant(rs.getTimestamp("fixed_at")),
        instant(rs.getTimestamp("last_matched_at")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
