package io.portcullis.scanner.matching;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.version.VersionScheme;
import io.portcullis.scanner.version.VersionSchemes;
import java.util.List;
import java.util.Optional;

/**
 * Language packages against their ecosystem's advisories, whatever the image's distribution: a jar under {@code Maven}
 * as {@code group:artifact}, an npm package by its (scoped) name, a Python distribution by its PEP 503 name, a Go
 * module by its path as written, case kept (the toolchain as {@code stdlib}), a NuGet package by its id — the names the
 * analyzers record, which are the ones advisories use.
 *
 * <p>Go versions lose their {@code v}: OSV's Go ranges are SemVer without it. A Go main module built from a working
 * tree ({@code (devel)}) has no version to compare and is not placed.
 */
public final class LanguageMatcher implements Matcher {

  private final String purlType;
  private final String ecosystem;

  private LanguageMatcher(String purlType, String ecosystem) {
    this.purlType = purlType;
    this.ecosystem = ecosystem;
  }

  /** One matcher per language ecosystem the analyzers report. */
  public static List<Matcher> all() {
    return List.of(
        new LanguageMatcher("maven", "Maven"),
        new LanguageMatcher("npm", "npm"),
        new LanguageMatcher("pypi", "PyPI"),
        new LanguageMatcher("golang", "Go"),
        new LanguageMatcher("nuget", "NuGet"),
        new LanguageMatcher("gem", "RubyGems"),
        new LanguageMatcher("cargo", "crates.io"),
        new LanguageMatcher("composer", "Packagist"));
  }

  @Override
  public String name() {
    return ecosystem.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Optional<PackageQuery> query(InventoryPackage pkg, OsRelease os) {
    if (!pkg.type().equals(purlType) || pkg.version() == null || pkg.version().isBlank()) {
      return Optional.empty();
    }
    String name = pkg.name();
    String version = pkg.version();
    if (purlType.equals("maven") && name.indexOf(':') < 1) {
      return Optional.empty(); // a jar known only by its file name has no group: no advisory names it
    }
    if (purlType.equals("golang")) {
      if (version.equals("(devel)") || version.isBlank()) {
        return Optional.empty(); // built from a working tree: no version to compare, and "0" would match every range
      }
      version = version.startsWith("v") ? version.substring(1) : version;
    }
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem);
    return Optional.of(new PackageQuery(name(), ecosystem, List.of(""), name, version, scheme, pkg));
  }
}
