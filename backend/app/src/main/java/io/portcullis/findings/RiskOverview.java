package io.portcullis.findings;

import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Risk rolled up for the tenant in scope (docs/risk.md): an image's risk is the worst of its riskiest finding that
 * counts (open, not decided away), its secrets and its configuration; a repository's and a registry's that of their
 * riskiest current image; the tenant's that of its riskiest image. Also the counts and the daily trend of the overview.
 */
@Service
public class RiskOverview {

  /** Findings that count: open and not decided away, in images the registry still has. */
  static final String COUNTING =
      " f.status = 'OPEN' and f.triage in ('OPEN', 'IN_TRIAGE') and i.gone_at is null ";
  /**
   * A finding's risk now (docs/risk.md), in a query that names the finding {@code f}: the one expression every list,
   * sort and roll-up uses.
   */
  static final String RISK = "finding_risk(f.severity, f.cvss_score, f.epss, f.kev, f.fixed_version, f.opened_at, now())";

  /**
   * Each current image with its risk — the worst of its counting findings, its secrets and its configuration — and its
   * counting findings' figures.
   */
  static final String IMAGE_RISK =
      """
      with image_risk as (
        select i.id as image_id, i.repository_id, r.connection_id, i.digest,
               greatest(coalesce(fs.risk, 0), i.secrets_risk, i.config_risk) as risk,
               coalesce(fs.n, 0) as findings, coalesce(fs.critical, 0) as critical, coalesce(fs.kev, 0) as kev
          from image i join container_repository r on r.id = i.repository_id
          left join lateral (
            select max(%s) as risk, count(*) as n, count(*) filter (where f.severity = 'CRITICAL') as critical,
                   count(*) filter (where f.kev) as kev
              from finding f where f.image_id = i.id and f.status = 'OPEN' and f.triage in ('OPEN', 'IN_TRIAGE')) fs
            on true
         where i.gone_at is null and not i.is_index
           and (fs.n > 0 or i.secrets_risk > 0 or i.config_risk > 0))
      """.formatted(RISK);

  private final JdbcClient jdbc;

