package io.portcullis.scanner.severity;

import io.portcullis.scanner.severity.CvssMetric.Group;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Scores CVSS vectors. v2.0, v3.0 and v3.1 base scores come from {@code us.springett:cvss-calculator}, which agrees
 * with FIRST's formulas on every v3 base vector (the v3.1 Roundup function included) and with NVD's on every v2 base
 * vector; its parser is lenient (a duplicate metric overrides, {@code A:Hx} reads as {@code A:H}), so it only ever sees
 * vectors {@link CvssVector} has checked. v4.0 is {@link CvssV4}, FIRST's macrovector algorithm.
 */
public final class Cvss {

  private Cvss() {}

  /** Parses and scores {@code vector}; throws {@link InvalidCvssVectorException} with the reason when it is invalid. */
  public static CvssScore parse(String vector) {
    return score(CvssVector.parse(vector));
  }

  /** Scores a checked vector. */
  public static CvssScore score(CvssVector vector) {
    if (vector.version() == CvssVersion.V4_0) {
      BigDecimal score = CvssV4.score(vector.metrics());
      BigDecimal base = vector.defines(Group.THREAT) || vector.defines(Group.ENVIRONMENTAL)
          ? CvssV4.score(vector.baseMetrics())
          : score;
      String nomenclature = "CVSS-B" + (vector.defines(Group.THREAT) ? "T" : "")
          + (vector.defines(Group.ENVIRONMENTAL) ? "E" : "");
      return new CvssScore(vector, base, score, nomenclature, Severity.ofCvss(CvssVersion.V4_0, score));
    }
    BigDecimal base = earlierVersionBaseScore(vector);
    return new CvssScore(vector, base, base, "CVSS-B", Severity.ofCvss(vector.version(), base));
  }

  private static BigDecimal earlierVersionBaseScore(CvssVector vector) {
    StringJoiner base = new StringJoiner("/");
    if (vector.version() != CvssVersion.V2_0) {
      base.add("CVSS:" + vector.version().label());
    }
    for (Map.Entry<String, String> metric : vector.baseMetrics().entrySet()) {
      base.add(metric.getKey() + ":" + metric.getValue());
    }
    // the library chooses v3.1, v3.0 or v2 from the prefix, as we do
    us.springett.cvss.Cvss parsed = us.springett.cvss.Cvss.fromVector(base.toString());
    if (parsed == null) {
      throw new IllegalStateException("the CVSS library refused a checked vector: " + base);
    }
    double score = parsed.calculateScore().getBaseScore();
    return BigDecimal.valueOf(score).setScale(1, RoundingMode.HALF_UP);
  }
}
