package io.portcullis.scanner.analysis.os;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared package-database corpus, read in place: real files with lists from the native tools are the point of
 * these tests, so a missing corpus fails them instead of letting them pass vacuously.
 */
public final class SharedTestData {

  private SharedTestData() {}

  public static Path pkgdb(String relative) {
    String root = System.getProperty("portcullis.testdata");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property portcullis.testdata is not set; run through Maven (the root pom sets it) or pass"
              + " -Dportcullis.testdata=/path/to/shared/testdata");
    }
    Path file = Path.of(root, "pkgdb").resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "shared test data missing: " + file + " (portcullis.testdata=" + root
              + "); pass -Dportcullis.testdata=/path/to/shared/testdata");
    }
    return file;
  }
}
