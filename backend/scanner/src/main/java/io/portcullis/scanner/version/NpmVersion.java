package io.portcullis.scanner.version;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm package versions and ranges, as node-semver (the {@code semver} package npm itself uses) parses, orders and
 * matches them: {@code compare}, {@code satisfies}, {@code validRange}, {@code gtr}/{@code ltr} and {@code
 * intersects}, with its {@code loose} and {@code includePrerelease} options.
 *
 * <p>Written by hand: semver4j 6.0.0 fails node-semver's own fixtures (it orders {@code 1.2.3-r2} before {@code
 * 1.2.3-r100}, rejects the forms {@code loose} accepts and desugars several ranges differently) and java-semver has no
 * npm ranges. The grammar and the desugaring follow node-semver's README ("Ranges", "Advanced Range Syntax") and its
 * fixtures: a range is {@code ||}-separated sets of space-separated comparators; hyphen, X, tilde and caret ranges
 * become plain comparators; a pre-release version satisfies a set only if one of its comparators names a pre-release
 * of the same {@code major.minor.patch} (unless {@code includePrerelease}). Numbers stop at 2^53-1 and versions at
 * 256 characters, as in node-semver.
 */
public final class NpmVersion implements VersionScheme {

  public static final NpmVersion SCHEME = new NpmVersion();

  /** node-semver's {@code MAX_SAFE_INTEGER} (JavaScript's), the largest number a version part may hold. */
  private static final String MAX_SAFE_INTEGER = "9007199254740991";
  private static final int MAX_VERSION_LENGTH = 256;

