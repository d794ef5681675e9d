package io.portcullis.registry;

import java.util.UUID;

/** What happened to registry connections, as past-tense facts for the audit log. */
public final class RegistryEvents {

  private RegistryEvents() {}

  /** {@code change} is one of added, changed, enabled, disabled, deleted, webhook-secret-rotated. */
  public record ConnectionChanged(UUID tenantId, UUID connectionId, String name, String change, String actor, String detail) {}

  /**
   * A discovery run ended; {@code error} is null when it succeeded. {@code trigger} says who asked for it
   * ({@code MANUAL}, {@code PUSH_EVENT}, {@code SCHEDULE}), and so how urgent the scans of what it found are.
   */
  public record DiscoveryFinished(
      UUID tenantId, UUID connectionId, UUID runId, int repositories, int images, int tags, int failures, String error,
      String trigger) {}
}
