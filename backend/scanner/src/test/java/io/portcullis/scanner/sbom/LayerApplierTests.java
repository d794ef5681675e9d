package io.portcullis.scanner.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Packages that are files (Java archives): every copy is listed, each with the layer that wrote its bytes. */
class LayerApplierTests {

  static final String SHA1_A = "sha1:9141212b8507ab50a45525b545b39d224614528b";
  static final String SHA1_B = "sha1:0000000000000000000000000000000000000001";

  @Test
  void theSameJarAtTwoPathsIsListedAtBoth() {
    LayerContents base = layer("base",
        file("app/lib/log4j-core-2.14.1.jar", log4j("app/lib/log4j-core-2.14.1.jar", SHA1_A)),
        file("opt/tool/tool.war", log4j("opt/tool/tool.war!/WEB-INF/lib/log4j-core-2.14.1.jar", SHA1_A),
            log4j("opt/tool/tool.war!/WEB-INF/lib/other/log4j-core-2.14.1.jar", SHA1_A)));

    List<InventoryPackage> packages = LayerApplier.apply(List.of(base)).packages();

    assertThat(packages).extracting(InventoryPackage::path).containsExactlyInAnyOrder(
        "app/lib/log4j-core-2.14.1.jar", "opt/tool/tool.war!/WEB-INF/lib/log4j-core-2.14.1.jar",
        "opt/tool/tool.war!/WEB-INF/lib/other/log4j-core-2.14.1.jar");
    assertThat(packages).allSatisfy(p -> {
      assertThat(p.purl()).isEqualTo("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
      assertThat(p.checksum()).isEqualTo(SHA1_A);
      assertThat(p.layer()).isEqualTo(base.digest().toString());
    });
  }

  @Test
  void aJarBelongsToTheLayerThatWroteItsBytes() {
    String path = "app/lib/log4j-core-2.14.1.jar";
    LayerContents base = layer("base", file(path, log4j(path, SHA1_A)));
    LayerContents chown = layer("chown", file(path, log4j(path, SHA1_A)));
    LayerContents rebuilt = layer("rebuilt", file(path, log4j(path, SHA1_B)));

    assertThat(LayerApplier.apply(List.of(base, chown)).packages()).singleElement()
        .satisfies(p -> assertThat(p.layer()).as("the same bytes, copied again").isEqualTo(base.digest().toString()));
    assertThat(LayerApplier.apply(List.of(base, rebuilt)).packages()).singleElement()
        .satisfies(p -> assertThat(p.layer()).as("other bytes, same version").isEqualTo(rebuilt.digest().toString()));
  }

  @Test
  void aJarKnownByItsFileNameOnlyHasNoPurl() {
    FoundPackage junit = new FoundPackage("maven", "junit", "3.8.1", null, null, null, null, "java-archive",
        "usr/share/java/junit-3.8.1.jar", null, SHA1_B);
    assertThat(LayerApplier.apply(List.of(layer("base", file("usr/share/java/junit-3.8.1.jar", junit)))).packages())
        .singleElement().satisfies(p -> {
          assertThat(p.name()).isEqualTo("junit");
          assertThat(p.purl()).isNull();
        });
  }

  private static FoundPackage log4j(String path, String checksum) {
    return new FoundPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", null, null, null, null,
        "java-archive", path, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", checksum);
  }

  private static Map.Entry<String, FileFindings> file(String path, FoundPackage... packages) {
    FileFindings findings = new FileFindings();
    for (FoundPackage p : packages) {
      findings.add(p);
    }
    return Map.entry(path, findings);
  }

  @SafeVarargs
  private static LayerContents layer(String name, Map.Entry<String, FileFindings>... files) {
    Map<String, Map<String, FileFindings>> byPath = new LinkedHashMap<>();
    for (Map.Entry<String, FileFindings> file : files) {
      byPath.put(file.getKey(), Map.of("java-archive", file.getValue()));
    }
    return new LayerContents(Digest.of("sha256", name.getBytes(StandardCharsets.UTF_8)), byPath, Set.of(), Set.of(),
        files.length, List.of());
  }
}
