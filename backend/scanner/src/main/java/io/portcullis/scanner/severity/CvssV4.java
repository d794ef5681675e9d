package io.portcullis.scanner.severity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * CVSS v4.0 scoring as the specification (section 8.2) describes it and FIRST's reference calculator computes it,
 * whose results are the standard. The vector's equivalence classes EQ1 to EQ6 name a macrovector, whose score comes
 * from {@link MacroVectors}; the vector's severity distance from the most severe vectors of its macrovector, as a
 * share of the macrovector's depth, then moves the score toward the next lower macrovectors, one equivalence class at
 * a time, and the mean of those moves is subtracted.
 *
 * <p>Threat and environmental metrics take part as the reference has them: a modified metric replaces its base
 * metric, and an exploit maturity or security requirement left not defined counts as its worst case (E:A, CR/IR/AR:H).
 * Supplemental metrics never change the score.
 *
 * <p>The arithmetic is binary floating point in the reference's order, so that the same vector gives the same digit;
 * the result is rounded half up to one decimal after adding 10<sup>-6</sup>, as the reference does since late 2024
 * (before, 8.55 computed as 8.5499999… rounded down).
 */
final class CvssV4 {

  private static final double STEP = 0.1;
  private static final double EPSILON = 1e-6;

  private static final List<String> IMPACT_METRICS = List.of("VC", "VI", "VA", "SC", "SI", "SA");

  /**
   * The metrics whose severity distance is measured, by equivalence class: EQ1, EQ2, EQ3 with EQ6, EQ4. The order
   * within a class is the reference's order of summing, which floating point makes part of the result.
   */
  private static final List<List<String>> CLASS_METRICS =
      List.of(
          List.of("AV", "PR", "UI"),
          List.of("AC", "AT"),
          List.of("VC", "VI", "VA", "CR", "IR", "AR"),
          List.of("SC", "SI", "SA"));

