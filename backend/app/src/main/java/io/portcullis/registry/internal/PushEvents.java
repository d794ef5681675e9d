package io.portcullis.registry.internal;

import io.portcullis.registry.Connections;
import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.tenancy.TenantScope;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Push events from ACR webhooks and Event Grid: authenticated by the connection's webhook secret before anything is
 * read, recorded in the connection's tenant, and each one queues a discovery of the repository it names.
 */
@Component
public class PushEvents {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final DiscoveryRunner runner;

  PushEvents(JdbcClient jdbc, PlatformTransactionManager transactionManager, DiscoveryRunner runner) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.runner = runner;
  }

  /** The tenant of a connection whose webhook secret is {@code presented}; empty for an unknown id or a wrong secret. */
  public Optional<Target> authenticate(UUID connectionId, String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > 200) {
      return Optional.empty();
    }
    byte[] presentedHash = Connections.sha256(presented);
    return jdbc.sql("select tenant_id, webhook_secret_hash, enabled from webhook_target(?)")
        .param(connectionId)
        .query((rs, i) -> new Object[] {rs.getObject("tenant_id", UUID.class), rs.getBytes("webhook_secret_hash"), rs.getBoolean("enabled")})
        .optional()
        .filter(row -> row[1] != null && MessageDigest.isEqual((byte[]) row[1], presentedHash))
        .map(row -> new Target((UUID) row[0], connectionId, (Boolean) row[2]));
  }

  /** Records events already validated in shape, then queues one discovery per repository they name. */
  public void record(Target target, String source, List<Event> events) {
    TenantScope.runAs(
        target.tenantId(),
        () ->
            transactions.executeWithoutResult(
                status -> {
                  for (Event event : events) {
                    jdbc.sql(
                            """
                            insert into push_event (tenant_id, connection_id, source, event_id, action, repository, tag,
                                                    digest, occurred_at)
                            values (app_current_tenant(), ?, ?, ?, ?, ?, ?, ?, ?)
                            """)
                        .param(target.connectionId())
                        .param(source)
                        .param(event.id())
                        .param(event.action())
                        .param(event.repository())
                        .param(event.tag())
                        .param(event.digest())
                        .param(event.occurredAt() == null ? null : Timestamp.from(event.occurredAt()))
                        .update();
                  }
                }));
    if (target.enabled()) {
      events.stream()
          .map(Event::repository)
          .distinct()
          .forEach(repository -> runner.submit(target.tenantId(), target.connectionId(), Trigger.PUSH_EVENT, repository));
    }
  }

  /** The connection a webhook call authenticated for. */
  public record Target(UUID tenantId, UUID connectionId, boolean enabled) {}

  /** One push or delete, as the registry reported it. */
  public record Event(String id, String action, String repository, String tag, String digest, Instant occurredAt) {}
}
