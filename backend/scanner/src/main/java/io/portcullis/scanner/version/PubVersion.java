package io.portcullis.scanner.version;

import java.util.List;

/**
 * Dart package versions (pub), ordered as Dart's {@code pub_semver} orders them: SemVer 2.0.0 precedence, except that
 * build metadata counts, after the rest and with the same rules as pre-release identifiers ({@code 1.0.0 <
 * 1.0.0+build}, {@code 1.2.3+1 < 1.2.3+a}).
 *
 * <p>Written by hand: pub_semver is Dart; the difference from SemVer is that one rule, on the {@link Semver} core.
 * Like pub_semver, leading zeros in numbers are accepted; {@link #compare} also reads a leading {@code v}, which
 * {@link #validate} refuses as pub does.
 */
public final class PubVersion implements VersionScheme {

  public static final PubVersion SCHEME = new PubVersion();

  private PubVersion() {}

  @Override
  public String name() {
    return "pub";
  }

  @Override
  public int compare(String a, String b) {
    Semver x = parse(a, true);
    Semver y = parse(b, true);
    int c = x.compareTo(y);
    if (c != 0) {
      return c;
    }
    if (x.build().isEmpty() || y.build().isEmpty()) {
      return Boolean.compare(!x.build().isEmpty(), !y.build().isEmpty());
    }
    List<String> p = x.build();
    List<String> q = y.build();
    for (int i = 0; i < Math.min(p.size(), q.size()); i++) {
      int byIdentifier = Semver.compareIdentifier(p.get(i), q.get(i));
      if (byIdentifier != 0) {
        return byIdentifier;
      }
    }
    return Integer.compare(p.size(), q.size());
  }

  @Override
  public void validate(String version) {
    parse(version, false);
  }

  /** {@code tagged}: tolerate a leading {@code v}, as tags and OSV's Pub data carry one; pub itself never writes it. */
  private Semver parse(String version, boolean tagged) {
    String text = VersionScheme.bounded(name(), version);
    if (tagged && text.startsWith("v")) {
      text = text.substring(1);
    }
    try {
      int plus = text.indexOf('+');
      String head = plus >= 0 ? text.substring(0, plus) : text;
      int hyphen = head.indexOf('-');
      String[] numbers = (hyphen >= 0 ? head.substring(0, hyphen) : head).split("\\.", -1);
      if (numbers.length != 3 || !Numerals.isDigits(numbers[0]) || !Numerals.isDigits(numbers[1])
          || !Numerals.isDigits(numbers[2])) {
        throw new IllegalArgumentException("not MAJOR.MINOR.PATCH");
      }
      return new Semver(numbers[0], numbers[1], numbers[2],
          hyphen >= 0 ? Semver.identifiers(head.substring(hyphen + 1), false) : List.of(),
          plus >= 0 ? Semver.identifiers(text.substring(plus + 1), false) : List.of());
    } catch (IllegalArgumentException e) {
      throw new InvalidVersionException(name(), version, e.getMessage());
    }
  }
}
