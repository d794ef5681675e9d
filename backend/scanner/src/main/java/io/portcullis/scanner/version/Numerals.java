package io.portcullis.scanner.version;

/**
 * Numeric comparison of digit runs of any length, without parsing them into a number: versions carry dates and
 * build stamps longer than a {@code long} ({@code 20240101123456789}), and a hostile one may carry thousands of digits.
 */
final class Numerals {

  private Numerals() {}

  /** Compares {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}, ASCII digit runs, as non-negative integers. */
  static int compare(CharSequence a, int aFrom, int aTo, CharSequence b, int bFrom, int bTo) {
    while (aFrom < aTo && a.charAt(aFrom) == '0') {
      aFrom++;
    }
    while (bFrom < bTo && b.charAt(bFrom) == '0') {
      bFrom++;
    }
    int byLength = Integer.compare(aTo - aFrom, bTo - bFrom);
    if (byLength != 0) {
      return byLength;
    }
    for (; aFrom < aTo; aFrom++, bFrom++) {
      int byDigit = Character.compare(a.charAt(aFrom), b.charAt(bFrom));
      if (byDigit != 0) {
        return byDigit;
      }
    }
    return 0;
  }

  static int compare(String a, String b) {
    return compare(a, 0, a.length(), b, 0, b.length());
  }

  /** Whether {@code s} is a non-empty run of ASCII digits. */
  static boolean isDigits(CharSequence s) {
    if (s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The end of the digit run starting at {@code from}. */
  static int digitsEnd(CharSequence s, int from) {
    while (from < s.length() && isDigit(s.charAt(from))) {
      from++;
    }
    return from;
  }
}
