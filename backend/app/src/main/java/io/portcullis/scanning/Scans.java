package io.portcullis.scanning;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.portcullis.registry.RegistryEvents.DiscoveryFinished;
import io.portcullis.scanning.internal.ScanRecords;
import io.portcullis.scanning.internal.ScanTasks;
import io.portcullis.tenancy.TenantScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans of the tenant in scope: queue them (an image, a repository, a registry), list them, and measure freshness —
 * which images miss the tenant's objectives.
 */
@Service
public class Scans {

  private static final Logger log = LoggerFactory.getLogger(Scans.class);

  private final JdbcClient jdbc;
  private final ScanRecords records;
  private final ObjectProvider<SchedulerClient> queue;
  private final boolean afterDiscovery;
  private final TransactionTemplate reading;

  Scans(JdbcClient jdbc, ScanRecords records, ObjectProvider<SchedulerClient> queue,
      org.springframework.transaction.PlatformTransactionManager transactions,
      @org.springframework.beans.factory.annotation.Value("${portcullis.scanning.after-discovery:true}") boolean afterDiscovery) {
    this.afterDiscovery = afterDiscovery;
    this.reading = new TransactionTemplate(transactions);
    reading.setReadOnly(true);
    this.jdbc = jdbc;
    this.records = records;
    this.queue = queue;
  }

  /** Queues a scan of one image; false when one is already queued or running (or the image is unknown). */
  public boolean scanImage(UUID imageId, String trigger) {
    return ScanTasks.queue(records, queue.getObject(), TenantScope.require(), imageId, trigger);
  }

  /** Queues every current image of a repository; returns how many were queued. */
  public int scanRepository(UUID repositoryId, String trigger) {
    return scanAll(images("i.repository_id = ?", repositoryId), trigger);
  }

  /** Queues every current image of a registry connection; returns how many were queued. */
  public int scanConnection(UUID connectionId, String trigger) {
    return scanAll(images("r.connection_id = ?", connectionId), trigger);
  }

  private int scanAll(List<UUID> images, String trigger) {
    int queued = 0;
    for (UUID image : images) {
      if (scanImage(image, trigger)) {
        queued++;
      }
    }
    return queued;
  }

  private List<UUID> images(String where, UUID id) {
    return reading.execute(status -> jdbc.sql("select i.id from image i join container_repository r on r.id = i.repository_id"
            + " where i.gone_at is null and not i.is_index and " + where + " order by i.first_seen_at")
        .param(id).query(UUID.class).list());
  }

  /**
   * After a discovery, every image it found that was never scanned is queued, as urgently as the discovery was asked
   * for (a push event's new digest before the schedule's).
   */
  @TransactionalEventListener(fallbackExecution = true)
  void on(DiscoveryFinished finished) {
    if (!afterDiscovery) {
      return;
    }
    try {
      TenantScope.runAs(finished.tenantId(), () -> {
        List<UUID> fresh = unscanned(finished.connectionId());
        scanAll(fresh, finished.trigger() == null ? "SCHEDULE" : finished.trigger());
      });
    } catch (RuntimeException e) {
      // the discovery itself succeeded; the sweep queues what could not be queued now
      log.warn("scans after the discovery of connection {} could not be queued: {}", finished.connectionId(), e.toString());
    }
  }

  private List<UUID> unscanned(UUID connectionId) {
    return reading.execute(status -> jdbc.sql(
            """
            select i.id from image i join container_repository r on r.id = i.repository_id
             where r.connection_id = ? and i.analysed_at is null and i.scan_failed_at is null and i.gone_at is null
               and not i.is_index
               and not exists (select 1 from scan_job j where j.image_id = i.id
                               and j.status in ('QUEUED', 'RUNNING', 'RETRYING'))
             order by i.first_seen_at
            """)
        .param(connectionId).query(UUID.class).list());
  }

  /** Counts of the tenant's jobs by status, and the most recent jobs (optionally of one connection). */
  public record Overview(long queued, long running, long retrying, long failed, long succeeded, List<ScanJob> jobs) {}

  @Transactional(readOnly = true)
  public Overview overview(UUID connectionId, String status, int limit) {
    String filter = " where (cast(? as uuid) is null or j.connection_id = cast(? as uuid))";
    long[] counts = new long[5];
    jdbc.sql("select j.status, count(*) from scan_job j" + filter + " group by j.status")
        .params(connectionId, connectionId)
        .query((rs, i) -> {
          int slot = switch (rs.getString(1)) {
            case "QUEUED" -> 0;
            case "RUNNING" -> 1;
            case "RETRYING" -> 2;
            case "FAILED" -> 3;
            default -> 4;
          };
          counts[slot] = rs.getLong(2);
          return null;
        })
        .list();
    List<ScanJob> jobs = jdbc.sql(
            """
            select j.*, c.name as connection_name, r.name as repository, i.digest
              from scan_job j join image i on i.id = j.image_id
                   join container_repository r on r.id = i.repository_id
                   join registry_connection c on c.id = j.connection_id
            """ + filter + """
               and (cast(? as text) is null or j.status = cast(? as text))
             order by case when j.status in ('RUNNING', 'RETRYING', 'QUEUED') then 0 else 1 end,
                      coalesce(j.finished_at, j.started_at, j.queued_at) desc
             limit ?
            """)
        .params(connectionId, connectionId, status, status, Math.min(Math.max(limit, 1), 500))
        .query(Scans::job)
        .list();
    return new Overview(counts[0], counts[1], counts[2], counts[3], counts[4], jobs);
  }

