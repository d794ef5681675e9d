package io.portcullis.scanner.version;

import java.util.Comparator;

/**
 * How one package format orders its versions. Implementations are stateless and thread-safe.
 *
 * <p>{@link #compare} parses both strings on every call: versions come from untrusted images and advisories, and
 * parsing is cheap next to the lookup that follows. Each scheme bounds what it accepts ({@link #MAX_LENGTH}), so a
 * hostile version string costs linear time at most.
 */
public interface VersionScheme extends Comparator<String> {

  /** No package manager writes versions this long; longer input is rejected before any parsing. */
  int MAX_LENGTH = 1024;

  /** The short name used on the command line and in findings ({@code dpkg}, {@code rpm}, {@code npm}, ...). */
  String name();

  /**
   * Orders two versions as the package manager does.
   *
   * @return a negative number, zero or a positive number as {@code a} is older than, equal to or newer than {@code b}
   * @throws InvalidVersionException when either string is not a version of this scheme
   */
  @Override
  int compare(String a, String b);

  /**
   * Checks one version.
   *
   * @throws InvalidVersionException with the reason when the package manager would reject it
   */
  void validate(String version);

  /** Whether {@link #validate} accepts the version. */
  default boolean isValid(String version) {
    try {
      validate(version);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  /** The length check every scheme makes first. */
  static String bounded(String scheme, String version) {
    if (version == null) {
      throw new InvalidVersionException(scheme, null, "no version");
    }
    if (version.length() > MAX_LENGTH) {
      throw new InvalidVersionException(scheme, version, "longer than " + MAX_LENGTH + " characters");
    }
    return version;
  }
}
