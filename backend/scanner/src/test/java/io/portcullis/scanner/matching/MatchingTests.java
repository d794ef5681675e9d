package io.portcullis.scanner.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.advisory.OsvArchive;
import io.portcullis.scanner.advisory.OsvParser;
import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.scanner.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Matching real OSV data: each query of {@code fixtures/matching/expected.tsv} — whose advisory lists an independent
 * Python implementation of the OSV evaluation ({@code oracle.py}, beside it) computed from the same exports — must give
 * exactly those advisories; and the distribution rules (source packages, releases, binNMUs, vendor patches) on records
 * these tests write in the distributions' own OSV form.
 */
class MatchingTests {

  static final Map<String, AdvisoryIndex> INDEXES = new HashMap<>();

  static synchronized AdvisoryIndex index(String archive) throws IOException {
    AdvisoryIndex cached = INDEXES.get(archive);
    if (cached != null) {
      return cached;
    }
    List<OsvRecord> records = new ArrayList<>();
    OsvParser parser = OsvParser.withDefaults();
    try (OsvArchive zip = OsvArchive.open(SharedTestData.path("osv/" + archive), OsvArchive.Limits.DEFAULT)) {
      for (Iterator<OsvArchive.Entry> it = zip.entries(); it.hasNext(); ) {
        if (it.next() instanceof OsvArchive.Json json && parser.parse(json.bytes()) instanceof OsvParser.Accepted a) {
          records.add(a.record());
        }
      }
    }
    AdvisoryIndex index = AdvisoryIndex.of(records);
    INDEXES.put(archive, index);
    return index;
  }

  record Expected(String archive, String ecosystem, String name, String version, List<String> advisories) {}

