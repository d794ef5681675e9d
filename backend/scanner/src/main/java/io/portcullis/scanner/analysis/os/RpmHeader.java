package io.portcullis.scanner.analysis.os;

import java.util.Objects;

/**
 * The fields of one installed rpm's header that an inventory needs, as rpm stored them.
 *
 * @param name {@code NAME} (1000)
 * @param epoch {@code EPOCH} (1003); null when the header has none, which rpm compares as 0
 * @param version {@code VERSION} (1001)
 * @param release {@code RELEASE} (1002)
 * @param architecture {@code ARCH} (1022); null when absent, as for {@code gpg-pubkey}
 * @param sourceRpm {@code SOURCERPM} (1044), the file name {@code name-version-release.src.rpm}; null when absent
 * @param vendor {@code VENDOR} (1011); null when absent
 * @param license {@code LICENSE} (1014); null when absent
 */
public record RpmHeader(
    String name,
    Integer epoch,
    String version,
    String release,
    String architecture,
    String sourceRpm,
    String vendor,
    String license) {

  /** rpm imports each trusted signing key as a pseudo-package of this name; it is not software on the image. */
  static final String GPG_PUBKEY = "gpg-pubkey";

  public RpmHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(release, "release");
  }

  /** Whether this is an imported signing key rather than an installed package. */
  public boolean isPseudoPackage() {
    return GPG_PUBKEY.equals(name);
  }

  /**
   * The version as rpm writes an EVR, {@code epoch:version-release}; the epoch only when the header has one, as rpm's
   * {@code %{EVR}} does.
   */
  public String evr() {
    return (epoch == null ? "" : epoch + ":") + version + "-" + release;
  }

  /**
   * This package as an {@link OsPackage}. The source name and version come from the source rpm's file name; the file
   * name carries no epoch, so the binary's epoch is assumed for the source, which is what rpm builds do (every
   * subpackage shares the spec file's epoch).
   */
  OsPackage toPackage(String foundBy, String path) {
    String sourceName = name;
    String sourceVersion = null;
    SourceRpm source = SourceRpm.parse(sourceRpm);
    if (source != null) {
      sourceName = source.name;
      sourceVersion = (epoch == null ? "" : epoch + ":") + source.versionRelease;
    }
    return new OsPackage(name, evr(), architecture, sourceName, sourceVersion, license, foundBy, path, vendor);
  }

  private record SourceRpm(String name, String versionRelease) {

    // name-version-release.src.rpm: version and release contain no '-', the name may
    static SourceRpm parse(String file) {
      if (file == null) {
        return null;
      }
      String base;
      if (file.endsWith(".src.rpm")) {
        base = file.substring(0, file.length() - ".src.rpm".length());
      } else if (file.endsWith(".nosrc.rpm")) {
        base = file.substring(0, file.length() - ".nosrc.rpm".length());
      } else {
        return null;
      }
      int releaseDash = base.lastIndexOf('-');
      int versionDash = releaseDash <= 0 ? -1 : base.lastIndexOf('-', releaseDash - 1);
      if (versionDash <= 0 || releaseDash == base.length() - 1 || versionDash == releaseDash - 1) {
        return null;
      }
      return new SourceRpm(base.substring(0, versionDash), base.substring(versionDash + 1));
    }
  }
}
