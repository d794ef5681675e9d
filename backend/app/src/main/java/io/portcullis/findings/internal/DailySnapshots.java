package io.portcullis.findings.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.portcullis.findings.RiskOverview;
import io.portcullis.tenancy.TenantScope;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every hour, on one instance: each tenant's snapshot of the day, which the overview's trend is drawn from. */
@Configuration(proxyBeanMethods = false)
class DailySnapshots {

  private static final Logger log = LoggerFactory.getLogger(DailySnapshots.class);

  @Bean
  RecurringTask<Void> findingSnapshotTask(JdbcClient jdbc, RiskOverview overview) {
    return Tasks.recurring("finding-snapshot", FixedDelay.ofHours(1))
        .execute((instance, context) -> {
          for (UUID tenant : jdbc.sql("select tenant_id from tenants_with_findings()").query(UUID.class).list()) {
            try {
              TenantScope.runAs(tenant, overview::snapshot);
            } catch (RuntimeException e) {
              log.warn("the daily snapshot of tenant {} failed: {}", tenant, e.toString());
            }
          }
        });
  }
}
