package io.portcullis.api;

import java.time.Instant;
import java.util.UUID;

/**
 * An API token as it may be shown: never the token itself, which exists only in the answer that made it, but its
 * recognisable prefix.
 */
public record ApiToken(
    UUID id,
    String name,
    ApiScope scope,
    String prefix,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    String revokedBy,
    Instant lastUsedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  public boolean expired() {
    return !expiresAt.isAfter(Instant.now());
  }

  /** Usable: neither revoked nor expired. */
  public boolean active() {
    return !revoked() && !expired();
  }

  /** How the token starts, for recognising it: {@code pcl_ab12cd34_…}. */
  public String display() {
    return ApiTokens.PREFIX + prefix + "_…";
  }
}
