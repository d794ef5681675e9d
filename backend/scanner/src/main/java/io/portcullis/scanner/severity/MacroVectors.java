package io.portcullis.scanner.severity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of CVSS v4.0 scoring, as published with the specification in FIRST's reference calculator
 * (github.com/FIRSTdotorg/cvss-v4-calculator, from RedHatProductSecurity/cvss-v4-calculator): the score of each of
 * the 270 macrovectors ({@code cvss_lookup.js}), the highest-severity vectors of each equivalence class level ({@code
 * max_composed.js}; EQ5's are its single exploit maturity value, at distance 0 from every vector of the level) and the
 * depth of each level in severity-distance steps ({@code max_severity.js}). A macrovector is the six equivalence-class
 * levels EQ1 to EQ6, written as six digits ({@code 001100}).
 */
final class MacroVectors {

  /**
   * Macrovector scores. Each line is one EQ1 EQ2 EQ3 EQ4 prefix followed by the scores for EQ5 EQ6 = 00, 01, 10, 11,
   * 20, 21; when EQ3 is 2, EQ6 can only be 1 (no high vulnerable-system impact to pair with a high requirement), so
   * those lines give 01, 11, 21.
   */
  private static final String SCORES =
      """
      0000 10 9.9 9.8 9.5 9.5 9.2
      0001 10 9.6 9.3 8.7 9.1 8.1
      0002 9.3 9 8.9 8 8.1 6.8
      0010 9.8 9.5 9.5 9.2 9 8.4
      0011 9.3 9.2 8.9 8.1 8.1 6.5
      0012 8.8 8 7.8 7 6.9 4.8
      0020 9.2 8.2 7.2
      0021 7.9 6.9 5
      0022 6.9 5.5 2.7
      0100 9.9 9.7 9.5 9.2 9.2 8.5
      0101 9.5 9.1 9 8.3 8.4 7.1
      0102 9.2 8.1 8.2 7.1 7.2 5.3
      0110 9.5 9.3 9.2 8.5 8.5 7.3
      0111 9.2 8.2 8 7.2 7 5.9
      0112 8.4 7 7.1 5.2 5 3
      0120 8.6 7.5 5.2
      0121 7.1 5.2 2.9
      0122 6.3 2.9 1.7
      1000 9.8 9.5 9.4 8.7 9.1 8.1
      1001 9.4 8.9 8.6 7.4 7.7 6.4
      1002 8.7 7.5 7.4 6.3 6.3 4.9
      1010 9.4 8.9 8.8 7.7 7.6 6.7
      1011 8.6 7.6 7.4 5.8 5.9 5
      1012 7.2 5.7 5.7 5.2 5.2 2.5
      1020 8.3 7 5.4
      1021 6.5 5.8 2.6
      1022 5.3 2.1 1.3
      1100 9.5 9 8.8 7.6 7.6 7
      1101 9 7.7 7.5 6.2 6.1 5.3
      1102 7.7 6.6 6.8 5.9 5.2 3
      1110 8.9 7.8 7.6 6.7 6.2 5.8
      1111 7.4 5.9 5.7 5.7 4.7 2.3
      1112 6.1 5.2 5.7 2.9 2.4 1.6
      1120 7.1 5.9 3
      1121 5.8 2.6 1.5
      1122 2.3 1.3 0.6
      2000 9.3 8.7 8.6 7.2 7.5 5.8
      2001 8.6 7.4 7.4 6.1 5.6 3.4
      2002 7 5.4 5.2 4 4 2.2
      2010 8.5 7.5 7.4 5.5 6.2 5.1
      2011 7.2 5.7 5.5 4.1 4.6 1.9
      2012 5.3 3.6 3.4 1.9 1.9 0.8
      2020 6.4 5.1 2
      2021 4.7 2.1 1.1
      2022 2.4 0.9 0.4
      2100 8.8 7.5 7.3 5.3 6 5
      2101 7.3 5.5 5.9 4 4.1 2
      2102 5.4 4.3 4.5 2.2 2 1.1
      2110 7.5 5.5 5.8 4.5 4 2.1
      2111 6.1 5.1 4.8 1.8 2 0.9
      2112 4.6 1.8 1.7 0.7 0.8 0.2
      2120 5.3 2.4 1.4
      2121 2.4 1.2 0.5
      2122 1 0.3 0.1
      """;

  private static final String[] SUFFIXES = {"00", "01", "10", "11", "20", "21"};
  private static final String[] LOW_IMPACT_SUFFIXES = {"01", "11", "21"};
  private static final Map<String, Double> SCORE_BY_MACROVECTOR = scores();

  /** The highest-severity vectors of each EQ1 level; the order matters, the first one that fits is used. */
  static final List<List<Map<String, String>>> EQ1_MAX =
      List.of(
          vectors("AV:N/PR:N/UI:N"),
          vectors("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
          vectors("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"));

  static final List<List<Map<String, String>>> EQ2_MAX =
      List.of(vectors("AC:L/AT:N"), vectors("AC:H/AT:N", "AC:L/AT:P"));

  private static final List<Map<String, String>> EQ3_0_EQ6_0_MAX = vectors("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H");
  private static final List<Map<String, String>> EQ3_0_EQ6_1_MAX =
      vectors("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M");
  private static final List<Map<String, String>> EQ3_1_EQ6_0_MAX =
      vectors("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H");
  private static final List<Map<String, String>> EQ3_1_EQ6_1_MAX =
      vectors(
          "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
          "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
          "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
          "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
          "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M");
  private static final List<Map<String, String>> EQ3_2_EQ6_1_MAX = vectors("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H");

  static final List<List<Map<String, String>>> EQ4_MAX =
      List.of(vectors("SC:H/SI:S/SA:S"), vectors("SC:H/SI:H/SA:H"), vectors("SC:L/SI:L/SA:L"));

  /** Depth of each level in steps of 0.1 severity distance ("max severity distances ... (+1)"). */
  static final int[] EQ1_DEPTH = {1, 4, 5};

  static final int[] EQ2_DEPTH = {1, 2};

  /** By EQ3 level, then EQ6 level; 0 where the pair does not exist. */
  static final int[][] EQ3_EQ6_DEPTH = {{7, 6}, {8, 8}, {0, 10}};

  static final int[] EQ4_DEPTH = {6, 5, 4};

  private MacroVectors() {}

  /** EQ3 and EQ6 are scored together; EQ3 level 2 exists only with EQ6 level 1. */
  static List<Map<String, String>> eq3Eq6Max(int eq3, int eq6) {
    return switch (eq3 * 10 + eq6) {
      case 0 -> EQ3_0_EQ6_0_MAX;
      case 1 -> EQ3_0_EQ6_1_MAX;
      case 10 -> EQ3_1_EQ6_0_MAX;
      case 11 -> EQ3_1_EQ6_1_MAX;
      case 21 -> EQ3_2_EQ6_1_MAX;
      default -> throw new IllegalArgumentException("no macrovector has EQ3 " + eq3 + " with EQ6 " + eq6);
    };
  }

  /** The score of a macrovector, or {@code NaN} when the levels name none (the level below the lowest). */
  static double score(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
    Double score = SCORE_BY_MACROVECTOR.get("" + eq1 + eq2 + eq3 + eq4 + eq5 + eq6);
    return score == null ? Double.NaN : score;
  }

  private static Map<String, Double> scores() {
    Map<String, Double> scores = new HashMap<>();
    for (String line : SCORES.strip().split("\n")) {
      String[] fields = line.strip().split(" ");
      String prefix = fields[0];
      boolean lowImpact = prefix.charAt(2) == '2';
      String[] suffixes = lowImpact ? LOW_IMPACT_SUFFIXES : SUFFIXES;
      if (fields.length != suffixes.length + 1) {
        throw new IllegalStateException("macrovector table line " + prefix + " has " + (fields.length - 1) + " scores");
      }
      for (int i = 0; i < suffixes.length; i++) {
        scores.put(prefix + suffixes[i], Double.parseDouble(fields[i + 1]));
      }
    }
    if (scores.size() != 270) {
      throw new IllegalStateException("the macrovector table has " + scores.size() + " entries, not 270");
    }
    return Map.copyOf(scores);
  }

  private static List<Map<String, String>> vectors(String... vectors) {
    List<Map<String, String>> parsed = new ArrayList<>();
    for (String vector : vectors) {
      Map<String, String> metrics = new LinkedHashMap<>();
      for (String metric : vector.split("/")) {
        String[] nameAndValue = metric.split(":");
        metrics.put(nameAndValue[0], nameAndValue[1]);
      }
      parsed.add(Map.copyOf(metrics));
    }
    return List.copyOf(parsed);
  }
}
