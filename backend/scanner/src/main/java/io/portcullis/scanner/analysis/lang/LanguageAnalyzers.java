package io.portcullis.scanner.analysis.lang;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileAnalyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.golang.GoBinaryAnalyzer;
import io.portcullis.scanner.analysis.java.JavaArchiveAnalyzer;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.List;

/**
 * The analyzers of language packages installed in an image. In an image what counts is what is installed — each
 * {@code node_modules/**}{@code /package.json}, each {@code .dist-info} — so npm lockfiles, which describe what would be
 * installed, are left to repository scans and never counted twice.
 */
public final class LanguageAnalyzers {

  private LanguageAnalyzers() {}

  public static List<Analyzer> all() {
    NpmPackageJsonParser npm = new NpmPackageJsonParser();
    PythonMetadataParser python = new PythonMetadataParser();
    DotnetDepsParser dotnet = new DotnetDepsParser();
    return List.of(
        new JavaArchiveAnalyzer(),
        new GoBinaryAnalyzer(),
        new FileAnalyzer(
            NpmPackageJsonParser.PACKAGE_JSON, 1, path -> path.endsWith("/package.json") && path.contains("node_modules/"),
            (file, findings) -> npm.parse(file.content(), file.path()).ifPresent(p -> record(p, findings))),
        new FileAnalyzer(
            PythonMetadataParser.METADATA, 1,
            path -> path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO") || path.endsWith(".egg-info"),
            (file, findings) -> python.parse(file.content(), file.path()).ifPresent(p -> record(p, findings))),
        new FileAnalyzer(
            DotnetDepsParser.DEPS_JSON, 1, path -> path.endsWith(".deps.json"),
            (file, findings) -> {
              LanguagePackageListing listing = dotnet.parse(file.content(), file.path());
              listing.packages().forEach(p -> record(p, findings));
              if (listing.malformedRecords() > 0) {
                findings.problem(file.path() + ": " + listing.malformedRecords() + " malformed entries skipped");
              }
            }));
  }

  private static void record(LanguagePackage p, FileFindings findings) {
    String purl;
    try {
      purl = p.purl().canonicalize();
    } catch (IllegalArgumentException e) {
      findings.problem(p.path() + ": " + e.getMessage());
      return;
    }
    findings.add(
        new FoundPackage(p.ecosystem().purlType(), p.name(), p.version(), null, null, null, null, p.foundBy(), p.path(), purl, null));
  }
}
