package io.portcullis.scanner.advisory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared OSV corpus (real records packed like the public export, the schema material and its schema-validation
 * results), read in place. A missing corpus fails the tests that need it rather than letting them pass on nothing.
 */
final class OsvTestData {

  private OsvTestData() {}

  static Path path(String relative) {
    String root = System.getProperty("portcullis.testdata");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property portcullis.testdata is not set; run through Maven (the root pom sets it) or pass"
              + " -Dportcullis.testdata=/path/to/shared/testdata");
    }
    Path file = Path.of(root).resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalStateException("shared test data missing: " + file + " (portcullis.testdata=" + root + ")");
    }
    return file;
  }
}
