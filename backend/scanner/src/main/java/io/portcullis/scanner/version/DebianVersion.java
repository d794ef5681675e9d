package io.portcullis.scanner.version;

/**
 * Debian package versions, {@code [epoch:]upstream[-revision]}, ordered as {@code dpkg --compare-versions} orders them.
 *
 * <p>Written by hand: there is no maintained Java implementation of dpkg's ordering, and the rules are short and
 * exactly specified (Debian Policy 5.6.12; dpkg {@code lib/dpkg/version.c} {@code verrevcmp} and {@code parsehelp.c}
 * {@code parseversion}).
 *
 * <p>{@link #compare} accepts what {@code dpkg --compare-versions} accepts: it refuses what dpkg reports as an error
 * (an empty part, a bad epoch, embedded spaces) and orders what dpkg only warns about (a version that does not start
 * with a digit, a character outside {@code [A-Za-z0-9.+~:-]}), as dpkg does. {@link #validate} and {@link #parse}
 * refuse the warnings too: no archive accepts such a version for a package.
 */
public final class DebianVersion implements VersionScheme {

  /** The one instance; the scheme has no state. */
  public static final DebianVersion SCHEME = new DebianVersion();

  private DebianVersion() {}

  /**
   * A parsed version.
   *
   * @param epoch 0 when absent
   * @param upstream the part between the epoch and the last hyphen
   * @param revision the part after the last hyphen; empty when absent (which orders as {@code 0})
   */
  public record Parts(int epoch, String upstream, String revision) {}

  @Override
  public String name() {
    return "dpkg";
  }

  @Override
  public int compare(String a, String b) {
    Parts x = parse(a, false);
    Parts y = parse(b, false);
    int byEpoch = Integer.compare(x.epoch(), y.epoch());
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byUpstream = compareFragment(x.upstream(), y.upstream());
    return byUpstream != 0 ? byUpstream : compareFragment(x.revision(), y.revision());
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  /** Splits a version as dpkg's {@code parseversion} does, rejecting what it reports as an error or a warning. */
  public Parts parse(String version) {
    return parse(version, true);
  }

  private Parts parse(String version, boolean strict) {
    String text = VersionScheme.bounded(name(), version);
    int start = 0;
    while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
      start++;
    }
    if (start == text.length()) {
      throw invalid(version, "version string is empty");
    }
    int end = start;
    while (end < text.length() && !isSpace(text.charAt(end))) {
      end++;
    }
    for (int i = end; i < text.length(); i++) {
      if (!isSpace(text.charAt(i))) {
        throw invalid(version, "version string has embedded spaces");
      }
    }
    String trimmed = text.substring(start, end);
    int epoch = 0;
    int colon = trimmed.indexOf(':');
    if (colon >= 0) {
      epoch = epoch(version, trimmed.substring(0, colon));
      trimmed = trimmed.substring(colon + 1);
      if (trimmed.isEmpty()) {
        throw invalid(version, "nothing after colon in version number");
      }
    }
    int hyphen = trimmed.lastIndexOf('-');
    String upstream = hyphen >= 0 ? trimmed.substring(0, hyphen) : trimmed;
    String revision = hyphen >= 0 ? trimmed.substring(hyphen + 1) : "";
    if (hyphen >= 0 && revision.isEmpty()) {
      throw invalid(version, "revision number is empty");
    }
    if (upstream.isEmpty()) {
      throw invalid(version, "version number is empty");
    }
    if (strict) {
      warnings(version, upstream, revision);
    }
    return new Parts(epoch, upstream, revision);
  }

  private void warnings(String version, String upstream, String revision) {
    if (!isDigit(upstream.charAt(0))) {
      throw invalid(version, "version number does not start with digit");
    }
    for (int i = 0; i < upstream.length(); i++) {
      char c = upstream.charAt(i);
      if (!isDigit(c) && !isAlpha(c) && ".-+~:".indexOf(c) < 0) {
        throw invalid(version, "invalid character in version number");
      }
    }
    for (int i = 0; i < revision.length(); i++) {
      char c = revision.charAt(i);
      if (!isDigit(c) && !isAlpha(c) && ".+~".indexOf(c) < 0) {
        throw invalid(version, "invalid character in revision number");
      }
    }
  }

  private int epoch(String version, String digits) {
    if (digits.isEmpty()) {
      throw invalid(version, "epoch in version is empty");
    }
    if (digits.charAt(0) == '-') {
      throw invalid(version, "epoch in version is negative");
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      if (!isDigit(digits.charAt(i))) {
        throw invalid(version, "epoch in version is not number");
      }
      value = value * 10 + (digits.charAt(i) - '0');
      if (value > Integer.MAX_VALUE) {
        throw invalid(version, "epoch in version is too big");
      }
    }
    return (int) value;
  }

  /**
   * dpkg's {@code verrevcmp} on one upstream version or revision: alternating non-digit and digit runs; non-digits
   * compare by {@link #order} (a tilde before anything, even the end; letters before other characters), digit runs
   * numerically (leading zeros ignored, so any length works without overflow).
   */
  public static int compareFragment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
        int ac = order(a, i);
        int bc = order(b, j);
        if (ac != bc) {
          return ac - bc;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int firstDifference = 0;
      while (i < a.length() && j < b.length() && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
        if (firstDifference == 0) {
          firstDifference = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDifference != 0) {
        return firstDifference;
      }
    }
    return 0;
  }

  private static int order(String s, int index) {
    if (index >= s.length()) {
      return 0;
    }
    char c = s.charAt(index);
    if (isDigit(c)) {
      return 0;
    }
    if (isAlpha(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private InvalidVersionException invalid(String version, String reason) {
    return new InvalidVersionException(name(), version, reason);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }
}
