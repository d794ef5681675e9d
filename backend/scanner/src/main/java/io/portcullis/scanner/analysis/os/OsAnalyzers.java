package io.portcullis.scanner.analysis.os;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import io.portcullis.scanner.sbom.FoundPackage;
import java.io.IOException;
import java.util.List;

/** The analyzers of operating-system package databases and of the release file that names the distribution. */
public final class OsAnalyzers {

  private OsAnalyzers() {}

  public static List<Analyzer> all() {
    return List.of(new DpkgStatus(), new DpkgStatusD(), new ApkInstalled(), new RpmAnalyzer(), new Release());
  }

  /** Debian and Ubuntu: {@code var/lib/dpkg/status}. */
  static final class DpkgStatus implements Analyzer {
    private final DpkgStatusParser parser = new DpkgStatusParser();

    @Override
    public String type() {
      return DpkgStatusParser.STATUS;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.equals("var/lib/dpkg/status");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        record(parser.parseStatus(file.content(), file.path()), "deb", findings);
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  /** Distroless images: one file per package in {@code var/lib/dpkg/status.d/}. */
  static final class DpkgStatusD implements Analyzer {
    private final DpkgStatusParser parser = new DpkgStatusParser();

    @Override
    public String type() {
      return DpkgStatusParser.STATUS_D;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      // the package files, not their .md5sums companions
      return path.startsWith("var/lib/dpkg/status.d/") && path.indexOf('/', 22) < 0 && !path.endsWith(".md5sums");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        record(parser.parseStatusD(file.content(), file.path()), "deb", findings);
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  /** Alpine: {@code lib/apk/db/installed}. */
  static final class ApkInstalled implements Analyzer {
    private final ApkInstalledParser parser = new ApkInstalledParser();

    @Override
    public String type() {
      return ApkInstalledParser.INSTALLED;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.equals("lib/apk/db/installed");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        record(parser.parse(file.content(), file.path()), "apk", findings);
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  /** {@code etc/os-release}, or {@code usr/lib/os-release} where the former is only a link. */
  static final class Release implements Analyzer {
    private final OsReleaseParser parser = new OsReleaseParser();

    @Override
    public String type() {
      return "os-release";
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public boolean required(String path) {
      return path.equals("etc/os-release") || path.equals("usr/lib/os-release");
    }

    @Override
    public void analyze(LayerFile file, FileFindings findings) throws IOException {
      try {
        findings.osRelease(parser.parse(file.content(), file.path()));
      } catch (PackageDatabaseException e) {
        findings.problem(file.path() + ": " + e.getMessage());
      }
    }
  }

  private static void record(PackageListing listing, String type, FileFindings findings) {
    for (OsPackage p : listing.packages()) {
      findings.add(
          new FoundPackage(
              type, p.name(), p.version(), p.architecture(), p.sourceName(), p.sourceVersion(), p.license(), p.foundBy(), p.path(),
              null));
    }
    if (listing.malformedRecords() > 0) {
      findings.problem(listing.malformedRecords() + " malformed records skipped in " + listing.packages().size() + "-package database");
    }
  }
}
