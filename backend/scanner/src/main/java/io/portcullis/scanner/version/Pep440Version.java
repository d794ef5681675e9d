package io.portcullis.scanner.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python package versions (PEP 440, as the {@code packaging} library implements it) and version specifiers ({@code
 * >=1.0,!=1.3.*,<2}).
 *
 * <p>Written by hand: there is no maintained Java implementation of PEP 440. The grammar is the specification's own
 * (PEP 440, Appendix B); the order is packaging's: epoch, release (trailing zeros ignored), then dev-only releases
 * before pre-releases ({@code a < b < rc}) before the release before post-releases, a dev release before what it
 * precedes, and a local version ({@code +ubuntu1}) after the same public version.
 *
 * <p>{@link #validate} accepts PEP 440 only. {@link #compare} also orders the "legacy" versions PyPI still holds from
 * before PEP 440 ({@code 0.3m1}, {@code 2013-01-21T20:33:09+0100}) as packaging 21 and setuptools did, before every
 * PEP 440 version: OSV's PyPI records list such releases, and pip installed them.
 */
public final class Pep440Version implements VersionScheme {

  public static final Pep440Version SCHEME = new Pep440Version();

  /** PEP 440, Appendix B, case-insensitive (ASCII only, as packaging rejects non-ASCII letters and digits). */
  private static final Pattern VERSION = Pattern.compile(
      "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
          + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
          + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
          + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
          + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern LEGACY_PART = Pattern.compile("\\d+|[a-z]+|\\.|-");
  private static final Pattern SPECIFIER = Pattern.compile("\\s*(~=|===|==|!=|<=|>=|<|>)\\s*(\\S+)\\s*");

  private Pep440Version() {}

  /**
   * A parsed PEP 440 version; pre-release letters normalised to {@code a}, {@code b}, {@code rc}.
   *
   * @param epoch digits, "0" when absent
   * @param release the dotted numbers, as digit strings without leading zeros
   * @param preLetter null when not a pre-release
   * @param preNumber digits; null when not a pre-release
   * @param post digits; null when not a post-release
   * @param dev digits; null when not a dev release
   * @param local the local label's parts, lower case; empty when none
   */
  public record Parsed(String epoch, List<String> release, String preLetter, String preNumber, String post,
      String dev, List<String> local) {

    /** packaging's {@code str(Version)}: the normalised form. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      if (!epoch.equals("0")) {
        s.append(epoch).append('!');
      }
      s.append(publicRelease());
      if (!local.isEmpty()) {
        s.append('+').append(String.join(".", local));
      }
      return s.toString();
    }

    private String publicRelease() {
      StringBuilder s = new StringBuilder(String.join(".", release));
      if (preLetter != null) {
        s.append(preLetter).append(preNumber);
      }
      if (post != null) {
        s.append(".post").append(post);
      }
      if (dev != null) {
        s.append(".dev").append(dev);
      }
      return s.toString();
    }

    public boolean isPrerelease() {
      return preLetter != null || dev != null;
    }

    public boolean isPostrelease() {
      return post != null;
    }

    /** The same version without its local label. */
    public Parsed withoutLocal() {
      return new Parsed(epoch, release, preLetter, preNumber, post, dev, List.of());
    }

    /** Epoch and release only ({@code base_version}). */
    public Parsed base() {
      return new Parsed(epoch, release, null, null, null, null, List.of());
    }
  }

  @Override
  public String name() {
    return "pypi";
  }

  @Override
  public int compare(String a, String b) {
    Object x = key(a);
    Object y = key(b);
    if (x instanceof Parsed p && y instanceof Parsed q) {
      return compare(p, q);
    }
    if (x instanceof Parsed || y instanceof Parsed) {
      return x instanceof Parsed ? 1 : -1; // legacy versions sort before PEP 440 ones
    }
    @SuppressWarnings("unchecked")
    List<String> p = (List<String>) x;
    @SuppressWarnings("unchecked")
    List<String> q = (List<String>) y;
    for (int i = 0; i < Math.min(p.size(), q.size()); i++) {
      int c = p.get(i).compareTo(q.get(i));
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return Integer.compare(p.size(), q.size());
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  /** Parses a PEP 440 version, or throws. */
  public Parsed parse(String version) {
    String text = strip(VersionScheme.bounded(name(), version));
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      throw new InvalidVersionException(name(), version, "not a PEP 440 version");
    }
    List<String> release = new ArrayList<>();
    for (String number : m.group("release").split("\\.")) {
      release.add(stripZeros(number));
    }
    String preLetter = null;
    String preNumber = null;
    if (m.group("pre") != null) {
      preLetter = switch (m.group("preL").toLowerCase(Locale.ROOT)) {
        case "alpha", "a" -> "a";
        case "beta", "b" -> "b";
        default -> "rc";
      };
      preNumber = m.group("preN") == null ? "0" : stripZeros(m.group("preN"));
    }
    String post = null;
    if (m.group("post") != null) {
      String n = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
      post = n == null ? "0" : stripZeros(n);
    }
    String dev = m.group("dev") == null ? null : m.group("devN") == null ? "0" : stripZeros(m.group("devN"));
    List<String> local = new ArrayList<>();
    if (m.group("local") != null) {
      for (String part : m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")) {
        local.add(Numerals.isDigits(part) ? stripZeros(part) : part);
      }
    }
    String epoch = m.group("epoch") == null ? "0" : stripZeros(m.group("epoch"));
    return new Parsed(epoch, List.copyOf(release), preLetter, preNumber, post, dev, List.copyOf(local));
  }

  /** Trims white space as Python's {@code str.strip} does (no-break spaces included, unlike Java's). */
  private static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPythonSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** The normalised form ({@code 1.0-dev} becomes {@code 1.0.dev0}). */
  public String normalize(String version) {
    return parse(version).toString();
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  /** PEP 440 order of two parsed versions. */
  public static int compare(Parsed a, Parsed b) {
    int c = Numerals.compare(a.epoch(), b.epoch());
    if (c == 0) {
      c = compareRelease(a.release(), b.release());
    }
    if (c == 0) {
      c = Integer.compare(preRank(a), preRank(b));
    }
    if (c == 0 && a.preLetter() != null && b.preLetter() != null) {
      c = a.preLetter().compareTo(b.preLetter());
      c = c != 0 ? Integer.signum(c) : Numerals.compare(a.preNumber(), b.preNumber());
    }
    if (c == 0) {
      c = compareOptional(a.post(), b.post(), -1);
    }
    if (c == 0) {
      c = compareOptional(a.dev(), b.dev(), 1);
    }
    return c != 0 ? c : compareLocal(a.local(), b.local());
  }

  /** Releases compare as if padded with zeros ({@code 1.0 == 1.0.0}). */
  private static int compareRelease(List<String> a, List<String> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int c = Numerals.compare(i < a.size() ? a.get(i) : "0", i < b.size() ? b.get(i) : "0");
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A dev release of a final version sorts before its pre-releases; a version without pre-release after them. */
  private static int preRank(Parsed v) {
    if (v.preLetter() == null && v.post() == null && v.dev() != null) {
      return -1;
    }
    return v.preLetter() == null ? 1 : 0;
  }

  /** Present numbers compare numerically; absence sorts as {@code absentSign} (before or after any number). */
  private static int compareOptional(String a, String b, int absentSign) {
    if (a == null || b == null) {
      return a == null && b == null ? 0 : a == null ? absentSign : -absentSign;
    }
    return Numerals.compare(a, b);
  }

  /** No local label first; then part by part, numbers after words, a longer label after its prefix. */
  private static int compareLocal(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xNumeric = Numerals.isDigits(x);
      boolean yNumeric = Numerals.isDigits(y);
      int c = xNumeric && yNumeric ? Numerals.compare(x, y)
          : xNumeric != yNumeric ? (xNumeric ? 1 : -1) : Integer.signum(x.compareTo(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** A {@link Parsed} version, or the sort key of a legacy version (packaging 21's {@code LegacyVersion}). */
  private Object key(String version) {
    try {
      return parse(version);
    } catch (InvalidVersionException e) {
      if (version == null || version.length() > MAX_LENGTH) {
        throw e;
      }
      return legacyKey(version);
    }
  }

  /**
   * setuptools' old {@code parse_version} key: numbers zero-padded to eight digits, words prefixed with {@code *}
   * ({@code pre}, {@code preview}, {@code rc} read as {@code c}, {@code dev} as {@code @} so it sorts first), a
   * closing {@code *final}, trailing zeros and a hyphen before a pre-release tag dropped.
   */
  private static List<String> legacyKey(String version) {
    List<String> parts = new ArrayList<>();
    Matcher m = LEGACY_PART.matcher(version.toLowerCase(Locale.ROOT));
    List<String> raw = new ArrayList<>();
    int last = 0;
    while (m.find()) {
      raw.add(version.toLowerCase(Locale.ROOT).substring(last, m.start()));
      raw.add(m.group());
      last = m.end();
    }
    raw.add(version.toLowerCase(Locale.ROOT).substring(last));
    raw.add(null); // the closing "*final"
    for (String piece : raw) {
      String part;
      if (piece == null) {
        part = "*final";
      } else {
        piece = switch (piece) {
          case "pre", "preview", "rc" -> "c";
          case "-" -> "final-";
          case "dev" -> "@";
          default -> piece;
        };
        if (piece.isEmpty() || piece.equals(".")) {
          continue;
        }
        part = Numerals.isDigit(piece.charAt(0)) ? "0".repeat(Math.max(0, 8 - piece.length())) + piece : "*" + piece;
      }
      if (part.startsWith("*")) {
        if (part.compareTo("*final") < 0) {
          while (!parts.isEmpty() && parts.get(parts.size() - 1).equals("*final-")) {
            parts.remove(parts.size() - 1);
          }
        }
        while (!parts.isEmpty() && parts.get(parts.size() - 1).equals("00000000")) {
          parts.remove(parts.size() - 1);
        }
      }
      parts.add(part);
    }
    return parts;
  }

  /**
   * Whether {@code version} satisfies every specifier of {@code specifiers} (comma-separated, PEP 440 "Version
   * specifiers"), pre-releases included: a matcher asks about an installed version, whatever its kind. An empty set
   * holds every version.
   *
   * @throws InvalidVersionException when the version or a specifier is invalid
   */
  public boolean contains(String specifiers, String version) {
    VersionScheme.bounded(name(), specifiers);
    String text = VersionScheme.bounded(name(), version);
    List<String[]> parsed = new ArrayList<>();
    if (!specifiers.isBlank()) {
      for (String specifier : specifiers.split(",", -1)) {
        parsed.add(specifier(specifier));
      }
    }
    Parsed candidate = null;
    for (String[] specifier : parsed) {
      boolean holds;
      if (specifier[0].equals("===")) {
        holds = strip(text).equalsIgnoreCase(specifier[1]);
      } else {
        candidate = candidate != null ? candidate : parse(text);
        holds = holds(specifier[0], specifier[1], candidate);
      }
      if (!holds) {
        return false;
      }
    }
    if (candidate == null && parsed.stream().noneMatch(s -> s[0].equals("==="))) {
      parse(text);
    }
    return true;
  }

  /** Checks one specifier ({@code ~=1.4.2}, {@code ==2.1.*}); returns {operator, version}. */
  public String[] specifier(String specifier) {
    Matcher m = SPECIFIER.matcher(VersionScheme.bounded(name(), specifier));
    if (!m.matches()) {
      throw new InvalidVersionException(name(), specifier, "not a version specifier");
    }
    String operator = m.group(1);
    String version = m.group(2);
    if (operator.equals("===")) {
      return new String[] {operator, version};
    }
    boolean wildcard = version.endsWith(".*");
    Parsed parsed = parseSpecifierVersion(specifier, wildcard ? version.substring(0, version.length() - 2) : version);
    boolean equality = operator.equals("==") || operator.equals("!=");
    if (wildcard && (!equality || !parsed.local().isEmpty() || parsed.preLetter() != null || parsed.post() != null
        || parsed.dev() != null)) {
      throw new InvalidVersionException(name(), specifier, "a .* prefix only follows == or != and a release");
    }
    if (!equality && !parsed.local().isEmpty()) {
      throw new InvalidVersionException(name(), specifier, operator + " does not allow a local version");
    }
    if (operator.equals("~=") && parsed.release().size() < 2) {
      throw new InvalidVersionException(name(), specifier, "~= needs at least two release numbers");
    }
    return new String[] {operator, version};
  }

  private Parsed parseSpecifierVersion(String specifier, String version) {
    if (!version.isEmpty() && (version.charAt(0) == 'v' || version.charAt(0) == 'V')) {
      // packaging accepts the v prefix in versions but not in specifiers
      throw new InvalidVersionException(name(), specifier, "not a version specifier");
    }
    try {
      return parse(version);
    } catch (InvalidVersionException e) {
      throw new InvalidVersionException(name(), specifier, "not a PEP 440 version in the specifier");
    }
  }

  private boolean holds(String operator, String version, Parsed candidate) {
    if (version.endsWith(".*")) {
      boolean prefix = prefixMatches(parse(version.substring(0, version.length() - 2)), candidate);
      return operator.equals("==") == prefix;
    }
    Parsed spec = parse(version);
    Parsed publicCandidate = candidate.withoutLocal();
    return switch (operator) {
      case "==" -> compare(spec.local().isEmpty() ? publicCandidate : candidate, spec) == 0;
      case "!=" -> compare(spec.local().isEmpty() ? publicCandidate : candidate, spec) != 0;
      case "<=" -> compare(publicCandidate, spec) <= 0;
      case ">=" -> compare(publicCandidate, spec) >= 0;
      case "<" -> compare(candidate, spec) < 0
          && !(!spec.isPrerelease() && candidate.isPrerelease() && compare(candidate.base(), spec.base()) == 0);
      case ">" -> compare(publicCandidate, spec) > 0
          && !(!spec.isPostrelease() && candidate.isPostrelease() && compare(candidate.base(), spec.base()) == 0);
      case "~=" -> {
        List<String> release = spec.release();
        Parsed prefix = new Parsed(spec.epoch(), release.subList(0, release.size() - 1), null, null, null, null,
            List.of());
        yield compare(publicCandidate, spec) >= 0 && prefixMatches(prefix, candidate);
      }
      default -> throw new IllegalStateException(operator);
    };
  }

  /** {@code ==V.*}: the candidate's epoch and release, padded with zeros, start with the prefix's. */
  private static boolean prefixMatches(Parsed prefix, Parsed candidate) {
    if (!prefix.epoch().equals(candidate.epoch())) {
      return false;
    }
    List<String> release = candidate.release();
    for (int i = 0; i < prefix.release().size(); i++) {
      String number = i < release.size() ? release.get(i) : "0";
      if (!number.equals(prefix.release().get(i))) {
        return false;
      }
    }
    return true;
  }
}
