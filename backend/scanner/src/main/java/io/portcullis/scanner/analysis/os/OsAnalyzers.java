package io.portcullis.scanner.analysis.os;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileAnalyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.sbom.FoundPackage;
import java.util.List;

/** The analyzers of operating-system package databases and of the release file that names the distribution. */
public final class OsAnalyzers {

  private OsAnalyzers() {}

  public static List<Analyzer> all() {
    DpkgStatusParser dpkg = new DpkgStatusParser();
    ApkInstalledParser apk = new ApkInstalledParser();
    OsReleaseParser release = new OsReleaseParser();
    return List.of(
        // Debian and Ubuntu
        new FileAnalyzer(
            DpkgStatusParser.STATUS, 1, path -> path.equals("var/lib/dpkg/status"),
            (file, findings) -> record(dpkg.parseStatus(file.content(), file.path()), findings)),
        // distroless images: one file per package (not their .md5sums companions)
        new FileAnalyzer(
            DpkgStatusParser.STATUS_D, 1,
            path -> path.startsWith("var/lib/dpkg/status.d/") && path.indexOf('/', 22) < 0 && !path.endsWith(".md5sums"),
            (file, findings) -> record(dpkg.parseStatusD(file.content(), file.path()), findings)),
        // Alpine
        new FileAnalyzer(
            ApkInstalledParser.INSTALLED, 1, path -> path.equals("lib/apk/db/installed"),
            (file, findings) -> record(apk.parse(file.content(), file.path()), findings)),
        new RpmAnalyzer(),
        // etc/os-release, or usr/lib/os-release where the former is only a link
        new FileAnalyzer(
            "os-release", 1, path -> path.equals("etc/os-release") || path.equals("usr/lib/os-release"),
            (file, findings) -> findings.osRelease(release.parse(file.content(), file.path()))));
  }

  /** Adds a listing's packages to the findings, and its malformed records as a problem. */
  static void record(PackageListing listing, FileFindings findings) {
    for (OsPackage p : listing.packages()) {
      findings.add(
          new FoundPackage(
              type(p.foundBy()), p.name(), p.version(), p.architecture(), p.sourceName(), p.sourceVersion(), p.license(),
              p.foundBy(), p.path(), null, null, p.vendor()));
    }
    if (listing.malformedRecords() > 0) {
      findings.problem(listing.malformedRecords() + " malformed records skipped in " + listing.packages().size() + "-package database");
    }
  }

  private static String type(String foundBy) {
    return foundBy.startsWith("dpkg-") ? "deb" : foundBy.startsWith("apk-") ? "apk" : "rpm";
  }
}