  /** The most recent jobs of one image. */
  @Transactional(readOnly = true)
  public List<ScanJob> ofImage(UUID imageId, int limit) {
    return jdbc.sql(
            """
            select j.*, c.name as connection_name, r.name as repository, i.digest
              from scan_job j join image i on i.id = j.image_id
                   join container_repository r on r.id = i.repository_id
                   join registry_connection c on c.id = j.connection_id
             where j.image_id = ? order by j.queued_at desc limit ?
            """)
        .params(imageId, limit).query(Scans::job).list();
  }

  /** Whether the tenant in scope has this image. */
  public boolean hasImage(UUID imageId) {
    return reading.execute(status -> jdbc.sql("select count(*) from image where id = ?").param(imageId)
        .query(Long.class).single()) > 0;
  }

  /** Whether the tenant in scope has this repository in this connection. */
  public boolean hasRepository(UUID connectionId, UUID repositoryId) {
    return reading.execute(status -> jdbc.sql(
            "select count(*) from container_repository where id = ? and connection_id = ?")
        .params(repositoryId, connectionId).query(Long.class).single()) > 0;
  }

  /** Why the image's last scan failed for good, if it did and no scan succeeded since. */
  @Transactional(readOnly = true)
  public java.util.Optional<String> failure(UUID imageId) {
    return jdbc.sql("select scan_error from image where id = ? and scan_failed_at is not null")
        .param(imageId).query(String.class).optional();
  }

  static ScanJob job(ResultSet rs, int row) throws SQLException {
    return new ScanJob(rs.getObject("id", UUID.class), rs.getObject("image_id", UUID.class),
        rs.getObject("connection_id", UUID.class), rs.getString("connection_name"), rs.getString("repository"),
        rs.getString("digest"), rs.getString("trigger"), rs.getString("status"), rs.getInt("attempts"),
        instant(rs.getTimestamp("queued_at")), instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")), instant(rs.getTimestamp("next_attempt_at")),
        (Integer) rs.getObject("layers"), (Integer) rs.getObject("layers_cached"), (Long) rs.getObject("bytes_pulled"),
        (Integer) rs.getObject("findings"), rs.getString("error"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** An image that misses an objective, and why. */
  public record Stale(UUID imageId, UUID connectionId, String repository, String digest, String reason, Instant since) {}

  /**
   * The tenant's freshness: its objectives, how many current images meet them, and the images that miss them — not
   * scanned within the scan objective of being found (or whose scan failed), or not re-matched within the re-match
   * objective of the last advisory change.
   */
  public record Freshness(Duration scanObjective, Duration rematchObjective, Instant advisoriesChangedAt, long images,
      long unscanned, long notRematched, List<Stale> missing) {

    public long missingCount() {
      return unscanned + notRematched;
    }
  }

  @Transactional(readOnly = true)
  public Freshness freshness(int limit) {
    record Objectives(long scan, long rematch) {}
    Objectives objectives = jdbc.sql(
            "select extract(epoch from scan_objective)::bigint, extract(epoch from rematch_objective)::bigint from tenant")
        .query((rs, i) -> new Objectives(rs.getLong(1), rs.getLong(2))).single();
    Instant changed = jdbc.sql("select changed_at from advisories_changed")
        .query((rs, i) -> instant(rs.getTimestamp(1))).optional().orElse(null);
    String stale =
        """
        select i.id, r.connection_id, r.name as repository, i.digest,
               case when i.scan_failed_at is not null then 'scan failed: ' || i.scan_error
                    when i.analysed_at is null then 'not scanned yet'
                    else 'not re-matched since the advisories changed' end as reason,
               case when i.scan_failed_at is not null then i.scan_failed_at
                    when i.analysed_at is null then i.first_seen_at else cast(? as timestamptz) end as since
          from image i join container_repository r on r.id = i.repository_id
         where i.gone_at is null and not i.is_index
           and (i.scan_failed_at is not null
                or (i.analysed_at is null and i.first_seen_at < now() - make_interval(secs => ?))
                or (cast(? as timestamptz) is not null and i.analysed_at is not null
                    and coalesce(i.matched_at, i.analysed_at) < cast(? as timestamptz)
                    and cast(? as timestamptz) < now() - make_interval(secs => ?)))
        """;
    Timestamp at = changed == null ? null : Timestamp.from(changed);
    // the first images that miss an objective and, in the same pass, how many miss each
    String rematch = "'not re-matched since the advisories changed'";
    long[] counts = new long[2];
    List<Stale> missing = jdbc.sql("select s.*, count(*) filter (where reason <> " + rematch + ") over (),"
            + " count(*) filter (where reason = " + rematch + ") over () from (" + stale + ") s order by since limit ?")
        .params(at, objectives.scan(), at, at, at, objectives.rematch(), limit)
        .query((rs, i) -> {
          counts[0] = rs.getLong(7);
          counts[1] = rs.getLong(8);
          return new Stale(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
              rs.getString(4), rs.getString(5), instant(rs.getTimestamp(6)));
        })
        .list();
    long images = jdbc.sql("select count(*) from image where gone_at is null and not is_index").query(Long.class).single();
    return new Freshness(Duration.ofSeconds(objectives.scan()), Duration.ofSeconds(objectives.rematch()), changed,
        images, counts[0], counts[1], missing);
  }
}
