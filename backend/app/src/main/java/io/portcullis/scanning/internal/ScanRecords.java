package io.portcullis.scanning.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The scan_job rows of the tenant in scope: each change of a job is its own short transaction, so what a page shows
 * is what the worker is doing now, and a worker that dies leaves its job visibly running until it is picked up again.
 */
@Component
public class ScanRecords {

  private static final int MAX_ERROR = 4000;

  private final JdbcClient jdbc;

  ScanRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The active job of the image, or a new queued one. Empty when the image is unknown in this tenant. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public Optional<UUID> queued(UUID imageId, String trigger) {
    Optional<UUID> active = jdbc.sql(
            "select id from scan_job where image_id = ? and status in ('QUEUED', 'RUNNING', 'RETRYING')")
        .param(imageId).query(UUID.class).optional();
    if (active.isPresent()) {
      return active;
    }
    return jdbc.sql(
            """
            insert into scan_job (tenant_id, image_id, connection_id, trigger, status)
            select app_current_tenant(), i.id, r.connection_id, ?, 'QUEUED'
              from image i join container_repository r on r.id = i.repository_id
             where i.id = ?
            on conflict (image_id) where status in ('QUEUED', 'RUNNING', 'RETRYING') do nothing
            returning id
            """)
        .params(trigger, imageId)
        .query(UUID.class)
        .optional()
        .or(() -> jdbc.sql("select id from scan_job where image_id = ? and status in ('QUEUED', 'RUNNING', 'RETRYING')")
            .param(imageId).query(UUID.class).optional());
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void started(UUID jobId, String worker) {
    jdbc.sql(
            """
            update scan_job set status = 'RUNNING', attempts = attempts + 1, started_at = now(), worker = ?,
                   next_attempt_at = null
             where id = ?
            """)
        .params(worker, jobId).update();
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void succeeded(UUID jobId, UUID imageId, int layers, int cached, long bytes, int findings) {
    jdbc.sql(
            """
            update scan_job set status = 'SUCCEEDED', finished_at = now(), layers = ?, layers_cached = ?,
                   bytes_pulled = ?, findings = ?, error = null
             where id = ?
            """)
        .params(layers, cached, bytes, findings, jobId).update();
    jdbc.sql("update image set scan_error = null, scan_failed_at = null where id = ?").param(imageId).update();
  }

  /** A job with nothing to do (the image is a multi-platform list, or no longer exists) ends without a scan. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void skipped(UUID jobId, String why) {
    jdbc.sql("update scan_job set status = 'SUCCEEDED', finished_at = now(), error = ? where id = ?")
        .params(clip(why), jobId).update();
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void retrying(UUID jobId, String reason, Instant next) {
    jdbc.sql("update scan_job set status = 'RETRYING', error = ?, next_attempt_at = ? where id = ?")
        .params(clip(reason), java.sql.Timestamp.from(next), jobId).update();
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void failed(UUID jobId, UUID imageId, String reason) {
    jdbc.sql("update scan_job set status = 'FAILED', finished_at = now(), error = ?, next_attempt_at = null where id = ?")
        .params(clip(reason), jobId).update();
    jdbc.sql("update image set scan_error = ?, scan_failed_at = now() where id = ?").params(clip(reason), imageId).update();
  }

  static String clip(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
  }
}
