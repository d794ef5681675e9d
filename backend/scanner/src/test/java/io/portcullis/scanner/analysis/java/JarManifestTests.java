package io.portcullis.scanner.analysis.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JarManifestTests {

  static Stream<Arguments> manifests() {
    return Stream.of(
        manifest("log4j-core-2.14.1.jar", "org.apache.logging.log4j:log4j-core 2.14.1",
            "Implementation-Vendor-Id: org.apache.logging.log4j", "Bundle-SymbolicName: org.apache.logging.log4j.core",
            "Implementation-Title: Apache Log4j Core", "Implementation-Version: 2.14.1"),
        manifest("test.jar", "org.springframework:org.springframework.core 2.5.6.SEC03",
            "Implementation-Title: Spring Framework", "Implementation-Version: 2.5.6.SEC03",
            "Bundle-Version: 2.5.6.SEC03", "Bundle-SymbolicName: org.springframework.core"),
        manifest("servlet-api-2.5.jar", "servlet-api 2.5",
            "Extension-Name: servlet-api", "Specification-Title: A component of the Glassfish Application Server",
            "Implementation-Title: ", "Implementation-Vendor: Sun Microsystems Inc", "Implementation-Version: 2.5"),
        manifest("app.jar", "com.example:billing 3.0.1",
            "Implementation-Title: billing", "Implementation-Version: 3.0.1", "Implementation-Vendor-Id: com.example"),
        manifest("renamed-9.9.jar", "billing 3.0.1", "Implementation-Title: billing", "Implementation-Version: 3.0.1"),
        manifest("bundle.jar", "org.eclipse.jdt:org.eclipse.jdt.core 3.26.0.v20210609-0549",
            "Bundle-SymbolicName: org.eclipse.jdt.core;singleton:=true", "Bundle-Version: 3.26.0.v20210609-0549"),
        manifest("short.jar", "junit 4.13", "Bundle-SymbolicName: junit", "Bundle-Version: 4.13"),
        manifest("spec.jar", "jsr-api 1.1", "Specification-Title: jsr-api", "Specification-Version: 1.1"),
        manifest("nothing.jar", null, "Manifest-Version: 1.0", "Created-By: Ant 1.4.1"),
        manifest("unversioned.jar", null, "Implementation-Title: billing"),
        manifest("unfiltered.jar", null, "Implementation-Title: billing", "Implementation-Version: ${project.version}"),
        manifest("spaces.jar", null, "Implementation-Title: Billing Service", "Implementation-Version: 1.0"));
  }

  private static Arguments manifest(String fileName, String expected, String... lines) {
    return Arguments.of(fileName, String.join("\n", lines) + "\n", expected);
  }

  /** The expected {@code group:artifact version} of each main section, or nothing. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void theManifestNamesTheArchive(String fileName, String mainSection, String expected) {
    JarManifest manifest = JarManifest.parse(mainSection.getBytes(StandardCharsets.UTF_8));
    assertThat(manifest.coordinates(ArchiveFileName.coordinates(fileName))
        .map(c -> c.name() + " " + c.version()).orElse(null)).isEqualTo(expected);
  }

  @Test
  void continuationLinesAndLineEndsAreThoseOfTheJarSpecification() {
    String text = "Manifest-Version: 1.0\r\nImplementation-Title: a-very-long-artifact-name-that-the-tool-wr\r\n"
        + " apped-at-seventy-two\r\nIMPLEMENTATION-VERSION:1.0\rImport-Package: a,b,\n c,d\n\nName: x\nImplementat"
        + "ion-Version: 9\n";
    JarManifest manifest = JarManifest.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(manifest.header("Implementation-Title"))
        .isEqualTo("a-very-long-artifact-name-that-the-tool-wrapped-at-seventy-two");
    assertThat(manifest.header("implementation-version")).isEqualTo("1.0");
    assertThat(manifest.header("import-package")).as("not kept").isNull();
  }

  @Test
  void onlyTheMainSectionIsReadAndItIsBounded() throws IOException {
    String signed = "Manifest-Version: 1.0\nImplementation-Version: 2\n\n" + "Name: a/B.class\nSHA-256-Digest: x\n\n"
        .repeat(100_000);
    ByteArrayInputStream in = new ByteArrayInputStream(signed.getBytes(StandardCharsets.UTF_8));
    byte[] main = JarManifest.mainSection(in, 1024);
    assertThat(new String(main, StandardCharsets.UTF_8))
        .isEqualTo("Manifest-Version: 1.0\nImplementation-Version: 2\n");
    assertThat(in.available()).as("the per-entry sections are not read").isGreaterThan(3_000_000);

    String huge = "Manifest-Version: 1.0\nImport-Package: " + "p,".repeat(10_000) + "\n\n";
    assertThat(JarManifest.mainSection(new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)), 1024)).isNull();
    assertThat(JarManifest.mainSection(new ByteArrayInputStream("A: b\r\n\r\nC: d".getBytes(StandardCharsets.UTF_8)),
        1024)).asString(StandardCharsets.UTF_8).isEqualTo("A: b\r\n");
  }
}
