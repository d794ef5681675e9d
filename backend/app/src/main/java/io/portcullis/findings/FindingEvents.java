package io.portcullis.findings;

import java.util.UUID;

/** What happens to findings, for alerts and the audit trail. */
public final class FindingEvents {

  private FindingEvents() {}

  /** A vulnerability newly affects a package of an image (or affects it again). */
  public record FindingOpened(UUID tenantId, UUID imageId, UUID findingId, String vulnerability, String severity, String packageName,
      String packageVersion) {}

  /** A vulnerability no longer affects a package of an image: the package changed or the advisory did. */
  public record FindingFixed(UUID tenantId, UUID imageId, UUID findingId, String vulnerability) {}

  /** An image's inventory was matched: how many findings are open now, and how many opened and were fixed. */
  public record ImageMatched(UUID tenantId, UUID imageId, int open, int opened, int fixed) {}

  /**
   * People (or an expiry) changed what an open finding means: {@code scope} says whether the decision was about this
   * finding, a vulnerability in a package, a vulnerability across a repository, or an accepted risk that expired.
   */
  public record FindingTriaged(UUID tenantId, UUID findingId, String vulnerability, String from, String to,
      String actor, String scope, String justification) {}
}
