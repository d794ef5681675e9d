package io.portcullis.scanner.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real jars from Maven Central, which the build fetches (maven-dependency-plugin, in generate-test-resources) into the
 * folder that surefire passes as {@code portcullis.mavenCentral}. A missing jar fails the test that needs it instead of
 * letting it pass vacuously.
 */
public final class MavenCentral {

  /** SHA-1s as Maven Central publishes them beside each jar ({@code .jar.sha1}). */
  public static final String LOG4J_CORE_2_14_1_SHA1 = "sha1:9141212b8507ab50a45525b545b39d224614528b";
  public static final String LOG4J_API_2_14_1_SHA1 = "sha1:cd8858fbbde69f46bce8db1152c18a43328aae78";
  public static final String SERVLET_API_2_5_SHA1 = "sha1:5959582d97d8b61f4d154ca9e495aafd16726e34";
  public static final String JUNIT_3_8_1_SHA1 = "sha1:99129f16442844f6a4a11ae22fbbee40b14d774f";

  private MavenCentral() {}

  /** A fetched jar, by its file name ({@code log4j-core-2.14.1.jar}). */
  public static Path jar(String fileName) {
    String folder = System.getProperty("portcullis.mavenCentral");
    if (folder == null || folder.isBlank()) {
      throw new IllegalStateException("system property portcullis.mavenCentral is not set; run through Maven, whose"
          + " maven-dependency-plugin fetches the jars in generate-test-resources");
    }
    Path file = Path.of(folder, fileName);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: run the build's generate-test-resources phase (it fetches"
          + " the jars from Maven Central)");
    }
    return file;
  }
}
