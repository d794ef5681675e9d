package io.portcullis.scanner.analysis.os;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.util.Objects;

/**
 * One installed operating-system package, as its package manager wrote it down.
 *
 * @param name the binary package name
 * @param version the full version as the package manager writes it, epoch and revision included ({@code
 *     1:2.36-9+deb12u4}, {@code 1.36.1-r5}; rpm's {@code epoch:version-release}, the epoch only when the header has
 *     one); matching compares this exact string against advisories
 * @param architecture as written ({@code amd64}, {@code all}, {@code x86_64}); null when the record has none
 * @param sourceName the source package (dpkg {@code Source:}, apk {@code o:} origin, the name in rpm's
 *     {@code SOURCERPM}); the binary name when the record
 *     names none, as {@code dpkg-query ${source:Package}} does, because advisories are filed against source packages
 * @param sourceVersion the source version when it differs from {@code version} (binNMUs, {@code Source: gcc-5
 *     (5.1.1-12ubuntu1)}); null when it is the same
 * @param license the declared license expression (apk {@code L:}); null when the format has none (dpkg keeps it in
 *     copyright files)
 * @param foundBy the parser that produced this package, one of {@link DpkgStatusParser#STATUS}, {@link
 *     DpkgStatusParser#STATUS_D}, {@link ApkInstalledParser#INSTALLED}, {@link RpmSqliteDatabase#SQLITE}, {@link
 *     RpmBerkeleyDatabase#BERKELEY_DB}, {@link RpmNdbDatabase#NDB}
 * @param path the file the package came from, as given by the caller
 * @param vendor who built the package, where the database says ({@code VENDOR} of an rpm: {@code AlmaLinux}); null
 *     otherwise
 */
public record OsPackage(
    String name,
    String version,
    String architecture,
    String sourceName,
    String sourceVersion,
    String license,
    String foundBy,
    String path,
    String vendor) {

  /** A package whose database names no vendor (dpkg, apk). */
  public OsPackage(String name, String version, String architecture, String sourceName, String sourceVersion,
      String license, String foundBy, String path) {
    this(name, version, architecture, sourceName, sourceVersion, license, foundBy, path, null);
  }

  public OsPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(foundBy, "foundBy");
    Objects.requireNonNull(path, "path");
    if (version.equals(sourceVersion)) {
      sourceVersion = null;
    }
  }

  /**
   * The package URL for this package ({@code pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12}, {@code
   * pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.21.3}).
   *
   * @param namespace the vendor namespace, i.e. the os-release {@code ID} ({@code debian}, {@code ubuntu}, {@code
   *     alpine}); the purl type alone does not say which distribution's advisories apply
   * @param distro the {@code distro} qualifier ({@code debian-12}, {@code bookworm}, {@code 3.21.3}); null to leave it
   *     out
   */
  public PackageURL purl(String namespace, String distro) {
    try {
      String type = purlType();
      String purlVersion = version;
      String epoch = null;
      int colon = version.indexOf(':');
      // the purl spec puts an rpm epoch in a qualifier, not in the version
      if (type.equals("rpm") && colon > 0 && version.substring(0, colon).chars().allMatch(Character::isDigit)) {
        epoch = version.substring(0, colon);
        purlVersion = version.substring(colon + 1);
      }
      PackageURLBuilder builder =
          PackageURLBuilder.aPackageURL()
              .withType(type)
              .withNamespace(namespace)
              .withName(name)
              .withVersion(purlVersion);
      if (epoch != null) {
        builder.withQualifier("epoch", epoch);
      }
      if (architecture != null && !architecture.isEmpty()) {
        builder.withQualifier("arch", architecture);
      }
      if (distro != null && !distro.isEmpty()) {
        builder.withQualifier("distro", distro);
      }
      // the purl spec's "upstream" qualifier names the source package, which is what advisories are filed against
      if (!sourceName.equals(name) || sourceVersion != null) {
        builder.withQualifier("upstream", sourceVersion == null ? sourceName : sourceName + "@" + sourceVersion);
      }
      return builder.build();
    } catch (MalformedPackageURLException e) {
      // names and versions come from untrusted files; the caller decides whether a package without a purl matters
      throw new IllegalArgumentException("no package URL for " + name + " " + version + ": " + e.getMessage(), e);
    }
  }

  private String purlType() {
    if (foundBy.startsWith("dpkg-")) {
      return "deb";
    }
    if (foundBy.startsWith("apk-")) {
      return "apk";
    }
    if (foundBy.startsWith("rpm-")) {
      return "rpm";
    }
    throw new IllegalStateException("no purl type for packages found by " + foundBy);
  }
}
