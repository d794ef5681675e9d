package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.ImportRunner.Job;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the advisories page shows: for each configured feed its last run, its last full read and its source's state. */
@Component
public class AdvisoryStatus {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One rejected record and why. */
  public record Reason(String record, String reason) {}

  /** One import run. */
  public record Run(
      long id,
      String status,
      String trigger,
      Instant startedAt,
      Instant finishedAt,
      int read,
      int imported,
      int unchanged,
      int withdrawn,
      int rejected,
      Integer stored,
      Integer storedWithdrawn,
      List<Reason> reasons,
      String error) {

    public boolean running() {
      return "RUNNING".equals(status);
    }

    /** How long it took (or has taken so far), in whole seconds. */
    public long seconds() {
      return Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now()).toSeconds();
    }
  }

  /**
   * One feed.
   *
   * @param key what an import request names it by: {@code OSV:Debian}, {@code EPSS}, {@code KEV}
   * @param label how the page names it
   * @param kind {@code OSV}, {@code EPSS} or {@code KEV}
   * @param last its latest run, or null
   * @param lastRead its latest run that read the feed (succeeded or failed), or null
   * @param checkedAt when its source was last asked, or null
   * @param changedAt when its source last had something new, or null
   * @param version what the feed said of itself (EPSS model and date, KEV catalogue version), or null
   * @param newestRecord the newest {@code modified} of an OSV record read from it, or null
   * @param queued whether an import of it is waiting or running in this process
   */
  public record FeedStatus(
      String key,
      String label,
      String kind,
      Run last,
      Run lastRead,
      Instant checkedAt,
      Instant changedAt,
      String version,
      Instant newestRecord,
      boolean queued) {

    public boolean running() {
      return queued || (last != null && last.running());
    }
  }

  private final JdbcClient jdbc;
  private final ImportRunner runner;

  AdvisoryStatus(JdbcClient jdbc, ImportRunner runner) {
    this.jdbc = jdbc;
    this.runner = runner;
  }

  /** Every configured feed, OSV ecosystems first, in the configured order. */
  @Transactional(readOnly = true)
  public List<FeedStatus> feeds() {
    Map<String, Run> last = new HashMap<>();
    Map<String, Run> lastRead = new HashMap<>();
    jdbc.sql(
            """
            select distinct on (feed, ecosystem) * from advisory_import
             order by feed, ecosystem, id desc
            """)
        .query((rs, i) -> Map.entry(key(rs), run(rs)))
        .list()
        .forEach(e -> last.put(e.getKey(), e.getValue()));
    jdbc.sql(
            """
            select distinct on (feed, ecosystem) * from advisory_import
             where status in ('SUCCEEDED', 'FAILED')
             order by feed, ecosystem, id desc
            """)
        .query((rs, i) -> Map.entry(key(rs), run(rs)))
        .list()
        .forEach(e -> lastRead.put(e.getKey(), e.getValue()));
    Map<String, Object[]> states = new HashMap<>();
    jdbc.sql("select * from advisory_source_state")
        .query(
            (rs, i) ->
                Map.entry(
                    key(rs),
                    new Object[] {
                      instant(rs, "checked_at"), instant(rs, "changed_at"),
                      rs.getString("version"), instant(rs, "max_modified")
                    }))
        .list()
        .forEach(e -> states.put(e.getKey(), e.getValue()));

    List<FeedStatus> feeds = new ArrayList<>();
    for (Job job : runner.allJobs()) {
      String key = job.key();
      Object[] state = states.getOrDefault(key, new Object[4]);
      feeds.add(
          new FeedStatus(
              key,
              job.feed() == Feed.OSV ? job.ecosystem() : label(job.feed()),
              job.feed().name(),
              last.get(key),
              lastRead.get(key),
              (Instant) state[0],
              (Instant) state[1],
              (String) state[2],
              (Instant) state[3],
              runner.isQueued(job)));
    }
    return feeds;
  }

  private static String label(Feed feed) {
    return feed == Feed.EPSS ? "EPSS scores (FIRST)" : "Known Exploited Vulnerabilities (CISA KEV)";
  }

  private static String key(ResultSet rs) throws SQLException {
    String feed = rs.getString("feed");
    return "OSV".equals(feed) ? "OSV:" + rs.getString("ecosystem") : feed;
  }

  private static Run run(ResultSet rs) throws SQLException {
    List<Reason> reasons = new ArrayList<>();
    JsonNode array = JSON.readTree(rs.getString("reasons"));
    for (JsonNode reason : array) {
      reasons.add(new Reason(reason.path("record").asString(""), reason.path("reason").asString("")));
    }
    return new Run(
        rs.getLong("id"),
        rs.getString("status"),
        rs.getString("trigger"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getInt("records_read"),
        rs.getInt("imported"),
        rs.getInt("unchanged"),
        rs.getInt("withdrawn"),
        rs.getInt("rejected"),
        (Integer) rs.getObject("stored"),
        (Integer) rs.getObject("stored_withdrawn"),
        reasons,
        rs.getString("error"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
