package io.portcullis.scanner.analysis.java;

import static io.portcullis.scanner.testing.TestJar.jar;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.java.JavaArchivePackage.Evidence;
import io.portcullis.scanner.testing.MavenCentral;
import io.portcullis.scanner.testing.TestJar;
import io.portcullis.scanner.testing.TestJar.Layout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real jars as Maven Central publishes them ({@link MavenCentral}), alone and nested as build tools nest them. */
class MavenCentralJarsTests {

  static final String LOG4J_CORE_SHA1 = MavenCentral.LOG4J_CORE_2_14_1_SHA1;
  static final String LOG4J_API_SHA1 = MavenCentral.LOG4J_API_2_14_1_SHA1;
  static final String SERVLET_API_SHA1 = MavenCentral.SERVLET_API_2_5_SHA1;
  static final String JUNIT_SHA1 = MavenCentral.JUNIT_3_8_1_SHA1;

  final JavaArchiveReader reader = new JavaArchiveReader();

  @Test
  void log4jCoreIsNamedByItsPomProperties() throws IOException {
    assertThat(read(MavenCentral.jar("log4j-core-2.14.1.jar"), "app/lib/log4j-core-2.14.1.jar").packages())
        .containsExactly(
        new JavaArchivePackage(new MavenCoordinates("org.apache.logging.log4j", "log4j-core", "2.14.1"),
            "app/lib/log4j-core-2.14.1.jar", LOG4J_CORE_SHA1, Evidence.POM_PROPERTIES));
  }

  @Test
  void servletApiHasOnlyAManifest() throws IOException {
    assertThat(read(MavenCentral.jar("servlet-api-2.5.jar"), "servlet-api-2.5.jar").packages()).containsExactly(
        new JavaArchivePackage(new MavenCoordinates(null, "servlet-api", "2.5"), "servlet-api-2.5.jar",
            SERVLET_API_SHA1, Evidence.MANIFEST));
  }

  @Test
  void junit381HasNeitherAndIsNamedByItsFileName() throws IOException {
    JavaArchiveListing listing = read(MavenCentral.jar("junit-3.8.1.jar"), "usr/share/java/junit-3.8.1.jar");
    assertThat(listing.packages()).containsExactly(new JavaArchivePackage(new MavenCoordinates(null, "junit", "3.8.1"),
        "usr/share/java/junit-3.8.1.jar", JUNIT_SHA1, Evidence.FILE_NAME));
    assertThat(listing.packages().get(0).coordinates().purl()).as("the purl spec requires a Maven group").isNull();
  }

  @Test
  void log4jCoreWithoutItsPomPropertiesIsStillNamedByItsManifest() throws IOException {
    // as a build that strips META-INF/maven would leave it (its manifest, and a part of the rest for a quick test)
    TestJar stripped = jar();
    try (ZipFile zip = ZipFile.builder().setPath(MavenCentral.jar("log4j-core-2.14.1.jar")).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
      assertThat(entries).extracting(ZipArchiveEntry::getName).contains("META-INF/MANIFEST.MF",
          "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties");
      for (ZipArchiveEntry entry : entries.subList(0, 200)) {
        if (!entry.isDirectory() && !entry.getName().startsWith("META-INF/maven/")) {
          stripped.entry(entry.getName(), zip.getInputStream(entry).readAllBytes());
        }
      }
    }
    assertThat(read(stripped.bytes(), "log4j-core-2.14.1.jar").packages()).singleElement().satisfies(p -> {
      assertThat(p.coordinates()).isEqualTo(new MavenCoordinates("org.apache.logging.log4j", "log4j-core", "2.14.1"));
      assertThat(p.evidence()).isEqualTo(Evidence.MANIFEST);
    });
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aSpringBootFatJarListsItselfAndEveryNestedJar(Layout layout) throws IOException {
    byte[] fat = jar().layout(layout)
        .manifest("Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\n"
            + "Start-Class: com.example.shop.Application\nSpring-Boot-Version: 3.3.0\n\n")
        .pom("com.example", "shop", "1.4.2")
        .entry("BOOT-INF/classes/com/example/shop/Application.class", new byte[2000])
        .stored("BOOT-INF/lib/log4j-core-2.14.1.jar", Files.readAllBytes(MavenCentral.jar("log4j-core-2.14.1.jar")))
        .stored("BOOT-INF/lib/log4j-api-2.14.1.jar", Files.readAllBytes(MavenCentral.jar("log4j-api-2.14.1.jar")))
        .stored("BOOT-INF/lib/servlet-api-2.5.jar", Files.readAllBytes(MavenCentral.jar("servlet-api-2.5.jar")))
        .stored("BOOT-INF/lib/junit-3.8.1.jar", Files.readAllBytes(MavenCentral.jar("junit-3.8.1.jar")))
        .bytes();

    JavaArchiveListing listing = read(fat, "app/shop.jar");

    assertThat(listing.problems()).isEmpty();
    assertThat(listing.packages())
        .extracting(p -> String.join(" ", String.valueOf(p.coordinates().purl()), p.path(), p.checksum()))
        .containsExactly(
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 app/shop.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar "
                + LOG4J_CORE_SHA1,
            "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1 app/shop.jar!/BOOT-INF/lib/log4j-api-2.14.1.jar "
                + LOG4J_API_SHA1,
            "null app/shop.jar!/BOOT-INF/lib/servlet-api-2.5.jar " + SERVLET_API_SHA1,
            "null app/shop.jar!/BOOT-INF/lib/junit-3.8.1.jar " + JUNIT_SHA1,
            "pkg:maven/com.example/shop@1.4.2 app/shop.jar " + TestJar.sha1(fat));
  }

  @Test
  void aWarWhoseLibrariesTheJarToolDeflated() throws IOException {
    byte[] war = jar().layout(Layout.DATA_DESCRIPTORS)
        .entry("WEB-INF/web.xml", "<web-app/>")
        .entry("WEB-INF/lib/log4j-core-2.14.1.jar", Files.readAllBytes(MavenCentral.jar("log4j-core-2.14.1.jar")))
        .entry("WEB-INF/lib/log4j-api-2.14.1.jar", Files.readAllBytes(MavenCentral.jar("log4j-api-2.14.1.jar")))
        .bytes();
    List<JavaArchivePackage> packages = read(war, "usr/local/tomcat/webapps/ROOT.war").packages();
    assertThat(packages).extracting(p -> p.coordinates().name() + " " + p.checksum()).containsExactly(
        "org.apache.logging.log4j:log4j-core " + LOG4J_CORE_SHA1,
        "org.apache.logging.log4j:log4j-api " + LOG4J_API_SHA1);
  }

  private JavaArchiveListing read(Path file, String path) throws IOException {
    return read(Files.readAllBytes(file), path);
  }

  private JavaArchiveListing read(byte[] archive, String path) throws IOException {
    return reader.read(new ByteArrayInputStream(archive), path);
  }
}
