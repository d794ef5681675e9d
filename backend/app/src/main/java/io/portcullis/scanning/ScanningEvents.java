package io.portcullis.scanning;

import java.util.UUID;

/** What scanning did, as past-tense facts. */
public final class ScanningEvents {

  private ScanningEvents() {}

  /** An image was analysed and matched: {@code layersCached} of its {@code layers} came from the layer cache. */
  public record ImageScanned(UUID tenantId, UUID imageId, UUID jobId, int packages, int layers, int layersCached,
      long bytesPulled, int openFindings) {}

  /** An image's scan failed for good (after its retries, or at once when another attempt cannot help). */
  public record ScanFailed(UUID tenantId, UUID imageId, UUID jobId, String reason, int attempts) {}
}
