package io.portcullis.findings.internal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.portcullis.advisories.AdvisoryEvents.AdvisoriesChanged;
import io.portcullis.findings.Rematching;
import io.portcullis.jobs.Priority;
import java.sql.Timestamp;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Re-matches every stored inventory once the advisories changed, as one job on the shared queue (instance
 * {@code all}): changes that arrive while it waits join it; a change that arrives while it runs is noticed when it
 * ends (the advisories' change time moved past the one it started from) and the job runs once more — so the last
 * change is always seen, and a burst of imports costs at most two runs. No image is pulled.
 */
@Component
class AdvisoryChanges {

  static final String TASK = "rematch";

  private static final Logger log = LoggerFactory.getLogger(AdvisoryChanges.class);

  private final ObjectProvider<SchedulerClient> queue;

  AdvisoryChanges(ObjectProvider<SchedulerClient> queue) {
    this.queue = queue;
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(AdvisoriesChanged changed) {
    boolean queued = queue.getObject().scheduleIfNotExists(
        new TaskInstance.Builder<Void>(TASK, "all").priority(Priority.SCHEDULE.value()).build(), Instant.now());
    log.debug("advisories of {} {} changed; re-match {}", changed.feed(), changed.ecosystem(),
        queued ? "queued" : "already queued or running");
  }

  @Configuration(proxyBeanMethods = false)
  static class Task {

    @Bean
    CustomTask<Void> rematchTask(Rematching rematching, JdbcClient jdbc) {
      return Tasks.custom(TASK, Void.class)
          .onFailureReschedule(FixedDelay.ofMinutes(5))
          .execute((instance, context) -> {
            Instant from = changedAt(jdbc);
            Rematching.RunResult result = rematching.matchAll();
            log.info("re-matched {} images of {} tenants after an advisory change: {} findings opened, {} fixed, in {} ms",
                result.images(), result.tenants(), result.opened(), result.fixed(), result.millis());
            Instant now = changedAt(jdbc);
            return (CompletionHandler<Void>) (complete, operations) -> {
              if (!Objects.equals(from, now)) {
                operations.reschedule(complete, Instant.now()); // they changed again meanwhile: once more
              } else {
                operations.remove();
              }
            };
          });
    }

    private static Instant changedAt(JdbcClient jdbc) {
      return jdbc.sql("select changed_at from advisories_changed")
          .query((rs, i) -> {
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
          })
          .optional().orElse(null);
    }
  }
}
