package io.portcullis.findings.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.portcullis.findings.Triage;
import io.portcullis.tenancy.TenantScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every five minutes, on one instance: accepted risks whose date passed reopen, in their own tenants. */
@Configuration(proxyBeanMethods = false)
class TriageExpiry {

  private static final Logger log = LoggerFactory.getLogger(TriageExpiry.class);

  @Bean
  RecurringTask<Void> triageExpiryTask(JdbcClient jdbc, Triage triage) {
    return Tasks.recurring("triage-expiry", FixedDelay.ofMinutes(5))
        .execute((instance, context) -> {
          int reopened = reopenExpired(jdbc, triage);
          if (reopened > 0) {
            log.info("reopened {} findings whose accepted risk expired", reopened);
          }
        });
  }

  /** Reopens every expired acceptance, tenant by tenant; returns how many findings reopened. */
  static int reopenExpired(JdbcClient jdbc, Triage triage) {
    Map<UUID, List<UUID>> byTenant = new LinkedHashMap<>();
    jdbc.sql("select tenant_id, finding_id from findings_with_expired_triage(1000)")
        .query((rs, i) -> byTenant.computeIfAbsent(rs.getObject(1, UUID.class), t -> new ArrayList<>())
            .add(rs.getObject(2, UUID.class)))
        .list();
    int reopened = 0;
    for (Map.Entry<UUID, List<UUID>> tenant : byTenant.entrySet()) {
      reopened += TenantScope.callAs(tenant.getKey(), () -> triage.expire(tenant.getValue()));
    }
    return reopened;
  }
}
