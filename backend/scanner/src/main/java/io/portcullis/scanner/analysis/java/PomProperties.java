package io.portcullis.scanner.analysis.java;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code META-INF/maven/<groupId>/<artifactId>/pom.properties}, which Maven's archiver writes into every artifact it
 * builds and the shade and assembly plugins carry along for every artifact they merge in. It is a Java properties file
 * (ISO-8859-1 with {@code \\u} escapes, as {@link Properties#load(java.io.InputStream)} reads it) with {@code groupId},
 * {@code artifactId} and {@code version}.
 */
final class PomProperties {

  private PomProperties() {}

  /** Whether an entry name (already in lower case) is a pom.properties of Maven's layout. */
  static boolean is(String lowerCaseName) {
    return lowerCaseName.startsWith("meta-inf/maven/") && lowerCaseName.endsWith("/pom.properties");
  }

  /**
   * The coordinates, or empty when a part is missing or implausible (an unfiltered {@code ${project.version}}, a
   * value with spaces).
   *
   * @param content the whole file, already bounded by the caller
   * @throws IllegalArgumentException when the file is not a properties file (a malformed {@code \\u} escape)
   */
  static Optional<MavenCoordinates> parse(byte[] content) {
    Properties properties = new Properties();
    try {
      properties.load(new ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new IllegalStateException("a byte array cannot fail to read", e);
    }
    String group = value(properties, "groupId");
    String artifact = value(properties, "artifactId");
    String version = value(properties, "version");
    if (group == null || !MavenCoordinates.plausible(group, artifact, version)) {
      return Optional.empty();
    }
    return Optional.of(new MavenCoordinates(group, artifact, version));
  }

  private static String value(Properties properties, String key) {
    String value = properties.getProperty(key);
    return value == null ? null : value.strip();
  }
}
