package io.portcullis.scanner.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven versions, ordered by Maven's own {@link ComparableVersion} from {@code maven-artifact} 3.9: the class that
 * resolves version ranges in the Maven builds that produce the artifacts we find, so no hand-written copy can drift
 * from it. Its rules: dot- and hyphen-separated items, numbers numerically, the known qualifiers {@code alpha < beta <
 * milestone < rc = cr < snapshot < (release) = ga = final < sp}, other qualifiers after them alphabetically.
 *
 * <p>ComparableVersion orders every string; {@link #validate} adds Maven's model check of a version (not empty, no
 * whitespace, none of {@code \ / : " < > | ? *}), which no published artifact fails.
 */
public final class MavenVersion implements VersionScheme {

  public static final MavenVersion SCHEME = new MavenVersion();

  private MavenVersion() {}

  @Override
  public String name() {
    return "maven";
  }

  @Override
  public int compare(String a, String b) {
    return parse(a).compareTo(parse(b));
  }

  @Override
  public void validate(String version) {
    String text = VersionScheme.bounded(name(), version);
    if (text.isEmpty()) {
      throw new InvalidVersionException(name(), version, "empty");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || "\\/:\"<>|?*".indexOf(c) >= 0) {
        throw new InvalidVersionException(name(), version, "character '" + c + "' is not allowed in a version");
      }
    }
  }

  /** The parsed form, for callers that compare one version with many. */
  public ComparableVersion parse(String version) {
    String text = VersionScheme.bounded(name(), version);
    if (text.isBlank()) {
      throw new InvalidVersionException(name(), version, "empty");
    }
    return new ComparableVersion(text);
  }
}
