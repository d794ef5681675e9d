package io.portcullis.scanner.severity;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a CVSS vector scores.
 *
 * @param vector the checked, normalised vector
 * @param baseScore the score of the base metrics alone, one decimal
 * @param score the score of the vector as FIRST's calculator shows it, one decimal: for v4.0 the threat and
 *     environmental metrics the vector carries are applied (a {@code CVSS-BT}, {@code -BE} or {@code -BTE} score); for
 *     v2 and v3 it is the base score, as NVD, GitHub and OSV tools report them (their temporal and environmental
 *     metrics are checked, kept in the vector and not applied)
 * @param nomenclature which metric groups {@code score} covers, in the v4.0 specification's terms: {@code CVSS-B},
 *     {@code CVSS-BT}, {@code CVSS-BE} or {@code CVSS-BTE} (always {@code CVSS-B} for v2 and v3)
 * @param rating the rating of {@code score} under the version's table
 */
public record CvssScore(
    CvssVector vector, BigDecimal baseScore, BigDecimal score, String nomenclature, Severity rating) {

  public CvssScore {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(baseScore, "baseScore");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(nomenclature, "nomenclature");
    Objects.requireNonNull(rating, "rating");
  }

  public CvssVersion version() {
    return vector.version();
  }
}
