package io.portcullis.scanner.matching;

import io.portcullis.scanner.version.InvalidVersionException;
import io.portcullis.scanner.version.VersionScheme;
import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SemVer as range evaluation needs it: strict where the scheme can read both versions, lenient where an advisory (or
 * a package) writes a short or long release — {@code 1} for {@code 1.0.0}, {@code 0.0.0.1} — as SemVer-family tools
 * read them: release numbers compared one by one with missing ones as 0, then a pre-release before its release, then
 * pre-release identifiers as SemVer orders them. Only SemVer-family schemes are widened this way; every other scheme
 * keeps refusing what it cannot read.
 */
final class LenientSemver implements VersionScheme {

  private static final Set<String> SEMVER_FAMILY = Set.of("npm", "semver", "go");
  private static final Pattern SHAPE = Pattern.compile("v?([0-9]{1,64}(?:\\.[0-9]{1,64}){0,7})(?:-([0-9A-Za-z.-]{1,256}))?(?:\\+[0-9A-Za-z.-]{0,256})?");

  private final VersionScheme strict;

  private LenientSemver(VersionScheme strict) {
    this.strict = strict;
  }

  /** {@code scheme} widened when it is SemVer-family, else {@code scheme} itself. */
  static VersionScheme around(VersionScheme scheme) {
    return SEMVER_FAMILY.contains(scheme.name()) ? new LenientSemver(scheme) : scheme;
  }

  @Override
  public String name() {
    return strict.name();
  }

  @Override
  public void validate(String version) {
    if (!strict.isValid(version) && !SHAPE.matcher(VersionScheme.bounded(name(), version)).matches()) {
      strict.validate(version);
    }
  }

  @Override
  public int compare(String a, String b) {
    try {
      return strict.compare(a, b);
    } catch (InvalidVersionException e) {
      Matcher x = shape(a, e);
      Matcher y = shape(b, e);
      String[] rx = x.group(1).split("\\.");
      String[] ry = y.group(1).split("\\.");
      for (int i = 0; i < Math.max(rx.length, ry.length); i++) {
        BigInteger nx = i < rx.length ? new BigInteger(rx[i]) : BigInteger.ZERO;
        BigInteger ny = i < ry.length ? new BigInteger(ry[i]) : BigInteger.ZERO;
        int c = nx.compareTo(ny);
        if (c != 0) {
          return c;
        }
      }
      String px = x.group(2);
      String py = y.group(2);
      if (px == null || py == null) {
        return px == null ? (py == null ? 0 : 1) : -1;
      }
      return prerelease(px, py);
    }
  }

  private Matcher shape(String version, InvalidVersionException cause) {
    Matcher m = SHAPE.matcher(VersionScheme.bounded(name(), version));
    if (!m.matches()) {
      throw cause;
    }
    return m;
  }

  private static int prerelease(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean nx = x[i].chars().allMatch(Character::isDigit);
      boolean ny = y[i].chars().allMatch(Character::isDigit);
      int c = nx && ny ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
          : nx ? -1 : ny ? 1 : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
