package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.ArrayList;
import java.util.List;

/**
 * What analyzers found in one file of one layer. Kept per file so that a later layer that deletes or replaces the file
 * takes its findings away with it.
 */
public final class FileFindings {

  private final List<FoundPackage> packages = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private OsRelease osRelease;

  public void add(FoundPackage found) {
    packages.add(found);
  }

  public void osRelease(OsRelease release) {
    this.osRelease = release;
  }

  /** Something in the file could not be read; the scan goes on and the problem is reported. */
  public void problem(String description) {
    problems.add(description);
  }

  public List<FoundPackage> packages() {
    return packages;
  }

  public OsRelease osRelease() {
    return osRelease;
  }

  public List<String> problems() {
    return problems;
  }

  public boolean isEmpty() {
    return packages.isEmpty() && osRelease == null && problems.isEmpty();
  }
}
