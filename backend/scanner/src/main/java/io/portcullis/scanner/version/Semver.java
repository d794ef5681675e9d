package io.portcullis.scanner.version;

import java.util.List;

/**
 * A SemVer 2.0.0 version with its numbers kept as digit strings, so any length compares correctly (the specification
 * sets no limit; Go and Cargo accept more than a {@code long} holds). The schemes built on it differ in what they
 * parse, not in precedence.
 *
 * @param major digits
 * @param minor digits
 * @param patch digits
 * @param prerelease the dot-separated identifiers after {@code -}; empty for a release
 * @param build the identifiers after {@code +}; never part of the order
 */
public record Semver(String major, String minor, String patch, List<String> prerelease, List<String> build)
    implements Comparable<Semver> {

  public Semver {
    prerelease = List.copyOf(prerelease);
    build = List.copyOf(build);
  }

  /** SemVer 2.0.0 precedence (section 11): numbers numerically, then a release after its pre-releases. */
  @Override
  public int compareTo(Semver other) {
    int c = Numerals.compare(major, other.major);
    if (c == 0) {
      c = Numerals.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Numerals.compare(patch, other.patch);
    }
    return c != 0 ? c : comparePrerelease(prerelease, other.prerelease);
  }

  /**
   * Identifier by identifier: numeric ones numerically and before alphanumeric ones, alphanumeric ones by ASCII; a
   * longer list wins when one is a prefix of the other; no list at all (a release) wins over any.
   */
  static int comparePrerelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareIdentifier(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  static int compareIdentifier(String a, String b) {
    boolean aNumeric = Numerals.isDigits(a);
    boolean bNumeric = Numerals.isDigits(b);
    if (aNumeric && bNumeric) {
      return Numerals.compare(a, b);
    }
    if (aNumeric != bNumeric) {
      return aNumeric ? -1 : 1;
    }
    return Integer.signum(a.compareTo(b));
  }

  /**
   * Parses strict SemVer 2.0.0 ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, no leading zeros, identifiers of
   * {@code [0-9A-Za-z-]}), or throws {@link IllegalArgumentException} with the reason.
   */
  static Semver parseStrict(String s) {
    int plus = s.indexOf('+');
    String build = plus >= 0 ? s.substring(plus + 1) : null;
    String head = plus >= 0 ? s.substring(0, plus) : s;
    int hyphen = head.indexOf('-');
    String prerelease = hyphen >= 0 ? head.substring(hyphen + 1) : null;
    String core = hyphen >= 0 ? head.substring(0, hyphen) : head;
    String[] numbers = core.split("\\.", -1);
    if (numbers.length != 3) {
      throw new IllegalArgumentException("not MAJOR.MINOR.PATCH");
    }
    for (String number : numbers) {
      number(number);
    }
    return new Semver(numbers[0], numbers[1], numbers[2],
        prerelease == null ? List.of() : identifiers(prerelease, true),
        build == null ? List.of() : identifiers(build, false));
  }

  static String number(String digits) {
    if (!Numerals.isDigits(digits)) {
      throw new IllegalArgumentException("\"" + digits + "\" is not a number");
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new IllegalArgumentException("\"" + digits + "\" has a leading zero");
    }
    return digits;
  }

  /** Dot-separated identifiers; numeric pre-release identifiers may not have leading zeros. */
  static List<String> identifiers(String dotted, boolean prerelease) {
    List<String> identifiers = List.of(dotted.split("\\.", -1));
    for (String identifier : identifiers) {
      if (identifier.isEmpty()) {
        throw new IllegalArgumentException("empty identifier in \"" + dotted + "\"");
      }
      for (int i = 0; i < identifier.length(); i++) {
        char c = identifier.charAt(i);
        if (!Numerals.isDigit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-') {
          throw new IllegalArgumentException("character '" + c + "' in identifier \"" + identifier + "\"");
        }
      }
      if (prerelease && Numerals.isDigits(identifier) && identifier.length() > 1 && identifier.charAt(0) == '0') {
        throw new IllegalArgumentException("numeric identifier \"" + identifier + "\" has a leading zero");
      }
    }
    return identifiers;
  }

  /** {@code MAJOR.MINOR.PATCH[-PRERELEASE]}, without the build. */
  public String withoutBuild() {
    return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + String.join(".", prerelease));
  }
}
