package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.version.RpmVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RPM packages against their distribution's advisories for that major release: AlmaLinux ({@code AlmaLinux:9}),
 * Rocky Linux ({@code Rocky Linux:9}), Mariner and Azure Linux ({@code Mariner:2.0}, {@code Azure Linux:3.0}). These
 * distributions name binary packages and full {@code epoch:version-release} strings, so the installed EVR is compared
 * as is; a missing epoch on either side is epoch 0, as rpm has it. Distributions whose OSV data is not per release
 * (Red Hat's product streams, SUSE's products) are not placed: no guess, no finding. A package whose {@code VENDOR}
 * is not the distribution's comes from a third-party repository: it is flagged, not matched.
 */
public final class RpmMatcher implements Matcher {

  @Override
  public String name() {
    return "rpm";
  }

  /** Who builds each distribution's packages, as its rpm headers' {@code VENDOR} begins. */
  private static final Map<String, String> VENDORS = Map.of(
      "almalinux", "AlmaLinux", "rocky", "Rocky Enterprise Software Foundation", "mariner", "Microsoft Corporation",
      "azurelinux", "Microsoft Corporation");

  @Override
  public Optional<String> foreign(InventoryPackage pkg, OsRelease os) {
    if (!pkg.type().equals("rpm") || os == null || pkg.vendor() == null || pkg.vendor().isBlank()) {
      return Optional.empty();
    }
    String expected = VENDORS.get(os.id());
    if (expected == null || pkg.vendor().startsWith(expected)) {
      return Optional.empty();
    }
    return Optional.of("built by " + pkg.vendor() + ", not " + expected);
  }

  @Override
  public Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os) {
    if (!pkg.type().equals("rpm") || os == null || os.versionId() == null || os.versionId().isBlank()
        || foreign(pkg, os).isPresent()) {
      return Optional.empty();
    }
    String major = os.versionId().split("\\.")[0];
    String ecosystem;
    String release;
    switch (os.id()) {
      case "almalinux" -> {
        ecosystem = "AlmaLinux";
        release = major;
      }
      case "rocky" -> {
        ecosystem = "Rocky Linux";
        release = major;
      }
      case "mariner" -> {
        ecosystem = "Mariner";
        release = os.versionId();
      }
      case "azurelinux" -> {
        ecosystem = "Azure Linux";
        release = os.versionId();
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(new PackageQuery(name(), ecosystem, List.of(release), pkg.name(), pkg.version(), RpmVersion.SCHEME, pkg));
  }
}
