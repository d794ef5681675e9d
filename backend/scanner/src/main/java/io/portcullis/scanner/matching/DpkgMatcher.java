package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.version.DebianVersion;
import java.util.List;
import java.util.Optional;

/**
 * Debian and Ubuntu packages against their own distribution's advisories for that release. Both file advisories
 * under the source package with source versions, so a binary package is looked up by its {@code Source}; a binary-only
 * rebuild ({@code 5.2.15-2+b13}, a binNMU) carries the source version it was built from, and when the status file
 * does not give it the {@code +bN} suffix is dropped to get it back.
 */
public final class DpkgMatcher implements Matcher {

  @Override
  public String name() {
    return "dpkg";
  }

  @Override
  public Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os) {
    if (!pkg.type().equals("deb") || os == null || os.versionId() == null || os.versionId().isBlank()) {
      return Optional.empty();
    }
    List<String> releases;
    String ecosystem;
    switch (os.id()) {
      case "debian" -> {
        ecosystem = "Debian";
        // OSV files Debian advisories under the major release: Debian:12 for 12.x images
        releases = List.of(os.versionId().split("\\.")[0]);
      }
      case "ubuntu" -> {
        ecosystem = "Ubuntu";
        releases = List.of(os.versionId() + ":LTS", os.versionId());
      }
      default -> {
        return Optional.empty();
      }
    }
    String name = pkg.sourceName() != null ? pkg.sourceName() : pkg.name();
    String version = pkg.sourceVersion() != null ? pkg.sourceVersion() : withoutBinNmu(pkg.version());
    return Optional.of(new PackageQuery(name(), ecosystem, releases, name, version, DebianVersion.SCHEME, pkg));
  }

  static String withoutBinNmu(String version) {
    return version.replaceFirst("\\+b[0-9]+$", "");
  }
}
