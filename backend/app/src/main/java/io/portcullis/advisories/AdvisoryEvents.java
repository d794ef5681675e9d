package io.portcullis.advisories;

import java.util.UUID;

/** What happened to the advisory database, as past-tense facts for the audit log. */
public final class AdvisoryEvents {

  private AdvisoryEvents() {}

  /**
   * An administrator of {@code tenantId} asked for an import now; {@code feeds} names what was asked for ("all feeds",
   * "OSV Debian", "EPSS").
   */
  public record ImportRequested(UUID tenantId, String actor, String feeds) {}

  /**
   * An import changed the advisory database: {@code changed} records (OSV) or rows (EPSS, KEV) were written. Stored
   * inventories are matched again after it.
   */
  public record AdvisoriesChanged(String feed, String ecosystem, int changed) {}
}
