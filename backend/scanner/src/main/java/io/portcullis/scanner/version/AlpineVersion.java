package io.portcullis.scanner.version;

/**
 * Alpine package versions, {@code digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}}, ordered as {@code apk
 * version -t} orders them.
 *
 * <p>Written by hand: no Java library implements apk's ordering. The grammar and order follow apk-tools' {@code
 * src/version.c} and its {@code test/unit/version.data}: numbers compare numerically except that a dotted number with
 * a leading zero compares as a string ({@code 8.2.0 < 8.2.001}); suffixes order {@code alpha < beta < pre < rc <}
 * (none) {@code < cvs < svn < git < hg < p}; when one version runs out of components first, it is the older one unless
 * the other goes on with a pre-release suffix.
 *
 * <p>Like apk, {@link #compare} orders any two strings (an invalid component sorts before any valid one from that
 * point on), because that is what the native tool does with the versions advisories were checked against; it also
 * reads, as apk-tools 2 did, a number right after a letter ({@code 5.7.1p1}, found in real Alpine versions) and empty
 * numbers as 0. {@link #validate} is apk-tools 3's stricter check of a package's version.
 */
public final class AlpineVersion implements VersionScheme {

  public static final AlpineVersion SCHEME = new AlpineVersion();

  /** Token kinds in the order they may follow each other; the order also decides between versions of unequal shape. */
  private enum Kind { INITIAL_DIGIT, DIGIT, LETTER, SUFFIX, SUFFIX_NUMBER, COMMIT_HASH, REVISION, END, INVALID }

  /** The suffixes in ascending order; NONE marks where a release without suffix sorts. */
  private static final String[] SUFFIXES = {"alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"};
  private static final int NONE = 4;

  private AlpineVersion() {}

  @Override
  public String name() {
    return "apk";
  }

  @Override
  public int compare(String a, String b) {
    return compare(VersionScheme.bounded(name(), a), VersionScheme.bounded(name(), b), false);
  }

  /** apk's fuzzy match ({@code a ~ b}): every component of {@code b} equals the one of {@code a} at its place. */
  public boolean fuzzyMatches(String a, String b) {
    return compare(VersionScheme.bounded(name(), a), VersionScheme.bounded(name(), b), true) == 0;
  }

  @Override
  public void validate(String version) {
    Tokens tokens = new Tokens(VersionScheme.bounded(name(), version), false);
    while (tokens.kind != Kind.END) {
      if (tokens.kind == Kind.INVALID) {
        throw new InvalidVersionException(name(), version, "unexpected \"" + tokens.rest() + "\"");
      }
      tokens.next();
    }
  }

  private static int compare(String a, String b, boolean fuzzy) {
    Tokens x = new Tokens(a, true);
    Tokens y = new Tokens(b, true);
    while (true) {
      if (fuzzy && y.kind == Kind.END) {
        return 0;
      }
      if (x.kind != y.kind || x.kind == Kind.END || x.kind == Kind.INVALID) {
        break;
      }
      int byValue = x.compareValue(y);
      if (byValue != 0) {
        return byValue;
      }
      x.next();
      y.next();
    }
    if (x.kind == y.kind) {
      return 0;
    }
    if (x.kind == Kind.SUFFIX && x.suffix < NONE) {
      return -1;
    }
    if (y.kind == Kind.SUFFIX && y.suffix < NONE) {
      return 1;
    }
    return x.kind.compareTo(y.kind) > 0 ? -1 : 1;
  }

  /** Walks the components of one version, one token at a time, without allocating substrings. */
  private static final class Tokens {
    private final String s;
    private int position;
    private Kind kind;
    private int start;
    private int end;
    private int suffix;
    private int tokenStart;
    private final boolean lenient;

    /**
     * {@code lenient} reads what apk-tools 2 and {@code apk version -t} still order although apk-tools 3 no longer
     * accepts it for a package: a number right after a letter ({@code 5.7.1p1}) and empty numbers, read as 0 ({@code
     * 1-r}, {@code 0..1}).
     */
    Tokens(String s, boolean lenient) {
      this.s = s;
      this.lenient = lenient;
      end = Numerals.digitsEnd(s, 0);
      kind = end == 0 && !lenient ? Kind.INVALID : Kind.INITIAL_DIGIT;
      position = end;
    }

    String rest() {
      return s.substring(tokenStart);
    }

    void next() {
      if (position >= s.length()) {
        kind = Kind.END;
        return;
      }
      char c = s.charAt(position);
      Kind previous = kind;
      tokenStart = position;
      start = position;
      if (c >= 'a' && c <= 'z') {
        kind = previous.compareTo(Kind.DIGIT) > 0 ? Kind.INVALID : Kind.LETTER;
        end = ++position;
      } else if (c == '.') {
        start = ++position;
        end = position = Numerals.digitsEnd(s, position);
        kind = previous.compareTo(Kind.DIGIT) > 0 || (end == start && !lenient) ? Kind.INVALID : Kind.DIGIT;
      } else if (Numerals.isDigit(c)) {
        end = position = Numerals.digitsEnd(s, position);
        kind = previous == Kind.SUFFIX ? Kind.SUFFIX_NUMBER
            : previous == Kind.LETTER && lenient ? Kind.DIGIT : Kind.INVALID;
      } else if (c == '_') {
        start = ++position;
        while (position < s.length() && s.charAt(position) >= 'a' && s.charAt(position) <= 'z') {
          position++;
        }
        end = position;
        suffix = suffix(s.substring(start, end));
        kind = previous.compareTo(Kind.SUFFIX_NUMBER) > 0 || suffix < 0 ? Kind.INVALID : Kind.SUFFIX;
      } else if (c == '~') {
        start = ++position;
        while (position < s.length() && isHex(s.charAt(position))) {
          position++;
        }
        end = position;
        kind = previous.compareTo(Kind.COMMIT_HASH) >= 0 || end == start ? Kind.INVALID : Kind.COMMIT_HASH;
      } else if (c == '-' && position + 1 < s.length() && s.charAt(position + 1) == 'r') {
        start = position += 2;
        end = position = Numerals.digitsEnd(s, position);
        kind = previous.compareTo(Kind.REVISION) >= 0 || (end == start && !lenient) ? Kind.INVALID : Kind.REVISION;
      } else {
        kind = Kind.INVALID;
      }
      if (kind == Kind.INVALID) {
        position = s.length();
      }
    }

    /** Compares this token's value with one of the same kind. */
    int compareValue(Tokens other) {
      switch (kind) {
        case DIGIT:
          if (leadingZero() || other.leadingZero()) {
            return Integer.signum(CharSequence.compare(
                s.subSequence(start, end), other.s.subSequence(other.start, other.end)));
          }
          return Numerals.compare(s, start, end, other.s, other.start, other.end);
        case INITIAL_DIGIT:
        case SUFFIX_NUMBER:
        case REVISION:
          return Numerals.compare(s, start, end, other.s, other.start, other.end);
        case SUFFIX:
          return Integer.compare(suffix, other.suffix);
        default:
          return Integer.signum(CharSequence.compare(
              s.subSequence(start, end), other.s.subSequence(other.start, other.end)));
      }
    }

    private boolean leadingZero() {
      return end > start && s.charAt(start) == '0';
    }

    private static int suffix(String name) {
      for (int i = 0; i < SUFFIXES.length; i++) {
        if (i != NONE && SUFFIXES[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    private static boolean isHex(char c) {
      return Numerals.isDigit(c) || (c >= 'a' && c <= 'f');
    }
  }
}
