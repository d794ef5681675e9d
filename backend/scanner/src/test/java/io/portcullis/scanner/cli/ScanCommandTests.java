package io.portcullis.scanner.cli;

import static io.portcullis.scanner.analysis.os.SharedTestData.pkgdb;
import static io.portcullis.scanner.testing.OciLayout.layer;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.testing.FakeSecrets;
import io.portcullis.scanner.testing.OciLayout;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScanCommandTests {

  @TempDir Path directory;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void printsTheInventoryOfAnOciLayoutAsJson() throws Exception {
    OciLayout.write(
        directory, "v1",
        layer().file("etc/os-release", "ID=debian\nVERSION_ID=12\n")
            .file("var/lib/dpkg/status", pkgdb("dpkg/debootstrap__bookworm-minbase/status")));

    int exit = run(null, "oci:" + directory + ":v1");

    assertThat(exit).as(err.toString()).isZero();
    JsonNode inventory = JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(inventory.path("os").path("id").asString()).isEqualTo("debian");
    assertThat(inventory.path("packages").size()).isEqualTo(88);
    JsonNode first = inventory.path("packages").get(0);
    assertThat(first.path("purl").asString()).startsWith("pkg:deb/debian/");
    assertThat(first.path("layer").asString()).startsWith("sha256:");
    assertThat(first.path("foundBy").asString()).isEqualTo("dpkg-status");
  }

  @Test
  void writesAValidCycloneDx16SbomAndATable() throws Exception {
    OciLayout.write(
        directory, "v1",
        layer().file("etc/os-release", "ID=alpine\nVERSION_ID=3.21.0\n")
            .file("lib/apk/db/installed", pkgdb("apk/apk-tools__query-installed/installed")));

    assertThat(run(null, "--format", "cyclonedx", "oci:" + directory + ":v1")).as(err.toString()).isZero();
    byte[] sbom = out.toByteArray();
    assertThat(new org.cyclonedx.parsers.JsonParser().validate(sbom, org.cyclonedx.Version.VERSION_16)).isEmpty();
    JsonNode bom = JsonMapper.builder().build().readTree(sbom);
    assertThat(bom.path("specVersion").asString()).isEqualTo("1.6");
    assertThat(bom.path("metadata").path("component").path("type").asString()).isEqualTo("container");
    assertThat(bom.path("components").size()).isEqualTo(40); // the distribution and its 39 packages
    JsonNode musl = null;
    for (JsonNode c : bom.path("components")) {
      if (c.path("name").asString().equals("musl")) {
        musl = c;
      }
    }
    assertThat(musl).isNotNull();
    assertThat(musl.path("purl").asString()).startsWith("pkg:apk/alpine/musl@").contains("distro=alpine-3.21.0");
    assertThat(musl.path("properties").toString()).contains("portcullis:layer").contains("apk-installed");

    out.reset();
    assertThat(run(null, "--format", "table", "oci:" + directory + ":v1")).isZero();
    assertThat(out.toString()).contains("TYPE").contains("musl").contains("39 packages in 1 layers");
    assertThat(run(null, "--format", "xml", "oci:" + directory + ":v1")).isEqualTo(2);
  }

  @Test
  void readsAnImageFromARegistryWithCredentialsFromStandardInput() throws Exception {
    try (TestRegistry registry = TestRegistry.tokenAuth("reader", "s3cret")) {
      new TestImages(registry).push("team/app", "2", TestImages.image("arm64"));
      String host = registry.url().getAuthority();
      int exit = run("s3cret\n", "--plain-http", "--username", "reader", "--platform", "linux/arm64", host + "/team/app:2");
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("\"id\" : \"portcullis-test\"").contains("linux/arm64").doesNotContain("s3cret");
    }
  }

  @Test
  void secretsAreListedRedactedInJsonAndInTheTable() throws Exception {
    String token = new FakeSecrets(9).github('p');
    OciLayout.write(directory, "v1", layer().file("app/.env", "# deploy\nGITHUB_TOKEN=" + token + "\n"));

    assertThat(run(null, "oci:" + directory + ":v1")).as(err.toString()).isZero();
    JsonNode inventory = JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
    JsonNode secret = inventory.path("secrets").get(0);
    assertThat(secret.path("rule").asString()).isEqualTo("github-token");
    assertThat(secret.path("path").asString()).isEqualTo("app/.env");
    assertThat(secret.path("line").asInt()).isEqualTo(2);
    assertThat(secret.path("excerpt").asString()).isEqualTo("GITHUB_TOKEN=ghp_*****");

    out.reset();
    assertThat(run(null, "--format", "table", "oci:" + directory + ":v1")).isZero();
    assertThat(out.toString()).contains("SEVERITY").contains("critical").contains("app/.env:2")
        .contains("GITHUB_TOKEN=ghp_*****").contains("1 secrets").doesNotContain(token);
    out.reset();
    assertThat(run(null, "--format", "cyclonedx", "oci:" + directory + ":v1")).isZero();
    assertThat(out.toString()).doesNotContain("ghp_");
  }

  @Test
  void usageErrorsAndUnreadableImagesHaveTheirOwnExitCodes() {
    assertThat(run(null)).isEqualTo(2);
    assertThat(run(null, "--platform")).isEqualTo(2);
    assertThat(err.toString()).contains("usage: portcullis-scan");
    assertThat(run(null, "--bogus", "x/y")).isEqualTo(2);
    assertThat(run(null, "oci:" + directory.resolve("missing"))).isEqualTo(3);
    assertThat(err.toString()).contains("is not an OCI image layout");
  }

  private int run(String stdin, String... args) {
    return new ScanCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)))
        .run(args);
  }
}
