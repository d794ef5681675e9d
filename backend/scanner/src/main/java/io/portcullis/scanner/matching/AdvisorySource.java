package io.portcullis.scanner.matching;

import io.portcullis.scanner.advisory.OsvRecord;
import java.util.List;
import java.util.Objects;

/**
 * Where matchers find advisories: every affected entry filed under one OSV ecosystem string ({@code Debian:12},
 * {@code Maven}) for one package name, as {@link AdvisoryNames#key} normalises it. The platform reads them from
 * PostgreSQL, tests and the command line from an {@link AdvisoryIndex} in memory. Withdrawn advisories are never
 * returned.
 */
public interface AdvisorySource {

  List<Candidate> affecting(String ecosystem, String nameKey);

  /** One affected entry of one advisory, with the identifiers of that advisory. */
  record Candidate(String advisoryId, List<String> aliases, OsvRecord.Affected affected) {
    public Candidate {
      Objects.requireNonNull(advisoryId, "advisoryId");
      aliases = List.copyOf(aliases);
      Objects.requireNonNull(affected, "affected");
    }
  }
}
