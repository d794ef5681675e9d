package io.portcullis.findings;

import io.portcullis.findings.internal.MatchRun;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Matches stored inventories against the advisories: one image (after a scan), or every image of every tenant (after
 * the advisories changed) — never pulling an image, only reading what its scan stored.
 */
@Service
public class Rematching {

  private final MatchRun.Factory runs;

  Rematching(MatchRun.Factory runs) {
    this.runs = runs;
  }

  /** What a match did to one image's findings. */
  public record ImageResult(UUID imageId, int open, int opened, int fixed, int problems) {}

  /** What a whole re-match did. */
  public record RunResult(int tenants, int images, int opened, int fixed, long advisoryLookups, long millis) {}

  /** Matches one image of the current tenant. */
  public ImageResult matchImage(UUID imageId) {
    return runs.start().matchImage(imageId);
  }

  /** Matches every image with a stored inventory, tenant by tenant, each image in its own transaction. */
  public RunResult matchAll() {
    return runs.start().matchAll();
  }
}
