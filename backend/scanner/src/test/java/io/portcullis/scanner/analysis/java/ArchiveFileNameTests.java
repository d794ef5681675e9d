package io.portcullis.scanner.analysis.java;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchiveFileNameTests {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      commons-lang-2.6.jar                       | commons-lang           | 2.6
      spring-core-5.3.4-SNAPSHOT.jar             | spring-core            | 5.3.4-SNAPSHOT
      jackson-databind-2.9.10.6.jar              | jackson-databind       | 2.9.10.6
      guava-29.0-jre.jar                         | guava                  | 29.0-jre
      bcprov-jdk15on-1.70.jar                    | bcprov-jdk15on         | 1.70
      netty-transport-4.1.50.Final-linux-x86_64.jar | netty-transport     | 4.1.50.Final-linux-x86_64
      io.quarkus.gizmo.gizmo-1.1.jar             | io.quarkus.gizmo.gizmo | 1.1
      jenkins-plugin-1.0.0.jpi                   | jenkins-plugin         | 1.0.0
      LOG4J-1.2.17.JAR                           | LOG4J                  | 1.2.17
      gradle.war                                 | -                      | -
      ROOT.war                                   | -                      | -
      app-final.jar                              | -                      | -
      -1.0.jar                                   | -                      | -
      name with spaces-1.0.jar                   | -                      | -
      """)
  void theFileNameGivesArtifactAndVersion(String fileName, String artifact, String version) {
    assertThat(ArchiveFileName.coordinates(fileName).map(c -> c.artifactId() + " " + c.version()).orElse(null))
        .isEqualTo(artifact == null ? null : artifact + " " + version);
    ArchiveFileName.coordinates(fileName).ifPresent(c -> assertThat(c.groupId()).isNull());
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      app.jar, true
      opt/APP.WAR, true
      srv/shop.ear, true
      var/jenkins/plugins/git.jpi, true
      var/jenkins/plugins/git.hpi, true
      deploy/service.sar, true
      eclipse/plugin.par, true
      downloads/backup.rar, false
      lib/.jar, false
      lib/jar, false
      lib/x.jar/readme, false
      x.zip, false
      """)
  void javaArchivesAreKnownByTheirExtension(String path, boolean archive) {
    assertThat(ArchiveFileName.isArchive(path)).isEqualTo(archive);
  }
}
