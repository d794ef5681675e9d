package io.portcullis.scanner.version;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The closed set of schemes, by name (for the command line) and by OSV ecosystem (for matchers). OSV names an
 * ecosystem with an optional release after a colon ({@code Debian:12}, {@code Alpine:v3.19}, {@code Red
 * Hat:enterprise_linux:9::appstream}); only the part before the first colon chooses the scheme.
 */
public final class VersionSchemes {

  /** Every scheme, each once, in the order the command line lists them. */
  public static final List<VersionScheme> ALL = List.of(
      DebianVersion.SCHEME, AlpineVersion.SCHEME, RpmVersion.SCHEME, MavenVersion.SCHEME, NpmVersion.SCHEME,
      Pep440Version.SCHEME, GoVersion.SCHEME, NuGetVersion.SCHEME, RubyGemsVersion.SCHEME, PackagistVersion.SCHEME,
      SemverVersion.SCHEME, PubVersion.SCHEME, DottedVersion.CRAN, DottedVersion.HACKAGE, FallbackVersion.SCHEME);

  private static final Map<String, VersionScheme> BY_ECOSYSTEM = new LinkedHashMap<>();

  static {
    ecosystems(DebianVersion.SCHEME, "Debian", "Ubuntu");
    ecosystems(AlpineVersion.SCHEME, "Alpine", "Alpaquita", "BellSoft Hardened Containers", "Chainguard", "MinimOS",
        "Wolfi");
    ecosystems(RpmVersion.SCHEME, "AlmaLinux", "Azure Linux", "Mageia", "Mariner", "openEuler", "openSUSE",
        "Photon OS", "Red Hat", "Rocky Linux", "SUSE", "Amazon Linux", "Oracle Linux", "CentOS", "Fedora");
    ecosystems(MavenVersion.SCHEME, "Maven");
    ecosystems(NpmVersion.SCHEME, "npm");
    ecosystems(Pep440Version.SCHEME, "PyPI");
    ecosystems(GoVersion.SCHEME, "Go");
    ecosystems(NuGetVersion.SCHEME, "NuGet");
    ecosystems(RubyGemsVersion.SCHEME, "RubyGems");
    ecosystems(PackagistVersion.SCHEME, "Packagist");
    ecosystems(SemverVersion.SCHEME, "crates.io", "Hex", "SwiftURL", "Bitnami");
    ecosystems(PubVersion.SCHEME, "Pub");
    ecosystems(DottedVersion.CRAN, "CRAN");
    ecosystems(DottedVersion.HACKAGE, "Hackage");
  }

  private VersionSchemes() {}

  private static void ecosystems(VersionScheme scheme, String... names) {
    for (String name : names) {
      if (BY_ECOSYSTEM.put(name.toLowerCase(Locale.ROOT), scheme) != null) {
        throw new IllegalStateException("ecosystem listed twice: " + name);
      }
    }
  }

  /**
   * The scheme for an OSV ecosystem name ({@code Debian:12}, {@code npm}); {@link FallbackVersion} for one the scanner
   * does not know, so a new ecosystem degrades to a best-effort order instead of failing the scan.
   */
  public static VersionScheme forEcosystem(String osvEcosystem) {
    return knownEcosystem(osvEcosystem).orElse(FallbackVersion.SCHEME);
  }

  /** The scheme for an OSV ecosystem, empty when the scanner does not know it (the caller may want to say so). */
  public static Optional<VersionScheme> knownEcosystem(String osvEcosystem) {
    if (osvEcosystem == null) {
      return Optional.empty();
    }
    int colon = osvEcosystem.indexOf(':');
    String name = (colon >= 0 ? osvEcosystem.substring(0, colon) : osvEcosystem).strip().toLowerCase(Locale.ROOT);
    return Optional.ofNullable(BY_ECOSYSTEM.get(name));
  }

  /** The scheme with this short name ({@code dpkg}, {@code rpm}, {@code npm}, ...). */
  public static Optional<VersionScheme> named(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
