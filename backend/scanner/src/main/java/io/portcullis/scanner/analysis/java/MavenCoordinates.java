package io.portcullis.scanner.analysis.java;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a Java archive says it is, in Maven's terms.
 *
 * @param groupId the group, or null when nothing in the archive names one (a jar known only by its file name)
 * @param artifactId the artifact
 * @param version the version as written
 */
public record MavenCoordinates(String groupId, String artifactId, String version) {

  /** Longest group, artifact or version kept; real ones are far shorter, and these are labels in every report. */
  static final int MAX_LENGTH = 256;

  /** Maven's own rule for ids, widened by the version characters real archives carry ({@code +}, {@code ~}). */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+~-]*");

  public MavenCoordinates {
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(version, "version");
  }

  /**
   * The coordinates when all three parts are plausible: no spaces, no unfiltered {@code ${project.version}}, nothing
   * longer than {@value #MAX_LENGTH} characters. A null group is allowed; an empty one is not.
   */
  static boolean plausible(String groupId, String artifactId, String version) {
    return (groupId == null || token(groupId)) && token(artifactId) && token(version);
  }

  static boolean token(String value) {
    return value != null && value.length() <= MAX_LENGTH && TOKEN.matcher(value).matches();
  }

  /**
   * The name as OSV and Maven users write it, {@code groupId:artifactId}; just the artifact when the group is unknown.
   */
  public String name() {
    return groupId == null ? artifactId : groupId + ":" + artifactId;
  }

  /**
   * {@code pkg:maven/<groupId>/<artifactId>@<version>}; null when the group is unknown, because the purl specification
   * requires it for Maven (an archive known only by its file name is still listed, by name and checksum).
   *
   * @throws IllegalArgumentException when the parts make no package URL
   */
  public String purl() {
    if (groupId == null) {
      return null;
    }
    try {
      return PackageURLBuilder.aPackageURL()
          .withType("maven")
          .withNamespace(groupId)
          .withName(artifactId)
          .withVersion(version)
          .build()
          .canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("no package URL for " + name() + " " + version + ": " + e.getMessage(), e);
    }
  }
}
