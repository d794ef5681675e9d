package io.portcullis.scanner.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CycloneDxTests {

  @Test
  void theChecksumOfAPackageThatIsAFileIsItsHash() throws Exception {
    Inventory inventory = new Inventory("shop/web:1.0", "sha256:" + "a".repeat(64), "linux/amd64", null, null, List.of(
        new InventoryPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", null, null, null, null, "java-archive",
            "app/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar", "sha256:" + "b".repeat(64),
            "sha1:9141212b8507ab50a45525b545b39d224614528b"),
        new InventoryPackage("maven", "junit", "3.8.1", null, null, null, null, null, "java-archive",
            "app/junit-3.8.1.jar", "sha256:" + "b".repeat(64), null)),
        List.of());

    byte[] sbom = CycloneDx.json(inventory).getBytes(StandardCharsets.UTF_8);

    assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
    JsonNode components = JsonMapper.builder().build().readTree(sbom).path("components");
    assertThat(components.get(0).path("hashes").toString())
        .isEqualTo("[{\"alg\":\"SHA-1\",\"content\":\"9141212b8507ab50a45525b545b39d224614528b\"}]");
    assertThat(components.get(1).has("hashes")).isFalse();
    assertThat(components.get(1).has("purl")).isFalse();
  }

  @Test
  void onlyKnownAlgorithmsBecomeHashes() {
    assertThat(CycloneDx.hash("sha256:" + "c".repeat(64)).getAlgorithm()).isEqualTo("SHA-256");
    assertThat(CycloneDx.hash("md4:abcd")).isNull();
    assertThat(CycloneDx.hash("no-colon")).isNull();
    assertThat(CycloneDx.hash(null)).isNull();
  }
}
