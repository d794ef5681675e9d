package io.portcullis.scanner.severity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One severity scale for every source, worst first. CVSS scores map onto it through each version's rating table;
 * advisory databases that rate in words map onto it through {@link #ofWord}. {@link #UNKNOWN} is what a record gets
 * when it says nothing we can read, so that "no rating" is never mistaken for "not severe".
 */
public enum Severity {
  CRITICAL("Critical"),
  HIGH("High"),
  MEDIUM("Medium"),
  LOW("Low"),
  NONE("None"),
  UNKNOWN("Unknown");

  /**
   * The words advisory databases use, lower-cased. Sources: GitHub advisories ({@code database_specific.severity}:
   * CRITICAL, HIGH, MODERATE, LOW), Bitnami (Critical, High, Medium, Low, None, Unknown), Red Hat and the rebuilds that
   * copy its advisories such as AlmaLinux and Rocky (Critical, Important, Moderate, Low), SUSE (critical, important,
   * moderate, low), Debian's security tracker urgency (high, medium, low, unimportant; "not yet assigned" and
   * "end-of-life" say nothing about severity), Ubuntu priorities, which OSV carries as severity type {@code Ubuntu}
   * (critical, high, medium, low, negligible; untriaged says nothing). Debian's "unimportant" and Ubuntu's "negligible"
   * (a flaw that is real but of no practical consequence) count as {@link #LOW}, not {@link #NONE}: the flaw exists.
   */
  private static final Map<String, Severity> WORDS =
      Map.ofEntries(
          Map.entry("critical", CRITICAL),
          Map.entry("high", HIGH),
          Map.entry("important", HIGH),
          Map.entry("medium", MEDIUM),
          Map.entry("moderate", MEDIUM),
          Map.entry("low", LOW),
          Map.entry("unimportant", LOW),
          Map.entry("negligible", LOW),
          Map.entry("none", NONE));

  /** No severity word is longer; anything longer is not one. */
  private static final int LONGEST_WORD = "unimportant".length();

  private static final BigDecimal FOUR = new BigDecimal("4.0");
  private static final BigDecimal SEVEN = new BigDecimal("7.0");
  private static final BigDecimal NINE = new BigDecimal("9.0");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  /** The rating as the specifications and advisories write it: {@code Critical}. */
  public String label() {
    return label;
  }

  /**
   * The severity an advisory database states in words ({@code MODERATE}, {@code Important}, {@code unimportant}), case
   * and surrounding white space ignored; {@link #UNKNOWN} for {@code null}, blank and every word not in the list
   * above, including "unknown", "untriaged" and "not yet assigned".
   */
  public static Severity ofWord(String word) {
    if (word == null) {
      return UNKNOWN;
    }
    String trimmed = word.strip();
    if (trimmed.length() > LONGEST_WORD) {
      return UNKNOWN;
    }
    return WORDS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), UNKNOWN);
  }

  /**
   * The severity Red Hat-style advisories put at the start of their title ({@code "Important: kernel security
   * update"}), as AlmaLinux's OSV records do in their {@code summary}; those records carry no other rating. {@link
   * #UNKNOWN} when the title does not start with a severity word and a colon (bug-fix and enhancement advisories).
   */
  public static Severity ofAdvisoryTitle(String title) {
    if (title == null) {
      return UNKNOWN;
    }
    int colon = title.indexOf(':');
    if (colon < 1 || colon > LONGEST_WORD) {
      return UNKNOWN;
    }
    return ofWord(title.substring(0, colon));
  }

  /**
   * The qualitative rating of a CVSS score under {@code version}'s table. v3.0, v3.1 and v4.0 (specification section
   * 5 in v3, Table 31 in v4): None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. v2 defines no
   * rating; the table everyone uses is NVD's: Low 0.0-3.9, Medium 4.0-6.9, High 7.0-10.0.
   */
  public static Severity ofCvss(CvssVersion version, BigDecimal score) {
    Objects.requireNonNull(version, "version");
    if (score.signum() < 0 || score.compareTo(BigDecimal.TEN) > 0) {
      throw new IllegalArgumentException("CVSS scores run from 0.0 to 10.0, not " + score);
    }
    if (version == CvssVersion.V2_0) {
      return score.compareTo(SEVEN) >= 0 ? HIGH : score.compareTo(FOUR) >= 0 ? MEDIUM : LOW;
    }
    if (score.signum() == 0) {
      return NONE;
    }
    if (score.compareTo(NINE) >= 0) {
      return CRITICAL;
    }
    return score.compareTo(SEVEN) >= 0 ? HIGH : score.compareTo(FOUR) >= 0 ? MEDIUM : LOW;
  }
}
