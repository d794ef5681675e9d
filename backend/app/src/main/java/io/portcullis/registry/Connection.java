package io.portcullis.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's connection to one registry, as it may be shown: the credential itself is never part of it, only whether one
 * is stored.
 */
public record Connection(
    UUID id,
    String name,
    ConnectionKind kind,
    String endpoint,
    Authentication authentication,
    String username,
    String azureTenantId,
    boolean hasSecret,
    String caCertificates,
    List<String> includeRepositories,
    List<String> excludeRepositories,
    boolean enabled,
    Duration discoveryInterval,
    boolean hasWebhookSecret,
    Health health,
    String healthReason,
    Instant healthCheckedAt,
    Instant lastDiscoveryAt,
    int maxConcurrentRequests,
    int requestsPerSecond) {

  public enum Health {
    UNKNOWN,
    HEALTHY,
    UNHEALTHY
  }
}
