package io.portcullis.registry;

import java.util.UUID;

/** What happened to registry connections, as past-tense facts for the audit log. */
public final class RegistryEvents {

  private RegistryEvents() {}

  /** {@code change} is one of added, changed, enabled, disabled, deleted, webhook-secret-rotated. */
  public record ConnectionChanged(UUID tenantId, UUID connectionId, String name, String change, String actor, String detail) {}

  /** A discovery run ended; {@code error} is null when it succeeded. */
  public record DiscoveryFinished(
      UUID tenantId, UUID connectionId, UUID runId, int repositories, int images, int tags, int failures, String error) {}
}
