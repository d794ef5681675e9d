package io.portcullis.scanner.version;

/**
 * The order used for a format with no scheme of its own (an ecosystem the scanner does not know yet, a version string
 * from a file nobody specified). It never refuses a non-empty version; it is a best effort, and findings made with it
 * say so. The rules, in order:
 *
 * <ol>
 *   <li>Surrounding blanks, a leading {@code v} or {@code V} and anything from {@code +} on (build metadata) are
 *       ignored.
 *   <li>The rest splits into runs of ASCII digits and runs of letters; every other character only separates runs.
 *   <li>Runs compare pairwise: digit runs numerically (any length), letter runs alphabetically ignoring case, and a
 *       digit run is newer than a letter run ({@code 1.0.1 > 1.0.rc1}).
 *   <li>When one version runs out of runs, it is newer if the other goes on with letters (a pre-release tag: {@code
 *       1.0 > 1.0-beta}), older if the other goes on with digits ({@code 1.0 < 1.0.1}), and equal if neither goes on.
 * </ol>
 *
 * <p>Trailing zeros count ({@code 1.0 < 1.0.0}, rule 4): formats where they do not have a scheme of their own.
 */
public final class FallbackVersion implements VersionScheme {

  public static final FallbackVersion SCHEME = new FallbackVersion();

  private FallbackVersion() {}

  @Override
  public String name() {
    return "fallback";
  }

  @Override
  public int compare(String a, String b) {
    String x = core(a);
    String y = core(b);
    int i = 0;
    int j = 0;
    while (true) {
      i = skipSeparators(x, i);
      j = skipSeparators(y, j);
      if (i == x.length() || j == y.length()) {
        if (i == x.length() && j == y.length()) {
          return 0;
        }
        return i == x.length() ? (isLetter(y.charAt(j)) ? 1 : -1) : (isLetter(x.charAt(i)) ? -1 : 1);
      }
      boolean xDigits = Numerals.isDigit(x.charAt(i));
      boolean yDigits = Numerals.isDigit(y.charAt(j));
      if (xDigits != yDigits) {
        return xDigits ? 1 : -1;
      }
      int xEnd = xDigits ? Numerals.digitsEnd(x, i) : lettersEnd(x, i);
      int yEnd = yDigits ? Numerals.digitsEnd(y, j) : lettersEnd(y, j);
      int c = xDigits ? Numerals.compare(x, i, xEnd, y, j, yEnd)
          : Integer.signum(x.substring(i, xEnd).compareToIgnoreCase(y.substring(j, yEnd)));
      if (c != 0) {
        return c;
      }
      i = xEnd;
      j = yEnd;
    }
  }

  @Override
  public void validate(String version) {
    if (VersionScheme.bounded(name(), version).isBlank()) {
      throw new InvalidVersionException(name(), version, "empty");
    }
  }

  private String core(String version) {
    validate(version);
    String v = version.strip();
    if (v.startsWith("v") || v.startsWith("V")) {
      v = v.substring(1);
    }
    int plus = v.indexOf('+');
    return plus >= 0 ? v.substring(0, plus) : v;
  }

  private static int skipSeparators(String s, int i) {
    while (i < s.length() && !Numerals.isDigit(s.charAt(i)) && !isLetter(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int lettersEnd(String s, int i) {
    while (i < s.length() && isLetter(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
