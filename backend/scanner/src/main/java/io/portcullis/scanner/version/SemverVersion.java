package io.portcullis.scanner.version;

/**
 * Semantic Versioning 2.0.0 as the specification writes it ({@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, no leading
 * zeros, build ignored), for the ecosystems that use it without a dialect of their own: crates.io (Cargo), Hex,
 * SwiftURL, Bitnami. A leading {@code v} is tolerated, as tags carry one.
 *
 * <p>Hand-written on the {@link Semver} core rather than taken from java-semver or semver4j: both store numbers in a
 * {@code long} or {@code int} and reject what the specification allows, and semver4j orders some pre-releases against
 * the specification ({@code 1.2.3-r2} before {@code 1.2.3-r100}); the precedence rules are a dozen lines.
 */
public final class SemverVersion implements VersionScheme {

  public static final SemverVersion SCHEME = new SemverVersion();

  private SemverVersion() {}

  @Override
  public String name() {
    return "semver";
  }

  @Override
  public int compare(String a, String b) {
    return parse(a).compareTo(parse(b));
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  Semver parse(String version) {
    String text = VersionScheme.bounded(name(), version).strip();
    if (text.startsWith("v")) {
      text = text.substring(1);
    }
    try {
      return Semver.parseStrict(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidVersionException(name(), version, e.getMessage());
    }
  }
}
