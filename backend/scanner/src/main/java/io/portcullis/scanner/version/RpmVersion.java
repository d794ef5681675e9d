package io.portcullis.scanner.version;

/**
 * RPM versions, {@code [epoch:]version[-release]}, ordered as rpm's {@code rpmvercmp} and {@code rpmverCmp} order
 * them (Red Hat, AlmaLinux, Rocky, Fedora, openSUSE and SUSE, Azure Linux/CBL-Mariner, Amazon Linux, openEuler).
 *
 * <p>Written by hand: no maintained Java library implements rpm's ordering, and the algorithm is short and fixed
 * (rpm {@code lib/rpmvercmp.c}, {@code rpmio/rpmver.c}). Segments are maximal runs of ASCII digits or ASCII letters;
 * everything else only separates them. Numbers compare numerically, letters by byte, a number beats letters; a tilde
 * sorts before anything (even the end), a caret after the end but before anything else. A missing epoch is 0; a
 * version without a release is older than the same version with one ({@code 1.0 < 1.0-0}), as {@code rpm.ver} in rpm
 * 4.18 has it.
 *
 * <p>{@link #compare} accepts what rpm accepts (any non-empty string, like {@code rpm.ver}); {@link #validate} is
 * rpmbuild's check of a package's fields: digits for the epoch, and {@code [A-Za-z0-9._+~^]} for version and release.
 */
public final class RpmVersion implements VersionScheme {

  public static final RpmVersion SCHEME = new RpmVersion();

  private RpmVersion() {}

  /**
   * A split version.
   *
   * @param epoch the digits before the colon; null when absent (then compared as 0)
   * @param version the part between the epoch and the last hyphen
   * @param release the part after the last hyphen; null when absent (then not compared)
   */
  public record Evr(String epoch, String version, String release) {}

  @Override
  public String name() {
    return "rpm";
  }

  @Override
  public int compare(String a, String b) {
    Evr x = split(a);
    Evr y = split(b);
    int byEpoch = compareSegments(x.epoch() == null ? "0" : x.epoch(), y.epoch() == null ? "0" : y.epoch());
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byVersion = compareSegments(x.version(), y.version());
    if (byVersion != 0) {
      return byVersion;
    }
    if (x.release() == null || y.release() == null) {
      // rpm 4.18's rpm.ver: a version with a release, even an empty one, is newer than the same without
      return Boolean.compare(x.release() != null, y.release() != null);
    }
    return compareSegments(x.release(), y.release());
  }

  @Override
  public void validate(String version) {
    Evr evr = split(version);
    if (evr.epoch() != null && !Numerals.isDigits(evr.epoch())) {
      throw new InvalidVersionException(name(), version, "the epoch is not a number");
    }
    check(version, "version", evr.version());
    if (evr.release() != null) {
      check(version, "release", evr.release());
    }
  }

  private void check(String whole, String field, String value) {
    if (value.isEmpty()) {
      throw new InvalidVersionException(name(), whole, "the " + field + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAlnum(c) && "._+~^".indexOf(c) < 0) {
        throw new InvalidVersionException(name(), whole, "illegal character '" + c + "' in the " + field);
      }
    }
  }

  /** Splits {@code [epoch:]version[-release]} as rpm's {@code parseEVR} does. */
  public Evr split(String evr) {
    String text = VersionScheme.bounded(name(), evr);
    if (text.isEmpty()) {
      throw new InvalidVersionException(name(), evr, "empty");
    }
    int afterDigits = Numerals.digitsEnd(text, 0);
    int hyphen = text.lastIndexOf('-');
    String release = hyphen >= afterDigits ? text.substring(hyphen + 1) : null;
    int versionEnd = release == null ? text.length() : hyphen;
    if (afterDigits < text.length() && text.charAt(afterDigits) == ':') {
      String epoch = afterDigits == 0 ? "0" : text.substring(0, afterDigits);
      return new Evr(epoch, text.substring(afterDigits + 1, Math.max(versionEnd, afterDigits + 1)), release);
    }
    return new Evr(null, text.substring(0, versionEnd), release);
  }

  /** rpm's {@code rpmvercmp}: one version or release string against another. */
  public static int compareSegments(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && isSeparator(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && isSeparator(b.charAt(j))) {
        j++;
      }
      char one = i < a.length() ? a.charAt(i) : 0;
      char two = j < b.length() ? b.charAt(j) : 0;
      if (one == '~' || two == '~') {
        if (one != '~') {
          return 1;
        }
        if (two != '~') {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (one == '^' || two == '^') {
        if (one == 0) {
          return -1;
        }
        if (two == 0) {
          return 1;
        }
        if (one != '^') {
          return 1;
        }
        if (two != '^') {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (one == 0 || two == 0) {
        break;
      }
      boolean numeric = Numerals.isDigit(one);
      int aEnd = numeric ? Numerals.digitsEnd(a, i) : lettersEnd(a, i);
      int bEnd = numeric ? Numerals.digitsEnd(b, j) : lettersEnd(b, j);
      if (bEnd == j) {
        return numeric ? 1 : -1;
      }
      int bySegment = numeric
          ? Numerals.compare(a, i, aEnd, b, j, bEnd)
          : Integer.signum(CharSequence.compare(a.subSequence(i, aEnd), b.subSequence(j, bEnd)));
      if (bySegment != 0) {
        return bySegment;
      }
      i = aEnd;
      j = bEnd;
    }
    if (i >= a.length() && j >= b.length()) {
      return 0;
    }
    return i >= a.length() ? -1 : 1;
  }

  private static int lettersEnd(String s, int from) {
    while (from < s.length() && isAlpha(s.charAt(from))) {
      from++;
    }
    return from;
  }

  private static boolean isSeparator(char c) {
    return !isAlnum(c) && c != '~' && c != '^';
  }

  private static boolean isAlnum(char c) {
    return Numerals.isDigit(c) || isAlpha(c);
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
