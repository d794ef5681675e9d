package io.portcullis.audit;

import java.time.Instant;

/** One recorded event; {@code seq} is its place in the tenant's chain. */
public record AuditEvent(
    long seq,
    Instant occurredAt,
    String actor,
    String action,
    String target,
    Outcome outcome,
    String sourceIp,
    String userAgent,
    String detail) {

  public enum Outcome {
    SUCCESS,
    FAILURE
  }
}
