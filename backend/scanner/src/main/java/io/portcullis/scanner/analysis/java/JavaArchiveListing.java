package io.portcullis.scanner.analysis.java;

import java.util.List;

/** What one archive file yielded: its packages, nested archives' included, and what could not be read. */
public record JavaArchiveListing(List<JavaArchivePackage> packages, List<String> problems) {

  public JavaArchiveListing {
    packages = List.copyOf(packages);
    problems = List.copyOf(problems);
  }
}