  RiskOverview(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An image and its rolled-up risk. */
  public record ImageRisk(UUID imageId, UUID repositoryId, String repository, String registry, String digest, int risk,
      long findings, long critical, long kev) {}

  /** The tenant at a glance. */
  public record Totals(int risk, long findings, Map<String, Long> bySeverity, long kev, long fixable, long images,
      long riskyImages) {}

  @Transactional(readOnly = true)
  public Totals totals() {
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    Findings.SEVERITIES.forEach(s -> bySeverity.put(s, 0L));
    jdbc.sql("select f.severity, count(*) from finding f join image i on i.id = f.image_id where" + COUNTING
            + " group by f.severity")
        .query((rs, i) -> bySeverity.put(rs.getString(1), rs.getLong(2))).list();
    long[] counts = jdbc.sql("select count(*), count(*) filter (where f.kev),"
            + " count(*) filter (where f.fixed_version is not null) from finding f join image i on i.id = f.image_id"
            + " where" + COUNTING)
        .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
    return jdbc.sql(IMAGE_RISK + " select coalesce(max(risk), 0), count(*), count(*) filter (where risk >= 70)"
            + " from image_risk")
        .query((rs, i) -> new Totals(rs.getInt(1), counts[0], bySeverity, counts[1], counts[2], rs.getLong(2),
            rs.getLong(3)))
        .single();
  }

  /** The riskiest images (optionally of one repository or one registry), riskiest first. */
  @Transactional(readOnly = true)
  public List<ImageRisk> images(UUID repositoryId, UUID registryId, int limit) {
    return jdbc.sql(IMAGE_RISK +
            """
            select x.image_id, x.repository_id, r.name, c.name as registry, x.digest, x.risk, x.findings, x.critical,
                   x.kev
              from image_risk x join container_repository r on r.id = x.repository_id
                   join registry_connection c on c.id = x.connection_id
             where (cast(? as uuid) is null or x.repository_id = cast(? as uuid))
               and (cast(? as uuid) is null or x.connection_id = cast(? as uuid))
             order by x.risk desc, x.findings desc, x.image_id
             limit ?
            """)
        .params(repositoryId, repositoryId, registryId, registryId, Math.min(Math.max(limit, 1), 500))
        .query((rs, i) -> new ImageRisk(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
        .list();
  }

  /** A registry's or a repository's risk at a glance: the worst of its images, and what counts in them. */
  public record ScopeRisk(int risk, long findings, long critical, long kev, long images, long riskyImages) {}

  /** The risk of one registry ({@code registryId}) or one repository ({@code repositoryId}). */
  @Transactional(readOnly = true)
  public ScopeRisk scope(UUID registryId, UUID repositoryId) {
    return jdbc.sql(IMAGE_RISK +
            """
            select coalesce(max(risk), 0), coalesce(sum(findings), 0), coalesce(sum(critical), 0),
                   coalesce(sum(kev), 0), count(*), count(*) filter (where risk >= 70)
              from image_risk
             where (cast(? as uuid) is null or connection_id = cast(? as uuid))
               and (cast(? as uuid) is null or repository_id = cast(? as uuid))
            """)
        .params(registryId, registryId, repositoryId, repositoryId)
        .query((rs, i) -> new ScopeRisk(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6)))
        .single();
  }

  /** The risk of each of {@code imageIds} that has something that counts; the others are absent (their risk is 0). */
  @Transactional(readOnly = true)
  public Map<UUID, Integer> images(java.util.Collection<UUID> imageIds) {
    Map<UUID, Integer> risks = new LinkedHashMap<>();
    if (!imageIds.isEmpty()) {
      jdbc.sql(IMAGE_RISK + " select image_id, risk from image_risk where image_id = any(?)")
          .param(imageIds.toArray(UUID[]::new))
          .query((rs, i) -> risks.put(rs.getObject(1, UUID.class), rs.getInt(2))).list();
    }
    return risks;
  }

  /** Each repository of a registry with its risk (0 when nothing counts). */
  @Transactional(readOnly = true)
  public Map<UUID, Integer> repositories(UUID registryId) {
    Map<UUID, Integer> risks = new LinkedHashMap<>();
    jdbc.sql(IMAGE_RISK + " select repository_id, max(risk) from image_risk where connection_id = ?"
            + " group by repository_id")
        .param(registryId)
        .query((rs, i) -> risks.put(rs.getObject(1, UUID.class), rs.getInt(2))).list();
    return risks;
  }

  /** Each registry of the tenant with its risk (0 when nothing counts). */
  @Transactional(readOnly = true)
  public Map<UUID, Integer> registries() {
    Map<UUID, Integer> risks = new LinkedHashMap<>();
    jdbc.sql(IMAGE_RISK + " select connection_id, max(risk) from image_risk group by connection_id")
        .query((rs, i) -> risks.put(rs.getObject(1, UUID.class), rs.getInt(2))).list();
    return risks;
  }

  /** One day of the trend. */
  public record Day(LocalDate day, int opened, int fixed, int open, int critical, int kev, int maxRisk) {}

  /** The last {@code days} days, oldest first, from the stored daily snapshots (days without one are zeros). */
  @Transactional(readOnly = true)
  public List<Day> trend(int days) {
    int span = Math.min(Math.max(days, 7), 365);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<LocalDate, Day> stored = new LinkedHashMap<>();
    jdbc.sql("select day, opened, fixed, open_total, critical, kev, max_risk from finding_daily where day > ?"
            + " order by day")
        .param(Date.valueOf(today.minusDays(span)))
        .query((rs, i) -> stored.put(rs.getDate(1).toLocalDate(), new Day(rs.getDate(1).toLocalDate(), rs.getInt(2),
            rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7))))
        .list();
    List<Day> trend = new ArrayList<>(span);
    for (int d = span - 1; d >= 0; d--) {
      LocalDate day = today.minusDays(d);
      trend.add(stored.getOrDefault(day, new Day(day, 0, 0, 0, 0, 0, 0)));
    }
    return trend;
  }

  /**
   * Stores today's snapshot of the tenant in scope (and yesterday's once more, so that the last hour of a day is
   * counted): findings opened and fixed that day, and what counts at the moment of the snapshot.
   */
  @Transactional
  public void snapshot() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (LocalDate day : List.of(today.minusDays(1), today)) {
      boolean past = day.isBefore(today);
      if (past && jdbc.sql("select count(*) from finding_daily where day = ? and taken_at >= ?")
          .params(Date.valueOf(day), java.sql.Timestamp.from(today.atStartOfDay().toInstant(ZoneOffset.UTC)))
          .query(Long.class).single() > 0) {
        continue; // yesterday's final row is written once
      }
      jdbc.sql(
              """
              insert into finding_daily (tenant_id, day, opened, fixed, open_total, critical, high, kev, max_risk)
              select app_current_tenant(), ?,
                     (select count(*) from finding where opened_at >= ? and opened_at < ?),
                     (select count(*) from finding where fixed_at >= ? and fixed_at < ?),
                     count(*), count(*) filter (where f.severity = 'CRITICAL'),
                     count(*) filter (where f.severity = 'HIGH'), count(*) filter (where f.kev),
                     coalesce(max(%s), 0)
                from finding f join image i on i.id = f.image_id where %s
              on conflict (tenant_id, day) do update
                 set opened = excluded.opened, fixed = excluded.fixed, open_total = excluded.open_total,
                     critical = excluded.critical, high = excluded.high, kev = excluded.kev,
                     max_risk = excluded.max_risk, taken_at = now()
              """.formatted(RISK, COUNTING))
          .params(Date.valueOf(day), start(day), start(day.plusDays(1)), start(day), start(day.plusDays(1)))
          .update();
    }
  }

  private static java.sql.Timestamp start(LocalDate day) {
    return java.sql.Timestamp.from(day.atStartOfDay().toInstant(ZoneOffset.UTC));
  }
}
