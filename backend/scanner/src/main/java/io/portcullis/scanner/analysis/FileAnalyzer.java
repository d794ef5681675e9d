package io.portcullis.scanner.analysis;

import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * An analyzer made of its parts: the paths it reads and the function that reads one file. A file the function refuses
 * ({@link PackageDatabaseException}) becomes a problem of that file, and the layer goes on.
 */
public record FileAnalyzer(String type, int version, Predicate<String> paths, Reader reader) implements Analyzer {

  /** Reads one file into the findings. */
  @FunctionalInterface
  public interface Reader {
    void read(LayerFile file, FileFindings findings) throws IOException, PackageDatabaseException;
  }

  @Override
  public boolean required(String path) {
    return paths.test(path);
  }

  @Override
  public void analyze(LayerFile file, FileFindings findings) throws IOException {
    try {
      reader.read(file, findings);
    } catch (PackageDatabaseException e) {
      findings.problem(file.path() + ": " + e.getMessage());
    }
  }
}
