package io.portcullis.findings;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One vulnerability of one package of one image, as shown and exported.
 *
 * @param vulnerability its name: the CVE when one is known
 * @param identifiers every id of every advisory that matched
 * @param evidence per advisory: matcher, ecosystem and name searched, version compared, the range that matched, the fix
 */
public record Finding(
    UUID id,
    UUID imageId,
    String vulnerability,
    List<String> identifiers,
    String packageType,
    String packageName,
    String packageVersion,
    String packagePurl,
    String packagePath,
    String layer,
    String fixedVersion,
    String severity,
    BigDecimal cvssScore,
    String cvssVector,
    Float epss,
    Float epssPercentile,
    boolean kev,
    String summary,
    List<Evidence> evidence,
    String status,
    Instant openedAt,
    Instant fixedAt,
    Instant lastMatchedAt) {

  /** Why an advisory matched the package. */
  public record Evidence(
      String advisory, String matcher, String ecosystem, String name, String version, String scheme, String range,
      String fixed) {}
}
