package io.portcullis.api;

import java.time.Instant;
import java.util.UUID;

/** What happened to API tokens, as past-tense facts for the audit log. */
public final class ApiEvents {

  private ApiEvents() {}

  /** An Admin made a token. */
  public record TokenCreated(
      UUID tenantId, UUID tokenId, String name, ApiScope scope, String prefix, Instant expiresAt, String actor) {}

  /** An Admin revoked a token; it is refused from now on. */
  public record TokenRevoked(UUID tenantId, UUID tokenId, String name, String prefix, String actor) {}
}
