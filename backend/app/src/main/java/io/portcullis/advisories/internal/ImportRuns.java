package io.portcullis.advisories.internal;

import io.portcullis.advisories.AdvisoryEvents.AdvisoriesChanged;
import io.portcullis.advisories.internal.FeedDownloads.Validators;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The import runs and what each feed's source last answered. Each method is its own short transaction, so a long import
 * shows its progress while it runs. None of them needs a tenant: these are reference tables.
 */
@Component
class ImportRuns {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The feeds. */
  enum Feed {
    OSV,
    EPSS,
    KEV
  }

  /** Why a run started. */
  enum Trigger {
    SCHEDULE,
    MANUAL
  }

  /** How a run ended. */
  enum Status {
    RUNNING,
    SUCCEEDED,
    NOT_MODIFIED,
    FAILED
  }

  /** A rejected record ({@code record} is its id, or the archive entry's name when it had no readable id). */
  record Reason(String record, String reason) {}

  /** What a run has done so far; the first reasons are kept, every rejection is counted. */
  static final class Counts {
    final int maxReasons;
    int read;
    int imported;
    int unchanged;
    int withdrawn;
    int rejected;
    int storedWithdrawn;
    final List<Reason> reasons = new ArrayList<>();

    Counts(int maxReasons) {
      this.maxReasons = maxReasons;
    }

    void reject(String record, String reason) {
      rejected++;
      if (reasons.size() < maxReasons) {
        reasons.add(new Reason(clip(record, 200), clip(reason, 500)));
      }
    }
  }

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  ImportRuns(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /**
   * A new run, or empty when one of the same feed is already running here or on another replica. A run silent for 15
   * minutes belongs to a process that stopped and is closed as failed first.
   */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public Optional<Long> start(Feed feed, String ecosystem, Trigger trigger) {
    jdbc.sql(
            """
            update advisory_import set status = 'FAILED', finished_at = now(),
                   error = 'abandoned: no progress for 15 minutes (the process running it stopped)'
             where feed = ? and ecosystem = ? and status = 'RUNNING' and updated_at < now() - interval '15 minutes'
            """)
        .param(feed.name())
        .param(ecosystem)
        .update();
    try {
      return Optional.of(
          jdbc.sql(
                  "insert into advisory_import (feed, ecosystem, trigger, status) values (?, ?, ?, 'RUNNING')"
                      + " returning id")
              .param(feed.name())
              .param(ecosystem)
              .param(trigger.name())
              .query(Long.class)
              .single());
    } catch (DuplicateKeyException alreadyRunning) {
      return Optional.empty();
    }
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void progress(long run, Counts counts) {
    jdbc.sql(
            """
            update advisory_import set records_read = ?, imported = ?, unchanged = ?, withdrawn = ?, rejected = ?,
                   reasons = ?::jsonb, updated_at = now()
             where id = ?
            """)
        .param(counts.read)
        .param(counts.imported)
        .param(counts.unchanged)
        .param(counts.withdrawn)
        .param(counts.rejected)
        .param(reasons(counts))
        .param(run)
        .update();
  }

  /**
   * Ends a run. {@code stored} is what the feed holds now (records of the ecosystem, EPSS or KEV rows); for a run that
   * found nothing new it is carried over from the last run that read the feed.
   */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void finish(long run, Status status, Counts counts, Integer stored, Integer storedWithdrawn, String error) {
    progress(run, counts);
    if (stored == null) {
      Integer[] previous =
          jdbc.sql(
                  """
                  select stored, stored_withdrawn from advisory_import
                   where feed = (select feed from advisory_import where id = :run)
                     and ecosystem = (select ecosystem from advisory_import where id = :run)
                     and stored is not null and id <> :run
                   order by id desc limit 1
                  """)
              .param("run", run)
              .query((rs, i) -> new Integer[] {rs.getInt("stored"), (Integer) rs.getObject("stored_withdrawn")})
              .optional()
              .orElse(new Integer[] {null, null});
      stored = previous[0];
      storedWithdrawn = previous[1];
    }
    jdbc.sql(
            """
            update advisory_import set status = ?, finished_at = now(), error = ?, stored = ?, stored_withdrawn = ?
             where id = ?
            """)
        .param(status.name())
        .param(error == null ? null : clip(error, 4000))
        .param(stored)
        .param(storedWithdrawn)
        .param(run)
        .update();
    if (status == Status.SUCCEEDED && counts.imported > 0) {
      jdbc.sql("select feed, ecosystem from advisory_import where id = ?")
          .param(run)
          .query((rs, i) -> new AdvisoriesChanged(rs.getString("feed"), rs.getString("ecosystem"), counts.imported))
          .optional()
          .ifPresent(events::publishEvent);
    }
  }

  /** The validators of the source's last answer, to make the next request conditional. */
  @Transactional(readOnly = true, propagation = Propagation.REQUIRES_NEW)
  public Validators validators(Feed feed, String ecosystem) {
    return jdbc.sql("select etag, last_modified from advisory_source_state where feed = ? and ecosystem = ?")
        .param(feed.name())
        .param(ecosystem)
        .query((rs, i) -> new Validators(rs.getString("etag"), rs.getString("last_modified")))
        .optional()
        .orElse(Validators.NONE);
  }

  /**
   * Records that the source was checked; with {@code validators} when it answered with a new file that was read
   * completely (only then may the next request be conditional on it).
   */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void checked(Feed feed, String ecosystem, Validators validators, String version, Instant maxModified) {
    jdbc.sql(
            """
            insert into advisory_source_state (feed, ecosystem, checked_at) values (?, ?, now())
            on conflict (feed, ecosystem) do update set checked_at = now()
            """)
        .param(feed.name())
        .param(ecosystem)
        .update();
    if (validators != null) {
      jdbc.sql(
              """
              update advisory_source_state
                 set etag = ?, last_modified = ?, version = coalesce(?, version),
                     max_modified = greatest(max_modified, ?), changed_at = now()
               where feed = ? and ecosystem = ?
              """)
          .param(validators.etag())
          .param(validators.lastModified())
          .param(version == null ? null : clip(version, 200))
          .param(maxModified == null ? null : maxModified.atOffset(ZoneOffset.UTC))
          .param(feed.name())
          .param(ecosystem)
          .update();
    }
  }

  /** When the source was last checked, if ever. */
  @Transactional(readOnly = true, propagation = Propagation.REQUIRES_NEW)
  public Optional<Instant> lastChecked(Feed feed, String ecosystem) {
    return jdbc.sql(
            "select checked_at from advisory_source_state where feed = ? and ecosystem = ? and checked_at is not null")
        .param(feed.name())
        .param(ecosystem)
        .query((rs, i) -> rs.getObject("checked_at", java.time.OffsetDateTime.class).toInstant())
        .optional();
  }

  private static String reasons(Counts counts) {
    ArrayNode array = JSON.createArrayNode();
    for (Reason reason : counts.reasons) {
      array.addObject().put("record", reason.record()).put("reason", reason.reason());
    }
    return JSON.writeValueAsString(array);
  }

  static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
