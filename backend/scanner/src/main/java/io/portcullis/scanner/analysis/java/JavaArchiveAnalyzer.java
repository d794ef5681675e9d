package io.portcullis.scanner.analysis.java;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.sbom.FoundPackage;
import java.io.IOException;
import java.util.Objects;

/**
 * Finds the Maven packages in every Java archive of a layer ({@code *.jar}, {@code *.war}, {@code *.ear}, Jenkins
 * plugins and the rest of {@link ArchiveFileName#EXTENSIONS}), archives nested in them included. Each package is
 * reported where it lies, so the same jar at two paths is two findings: a security team has to fix every copy.
 */
public final class JavaArchiveAnalyzer implements Analyzer {

  /** {@link FoundPackage#foundBy()} of packages from Java archives. */
  public static final String TYPE = "java-archive";

  private final JavaArchiveLimits limits;
  private final JavaArchiveReader reader;

  public JavaArchiveAnalyzer() {
    this(JavaArchiveLimits.DEFAULT);
  }

  public JavaArchiveAnalyzer(JavaArchiveLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.reader = new JavaArchiveReader(limits);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean required(String path) {
    return ArchiveFileName.isArchive(path);
  }

  /** Archives are streamed, never held in memory, so fat jars and ears larger than the layer's limit are read too. */
  @Override
  public long maxFileBytes(long layerLimit) {
    return Math.max(layerLimit, limits.maxFileBytes());
  }

  @Override
  public void analyze(LayerFile file, FileFindings findings) throws IOException {
    JavaArchiveListing listing = reader.read(file.content(), file.path());
    for (JavaArchivePackage found : listing.packages()) {
      MavenCoordinates coordinates = found.coordinates();
      String purl;
      try {
        purl = coordinates.purl();
      } catch (IllegalArgumentException e) {
        findings.problem(found.path() + ": " + e.getMessage());
        continue;
      }
      findings.add(new FoundPackage("maven", coordinates.name(), coordinates.version(), null, null, null, null, TYPE,
          found.path(), purl, found.checksum()));
    }
    listing.problems().forEach(findings::problem);
  }
}
