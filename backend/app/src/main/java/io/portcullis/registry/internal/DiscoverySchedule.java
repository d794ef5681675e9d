package io.portcullis.registry.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.portcullis.registry.internal.Discovery.Trigger;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every minute, on one instance of the cluster (a recurring job on the shared queue), queues the connections whose
 * discovery interval has passed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "portcullis.registry.schedule", havingValue = "true", matchIfMissing = true)
class DiscoverySchedule {

  @Bean
  RecurringTask<Void> discoveryScheduleTask(JdbcClient jdbc) {
    return Tasks.recurring("discovery-schedule", FixedDelay.ofMinutes(1))
        .execute((instance, context) -> queueDue(jdbc, context.getSchedulerClient()));
  }

  /** Queues every due connection; returns how many were queued (a connection already queued counts once). */
  static int queueDue(JdbcClient jdbc, SchedulerClient queue) {
    // across tenants, through the one function that lists due connections and nothing else about them
    List<UUID[]> due = jdbc.sql("select tenant_id, connection_id from connections_due_for_discovery()")
        .query((rs, i) -> new UUID[] {rs.getObject("tenant_id", UUID.class), rs.getObject("connection_id", UUID.class)})
        .list();
    int queued = 0;
    for (UUID[] connection : due) {
      if (DiscoveryRunner.submit(queue, connection[0], connection[1], Trigger.SCHEDULE, null)) {
        queued++;
      }
    }
    return queued;
  }
}
