package io.portcullis.scanner.matching;

import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.advisory.OsvArchive;
import io.portcullis.scanner.advisory.OsvParser;
import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.image.OciLayoutImage;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.testing.MavenCentral;
import io.portcullis.scanner.testing.OciLayout;
import io.portcullis.scanner.testing.SharedTestData;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From an image to its vulnerabilities, end to end: an image built here holding log4j-core 2.14.1 fetched from Maven
 * Central, a real Go binary built by Debian with Go 1.19.8 ({@code docker-registry}), Django 3.2.0's metadata and a
 * Debian status file, analysed layer by layer and matched against the shared OSV exports plus a Debian advisory in
 * Debian's OSV form. The advisories must be exactly those the independent oracle found for each package, and no others.
 */
class ImageMatchingTests {

  @TempDir Path directory;

  static final String BOOKWORM = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
  static final String STATUS = """
      Package: libssl3
      Status: install ok installed
      Architecture: amd64
      Source: openssl
      Version: 3.0.11-1~deb12u1

      Package: openssl
      Status: install ok installed
      Architecture: amd64
      Version: 3.0.11-1~deb12u2

      """;
  static final String DJANGO = "Metadata-Version: 2.1\nName: Django\nVersion: 3.2.0\nSummary: web framework\n\n";

  @Test
  void anImageWithKnownVulnerablePackagesGetsExactlyTheExpectedAdvisories() throws Exception {
    Path registry = Path.of("/usr/bin/docker-registry");
    assertThat(registry).as("Debian's docker-registry (a Go 1.19.8 binary) is installed by infra/dev/test-prerequisites.sh")
        .exists();
    OciLayout.write(
        directory, "shop",
        layer().file("etc/os-release", BOOKWORM).file("var/lib/dpkg/status", STATUS),
        layer().file("usr/bin/registry", Files.readAllBytes(registry), 0755)
            .file("usr/local/lib/python3.11/site-packages/Django-3.2.0.dist-info/METADATA", DJANGO),
        layer().file("opt/app/lib/log4j-core-2.14.1.jar", Files.readAllBytes(MavenCentral.jar("log4j-core-2.14.1.jar"))));
    Inventory inventory = ImageAnalysis.withDefaults().analyze(OciLayoutImage.open(directory, "shop", null));

    List<OsvRecord> records = new ArrayList<>();
    for (String archive : List.of("GHSA-sample", "Go", "PyPI")) {
      read(SharedTestData.path("osv/" + archive + "/all.zip"), records);
    }
    records.add(((OsvParser.Accepted) OsvParser.withDefaults().parse(MatchingTests.debian(
        "DSA-5532-1", "CVE-2023-5363", "Debian:12", "openssl", "3.0.11-1~deb12u2").getBytes(StandardCharsets.UTF_8))).record());
    Matching.Result result = Matching.defaults().match(inventory, AdvisoryIndex.of(records));

    Map<String, List<String>> expected = expected();
    Map<String, List<String>> found = result.matches().stream().collect(Collectors.groupingBy(
        m -> m.pkg().name(), Collectors.mapping(Match::advisoryId, Collectors.toList())));
    assertThat(found.keySet()).containsExactlyInAnyOrder(
        "libssl3", "stdlib", "Django", "org.apache.logging.log4j:log4j-core");
    assertThat(found.get("libssl3")).containsExactly("DSA-5532-1");
    assertThat(found.get("stdlib")).containsExactlyInAnyOrderElementsOf(expected.get("stdlib 1.19.8"));
    assertThat(found.get("Django")).containsExactlyInAnyOrderElementsOf(expected.get("django 3.2.0"));
    assertThat(found.get("org.apache.logging.log4j:log4j-core"))
        .containsExactlyInAnyOrderElementsOf(expected.get("org.apache.logging.log4j:log4j-core 2.14.1"));

    List<Vulnerability> vulnerabilities = Vulnerability.of(result.matches());
    assertThat(vulnerabilities).filteredOn(v -> v.pkg().name().endsWith("log4j-core")).singleElement()
        .satisfies(v -> {
          assertThat(v.id()).isEqualTo("CVE-2021-44228");
          assertThat(v.pkg().layer()).isEqualTo(inventory.layers().get(2).digest());
          assertThat(v.pkg().path()).isEqualTo("opt/app/lib/log4j-core-2.14.1.jar");
          assertThat(v.pkg().checksum()).isEqualTo(MavenCentral.LOG4J_CORE_2_14_1_SHA1);
          assertThat(v.fixed()).isEqualTo("2.15.0");
        });
    assertThat(vulnerabilities).filteredOn(v -> v.pkg().name().equals("stdlib"))
        .allSatisfy(v -> assertThat(v.pkg().layer()).isEqualTo(inventory.layers().get(1).digest()))
        .allSatisfy(v -> assertThat(v.matches().get(0).evidence().matcher()).isEqualTo("go"));
  }

  static void read(Path archive, List<OsvRecord> into) throws Exception {
    OsvParser parser = OsvParser.withDefaults();
    try (OsvArchive zip = OsvArchive.open(archive, OsvArchive.Limits.DEFAULT)) {
      for (Iterator<OsvArchive.Entry> it = zip.entries(); it.hasNext(); ) {
        if (it.next() instanceof OsvArchive.Json json && parser.parse(json.bytes()) instanceof OsvParser.Accepted a) {
          into.add(a.record());
        }
      }
    }
  }

  /** The oracle's lists, by "name version". */
  static Map<String, List<String>> expected() throws Exception {
    try (InputStream in = ImageMatchingTests.class.getResourceAsStream("/fixtures/matching/expected.tsv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.split("\t"))
          .collect(Collectors.toMap(f -> f[1] + " " + f[2], f -> Arrays.asList(f[3].split(","))));
    }
  }
}
