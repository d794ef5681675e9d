package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.version.AlpineVersion;
import java.util.List;
import java.util.Optional;

/**
 * Alpine packages against the advisories of their Alpine release ({@code Alpine:v3.19} for 3.19.x), Wolfi and
 * Chainguard packages against theirs (rolling, no release). Advisories name the origin (source) package, which every
 * subpackage records.
 */
public final class ApkMatcher implements Matcher {

  @Override
  public String name() {
    return "apk";
  }

  @Override
  public Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os) {
    if (!pkg.type().equals("apk") || os == null) {
      return Optional.empty();
    }
    String ecosystem;
    List<String> releases;
    switch (os.id()) {
      case "alpine" -> {
        if (os.versionId() == null) {
          return Optional.empty();
        }
        String[] parts = os.versionId().split("\\.");
        if (parts.length < 2) {
          return Optional.empty();
        }
        ecosystem = "Alpine";
        releases = List.of("v" + parts[0] + "." + parts[1]);
      }
      case "wolfi" -> {
        ecosystem = "Wolfi";
        releases = List.of("");
      }
      case "chainguard" -> {
        ecosystem = "Chainguard";
        releases = List.of("");
      }
      default -> {
        return Optional.empty();
      }
    }
    String name = pkg.sourceName() != null ? pkg.sourceName() : pkg.name();
    return Optional.of(new PackageQuery(name(), ecosystem, releases, name, pkg.version(), AlpineVersion.SCHEME, pkg));
  }
}
