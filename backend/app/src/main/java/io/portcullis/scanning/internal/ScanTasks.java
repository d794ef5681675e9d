package io.portcullis.scanning.internal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.portcullis.jobs.Backoff;
import io.portcullis.jobs.Priority;
import io.portcullis.scanning.ScanningEvents.ScanFailed;
import io.portcullis.tenancy.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The scan job (one per image at a time: its instance id is the image id) and the sweep that queues images found but
 * never scanned. A scan that fails is tried again after 30 s, 1 min, 2 min... up to {@code portcullis.scanning.attempts}
 * attempts; then its reason is recorded on the image.
 */
@Configuration(proxyBeanMethods = false)
public class ScanTasks {

  public static final String SCAN = "scan";

  private static final Logger log = LoggerFactory.getLogger(ScanTasks.class);

  /** What a scan job carries: the tenant travels with the job, never taken from anywhere else. */
  public record ScanRequest(UUID tenant, UUID image, UUID job, String trigger) {}

  /** Queues a scan of an image already recorded in {@code records}. */
  public static boolean schedule(SchedulerClient queue, ScanRequest request) {
    TaskInstance<ScanRequest> instance = new TaskInstance.Builder<ScanRequest>(SCAN, request.image().toString())
        .data(request)
        .priority(Priority.of(request.trigger()).value())
        .build();
    return queue.scheduleIfNotExists(instance, Instant.now());
  }

  @Bean
  OneTimeTask<ScanRequest> scanTask(ImageScanner scanner, ScanRecords records, ApplicationEventPublisher events,
      @Value("${portcullis.scanning.attempts:5}") int attempts,
      @Value("${portcullis.scanning.first-retry:30s}") Duration firstRetry) {
    Backoff<ScanRequest> backoff = new Backoff<>(firstRetry, Duration.ofHours(1), attempts,
        (request, cause, failures, next) -> TenantScope.runAs(request.tenant(),
            () -> records.retrying(request.job(), reason(cause), next)),
        (request, cause, failures) -> TenantScope.runAs(request.tenant(), () -> {
          records.failed(request.job(), request.image(), reason(cause));
          events.publishEvent(new ScanFailed(request.tenant(), request.image(), request.job(), reason(cause), failures));
        }));
    return Tasks.oneTime(SCAN, ScanRequest.class)
        .onFailure(backoff)
        .execute((instance, context) -> {
          ScanRequest request = instance.getData();
          String worker = context.getExecution().pickedBy;
          try (var logTenant = MDC.putCloseable("tenant", request.tenant().toString())) {
            TenantScope.runAs(request.tenant(), () -> scanner.scan(request.job(), request.image(), worker));
          }
        });
  }

  @Bean
  @ConditionalOnProperty(name = "portcullis.scanning.sweep", havingValue = "true", matchIfMissing = true)
  RecurringTask<Void> scanSweepTask(JdbcClient jdbc, ScanRecords records) {
    return Tasks.recurring("scan-sweep", FixedDelay.ofMinutes(1))
        .execute((instance, context) -> {
          int queued = sweep(jdbc, records, context.getSchedulerClient());
          if (queued > 0) {
            log.info("queued {} images found but never scanned", queued);
          }
        });
  }

  /** Queues, across tenants, images that were found but never scanned and have no job. */
  static int sweep(JdbcClient jdbc, ScanRecords records, SchedulerClient queue) {
    int queued = 0;
    for (UUID[] image : jdbc.sql("select tenant_id, image_id from images_awaiting_scan(500)")
        .query((rs, i) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).list()) {
      if (TenantScope.callAs(image[0], () -> queue(records, queue, image[0], image[1], "SCHEDULE"))) {
        queued++;
      }
    }
    return queued;
  }

  /** Records and queues a scan of an image of the tenant in scope; false when one was already queued or running. */
  public static boolean queue(ScanRecords records, SchedulerClient queue, UUID tenant, UUID image, String trigger) {
    return records.queued(image, trigger)
        .map(job -> schedule(queue, new ScanRequest(tenant, image, job, trigger)))
        .orElse(false);
  }

  static String reason(Throwable cause) {
    if (cause == null) {
      return "the scan failed without a reason";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