  private static final String NUM = "0|[1-9]\\d*";
  private static final String NUM_LOOSE = "\\d+";
  private static final String NON_NUM = "\\d*[a-zA-Z-][a-zA-Z0-9-]*";
  private static final String PRE_ID = "(?:" + NUM + "|" + NON_NUM + ")";
  private static final String PRE_ID_LOOSE = "(?:" + NUM_LOOSE + "|" + NON_NUM + ")";
  private static final String PRE = "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))";
  private static final String PRE_LOOSE = "(?:-?(" + PRE_ID_LOOSE + "(?:\\." + PRE_ID_LOOSE + ")*))";
  private static final String BUILD = "(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))";
  private static final String FULL_PLAIN = "v?(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")" + PRE + "?" + BUILD + "?";
  private static final String LOOSE_PLAIN =
      "[v=\\s]*(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")" + PRE_LOOSE + "?" + BUILD + "?";
  private static final String X_ID = NUM + "|x|X|\\*";
  private static final String X_ID_LOOSE = NUM_LOOSE + "|x|X|\\*";
  private static final String X_PLAIN =
      "[v=\\s]*(" + X_ID + ")(?:\\.(" + X_ID + ")(?:\\.(" + X_ID + ")(?:" + PRE + ")?)?)?" + BUILD + "?";
  private static final String X_PLAIN_LOOSE = "[v=\\s]*(" + X_ID_LOOSE + ")(?:\\.(" + X_ID_LOOSE + ")(?:\\.("
      + X_ID_LOOSE + ")(?:" + PRE_LOOSE + ")?)?)?" + BUILD + "?";
  /** Build metadata never counts in a range; node-semver drops it before parsing (so it may be of any length). */
  private static final Pattern RANGE_BUILD = Pattern.compile("\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*");
  private static final String GTLT = "((?:<|>)?=?)";

  private static final Pattern FULL = Pattern.compile(FULL_PLAIN);
  private static final Pattern LOOSE = Pattern.compile(LOOSE_PLAIN);
  private static final Syntax STRICT = new Syntax(false);
  private static final Syntax LOOSE_SYNTAX = new Syntax(true);

  /** The regular expressions of one mode (strict or loose); compiled once. */
  private record Syntax(Pattern hyphen, Pattern comparatorTrim, Pattern tilde, Pattern caret, Pattern xRange,
      Pattern comparator) {
    Syntax(boolean loose) {
      this(
          Pattern.compile("\\s*(" + plain(loose) + ")\\s+-\\s+(" + plain(loose) + ")\\s*"),
          Pattern.compile("(\\s*)" + GTLT + "\\s*(" + LOOSE_PLAIN + "|" + X_PLAIN + ")"),
          Pattern.compile("(?:~>?)" + plain(loose)),
          Pattern.compile("\\^" + plain(loose)),
          Pattern.compile(GTLT + "\\s*" + plain(loose)),
          Pattern.compile(GTLT + "\\s*(" + (loose ? LOOSE_PLAIN : FULL_PLAIN) + ")|"));
    }

    private static String plain(boolean loose) {
      return loose ? X_PLAIN_LOOSE : X_PLAIN;
    }
  }

  private NpmVersion() {}

  /**
   * node-semver's options.
   *
   * @param loose accept the forms node-semver's {@code loose} mode accepts ({@code =1.2.3}, {@code 1.2.3beta}, leading
   *     zeros)
   * @param includePrerelease let pre-release versions satisfy ranges that do not name a pre-release
   */
  public record Options(boolean loose, boolean includePrerelease) {
    public static final Options DEFAULT = new Options(false, false);
  }

  /** A comparator: an operator ({@code ""} for equality) and a version; {@code version} null means any version. */
  public record Comparator(String operator, Semver version) {
    static final Comparator ANY = new Comparator("", null);

    /** node-semver's {@code comparator.value}: the operator and the version without build. */
    @Override
    public String toString() {
      return version == null ? "" : operator + version.withoutBuild();
    }

    boolean test(Semver candidate) {
      return version == null || holds(candidate, operator, version);
    }
  }

  @Override
  public String name() {
    return "npm";
  }

  @Override
  public int compare(String a, String b) {
    return parse(a, Options.DEFAULT).compareTo(parse(b, Options.DEFAULT));
  }

  @Override
  public void validate(String version) {
    parse(version, Options.DEFAULT);
  }

  /** node-semver's {@code new SemVer(version, options)}. */
  public Semver parse(String version, Options options) {
    String text = VersionScheme.bounded(name(), version).strip();
    if (text.length() > MAX_VERSION_LENGTH) {
      throw new InvalidVersionException(name(), version, "longer than " + MAX_VERSION_LENGTH + " characters");
    }
    Matcher m = (options.loose() ? LOOSE : FULL).matcher(text);
    if (!m.matches()) {
      throw new InvalidVersionException(name(), version, "not a semantic version");
    }
    return semver(version, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
  }

  private Semver semver(String source, String major, String minor, String patch, String pre, String build) {
    String[] numbers = {major, minor, patch};
    for (int i = 0; i < 3; i++) {
      numbers[i] = stripZeros(numbers[i]);
      if (Numerals.compare(numbers[i], MAX_SAFE_INTEGER) > 0) {
        throw new InvalidVersionException(name(), source, "a number above 2^53-1");
      }
    }
    List<String> prerelease = new ArrayList<>();
    if (pre != null) {
      for (String identifier : pre.split("\\.", -1)) {
        boolean small = Numerals.isDigits(identifier) && Numerals.compare(identifier, MAX_SAFE_INTEGER) < 0;
        prerelease.add(small ? stripZeros(identifier) : identifier);
      }
    }
    return new Semver(numbers[0], numbers[1], numbers[2], prerelease,
        build == null ? List.of() : List.of(build.split("\\.", -1)));
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  /** Whether {@code version} satisfies {@code range} (node-semver's {@code satisfies}), with default options. */
  public boolean satisfies(String version, String range) {
    return satisfies(version, range, Options.DEFAULT);
  }

  /**
   * node-semver's {@code satisfies}, except that an invalid version or range is refused rather than answered with
   * false: a matcher must not read "not affected" into input it cannot parse.
   */
  public boolean satisfies(String version, String range, Options options) {
    Semver candidate = parse(version, options);
    return test(parseRange(range, options), candidate, options);
  }

  private static boolean test(List<List<Comparator>> range, Semver candidate, Options options) {
    for (List<Comparator> set : range) {
      if (testSet(set, candidate, options)) {
        return true;
      }
    }
    return false;
  }

  private static boolean testSet(List<Comparator> set, Semver candidate, Options options) {
    for (Comparator comparator : set) {
      if (!comparator.test(candidate)) {
        return false;
      }
    }
    if (candidate.prerelease().isEmpty() || options.includePrerelease()) {
      return true;
    }
    // a pre-release only matches a set that names a pre-release of the same major.minor.patch
    for (Comparator comparator : set) {
      Semver allowed = comparator.version();
      if (allowed != null && !allowed.prerelease().isEmpty() && allowed.major().equals(candidate.major())
          && allowed.minor().equals(candidate.minor()) && allowed.patch().equals(candidate.patch())) {
        return true;
      }
    }
    return false;
  }

  /** node-semver's {@code validRange}: the range in plain comparators ({@code ^1.2} is {@code >=1.2.0 <2.0.0-0}). */
  public String validRange(String range, Options options) {
    List<String> sets = new ArrayList<>();
    for (List<Comparator> set : parseRange(range, options)) {
      sets.add(String.join(" ", set.stream().map(Comparator::toString).toList()).strip());
    }
    String joined = String.join("||", sets);
    return joined.isEmpty() ? "*" : joined;
  }

  /** node-semver's {@code gtr}: the version is above every version the range allows. */
  public boolean greaterThanRange(String version, String range, Options options) {
    return outside(parse(version, options), parseRange(range, options), true, options);
  }

  /** node-semver's {@code ltr}: the version is below every version the range allows. */
  public boolean lessThanRange(String version, String range, Options options) {
    return outside(parse(version, options), parseRange(range, options), false, options);
  }

  private boolean outside(Semver version, List<List<Comparator>> range, boolean above, Options options) {
    if (test(range, version, options)) {
      return false;
    }
    String strict = above ? ">" : "<";
    String inclusive = strict + "=";
    for (List<Comparator> set : range) {
      Comparator high = null;
      Comparator low = null;
      for (Comparator comparator : set) {
        if (comparator.version() == null) {
          comparator = new Comparator(">=", parse("0.0.0", Options.DEFAULT));
        }
        high = high == null ? comparator : high;
        low = low == null ? comparator : low;
        int toHigh = comparator.version().compareTo(high.version());
        int toLow = comparator.version().compareTo(low.version());
        if (above ? toHigh > 0 : toHigh < 0) {
          high = comparator;
        } else if (above ? toLow < 0 : toLow > 0) {
          low = comparator;
        }
      }
      if (high.operator().equals(strict) || high.operator().equals(inclusive)) {
        return false;
      }
      int versionToLow = version.compareTo(low.version());
      boolean lowOpen = low.operator().isEmpty() || low.operator().equals(strict);
      if (lowOpen && (above ? versionToLow <= 0 : versionToLow >= 0)) {
        return false;
      } else if (low.operator().equals(inclusive) && (above ? versionToLow < 0 : versionToLow > 0)) {
        return false;
      }
    }
    return true;
  }

  /** node-semver's {@code intersects} for two ranges: some version could satisfy both. */
  public boolean intersects(String range, String other, Options options) {
    List<List<Comparator>> left = parseRange(range, options);
    List<List<Comparator>> right = parseRange(other, options);
    for (List<Comparator> l : left) {
      if (!satisfiable(l, options)) {
        continue;
      }
      for (List<Comparator> r : right) {
        if (satisfiable(r, options) && l.stream().allMatch(a -> r.stream().allMatch(b -> intersects(a, b, options)))) {
          return true;
        }
      }
    }
    return false;
  }

  /** node-semver's {@code Comparator#intersects} on two comparator strings ({@code >=1.3.0}, {@code ""}). */
  public boolean comparatorsIntersect(String comparator, String other, Options options) {
    return intersects(comparator(comparator, options), comparator(other, options), options);
  }

  private static boolean satisfiable(List<Comparator> set, Options options) {
    for (int i = 0; i < set.size(); i++) {
      for (int j = i + 1; j < set.size(); j++) {
        if (!intersects(set.get(i), set.get(j), options)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean intersects(Comparator a, Comparator b, Options options) {
    if (a.operator().isEmpty()) {
      return a.version() == null || b.test(a.version());
    }
    if (b.operator().isEmpty()) {
      return b.version() == null || a.test(b.version());
    }
    String av = a.toString();
    String bv = b.toString();
    if (options.includePrerelease() ? av.equals("<0.0.0-0") || bv.equals("<0.0.0-0")
        : av.startsWith("<0.0.0") || bv.startsWith("<0.0.0")) {
      return false;
    }
    if ((a.operator().startsWith(">") && b.operator().startsWith(">"))
        || (a.operator().startsWith("<") && b.operator().startsWith("<"))) {
      return true;
    }
    int order = a.version().compareTo(b.version());
    if (a.version().withoutBuild().equals(b.version().withoutBuild()) && a.operator().contains("=")
        && b.operator().contains("=")) {
      return true;
    }
    return (order < 0 && a.operator().startsWith(">") && b.operator().startsWith("<"))
        || (order > 0 && a.operator().startsWith("<") && b.operator().startsWith(">"));
  }

  private static boolean holds(Semver a, String operator, Semver b) {
    int c = a.compareTo(b);
    return switch (operator) {
      case "", "=" -> c == 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      default -> throw new IllegalStateException(operator);
    };
  }

  // ---- range parsing: node-semver's desugaring, step by step ----

  /** Parses a range into sets of comparators (or of sets, one must hold), refusing what node-semver throws on. */
  public List<List<Comparator>> parseRange(String range, Options options) {
    String text = String.join(" ", VersionScheme.bounded(name(), range).strip().split("\\s+"));
    text = RANGE_BUILD.matcher(text).replaceAll("");
    List<List<Comparator>> sets = new ArrayList<>();
    for (String part : text.split("\\|\\|", -1)) {
      List<Comparator> set = parseSet(range, part.strip(), options);
      if (!set.isEmpty()) {
        sets.add(set);
      }
    }
    if (sets.isEmpty()) {
      throw new InvalidVersionException(name(), range, "not a range");
    }
    if (sets.size() > 1) {
      List<Comparator> first = sets.get(0);
      sets.removeIf(set -> isNullSet(set.get(0)));
      if (sets.isEmpty()) {
        return List.of(first);
      }
      for (List<Comparator> set : sets) {
        if (set.size() == 1 && set.get(0).version() == null) {
          return List.of(set);
        }
      }
    }
    return sets;
  }

  private List<Comparator> parseSet(String range, String part, Options options) {
    Syntax syntax = options.loose() ? LOOSE_SYNTAX : STRICT;
    Matcher hyphen = syntax.hyphen().matcher(part);
    if (hyphen.matches()) {
      part = hyphenReplace(range, hyphen, options);
    }
    part = replaceAll(syntax.comparatorTrim().matcher(part), m -> m.group(1) + m.group(2) + m.group(3));
    part = part.replaceAll("(\\s*)~>?\\s+", "$1~").replaceAll("(\\s*)\\^\\s+", "$1^");
    List<String> comparators = new ArrayList<>();
    for (String token : part.split(" ", -1)) {
      String desugared = desugar(range, token, syntax, options);
      for (String comparator : desugared.strip().split("\\s+")) {
        String gte0 = options.includePrerelease() ? ">=\\s*0\\.0\\.0-0" : ">=\\s*0\\.0\\.0";
        comparators.add(comparator.strip().matches(gte0) ? "" : comparator);
      }
    }
    if (options.loose()) {
      comparators.removeIf(c -> !LOOSE_SYNTAX.comparator().matcher(c).matches());
    }
    Map<String, Comparator> unique = new LinkedHashMap<>();
    for (String text : comparators) {
      Comparator comparator = comparator(text, options);
      if (isNullSet(comparator)) {
        return List.of(comparator);
      }
      unique.put(comparator.toString(), comparator);
    }
    if (unique.size() > 1) {
      unique.remove("");
    }
    return new ArrayList<>(unique.values());
  }

  private Comparator comparator(String text, Options options) {
    Matcher m = (options.loose() ? LOOSE_SYNTAX : STRICT).comparator().matcher(VersionScheme.bounded(name(), text));
    if (!m.matches()) {
      throw new InvalidVersionException(name(), text, "not a comparator");
    }
    if (m.group(2) == null) {
      return Comparator.ANY;
    }
    String operator = m.group(1).equals("=") ? "" : m.group(1);
    return new Comparator(operator, parse(m.group(2), options));
  }

  private static boolean isNullSet(Comparator comparator) {
    return comparator.toString().equals("<0.0.0-0");
  }

  /** Carets, then tildes, then X-ranges, then stars, each on every space-separated token, as node-semver does. */
  private String desugar(String range, String comparator, Syntax syntax, Options options) {
    String out = eachToken(comparator, t -> caret(range, t, syntax, options));
    out = eachToken(out, t -> tilde(range, t, syntax, options));
    out = eachToken(out, t -> xRange(range, t, syntax, options));
    return out.strip().replaceAll("(<|>)?=?\\s*\\*", "");
  }

  private static String eachToken(String comparators, Function<String, String> replacement) {
    List<String> out = new ArrayList<>();
    for (String token : comparators.strip().split("\\s+")) {
      out.add(replacement.apply(token));
    }
    return String.join(" ", out);
  }

  private String caret(String range, String token, Syntax syntax, Options options) {
    Matcher m = syntax.caret().matcher(token);
    if (!m.matches()) {
      return token;
    }
    Parts p = parts(range, m, 1);
    String z = options.includePrerelease() ? "-0" : "";
    if (p.isX(p.major)) {
      return "";
    }
    if (p.isX(p.minor)) {
      return ">=" + p.major + ".0.0" + z + " <" + inc(p.major) + ".0.0-0";
    }
    if (p.isX(p.patch)) {
      return p.major.equals("0")
          ? ">=" + p.major + "." + p.minor + ".0" + z + " <" + p.major + "." + inc(p.minor) + ".0-0"
          : ">=" + p.major + "." + p.minor + ".0" + z + " <" + inc(p.major) + ".0.0-0";
    }
    String from = p.major + "." + p.minor + "." + p.patch + (p.pre != null ? "-" + p.pre : "");
    if (p.major.equals("0")) {
      return p.minor.equals("0")
          ? ">=" + from + " <" + p.major + "." + p.minor + "." + inc(p.patch) + "-0"
          : ">=" + from + " <" + p.major + "." + inc(p.minor) + ".0-0";
    }
    return ">=" + from + " <" + inc(p.major) + ".0.0-0";
  }

  private String tilde(String range, String token, Syntax syntax, Options options) {
    Matcher m = syntax.tilde().matcher(token);
    if (!m.matches()) {
      return token;
    }
    Parts p = parts(range, m, 1);
    String z = options.includePrerelease() ? "-0" : "";
    if (p.isX(p.major)) {
      return "";
    }
    if (p.isX(p.minor)) {
      return ">=" + p.major + ".0.0" + z + " <" + inc(p.major) + ".0.0-0";
    }
    if (p.isX(p.patch)) {
      return ">=" + p.major + "." + p.minor + ".0" + z + " <" + p.major + "." + inc(p.minor) + ".0-0";
    }
    String from = p.major + "." + p.minor + "." + p.patch + (p.pre != null ? "-" + p.pre : "");
    return ">=" + from + " <" + p.major + "." + inc(p.minor) + ".0-0";
  }

  private String xRange(String range, String token, Syntax syntax, Options options) {
    Matcher m = syntax.xRange().matcher(token);
    if (!m.matches()) {
      return token;
    }
    String operator = m.group(1);
    Parts p = parts(range, m, 2);
    boolean xMajor = p.isX(p.major);
    boolean xMinor = xMajor || p.isX(p.minor);
    boolean xPatch = xMinor || p.isX(p.patch);
    if (operator.equals("=") && xPatch) {
      operator = "";
    }
    String pr = options.includePrerelease() ? "-0" : "";
    if (xMajor) {
      return operator.equals(">") || operator.equals("<") ? "<0.0.0-0" : "*";
    }
    if (!operator.isEmpty() && xPatch) {
      String major = p.major;
      String minor = xMinor ? "0" : p.minor;
      String patch = "0";
      if (operator.equals(">")) {
        operator = ">=";
        if (xMinor) {
          major = inc(major);
          minor = "0";
        } else {
          minor = inc(minor);
        }
      } else if (operator.equals("<=")) {
        operator = "<";
        if (xMinor) {
          major = inc(major);
        } else {
          minor = inc(minor);
        }
      }
      if (operator.equals("<")) {
        pr = "-0";
      }
      return operator + major + "." + minor + "." + patch + pr;
    }
    if (xMinor) {
      return ">=" + p.major + ".0.0" + pr + " <" + inc(p.major) + ".0.0-0";
    }
    if (xPatch) {
      return ">=" + p.major + "." + p.minor + ".0" + pr + " <" + p.major + "." + inc(p.minor) + ".0-0";
    }
    return token;
  }

  private String hyphenReplace(String range, Matcher m, Options options) {
    // groups: 1 whole "from", 2-6 its parts; 7 whole "to", 8-12 its parts
    Parts from = parts(range, m, 2);
    Parts to = parts(range, m, 8);
    String z = options.includePrerelease() ? "-0" : "";
    String low;
    if (from.isX(from.major)) {
      low = "";
    } else if (from.isX(from.minor)) {
      low = ">=" + from.major + ".0.0" + z;
    } else if (from.isX(from.patch)) {
      low = ">=" + from.major + "." + from.minor + ".0" + z;
    } else if (from.pre != null) {
      low = ">=" + m.group(1).strip();
    } else {
      low = ">=" + m.group(1).strip() + z;
    }
    String high;
    if (to.isX(to.major)) {
      high = "";
    } else if (to.isX(to.minor)) {
      high = "<" + inc(to.major) + ".0.0-0";
    } else if (to.isX(to.patch)) {
      high = "<" + to.major + "." + inc(to.minor) + ".0-0";
    } else if (to.pre != null) {
      high = "<=" + to.major + "." + to.minor + "." + to.patch + "-" + to.pre;
    } else if (options.includePrerelease()) {
      high = "<" + to.major + "." + to.minor + "." + inc(to.patch) + "-0";
    } else {
      high = "<=" + m.group(7).strip();
    }
    return (low + " " + high).strip();
  }

  /** Major, minor, patch and pre-release of an X-range match, from group {@code first} on. */
  private Parts parts(String range, Matcher m, int first) {
    Parts p = new Parts(m.group(first), m.group(first + 1), m.group(first + 2), m.group(first + 3));
    // node-semver refuses a number after an X ("1.x.5", "x.1")
    if ((p.isX(p.major) && !p.isX(p.minor)) || (p.isX(p.minor) && !p.isX(p.patch))) {
      throw new InvalidVersionException(name(), range, "a number after x or *");
    }
    return p;
  }

  private record Parts(String major, String minor, String patch, String pre) {
    boolean isX(String id) {
      return id == null || id.equalsIgnoreCase("x") || id.equals("*");
    }
  }

  /** {@code +n + 1} on a digit string. */
  private static String inc(String digits) {
    return new java.math.BigInteger(digits).add(java.math.BigInteger.ONE).toString();
  }

  private static String replaceAll(Matcher m, Function<Matcher, String> replacement) {
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
