package io.portcullis.scanning;

import java.time.Instant;
import java.util.UUID;

/** One scan of one image, as its tenant sees it. */
public record ScanJob(
    UUID id,
    UUID imageId,
    UUID connectionId,
    String connectionName,
    String repository,
    String digest,
    String trigger,
    String status,
    int attempts,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant nextAttemptAt,
    Integer layers,
    Integer layersCached,
    Long bytesPulled,
    Integer findings,
    String error) {

  public boolean active() {
    return status.equals("QUEUED") || status.equals("RUNNING") || status.equals("RETRYING");
  }
}
