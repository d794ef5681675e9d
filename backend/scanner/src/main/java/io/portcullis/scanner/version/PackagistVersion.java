package io.portcullis.scanner.version;

import java.util.List;

/**
 * PHP package versions (Packagist, Composer), ordered as PHP's {@code version_compare} orders them after the clean-up
 * OSV applies to Packagist versions (a leading {@code v} dropped).
 *
 * <p>Written by hand: PHP's function is C in the interpreter; its rules are documented (PHP manual, {@code
 * version_compare}) and were checked against PHP 8.2: {@code -}, {@code _}, {@code +} and other punctuation become
 * dots, a dot goes between letters and digits, then part
 * by part, numbers numerically, words by the first of {@code dev < alpha = a < beta = b < RC = rc < (number) < pl = p}
 * they start with, any other word before {@code dev}. When one version runs out, a following number makes the longer
 * one newer; a following word is compared as if the shorter one went on with a number.
 */
public final class PackagistVersion implements VersionScheme {

  public static final PackagistVersion SCHEME = new PackagistVersion();

  /** The special forms in PHP's order of precedence, each with its rank; "#" stands for a number. */
  private static final List<String> FORMS = List.of("dev", "alpha", "a", "beta", "b", "RC", "rc", "#", "pl", "p");
  private static final int[] RANKS = {0, 1, 1, 2, 2, 3, 3, 4, 5, 5};
  private static final String NUMBER = "#N#";

  private PackagistVersion() {}

  @Override
  public String name() {
    return "packagist";
  }

  @Override
  public int compare(String a, String b) {
    return compareCanonical(canonical(a), canonical(b));
  }

  @Override
  public void validate(String version) {
    if (VersionScheme.bounded(name(), version).isBlank()) {
      throw new InvalidVersionException(name(), version, "empty");
    }
  }

  /**
   * PHP's canonical form: {@code -}, {@code _}, {@code +} and any other character that is not a letter or a digit
   * become one dot, a dot goes between a digit and a non-digit, and the first character is kept as it is.
   */
  private String canonical(String version) {
    validate(version);
    String v = version.strip();
    if (v.length() > 1 && (v.startsWith("v") || v.startsWith("V"))) {
      v = v.substring(1);
    }
    StringBuilder out = new StringBuilder().append(v.charAt(0));
    char previous = v.charAt(0);
    for (int i = 1; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean digitChange =
          (isNonDigit(previous) && Numerals.isDigit(c)) || (Numerals.isDigit(previous) && isNonDigit(c));
      if (c == '-' || c == '_' || c == '+') {
        dot(out);
      } else if (digitChange) {
        dot(out);
        out.append(c);
      } else if (!isAsciiAlphanumeric(c)) {
        dot(out);
      } else {
        out.append(c);
      }
      previous = c;
    }
    return out.toString();
  }

  private static void dot(StringBuilder out) {
    if (out.charAt(out.length() - 1) != '.') {
      out.append('.');
    }
  }

  private static boolean isNonDigit(char c) {
    return !Numerals.isDigit(c) && c != '.';
  }

  private static boolean isAsciiAlphanumeric(char c) {
    return Numerals.isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int compareCanonical(String a, String b) {
    String[] x = parts(a);
    String[] y = parts(b);
    int i = 0;
    for (; i < Math.min(x.length, y.length); i++) {
      int c = comparePart(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    if (i < x.length) {
      return Numerals.isDigits(x[i]) ? 1 : comparePart(x[i], NUMBER);
    }
    if (i < y.length) {
      return Numerals.isDigits(y[i]) ? -1 : comparePart(NUMBER, y[i]);
    }
    return 0;
  }

  /** The dot-separated parts; an empty one (a trailing dot) is a word that ranks below every special form. */
  private static String[] parts(String canonical) {
    return canonical.split("\\.", -1);
  }

  private static int comparePart(String a, String b) {
    boolean aNumber = Numerals.isDigits(a);
    boolean bNumber = Numerals.isDigits(b);
    if (aNumber && bNumber) {
      return Numerals.compare(a, b);
    }
    return Integer.compare(rank(aNumber ? NUMBER : a), rank(bNumber ? NUMBER : b));
  }

  /** The rank of the first special form the part starts with (PHP compares prefixes); -1 for any other word. */
  private static int rank(String part) {
    for (int i = 0; i < FORMS.size(); i++) {
      if (part.startsWith(FORMS.get(i))) {
        return RANKS[i];
      }
    }
    return -1;
  }
}
