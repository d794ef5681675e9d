package io.portcullis.scanner.analysis.java;

import static io.portcullis.scanner.testing.TestJar.jar;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.analysis.Analyzers;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.sbom.FoundPackage;
import io.portcullis.scanner.testing.TestJar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JavaArchiveAnalyzerTests {

  final JavaArchiveAnalyzer analyzer = new JavaArchiveAnalyzer();

  @Test
  void readsJavaArchivesWhereverTheyLieAndIsADefault() {
    assertThat(analyzer.required("usr/local/tomcat/webapps/ROOT.war")).isTrue();
    assertThat(analyzer.required("app.jar")).isTrue();
    assertThat(analyzer.required("var/jenkins_home/plugins/git.jpi")).isTrue();
    assertThat(analyzer.required("app/jar")).isFalse();
    assertThat(analyzer.required("usr/lib/x86_64-linux-gnu/libjar.so")).isFalse();
    assertThat(Analyzers.defaults()).anySatisfy(a -> assertThat(a.type()).isEqualTo("java-archive"));
  }

  @Test
  void archivesLargerThanTheLayersLimitForOneFileAreStreamedToo() {
    assertThat(analyzer.maxFileBytes(64L << 20)).isEqualTo(1L << 30);
    assertThat(analyzer.maxFileBytes(4L << 30)).isEqualTo(4L << 30);
  }

  @Test
  void packagesAreMavenPackagesWithTheirEvidence() throws IOException {
    byte[] inner = jar().entry("x/Y.class", "y").bytes();
    byte[] app = jar().pom("com.example", "app", "1.0").entry("lib/helper-2.1.jar", inner)
        .entry("lib/deep.jar", jar().entry("META-INF/maven/a/b/pom.properties", "groupId=a\n").bytes()).bytes();
    FileFindings findings = new FileFindings();

    analyzer.analyze(new LayerFile("opt/app.jar", app.length, new ByteArrayInputStream(app)), findings);

    assertThat(findings.packages()).containsExactly(
        new FoundPackage("maven", "helper", "2.1", null, null, null, null, "java-archive",
            "opt/app.jar!/lib/helper-2.1.jar", null, TestJar.sha1(inner)),
        new FoundPackage("maven", "com.example:app", "1.0", null, null, null, null, "java-archive", "opt/app.jar",
            "pkg:maven/com.example/app@1.0", TestJar.sha1(app)));
    assertThat(findings.problems()).containsExactly(
        "opt/app.jar!/lib/deep.jar!/META-INF/maven/a/b/pom.properties: no usable groupId, artifactId and version");
  }
}
