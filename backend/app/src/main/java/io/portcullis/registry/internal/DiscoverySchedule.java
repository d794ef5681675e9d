package io.portcullis.registry.internal;

import io.portcullis.registry.internal.Discovery.Trigger;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every minute, queues the connections whose discovery interval has passed. */
@Component
@ConditionalOnProperty(name = "portcullis.registry.schedule", havingValue = "true", matchIfMissing = true)
class DiscoverySchedule {

  private final JdbcClient jdbc;
  private final DiscoveryRunner runner;

  DiscoverySchedule(JdbcClient jdbc, DiscoveryRunner runner) {
    this.jdbc = jdbc;
    this.runner = runner;
  }

  @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT30S")
  void tick() {
    // across tenants, through the one function that lists due connections and nothing else about them
    jdbc.sql("select tenant_id, connection_id from connections_due_for_discovery()")
        .query((rs, i) -> new UUID[] {rs.getObject("tenant_id", UUID.class), rs.getObject("connection_id", UUID.class)})
        .list()
        .forEach(due -> runner.submit(due[0], due[1], Trigger.SCHEDULE, null));
  }
}