  static List<Expected> expected() throws IOException {
    Map<String, String> archives = Map.of("django", "PyPI/all.zip", "stdlib", "Go/all.zip", "golang.org/x/net", "Go/all.zip",
        "org.apache.logging.log4j:log4j-core", "GHSA-sample/all.zip",
        "com.fasterxml.jackson.core:jackson-databind", "osv-dev-served/all.zip");
    try (InputStream in = MatchingTests.class.getResourceAsStream("/fixtures/matching/expected.tsv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(line -> line.split("\t"))
          .map(f -> new Expected(archives.get(f[1]), f[0], f[1], f[2], Arrays.asList(f[3].split(","))))
          .toList();
    }
  }

  static InventoryPackage language(String ecosystem, String name, String version) {
    String type = switch (ecosystem) {
      case "PyPI" -> "pypi";
      case "Go" -> "golang";
      case "Maven" -> "maven";
      default -> throw new IllegalArgumentException(ecosystem);
    };
    String shown = type.equals("golang") && !name.equals("stdlib") ? "v" + version : version;
    return new InventoryPackage(type, name, shown, null, null, null, null, null, "test", "app/" + name, "sha256:layer", null);
  }

  @ParameterizedTest(name = "{1} {2} {3}")
  @MethodSource("expected")
  void realAdvisoriesMatchExactlyWhatTheOracleFound(Expected expected) throws IOException {
    InventoryPackage pkg = language(expected.ecosystem(), expected.name(), expected.version());
    Inventory inventory = new Inventory("test", null, null, null, null, List.of(pkg), List.of());
    Matching.Result result = Matching.defaults().match(inventory, index(expected.archive()));
    assertThat(result.matches()).extracting(Match::advisoryId).containsExactlyInAnyOrderElementsOf(expected.advisories());
    assertThat(result.matches()).allSatisfy(m -> {
      assertThat(m.evidence().ecosystem()).isEqualTo(expected.ecosystem());
      assertThat(m.evidence().version()).isEqualTo(expected.version());
      assertThat(m.evidence().range()).isNotBlank();
    });
  }

  @Test
  void aRememberingMatchingGivesEachPackageItsOwnMatchesFromTheFirstEvaluation() throws IOException {
    Matching remembering = Matching.defaults().remembering();
    InventoryPackage first = language("PyPI", "django", "3.2.0");
    InventoryPackage second = new InventoryPackage("pypi", "Django", "3.2.0", null, null, null, null, null, "test",
        "other/site-packages/Django-3.2.0.dist-info/METADATA", "sha256:other", null);
    AdvisoryIndex pypi = index("PyPI/all.zip");
    List<Match> once = remembering.match(new Inventory("a", null, null, null, null, List.of(first), List.of()), pypi).matches();
    List<Match> again = remembering.match(new Inventory("b", null, null, null, null, List.of(second), List.of()), pypi).matches();
    assertThat(again).extracting(Match::advisoryId).containsExactlyElementsOf(once.stream().map(Match::advisoryId).toList());
    assertThat(again).hasSize(25).allSatisfy(m -> assertThat(m.pkg()).isSameAs(second));
    assertThat(once).allSatisfy(m -> assertThat(m.pkg()).isSameAs(first));
  }

  @Test
  void log4ShellIsOneVulnerabilityNamedByItsCveWithTheFixAndTheRangeAsEvidence() throws IOException {
    InventoryPackage log4j = language("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1");
    InventoryPackage patched = language("Maven", "org.apache.logging.log4j:log4j-core", "2.17.1");
    Inventory inventory = new Inventory("test", null, null, null, null, List.of(log4j, patched), List.of());
    List<Vulnerability> vulnerabilities =
        Vulnerability.of(Matching.defaults().match(inventory, index("GHSA-sample/all.zip")).matches());
    assertThat(vulnerabilities).singleElement().satisfies(v -> {
      assertThat(v.id()).isEqualTo("CVE-2021-44228");
      assertThat(v.identifiers()).contains("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q");
      assertThat(v.pkg()).isSameAs(log4j);
      assertThat(v.fixed()).isEqualTo("2.15.0");
      assertThat(v.matches().get(0).evidence().range()).isEqualTo("introduced 2.13.0, fixed 2.15.0");
      assertThat(v.matches().get(0).evidence().matcher()).isEqualTo("maven");
    });
  }

  static final OsRelease BOOKWORM = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");

  /** Records as the Debian security tracker publishes them in OSV: by source package, per release, source versions. */
  static AdvisoryIndex debianAdvisories() {
    OsvParser parser = OsvParser.withDefaults();
    List<OsvRecord> records = new ArrayList<>();
    for (String json : List.of(
        debian("DSA-5532-1", "CVE-2023-5363", "Debian:12", "openssl", "3.0.11-1~deb12u2"),
        debian("DLA-0000-1", "CVE-2000-0001", "Debian:11", "openssl", "1.1.1w-0+deb11u1"),
        debian("DSA-9999-1", "CVE-2024-9999", "Debian:12", "bash", "5.2.15-2+b14"),
        debian("DSA-5000-1", "CVE-2022-0001", "Debian:12", "python-urllib3", "1.26.12-1+deb12u1"),
        """
        {"id": "PYSEC-2023-192", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2023-43804"],
         "affected": [{"package": {"ecosystem": "PyPI", "name": "urllib3"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.26.17"}]}]}]}
        """)) {
      records.add(((OsvParser.Accepted) parser.parse(json.getBytes(StandardCharsets.UTF_8))).record());
    }
    return AdvisoryIndex.of(records);
  }

  static String debian(String id, String cve, String ecosystem, String source, String fixed) {
    return """
        {"id": "%s", "modified": "2024-01-01T00:00:00Z", "upstream": ["%s"],
         "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
        """.formatted(id, cve, ecosystem, source, fixed);
  }

  static InventoryPackage deb(String name, String version, String source, String sourceVersion) {
    return new InventoryPackage("deb", name, version, "pkg:deb/debian/" + name + "@" + version, "amd64", source,
        sourceVersion, null, "dpkg-status", "var/lib/dpkg/status", "sha256:base", null);
  }

  @Test
  void debianPackagesMatchTheirReleasesAdvisoriesBySourcePackageAndSourceVersion() {
    List<InventoryPackage> packages = List.of(
        deb("libssl3", "3.0.11-1~deb12u1", "openssl", null),
        deb("openssl", "3.0.11-1~deb12u2", null, null),
        // a binNMU: the binary is 5.2.15-2+b13, built from source 5.2.15-2
        deb("bash", "5.2.15-2+b13", null, null),
        // patched by Debian: the python3-urllib3 package and the copy of its metadata it installs
        deb("python3-urllib3", "1.26.12-1+deb12u1", "python-urllib3", null));
    Inventory inventory = new Inventory("test", null, null, BOOKWORM, null, packages, List.of());
    Matching.Result result = Matching.defaults().match(inventory, debianAdvisories());

    assertThat(result.matches()).extracting(m -> m.pkg().name() + " " + m.advisoryId())
        .containsExactlyInAnyOrder("libssl3 DSA-5532-1", "bash DSA-9999-1");
    Match libssl = result.matches().get(0);
    assertThat(libssl.evidence().ecosystem()).isEqualTo("Debian:12");
    assertThat(libssl.evidence().name()).as("looked up by source").isEqualTo("openssl");
    assertThat(libssl.evidence().fixed()).isEqualTo("3.0.11-1~deb12u2");
    assertThat(result.matches().get(1).evidence().version()).as("the binNMU's source version").isEqualTo("5.2.15-2");
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void osPackagesAreNeverMatchedAgainstLanguageAdvisoriesNorOtherReleases() {
    Inventory bullseyeImage = new Inventory("test", null, null, new OsRelease("debian", "11", "bullseye", null), null,
        List.of(deb("libssl3", "3.0.11-1~deb12u1", "openssl", null), deb("python3-urllib3", "1.26.5-1~exp1", "python-urllib3", null)),
        List.of());
    assertThat(Matching.defaults().match(bullseyeImage, debianAdvisories()).matches())
        .as("openssl's bookworm advisory does not apply to bullseye; a deb is no PyPI package").isEmpty();

    Inventory unknownDistribution = new Inventory("test", null, null, null, null,
        List.of(deb("libssl3", "3.0.11-1~deb12u1", "openssl", null)), List.of());
    assertThat(Matching.defaults().match(unknownDistribution, debianAdvisories()).matches())
        .as("without os-release no release can be chosen: no guess").isEmpty();
  }

  @Test
  void rpmPackagesFromAnotherVendorAreFlaggedNotMatchedAgainstTheDistribution() {
    OsvRecord alsa = ((OsvParser.Accepted) OsvParser.withDefaults().parse("""
        {"id": "ALSA-2024:0001", "modified": "2024-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "AlmaLinux:9", "name": "curl"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.76.1-26.el9_3.3"}]}]}]}
        """.getBytes(StandardCharsets.UTF_8))).record();
    OsRelease alma = new OsRelease("almalinux", "9.3", null, "AlmaLinux 9.3");
    InventoryPackage ours = new InventoryPackage("rpm", "curl", "7.76.1-26.el9_3.2", "pkg:rpm/almalinux/curl", "x86_64",
        "curl", null, null, "rpm-sqlite", "var/lib/rpm/rpmdb.sqlite", "sha256:base", null, "AlmaLinux");
    InventoryPackage theirs = new InventoryPackage("rpm", "curl", "7.76.1-26.el9_3.2", "pkg:rpm/almalinux/curl", "x86_64",
        "curl", null, null, "rpm-sqlite", "var/lib/rpm/rpmdb.sqlite", "sha256:base", null, "Example Repo Inc.");
    Matching.Result result = Matching.defaults().match(
        new Inventory("test", null, null, alma, null, List.of(ours, theirs), List.of()), AdvisoryIndex.of(List.of(alsa)));
    assertThat(result.matches()).singleElement().satisfies(m -> {
      assertThat(m.pkg()).isSameAs(ours);
      assertThat(m.evidence().ecosystem()).isEqualTo("AlmaLinux:9");
      assertThat(m.evidence().fixed()).isEqualTo("7.76.1-26.el9_3.3");
    });
    assertThat(result.foreign()).containsExactly("curl 7.76.1-26.el9_3.2: built by Example Repo Inc., not AlmaLinux");
  }

  @Test
  void anUnreadableInstalledVersionOrEventIsAProblemNeverAMatch() {
    OsvParser parser = OsvParser.withDefaults();
    List<OsvRecord> records = new ArrayList<>();
    for (String json : List.of(
        debian("DSA-1-1", "CVE-2001-0001", "Debian:12", "openssl", "3.0.11-1~deb12u2"),
        """
        {"id": "GO-BAD", "modified": "2024-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "not a version!"}]}]}]}
        """)) {
      records.add(((OsvParser.Accepted) parser.parse(json.getBytes(StandardCharsets.UTF_8))).record());
    }
    Inventory inventory = new Inventory("test", null, null, BOOKWORM, null, List.of(
        deb("libssl3", "3.0.11-1~deb12u1 :bad:", "openssl", null), language("Go", "golang.org/x/net", "0.7.0")), List.of());
    Matching.Result result = Matching.defaults().match(inventory, AdvisoryIndex.of(records));
    assertThat(result.matches()).isEmpty();
    assertThat(result.problems()).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("openssl").contains("is not a dpkg version"))
        .anySatisfy(p -> assertThat(p).startsWith("GO-BAD Go/golang.org/x/net: introduced 0, fixed not a version!"));
  }

  @Test
  void withdrawnAdvisoriesMatchNothing() {
    OsvRecord withdrawn = ((OsvParser.Accepted) OsvParser.withDefaults().parse("""
        {"id": "GHSA-xxxx-withdrawn", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-01-02T00:00:00Z",
         "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
        """.getBytes(StandardCharsets.UTF_8))).record();
    Inventory inventory = new Inventory("test", null, null, null, null, List.of(language("PyPI", "Django", "3.2.0")), List.of());
    assertThat(Matching.defaults().match(inventory, AdvisoryIndex.of(List.of(withdrawn))).matches()).isEmpty();
  }

  @Test
  void aliasesMergeAcrossDatabasesIntoOneVulnerability() {
    OsvParser parser = OsvParser.withDefaults();
    List<OsvRecord> records = new ArrayList<>();
    for (String id : List.of("PYSEC-2021-1", "GHSA-aaaa-bbbb-cccc")) {
      records.add(((OsvParser.Accepted) parser.parse(("""
          {"id": "%s", "modified": "2024-01-01T00:00:00Z", "aliases": ["%s"],
           "affected": [{"package": {"ecosystem": "PyPI", "name": "Django"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"fixed": "%s"}]}]}]}
          """).formatted(id, id.startsWith("PYSEC") ? "GHSA-aaaa-bbbb-cccc" : "CVE-2021-0001",
              id.startsWith("PYSEC") ? "3.2.5" : "3.2.4").getBytes(StandardCharsets.UTF_8))).record());
    }
    Inventory inventory = new Inventory("test", null, null, null, null, List.of(language("PyPI", "django", "3.2.0")), List.of());
    List<Vulnerability> vulnerabilities =
        Vulnerability.of(Matching.defaults().match(inventory, AdvisoryIndex.of(records)).matches());
    assertThat(vulnerabilities).singleElement().satisfies(v -> {
      assertThat(v.id()).as("named by the CVE one of them gives").isEqualTo("CVE-2021-0001");
      assertThat(v.identifiers()).containsExactly("CVE-2021-0001", "GHSA-aaaa-bbbb-cccc", "PYSEC-2021-1");
      assertThat(v.fixed()).as("the lowest fix").isEqualTo("3.2.4");
    });
  }

}
