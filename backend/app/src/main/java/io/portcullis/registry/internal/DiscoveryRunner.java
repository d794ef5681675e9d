package io.portcullis.registry.internal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.portcullis.jobs.Backoff;
import io.portcullis.jobs.Priority;
import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.tenancy.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Queues discoveries on the job queue shared by every instance: one job per connection (or per repository a push event
 * names) at a time, bound to the tenant that owns it, run by whichever worker takes it first, manual before push events
 * before the schedule.
 */
@Component
public class DiscoveryRunner {

  static final String TASK = "discover";

  private static final Logger log = LoggerFactory.getLogger(DiscoveryRunner.class);

  private final ObjectProvider<SchedulerClient> queue;

  DiscoveryRunner(ObjectProvider<SchedulerClient> queue) {
    this.queue = queue;
  }

  /** What a discovery job carries: the tenant travels with the job, never taken from anywhere else. */
  public record DiscoveryJob(UUID tenant, UUID connection, String trigger, String repository) {}

  /**
   * Queues a discovery of {@code connectionId} (or of one repository) for {@code tenant}; false when one is already
   * queued or running for it.
   */
  public boolean submit(UUID tenant, UUID connectionId, Trigger trigger, String repository) {
    return submit(queue.getObject(), tenant, connectionId, trigger, repository);
  }

  /**
   * Whether a discovery job of the whole connection is queued or in a worker's hands — which may be a moment before
   * its run is recorded, so a page that waits for the run must keep asking.
   */
  public boolean queued(UUID connectionId) {
    return queue.getObject().getScheduledExecution(TaskInstanceId.of(TASK, connectionId.toString())).isPresent();
  }

  static boolean submit(SchedulerClient client, UUID tenant, UUID connectionId, Trigger trigger, String repository) {
    String instance = repository == null ? connectionId.toString() : connectionId + "/" + repository;
    if (instance.length() > 300) {
      return false;
    }
    TaskInstance<DiscoveryJob> job =
        new TaskInstance.Builder<DiscoveryJob>(TASK, instance)
            .data(new DiscoveryJob(tenant, connectionId, trigger.name(), repository))
            .priority(Priority.of(trigger.name()).value())
            .build();
    return client.scheduleIfNotExists(job, Instant.now());
  }

  @Configuration(proxyBeanMethods = false)
  static class Tasks_ {

    @Bean
    OneTimeTask<DiscoveryJob> discoverTask(Discovery discovery) {
      return Tasks.oneTime(TASK, DiscoveryJob.class)
          // a discovery records its own failures (the run, the connection's health); the next schedule tries again
          .onFailure(new Backoff<>(Duration.ofMinutes(1), Duration.ofMinutes(15), 3, (job, cause, attempts, next) -> {},
              (job, cause, attempts) -> log.warn("Discovery of connection {} failed {} times", job.connection(), attempts)))
          .execute((instance, context) -> {
            DiscoveryJob job = instance.getData();
            try (var logTenant = MDC.putCloseable("tenant", job.tenant().toString())) {
              TenantScope.runAs(job.tenant(),
                  () -> discovery.run(job.connection(), Trigger.valueOf(job.trigger()), job.repository()));
            }
          });
    }
  }
}
