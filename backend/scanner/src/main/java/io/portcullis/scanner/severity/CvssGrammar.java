package io.portcullis.scanner.severity;

import io.portcullis.scanner.severity.CvssMetric.Group;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of each CVSS version, in the order its specification lists them, which is the order of a normalised
 * vector. Sources: the CVSS v2 guide section 2 (first.org/cvss/v2/guide), the v3.0 and v3.1 specifications section 6
 * (Table 15), the v4.0 specification section 7 (Table 23).
 */
final class CvssGrammar {

  private static final Map<String, CvssMetric> V2 =
      index(
          List.of(
              metric("AV", Group.BASE, "L", "A", "N"),
              metric("AC", Group.BASE, "H", "M", "L"),
              metric("Au", Group.BASE, "M", "S", "N"),
              metric("C", Group.BASE, "N", "P", "C"),
              metric("I", Group.BASE, "N", "P", "C"),
              metric("A", Group.BASE, "N", "P", "C"),
              metric("E", Group.THREAT, "U", "POC", "F", "H", "ND"),
              metric("RL", Group.THREAT, "OF", "TF", "W", "U", "ND"),
              metric("RC", Group.THREAT, "UC", "UR", "C", "ND"),
              metric("CDP", Group.ENVIRONMENTAL, "N", "L", "LM", "MH", "H", "ND"),
              metric("TD", Group.ENVIRONMENTAL, "N", "L", "M", "H", "ND"),
              metric("CR", Group.ENVIRONMENTAL, "L", "M", "H", "ND"),
              metric("IR", Group.ENVIRONMENTAL, "L", "M", "H", "ND"),
              metric("AR", Group.ENVIRONMENTAL, "L", "M", "H", "ND")));

  private static final Map<String, CvssMetric> V3 =
      index(
          List.of(
              metric("AV", Group.BASE, "N", "A", "L", "P"),
              metric("AC", Group.BASE, "L", "H"),
              metric("PR", Group.BASE, "N", "L", "H"),
              metric("UI", Group.BASE, "N", "R"),
              metric("S", Group.BASE, "U", "C"),
              metric("C", Group.BASE, "H", "L", "N"),
              metric("I", Group.BASE, "H", "L", "N"),
              metric("A", Group.BASE, "H", "L", "N"),
              metric("E", Group.THREAT, "X", "H", "F", "P", "U"),
              metric("RL", Group.THREAT, "X", "U", "W", "T", "O"),
              metric("RC", Group.THREAT, "X", "C", "R", "U"),
              metric("CR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("IR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("AR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("MAV", Group.ENVIRONMENTAL, "X", "N", "A", "L", "P"),
              metric("MAC", Group.ENVIRONMENTAL, "X", "L", "H"),
              metric("MPR", Group.ENVIRONMENTAL, "X", "N", "L", "H"),
              metric("MUI", Group.ENVIRONMENTAL, "X", "N", "R"),
              metric("MS", Group.ENVIRONMENTAL, "X", "U", "C"),
              metric("MC", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MI", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MA", Group.ENVIRONMENTAL, "X", "H", "L", "N")));

  private static final Map<String, CvssMetric> V4 =
      index(
          List.of(
              metric("AV", Group.BASE, "N", "A", "L", "P"),
              metric("AC", Group.BASE, "L", "H"),
              metric("AT", Group.BASE, "N", "P"),
              metric("PR", Group.BASE, "N", "L", "H"),
              metric("UI", Group.BASE, "N", "P", "A"),
              metric("VC", Group.BASE, "H", "L", "N"),
              metric("VI", Group.BASE, "H", "L", "N"),
              metric("VA", Group.BASE, "H", "L", "N"),
              metric("SC", Group.BASE, "H", "L", "N"),
              metric("SI", Group.BASE, "H", "L", "N"),
              metric("SA", Group.BASE, "H", "L", "N"),
              metric("E", Group.THREAT, "X", "A", "P", "U"),
              metric("CR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("IR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("AR", Group.ENVIRONMENTAL, "X", "H", "M", "L"),
              metric("MAV", Group.ENVIRONMENTAL, "X", "N", "A", "L", "P"),
              metric("MAC", Group.ENVIRONMENTAL, "X", "L", "H"),
              metric("MAT", Group.ENVIRONMENTAL, "X", "N", "P"),
              metric("MPR", Group.ENVIRONMENTAL, "X", "N", "L", "H"),
              metric("MUI", Group.ENVIRONMENTAL, "X", "N", "P", "A"),
              metric("MVC", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MVI", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MVA", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MSC", Group.ENVIRONMENTAL, "X", "H", "L", "N"),
              metric("MSI", Group.ENVIRONMENTAL, "X", "S", "H", "L", "N"),
              metric("MSA", Group.ENVIRONMENTAL, "X", "S", "H", "L", "N"),
              metric("S", Group.SUPPLEMENTAL, "X", "N", "P"),
              metric("AU", Group.SUPPLEMENTAL, "X", "N", "Y"),
              metric("R", Group.SUPPLEMENTAL, "X", "A", "U", "I"),
              metric("V", Group.SUPPLEMENTAL, "X", "D", "C"),
              metric("RE", Group.SUPPLEMENTAL, "X", "L", "M", "H"),
              metric("U", Group.SUPPLEMENTAL, "X", "Clear", "Green", "Amber", "Red")));

  private CvssGrammar() {}

  /** The metrics of {@code version} by abbreviation, in specification order. */
  static Map<String, CvssMetric> metrics(CvssVersion version) {
    return switch (version) {
      case V2_0 -> V2;
      case V3_0, V3_1 -> V3;
      case V4_0 -> V4;
    };
  }

  /** The value that says "not defined": {@code ND} in v2, {@code X} since v3. */
  static String notDefined(CvssVersion version) {
    return version == CvssVersion.V2_0 ? "ND" : "X";
  }

  private static CvssMetric metric(String name, Group group, String... values) {
    return new CvssMetric(name, group, List.of(values));
  }

  private static Map<String, CvssMetric> index(List<CvssMetric> metrics) {
    Map<String, CvssMetric> byName = new LinkedHashMap<>();
    for (CvssMetric metric : metrics) {
      byName.put(metric.name(), metric);
    }
    return Collections.unmodifiableMap(byName);
  }
}
