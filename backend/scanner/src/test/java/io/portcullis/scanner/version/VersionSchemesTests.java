package io.portcullis.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * osv-scalibr's per-ecosystem comparison fixtures (ordered by the native tools, most of them), each run under the
 * scheme {@link VersionSchemes#forEcosystem} picks for the ecosystem the fixture names: the mapping is under test too.
 */
class VersionSchemesTests {

  private static final String MAVEN_GENERATED = "maven-versions-generated.tsv";
  private static final String SEMVER = "semver-versions.tsv";

  /**
   * Where osv-scalibr's comparators and the native tools disagree. The scanner follows the native tool; each entry
   * says which one and where the disagreement is recorded.
   */
  static final Map<String, String> EXCEPTIONS = new LinkedHashMap<>();

  static {
    // Maven: osv-scalibr's own Maven comparator, not ComparableVersion, ordered these; maven-artifact 3.9.11 orders
    // them the other way (oracle_checks/maven-versions*.vs-maven-artifact-3.9.11.txt lists exactly these 19)
    String maven = "osv-scalibr's comparator disagrees with maven-artifact 3.9.11 (oracle_checks)";
    EXCEPTIONS.put("Maven: maven-versions.tsv: 1-1 = 1-ga-1", maven);
    for (String pair : List.of("1.0.0-RC16 < 1.0.0.RC8-beta", "1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3",
        "2.9.0-1 < 2.9.0.RC1", "6.1.12.rc5 < 6.1.12rc1", "1.1.31.sec10 < 1.1.31_noneautotype",
        "1.1.34.sec10 < 1.1.34_noneautotype", "1.1.46.sec10 < 1.1.46_noneautotype",
        "1.2.8.sec10_noneautotype < 1.2.8_noneautotype", "1.2.31.sec10 < 1.2.31_noneautotype",
        "1.2.48.sec10 < 1.2.48_noneautotype", "1.2.50.sec10 < 1.2.50_noneautotype",
        "1.2.54.sec10 < 1.2.54_noneautotype", "1.2.57.sec10 < 1.2.57_noneautotype",
        "1.2.60.sec10 < 1.2.60_noneautotype", "1.2.67.sec10 < 1.2.67_noneautotype", "1.0.0rc0 < 1.0.beta8",
        "1.5.9.RC1 < 1.5.9-RC0", "1.1.0-01-glassfish < 1.1.0.Beta1")) {
      EXCEPTIONS.put("Maven: " + MAVEN_GENERATED + ": " + pair, maven);
    }
    // SemVer: osv-scalibr reads any number of dotted parts and numbers of any size; node-semver rejects these three
    // (npm/oracle_check.vs-semver-7.8.6.txt), Cargo's semver and the SemVer grammar reject the five-part version
    String nodeSemver = "node-semver 7.8.6 rejects it (npm/oracle_check.vs-semver-7.8.6.txt)";
    EXCEPTIONS.put("npm: " + SEMVER + ": 999999999999999999999999999991 < 999999999999999999999999999999", nodeSemver);
    EXCEPTIONS.put("npm: " + SEMVER + ": 999999999999999999999999999991.999999999999999999999999999991"
        + ".999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991"
        + ".999999999999999999999999999991", nodeSemver);
    EXCEPTIONS.put("npm: " + SEMVER + ": 1.1.3.4.5 = 1.1.3.4.5", nodeSemver);
    EXCEPTIONS.put("crates.io: " + SEMVER + ": 999999999999999999999999999991 < 999999999999999999999999999999",
        "not MAJOR.MINOR.PATCH: Cargo's semver rejects it");
    EXCEPTIONS.put("crates.io: " + SEMVER + ": 1.1.3.4.5 = 1.1.3.4.5", "not SemVer: Cargo's semver rejects it");
    EXCEPTIONS.put("Hex: " + SEMVER + ": 999999999999999999999999999991 < 999999999999999999999999999999",
        "not MAJOR.MINOR.PATCH: Elixir's Version rejects it");
    EXCEPTIONS.put("Hex: " + SEMVER + ": 1.1.3.4.5 = 1.1.3.4.5", "not SemVer: Elixir's Version rejects it");
    // Pub runs osv-scalibr's SemVer file too: pub_semver rejects what is not MAJOR.MINOR.PATCH
    EXCEPTIONS.put("Pub: pub-versions.tsv: 999999999999999999999999999991 < 999999999999999999999999999999",
        "not MAJOR.MINOR.PATCH: pub_semver rejects it");
    EXCEPTIONS.put("Pub: pub-versions.tsv: 1.1.3.4.5 = 1.1.3.4.5", "not MAJOR.MINOR.PATCH: pub_semver rejects it");
    // NuGet.Versioning caps each number at 2147483647 (its own test ParseThrowsIfStringIsNotAValidSemVer has
    // "1.2147483648" and "10000000000000000000"); osv-scalibr reads any size
    EXCEPTIONS.put("NuGet: nuget-versions.tsv: 999999999999999999999999999991 < 999999999999999999999999999999",
        "NuGet.Versioning rejects numbers above 2147483647");
    EXCEPTIONS.put("NuGet: nuget-versions.tsv: 999999999999999999999999999991.999999999999999999999999999991"
        + ".999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991"
        + ".999999999999999999999999999991", "NuGet.Versioning rejects numbers above 2147483647");
    // PHP's version_compare turns "#" into a separator ("1.2.3." then ranks below any number): PHP 8.2 answers -1
    // for both pairs; osv-scalibr keeps "#" and reads it as a number
    EXCEPTIONS.put("Packagist: packagist-versions.tsv: 1.2.3.# = 1.2.3", "PHP 8.2 version_compare says -1");
    EXCEPTIONS.put("Packagist: packagist-versions.tsv: 1.2.3.# = 1.2.3.1", "PHP 8.2 version_compare says -1");
    // Gem::Version rejects "1beta" ("Malformed version number string", RubyGems 3.3.15); osv-scalibr orders it
    EXCEPTIONS.put("RubyGems: rubygems-versions.tsv: 1 > 1beta", "Gem::Version rejects 1beta");
    EXCEPTIONS.put("RubyGems: rubygems-versions.tsv: 1 > 1gamma", "Gem::Version rejects 1gamma");
    // osv-scalibr's hand-written expectations for strings apk-tools 3 refuses as versions (apk_version_validate);
    // no native apk checked this file, and the scanner orders such strings by apk-tools 2's token rules instead
    String apk = "osv-scalibr's own expectation for a string apk-tools 3 rejects";
    EXCEPTIONS.put("Alpine: alpine-versions.tsv: 0.r1 < 0r2", apk);
    EXCEPTIONS.put("Alpine: alpine-versions.tsv: 0.8.21.r2 < 0.8.21r2", apk);
    EXCEPTIONS.put("Alpine: alpine-versions.tsv: 1 > 1-ruff", apk);
    EXCEPTIONS.put("Alpine: alpine-versions.tsv: 1-ruff2 = 1--ruff1", apk);
  }

  @Test
  void passesEveryOsvScalibrFixtureUnderTheMappedScheme() {
    Path folder = Vectors.folder("osv-scalibr-semantic");
    VectorTally tally = new VectorTally("osv");
    Map<String, List<String>> ecosystems = new HashMap<>();
    for (String[] row : Vectors.tsv(folder.resolve("COUNTS.tsv"))) {
      ecosystems.put(row[0].replace(".txt", ".tsv"), List.of(row[1].split(",")));
    }
    for (String file : Vectors.files(folder)) {
      if (!file.endsWith("-versions.tsv") && !file.endsWith("-versions-generated.tsv")) {
        continue;
      }
      assertThat(ecosystems).as("COUNTS.tsv names the ecosystem of %s", file).containsKey(file);
      for (String ecosystem : ecosystems.get(file)) {
        VersionScheme scheme = VersionSchemes.knownEcosystem(ecosystem).orElseThrow();
        for (String[] row : Vectors.tsv(folder.resolve(file))) {
          String vector = row[0] + " " + row[1] + " " + row[2];
          tally.check(ecosystem + ": " + file, vector, () -> holds(scheme, row[0], row[1], row[2]));
        }
      }
    }
    // raw/ holds the same fixtures unchanged, oracle_checks/ the maintainers' runs against the native tools
    tally.verify(folder, Set.of("README.md", "COUNTS.tsv"), EXCEPTIONS);
  }

  /** As osv-scalibr's compare_test.go: cmp(a, b) has the sign of op, and cmp(b, a) the opposite one. */
  private static boolean holds(VersionScheme scheme, String a, String op, String b) {
    int expected = switch (op) {
      case "<" -> -1;
      case "=" -> 0;
      case ">" -> 1;
      default -> throw new IllegalArgumentException(op);
    };
    return Integer.signum(scheme.compare(a, b)) == expected && Integer.signum(scheme.compare(b, a)) == -expected;
  }

  @Test
  void mapsOsvEcosystemNamesWithTheirReleases() {
    assertThat(VersionSchemes.forEcosystem("Debian:12")).isSameAs(DebianVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Ubuntu:Pro:22.04:LTS")).isSameAs(DebianVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Alpine:v3.19")).isSameAs(AlpineVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Red Hat:enterprise_linux:9::appstream")).isSameAs(RpmVersion.SCHEME);
    for (String rpm : List.of("AlmaLinux:9", "Rocky Linux:8", "openSUSE:Tumbleweed", "SUSE:Linux Enterprise Server 15",
        "Azure Linux:3", "Mariner:2.0")) {
      assertThat(VersionSchemes.forEcosystem(rpm)).as(rpm).isSameAs(RpmVersion.SCHEME);
    }
    assertThat(VersionSchemes.forEcosystem("Maven")).isSameAs(MavenVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("npm")).isSameAs(NpmVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("PyPI")).isSameAs(Pep440Version.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Go")).isSameAs(GoVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("NuGet")).isSameAs(NuGetVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("RubyGems")).isSameAs(RubyGemsVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("crates.io")).isSameAs(SemverVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Packagist")).isSameAs(PackagistVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("Bitnami")).isSameAs(SemverVersion.SCHEME);
    assertThat(VersionSchemes.forEcosystem("GitHub Actions")).isSameAs(FallbackVersion.SCHEME);
    assertThat(VersionSchemes.knownEcosystem("GitHub Actions")).isEmpty();
    assertThat(VersionSchemes.named("dpkg")).contains(DebianVersion.SCHEME);
    assertThat(VersionSchemes.ALL).extracting(VersionScheme::name).doesNotHaveDuplicates();
  }

  /**
   * Versions come from images and advisories: whatever the string, every scheme answers or refuses it with an {@link
   * InvalidVersionException}, quickly (no regular expression may backtrack into minutes, no recursion overflow).
   */
  @Test
  void everySchemeAnswersHostileInputQuicklyOrRefusesIt() {
    List<String> hostile = List.of("1".repeat(1024), "1.".repeat(512), "1-".repeat(512), "a".repeat(1024),
        "~".repeat(1024), "-".repeat(1024), ".1a".repeat(341), "1.1.1-" + "a.".repeat(509), "0".repeat(1024),
        "1.0-" + "\u00e9\u0000\n".repeat(300), "1:".repeat(512), "1.0+" + "+".repeat(1000), "9".repeat(1025), "",
        "v" + "1.".repeat(300) + "x", "1.0_" + "alpha".repeat(200), "1!" + "1.".repeat(500), "1.0.0-" + "0.".repeat(500));
    long start = System.nanoTime();
    for (VersionScheme scheme : VersionSchemes.ALL) {
      for (String version : hostile) {
        for (String other : List.of(version, "1.0", "1.0.0")) {
          try {
            scheme.compare(version, other);
          } catch (InvalidVersionException expected) {
            // refused with a reason: fine
          }
        }
        scheme.isValid(version);
      }
    }
    NpmVersion npm = NpmVersion.SCHEME;
    for (String range : List.of("1 ".repeat(512), "||".repeat(512), "^1.x ".repeat(200), ">=1.2.3 <2 ".repeat(90),
        "1.2.3 - ".repeat(120), "~".repeat(1024), "x.".repeat(512), "<=" + "1".repeat(1000), " ".repeat(1024))) {
      try {
        npm.satisfies("1.2.3", range);
      } catch (InvalidVersionException expected) {
        // refused with a reason: fine
      }
    }
    assertThat((System.nanoTime() - start) / 1e9).as("seconds for all hostile inputs").isLessThan(30);
  }

  @Test
  void theFallbackOrdersByItsDocumentedRules() {
    VersionScheme fallback = FallbackVersion.SCHEME;
    assertThat(fallback.compare("1.0", "1.0.1")).isNegative();
    assertThat(fallback.compare("1.0-beta", "1.0")).isNegative();
    assertThat(fallback.compare("1.0.rc1", "1.0.1")).isNegative();
    assertThat(fallback.compare("v1.2.3+build", "1.2.3")).isZero();
    assertThat(fallback.compare("1.10", "1.9")).isPositive();
    assertThat(fallback.compare("2024.01.15", "2023.12.31")).isPositive();
    assertThat(fallback.compare("1.0A", "1.0a")).isZero();
    assertThat(fallback.isValid(" ")).isFalse();
  }
}
