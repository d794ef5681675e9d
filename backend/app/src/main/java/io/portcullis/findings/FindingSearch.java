package io.portcullis.findings;

import io.portcullis.tenancy.Like;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds the tenant in scope's findings by what a security team asks: severity, KEV, fixable, EPSS, ecosystem, package,
 * vulnerability id or alias, registry, repository, image, triage state. Sorted by risk (docs/risk.md) or another key,
 * paged by page number (pages) or after a given finding (the API's cursor: stable while findings change).
 */
@Service
public class FindingSearch {

  public static final Set<String> STATES =
      Set.of("open", "in_triage", "accepted_risk", "false_positive", "not_affected", "fixed", "all");
  public static final Set<String> SORTS = Set.of("risk", "severity", "epss", "opened", "package");
  static final int MAX_TEXT = 200;

  private final JdbcClient jdbc;

  FindingSearch(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * What to look for; null or empty means "any". {@code state} {@code open} (the default) is what still counts:
   * open findings nobody has decided away (open or in triage).
   */
  public record Query(List<String> severities, Boolean kev, Boolean fixable, Double minEpss, String ecosystem,
      String packageName, String text, UUID registry, UUID repository, UUID image, String state, String sort,
      String repositoryName) {

    public Query {
      severities = severities == null ? List.of()
          : severities.stream().filter(Findings.SEVERITIES::contains).distinct().toList();
      state = state == null || !STATES.contains(state) ? "open" : state;
      sort = sort == null || !SORTS.contains(sort) ? "risk" : sort;
      text = clip(text);
      packageName = clip(packageName);
      repositoryName = clip(repositoryName);
      ecosystem = clip(ecosystem);
      if (minEpss != null && (minEpss.isNaN() || minEpss < 0 || minEpss > 1)) {
        minEpss = null;
      }
    }

    /** Any repository by name. */
    public Query(List<String> severities, Boolean kev, Boolean fixable, Double minEpss, String ecosystem,
        String packageName, String text, UUID registry, UUID repository, UUID image, String state, String sort) {
      this(severities, kev, fixable, minEpss, ecosystem, packageName, text, registry, repository, image, state, sort,
          null);
    }

    public static Query all() {
      return new Query(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String clip(String value) {
      if (value == null || value.isBlank()) {
        return null;
      }
      String v = value.strip();
      return v.length() > MAX_TEXT ? v.substring(0, MAX_TEXT) : v;
    }
  }

  /** One finding as a list shows it, with the image and repository it is in and its risk now. */
  public record Row(UUID id, UUID imageId, String digest, UUID repositoryId, String repository, UUID registryId,
      String registry, String vulnerability, List<String> identifiers, String packageType, String packageName,
      String packageVersion, String fixedVersion, String severity, BigDecimal cvssScore, Float epss, boolean kev,
      String status, String triage, Instant openedAt, Instant fixedAt, int risk) {

    /** What a person sees as the state: fixed when matching closed it, otherwise the triage state. */
    public String state() {
      return status.equals("FIXED") ? "FIXED" : triage;
    }
  }

  /** A page of results and how many there are in all. */
  public record Page(List<Row> rows, long total, int page, int size) {

    public int pages() {
      return (int) Math.max(1, (total + size - 1) / size);
    }
  }


  @Transactional(readOnly = true)
  public Page page(Query query, int page, int size) {
    int limit = Math.min(Math.max(size, 1), 200);
    int number = Math.max(page, 1);
    Sql sql = where(query);
    List<Object> params = new ArrayList<>(sql.params());
    params.add(limit);
    params.add((long) (number - 1) * limit);
    // the page is chosen from the findings' risk inputs alone (an index-only scan), counted in the same pass, and only
    // its rows are then read whole and joined to their images
    long[] total = {-1};
    List<Row> rows = jdbc.sql(sql.visible() + ", top as (select f.id, " + RISK + " as risk, count(*) over () as total"
            + " from finding f" + sql.where() + " order by " + order(query.sort()) + " limit ? offset ?) "
            + SELECT_TOP + " order by " + order(query.sort()))
        .params(params)
        .query((rs, i) -> {
          total[0] = rs.getLong("total");
          return row(rs, i);
        })
        .list();
    if (total[0] < 0) {
      total[0] = jdbc.sql(sql.visible() + "select count(*) from finding f" + sql.where())
          .params(sql.params()).query(Long.class).single();
    }
    return new Page(rows, total[0], number, limit);
  }

  /**
   * At most {@code fetch} results after the finding ({@code afterRisk}, {@code afterId}) — null for the first —
   * sorted by risk, then id: the order a ticketing system reads in, stable while findings change.
   */
  @Transactional(readOnly = true)
  public List<Row> after(Query query, Integer afterRisk, UUID afterId, int fetch) {
    Sql sql = where(query);
    StringBuilder where = new StringBuilder(sql.where());
    List<Object> params = new ArrayList<>(sql.params());
    if (afterRisk != null && afterId != null) {
      where.append(" and (").append(RISK).append(", f.id) < (?, ?)");
      params.add(afterRisk);
      params.add(afterId);
    }
    params.add(Math.min(Math.max(fetch, 1), 501));
    return jdbc.sql(sql.visible() + ", top as (select f.id, " + RISK + " as risk, 0 as total from finding f"
            + where + " order by risk desc, f.id desc limit ?) " + SELECT_TOP + " order by risk desc, f.id desc")
        .params(params).query(FindingSearch::row).list();
  }

  /** A registry, as the filter offers it. */
  public record RegistryChoice(UUID id, String name) {}

  /** The tenant's registries, for the filter's choices. */
  @Transactional(readOnly = true)
  public List<RegistryChoice> registries() {
    return jdbc.sql("select id, name from registry_connection order by lower(name)")
        .query((rs, i) -> new RegistryChoice(rs.getObject(1, UUID.class), rs.getString(2))).list();
  }

  /**
   * How people name what a query is narrowed to — a repository, or an image as {@code repository@digest} — or
   * "an unknown …" for an id the tenant does not have; empty when the query names neither.
   */
  @Transactional(readOnly = true)
  public Optional<String> scope(Query query) {
    if (query.image() != null) {
      return Optional.of(jdbc.sql("select r.name || '@' || substr(i.digest, 8, 12) from image i"
              + " join container_repository r on r.id = i.repository_id where i.id = ?")
          .param(query.image()).query(String.class).optional().orElse("an unknown image"));
    }
    if (query.repository() != null) {
      return Optional.of(jdbc.sql("select name from container_repository where id = ?")
          .param(query.repository()).query(String.class).optional().orElse("an unknown repository"));
    }
    return Optional.empty();
  }

  /** The ecosystems (package types) the tenant's findings have, for the filter's choices. */
  @Transactional(readOnly = true)
  public List<String> ecosystems() {
    return jdbc.sql("select distinct package_type from finding order by 1").query(String.class).list();
  }

  private static final String RISK = RiskOverview.RISK;

  private static final String SELECT =
      """
      select f.id, f.image_id, i.digest, r.id as repository_id, r.name as repository, c.id as registry_id,
             c.name as registry, f.vulnerability, f.identifiers, f.package_type, f.package_name, f.package_version,
             f.fixed_version, f.severity, f.cvss_score, f.epss, f.kev, f.status, f.triage, f.opened_at, f.fixed_at,
      """ + RISK + " as risk ";

  /** The chosen findings ({@code top}: id, risk, total) read whole, with their images, repositories and registries. */
  private static final String SELECT_TOP =
      """
      select f.id, f.image_id, i.digest, r.id as repository_id, r.name as repository, c.id as registry_id,
             c.name as registry, f.vulnerability, f.identifiers, f.package_type, f.package_name, f.package_version,
             f.fixed_version, f.severity, f.cvss_score, f.epss, f.kev, f.status, f.triage, f.opened_at, f.fixed_at,
             t.risk, t.total
        from top t join finding f on f.id = t.id join image i on i.id = f.image_id
             join container_repository r on r.id = i.repository_id
             join registry_connection c on c.id = r.connection_id
      """;

  private static final String FROM =
      """
       from finding f join image i on i.id = f.image_id
            join container_repository r on r.id = i.repository_id
            join registry_connection c on c.id = r.connection_id
      """;

  /** {@code visible}: a CTE of the images the query may show (current, and in the chosen registry, repository, image). */
  private record Sql(String visible, String where, List<Object> params) {}

  private static Sql where(Query q) {
    List<Object> params = new ArrayList<>();
    StringBuilder visible = new StringBuilder(
        "with visible as (select i.id from image i join container_repository r on r.id = i.repository_id"
            + " where i.gone_at is null");
    if (q.registry() != null) {
      visible.append(" and r.connection_id = ?");
      params.add(q.registry());
    }
    if (q.repository() != null) {
      visible.append(" and r.id = ?");
      params.add(q.repository());
    }
    if (q.image() != null) {
      visible.append(" and i.id = ?");
      params.add(q.image());
    }
    if (q.repositoryName() != null) {
      visible.append(" and r.name ilike ? escape '\\'");
      params.add(Like.containing(q.repositoryName()));
    }
    visible.append(") ");
    StringBuilder where = new StringBuilder(" where f.image_id in (select id from visible)");
    switch (q.state()) {
      case "open" -> where.append(" and f.status = 'OPEN' and f.triage in ('OPEN', 'IN_TRIAGE')");
      case "fixed" -> where.append(" and f.status = 'FIXED'");
      case "all" -> { }
      default -> {
        where.append(" and f.status = 'OPEN' and f.triage = ?");
        params.add(q.state().toUpperCase());
      }
    }
    if (!q.severities().isEmpty()) {
      where.append(" and f.severity = any(?)");
      params.add(q.severities().toArray(String[]::new));
    }
    if (q.kev() != null) {
      where.append(" and f.kev = ?");
      params.add(q.kev());
    }
    if (q.fixable() != null) {
      where.append(q.fixable() ? " and f.fixed_version is not null" : " and f.fixed_version is null");
    }
    if (q.minEpss() != null) {
      where.append(" and f.epss >= ?");
      params.add(q.minEpss().floatValue());
    }
    if (q.ecosystem() != null) {
      where.append(" and f.package_type = ?");
      params.add(q.ecosystem());
    }
    if (q.packageName() != null) {
      where.append(" and f.package_name ilike ? escape '\\'");
      params.add(Like.containing(q.packageName()));
    }
    if (q.text() != null) {
      // a vulnerability id or alias (CVE-2021-44228 finds the GHSA and the DSA that name it) or a package: one pattern
      // over the three joined by line breaks, which a search box does not send, so a match never spans two of them
      where.append(" and concat_ws(E'\\n', f.vulnerability, array_to_string(f.identifiers, E'\\n'), f.package_name)"
          + " ilike ? escape '\\'");
      params.add(Like.containing(q.text().replace("\n", " ").replace("\r", " ")));
    }
    return new Sql(visible.toString(), where.toString(), params);
  }

  private static String order(String sort) {
    return switch (sort) {
      case "severity" -> "array_position(array['CRITICAL','HIGH','MEDIUM','LOW','UNKNOWN','NONE'], f.severity),"
          + " f.cvss_score desc nulls last, f.id";
      case "epss" -> "f.epss desc nulls last, f.id";
      case "opened" -> "f.opened_at desc, f.id";
      case "package" -> "f.package_name, f.package_version, f.id";
      default -> "risk desc, f.id desc";
    };
  }

  static Row row(ResultSet rs, int i) throws SQLException {
    Array identifiers = rs.getArray("identifiers");
    return new Row(rs.getObject("id", UUID.class), rs.getObject("image_id", UUID.class), rs.getString("digest"),
        rs.getObject("repository_id", UUID.class), rs.getString("repository"), rs.getObject("registry_id", UUID.class),
        rs.getString("registry"), rs.getString("vulnerability"),
        identifiers == null ? List.of() : Arrays.asList((String[]) identifiers.getArray()),
        rs.getString("package_type"), rs.getString("package_name"), rs.getString("package_version"),
        rs.getString("fixed_version"), rs.getString("severity"), rs.getBigDecimal("cvss_score"),
        (Float) rs.getObject("epss"), rs.getBoolean("kev"), rs.getString("status"), rs.getString("triage"),
        rs.getTimestamp("opened_at").toInstant(),
        rs.getTimestamp("fixed_at") == null ? null : rs.getTimestamp("fixed_at").toInstant(), rs.getInt("risk"));
  }

  /** The parts of a finding's risk now: why it scores what it scores. */
  public record RiskParts(double severity, double threat, double fix, double age, double exposure, int total) {}

  @Transactional(readOnly = true)
  public Optional<Row> find(UUID findingId) {
    return jdbc.sql(SELECT + FROM + " where f.id = ?").param(findingId).query(FindingSearch::row).optional();
  }

  @Transactional(readOnly = true)
  public Optional<RiskParts> risk(UUID findingId) {
    return jdbc.sql(
            """
            select (p).severity_points, (p).threat_points, (p).fix_points, (p).age_points, (p).exposure_points, (p).total
              from (select finding_risk_parts(severity, cvss_score, epss, kev, fixed_version, opened_at, now()) as p
                      from finding where id = ?) parts
            """)
        .param(findingId)
        .query((rs, i) -> new RiskParts(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
            rs.getDouble(5), rs.getInt(6)))
        .optional();
  }
}
