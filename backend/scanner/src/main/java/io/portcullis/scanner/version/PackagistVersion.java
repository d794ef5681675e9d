package io.portcullis.scanner.version;

import java.util.List;

/**
 * PHP package versions (Packagist, Composer), ordered as PHP's {@code version_compare} orders them after the clean-up
 * OSV applies to Packagist versions (a leading {@code v} dropped).
 *
 * <p>Written by hand: PHP's function is C in the interpreter; its rules are documented (PHP manual, {@code
 * version_compare}): {@code -}, {@code _}, {@code +} and other punctuation become dots, a dot goes between letters and digits, then part
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

  private String canonical(String version) {
    validate(version);
    String v = version.strip();
    if (v.startsWith("v") || v.startsWith("V")) {
      v = v.substring(1);
    }
    StringBuilder out = new StringBuilder();
    char previous = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!Character.isLetterOrDigit(c) || c > 0x7f) {
        c = '.'; // "-", "_", "+" and any other punctuation separate, as in PHP's canonical form
      }
      boolean boundary = out.length() > 0 && c != '.' && previous != '.'
          && Numerals.isDigit(c) != Numerals.isDigit(previous);
      if (boundary || (c == '.' && previous != '.' && out.length() > 0)) {
        out.append('.');
      }
      if (c != '.') {
        out.append(c);
      }
      previous = c;
    }
    return out.toString();
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
      return Numerals.isDigit(x[i].charAt(0)) ? 1 : comparePart(x[i], NUMBER);
    }
    if (i < y.length) {
      return Numerals.isDigit(y[i].charAt(0)) ? -1 : comparePart(NUMBER, y[i]);
    }
    return 0;
  }

  /** PHP splits on dots and skips empty parts. */
  private static String[] parts(String canonical) {
    return java.util.Arrays.stream(canonical.split("\\.")).filter(p -> !p.isEmpty()).toArray(String[]::new);
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
