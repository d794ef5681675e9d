package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.sbom.FoundPackage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The analyzers of language packages installed in an image. In an image what counts is what is installed — each
 * {@code node_modules/**}{@code /package.json}, each {@code .dist-info} — so npm lockfiles, which describe what would be
 * installed, are left to repository scans and never counted twice.
 */
public final class LanguageAnalyzers {

  private LanguageAnalyzers() {}

  public static List<Analyzer> all() {
    return List.of(new NpmPackageJson(), new PythonMetadata(), new DotnetDeps());
  }

  static final class NpmPackageJson implements Analyzer {
    private final NpmPackageJsonParser parser = new NpmPackageJsonParser();

    @Override
    public String type() {
      return NpmPackageJsonParser.PACKAGE_JSON;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.endsWith("/package.json") && path.contains("node_modules/");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        record(parser.parse(file.content(), file.path()), findings);
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  static final class PythonMetadata implements Analyzer {
    private final PythonMetadataParser parser = new PythonMetadataParser();

    @Override
    public String type() {
      return PythonMetadataParser.METADATA;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO") || path.endsWith(".egg-info");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        record(parser.parse(file.content(), file.path()), findings);
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  static final class DotnetDeps implements Analyzer {
    private final DotnetDepsParser parser = new DotnetDepsParser();

    @Override
    public String type() {
      return DotnetDepsParser.DEPS_JSON;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.endsWith(".deps.json");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        LanguagePackageListing listing = parser.parse(file.content(), file.path());
        listing.packages().forEach(p -> record(Optional.of(p), findings));
        if (listing.malformedRecords() > 0) {
          findings.problem(file.path() + ": " + listing.malformedRecords() + " malformed entries skipped");
        }
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  private static void record(Optional<LanguagePackage> found, FileFindings findings) {
    found.ifPresent(
        p -> {
          String purl;
          try {
            purl = p.purl().canonicalize();
          } catch (IllegalArgumentException e) {
            findings.problem(p.path() + ": " + e.getMessage());
            return;
          }
          findings.add(
              new FoundPackage(p.ecosystem().purlType(), p.name(), p.version(), null, null, null, null, p.foundBy(), p.path(), purl));
        });
  }
}
