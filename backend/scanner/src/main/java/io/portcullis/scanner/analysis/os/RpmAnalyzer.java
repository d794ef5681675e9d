package io.portcullis.scanner.analysis.os;

import io.portcullis.scanner.analysis.Analyzer;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Red Hat, Fedora, SUSE, Azure Linux and friends: the rpm database in any of its three formats. The readers need a file
 * (sqlite opens one; the other two jump between pages), so the database is copied out of the layer stream into a
 * private temporary file, within the size limit, and removed right after.
 */
final class RpmAnalyzer implements Analyzer {

  static final long MAX_BYTES = ReadLimits.RPM_DATABASE.maxBytes();

  @Override
  public String type() {
    return "rpm-database";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean required(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    boolean inDatabaseDirectory = path.startsWith("var/lib/rpm/") || path.startsWith("usr/lib/sysimage/rpm/")
        || path.startsWith("usr/share/rpm/");
    return inDatabaseDirectory
        && path.indexOf('/', path.lastIndexOf("rpm/") + 4) < 0
        && (name.equals("rpmdb.sqlite") || name.equals("Packages") || name.equals("Packages.db"));
  }

  @Override
  public long maxFileBytes(long layerLimit) {
    return Math.max(layerLimit, MAX_BYTES);
  }

  @Override
  public void analyze(LayerFile file, FileFindings findings) throws IOException {
    Path spill = Files.createTempFile("portcullis-rpmdb-", ".db");
    try {
      try {
        Files.setPosixFilePermissions(spill, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      copy(file.content(), spill);
      String name = file.path().substring(file.path().lastIndexOf('/') + 1);
      PackageListing listing =
          switch (name) {
            case "rpmdb.sqlite" -> new RpmSqliteDatabase().read(spill, file.path());
            case "Packages.db" -> new RpmNdbDatabase().read(spill, file.path());
            default -> new RpmBerkeleyDatabase().read(spill, file.path());
          };
      OsAnalyzers.record(listing, findings);
    } catch (PackageDatabaseException e) {
      findings.problem(file.path() + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(spill);
    }
  }

  private static void copy(InputStream in, Path target) throws IOException {
    try (var out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > MAX_BYTES) {
          throw new IOException("the rpm database is larger than " + MAX_BYTES + " bytes");
        }
        out.write(buffer, 0, n);
      }
    }
  }
}
