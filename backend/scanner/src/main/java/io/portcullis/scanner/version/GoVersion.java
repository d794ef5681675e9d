package io.portcullis.scanner.version;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Go module versions: semantic versions with a {@code v} ({@code v1.2.3}, the shorthands {@code v1} and {@code v1.2},
 * pseudo-versions such as {@code v0.0.0-20191109021931-daa7c04131f5}, and {@code +incompatible}), ordered as {@code
 * golang.org/x/mod/semver.Compare} orders them.
 *
 * <p>Written by hand: Java semver libraries reject the shorthands and the {@code v}, and cap numbers at a {@code
 * long}; Go's rules are SemVer 2.0.0 precedence plus those two, so the code is small (the {@link Semver} core). OSV's
 * Go records write versions without the {@code v}; a version that starts with a digit is read as if it had one.
 *
 * <p>As in Go, {@link #compare} orders every string: an invalid version is older than any valid one and equal to
 * every other invalid one. {@link #validate} says which strings are valid.
 */
public final class GoVersion implements VersionScheme {

  public static final GoVersion SCHEME = new GoVersion();

  /** The shape of a pseudo-version (golang.org/x/mod/module, "Pseudo-versions"): base, 14-digit UTC time, revision. */
  private static final Pattern PSEUDO = Pattern.compile(
      "v[0-9]+\\.(0\\.0-|\\d+\\.\\d+-([^+]*\\.)?0\\.)\\d{14}-[A-Za-z0-9]+(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private GoVersion() {}

  @Override
  public String name() {
    return "go";
  }

  @Override
  public int compare(String a, String b) {
    Semver x = parseOrNull(a);
    Semver y = parseOrNull(b);
    if (x == null || y == null) {
      return Boolean.compare(x != null, y != null);
    }
    return x.compareTo(y);
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  /** {@code semver.Canonical}: {@code v1.2} becomes {@code v1.2.0}, the build is dropped. */
  public String canonical(String version) {
    return "v" + parse(version).withoutBuild();
  }

  /** {@code module.IsPseudoVersion}. */
  public boolean isPseudoVersion(String version) {
    return isValid(version) && version.chars().filter(c -> c == '-').count() >= 2
        && PSEUDO.matcher(version).matches();
  }

  /**
   * {@code module.PseudoVersion}: the pseudo-version Go assigns to revision {@code revision} committed at {@code time}
   * on top of the newest tagged version {@code older} (empty when none) with major version {@code major} ({@code v0}
   * when empty).
   */
  public String pseudoVersion(String major, String older, Instant time, String revision) {
    String segment = TIMESTAMP.format(time) + "-" + revision;
    if (older.isEmpty()) {
      return (major.isEmpty() ? "v0" : major) + ".0.0-" + segment;
    }
    Semver base = parse(older);
    String build = base.build().isEmpty() ? "" : "+" + String.join(".", base.build());
    if (!base.prerelease().isEmpty()) {
      return "v" + base.withoutBuild() + ".0." + segment + build;
    }
    return "v" + base.major() + "." + base.minor() + "." + increment(base.patch()) + "-0." + segment + build;
  }

  private static String increment(String digits) {
    char[] number = digits.toCharArray();
    int i = number.length - 1;
    while (i >= 0 && number[i] == '9') {
      number[i--] = '0';
    }
    if (i < 0) {
      return "1" + new String(number);
    }
    number[i]++;
    return new String(number);
  }

  Semver parse(String version) {
    String text = VersionScheme.bounded(name(), version);
    try {
      return parseGo(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidVersionException(name(), version, e.getMessage());
    }
  }

  private Semver parseOrNull(String version) {
    try {
      return parseGo(VersionScheme.bounded(name(), version));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Semver parseGo(String text) {
    if (!text.isEmpty() && Numerals.isDigit(text.charAt(0))) {
      text = "v" + text;
    }
    if (text.isEmpty() || text.charAt(0) != 'v') {
      throw new IllegalArgumentException("does not start with v");
    }
    String rest = text.substring(1);
    int end = 0;
    while (end < rest.length() && (Numerals.isDigit(rest.charAt(end)) || rest.charAt(end) == '.')) {
      end++;
    }
    String[] numbers = rest.substring(0, end).split("\\.", -1);
    if (numbers.length < 3) {
      if (end != rest.length()) {
        throw new IllegalArgumentException("a pre-release or build needs MAJOR.MINOR.PATCH");
      }
      return new Semver(Semver.number(numbers[0]), numbers.length > 1 ? Semver.number(numbers[1]) : "0", "0",
          List.of(), List.of());
    }
    return Semver.parseStrict(rest);
  }
}
