package io.portcullis.scanner.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any part of the shared test corpus, read in place (the folder the system property {@code portcullis.testdata}
 * names; the root pom sets it). A missing corpus fails the test instead of letting it pass on nothing.
 */
public final class SharedTestData {

  private SharedTestData() {}

  /** The file or folder at {@code relative} under the corpus root ({@code versions/dpkg}). */
  public static Path path(String relative) {
    String root = System.getProperty("portcullis.testdata");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property portcullis.testdata is not set; run through Maven (the root pom sets it) or pass"
              + " -Dportcullis.testdata=/path/to/shared/testdata");
    }
    Path file = Path.of(root).resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "shared test data missing: " + file + " (portcullis.testdata=" + root
              + "); pass -Dportcullis.testdata=/path/to/shared/testdata");
    }
    return file;
  }
}