  /** Each value's severity level, 0.1 apart, most severe lowest. */
  private static final Map<String, Map<String, Double>> LEVELS =
      Map.ofEntries(
          Map.entry("AV", Map.of("N", 0.0, "A", 0.1, "L", 0.2, "P", 0.3)),
          Map.entry("PR", Map.of("N", 0.0, "L", 0.1, "H", 0.2)),
          Map.entry("UI", Map.of("N", 0.0, "P", 0.1, "A", 0.2)),
          Map.entry("AC", Map.of("L", 0.0, "H", 0.1)),
          Map.entry("AT", Map.of("N", 0.0, "P", 0.1)),
          Map.entry("VC", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
          Map.entry("VI", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
          Map.entry("VA", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
          Map.entry("SC", Map.of("H", 0.1, "L", 0.2, "N", 0.3)),
          Map.entry("SI", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
          Map.entry("SA", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
          Map.entry("CR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
          Map.entry("IR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
          Map.entry("AR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)));

  private CvssV4() {}

  /** The score of a checked v4.0 vector's metrics (not-defined metrics absent), one decimal. */
  static BigDecimal score(Map<String, String> metrics) {
    Effective vector = new Effective(metrics);
    if (IMPACT_METRICS.stream().allMatch(metric -> vector.is(metric, "N"))) {
      return BigDecimal.ZERO.setScale(1);
    }
    int eq1 = vector.is("AV", "N") && vector.is("PR", "N") && vector.is("UI", "N") ? 0
        : (vector.is("AV", "N") || vector.is("PR", "N") || vector.is("UI", "N")) && !vector.is("AV", "P") ? 1
        : 2;
    int eq2 = vector.is("AC", "L") && vector.is("AT", "N") ? 0 : 1;
    int eq3 = vector.is("VC", "H") && vector.is("VI", "H") ? 0
        : vector.is("VC", "H") || vector.is("VI", "H") || vector.is("VA", "H") ? 1
        : 2;
    int eq4 = vector.is("MSI", "S") || vector.is("MSA", "S") ? 0
        : vector.is("SC", "H") || vector.is("SI", "H") || vector.is("SA", "H") ? 1
        : 2;
    int eq5 = vector.is("E", "A") ? 0 : vector.is("E", "P") ? 1 : 2;
    int eq6 = vector.is("CR", "H") && vector.is("VC", "H")
        || vector.is("IR", "H") && vector.is("VI", "H")
        || vector.is("AR", "H") && vector.is("VA", "H") ? 0 : 1;

    double value = MacroVectors.score(eq1, eq2, eq3, eq4, eq5, eq6);
    // the next lower macrovector of each class; NaN where there is none
    double lowerEq1 = MacroVectors.score(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
    double lowerEq2 = MacroVectors.score(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
    double lowerEq3Eq6 = lowerEq3Eq6(eq1, eq2, eq3, eq4, eq5, eq6);
    double lowerEq4 = MacroVectors.score(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
    double lowerEq5 = MacroVectors.score(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

    double[] distance =
        distanceFromHighest(
            vector,
            List.of(
                MacroVectors.EQ1_MAX.get(eq1),
                MacroVectors.EQ2_MAX.get(eq2),
                MacroVectors.eq3Eq6Max(eq3, eq6),
                MacroVectors.EQ4_MAX.get(eq4)));
    double distanceEq1 = distance[0];
    double distanceEq2 = distance[1];
    double distanceEq3Eq6 = distance[2];
    double distanceEq4 = distance[3];

    int lowerCount = 0;
    double movedEq1 = 0;
    double movedEq2 = 0;
    double movedEq3Eq6 = 0;
    double movedEq4 = 0;
    if (!Double.isNaN(value - lowerEq1)) {
      lowerCount++;
      movedEq1 = (value - lowerEq1) * (distanceEq1 / (MacroVectors.EQ1_DEPTH[eq1] * STEP));
    }
    if (!Double.isNaN(value - lowerEq2)) {
      lowerCount++;
      movedEq2 = (value - lowerEq2) * (distanceEq2 / (MacroVectors.EQ2_DEPTH[eq2] * STEP));
    }
    if (!Double.isNaN(value - lowerEq3Eq6)) {
      lowerCount++;
      movedEq3Eq6 = (value - lowerEq3Eq6) * (distanceEq3Eq6 / (MacroVectors.EQ3_EQ6_DEPTH[eq3][eq6] * STEP));
    }
    if (!Double.isNaN(value - lowerEq4)) {
      lowerCount++;
      movedEq4 = (value - lowerEq4) * (distanceEq4 / (MacroVectors.EQ4_DEPTH[eq4] * STEP));
    }
    if (!Double.isNaN(lowerEq5)) {
      // every vector of an EQ5 level is at that level's highest severity: the class counts, its move is nil
      lowerCount++;
    }
    double meanMove = lowerCount == 0 ? 0 : (movedEq1 + movedEq2 + movedEq3Eq6 + movedEq4) / lowerCount;
    double score = Math.min(10, Math.max(0, value - meanMove));
    return new BigDecimal(score + EPSILON).setScale(1, RoundingMode.HALF_UP);
  }

  /**
   * EQ3 and EQ6 step down together: 00 to whichever of 01 and 10 scores higher, 01 to 11, 10 to 11, 11 to 21; 21 is
   * the lowest.
   */
  private static double lowerEq3Eq6(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
    if (eq3 == 0 && eq6 == 0) {
      return Math.max(
          MacroVectors.score(eq1, eq2, 0, eq4, eq5, 1), MacroVectors.score(eq1, eq2, 1, eq4, eq5, 0));
    }
    if (eq3 == 1 && eq6 == 0) {
      return MacroVectors.score(eq1, eq2, 1, eq4, eq5, 1);
    }
    if (eq3 == 2) {
      return Double.NaN;
    }
    return MacroVectors.score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
  }

  /**
   * The severity distance of the vector from the highest-severity vectors of its macrovector, summed per equivalence
   * class (EQ1, EQ2, EQ3 with EQ6, EQ4; every vector of an EQ5 level is at its highest). The reference tries the
   * combinations of the classes' highest vectors in order and takes the first one that is at least as severe as the
   * vector in every metric; as each metric belongs to one class, that is each class's first fitting highest vector.
   * When some class has none, the reference ends on its last combination: each class's last highest vector.
   */
  private static double[] distanceFromHighest(Effective vector, List<List<Map<String, String>>> highestByClass) {
    double[] firstFitting = new double[CLASS_METRICS.size()];
    double[] last = new double[CLASS_METRICS.size()];
    boolean everyClassFits = true;
    for (int c = 0; c < CLASS_METRICS.size(); c++) {
      boolean fits = false;
      for (Map<String, String> highest : highestByClass.get(c)) {
        double sum = 0;
        boolean atLeastAsSevere = true;
        for (String metric : CLASS_METRICS.get(c)) {
          Map<String, Double> levels = LEVELS.get(metric);
          double distance = levels.get(vector.value(metric)) - levels.get(highest.get(metric));
          sum += distance;
          atLeastAsSevere &= distance >= 0;
        }
        if (atLeastAsSevere && !fits) {
          firstFitting[c] = sum;
          fits = true;
        }
        last[c] = sum;
      }
      everyClassFits &= fits;
    }
    return everyClassFits ? firstFitting : last;
  }

  /** The value each metric takes for scoring: a modified metric over its base one, worst cases for E, CR, IR, AR. */
  private record Effective(Map<String, String> metrics) {

    String value(String metric) {
      String modified = metrics.get("M" + metric);
      if (modified != null) {
        return modified;
      }
      String value = metrics.get(metric);
      if (value != null) {
        return value;
      }
      return switch (metric) {
        case "E" -> "A";
        case "CR", "IR", "AR" -> "H";
        default -> null;
      };
    }

    boolean is(String metric, String expected) {
      return expected.equals(value(metric));
    }
  }
}
