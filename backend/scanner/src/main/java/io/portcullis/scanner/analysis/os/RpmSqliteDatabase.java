package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads rpm's sqlite database, {@code /var/lib/rpm/rpmdb.sqlite} (Fedora 33+, RHEL 9, CBL-Mariner 2, Amazon Linux
 * 2023): the table {@code Packages(hnum, blob)} holds one {@link RpmHeaderParser header blob} per installed package.
 *
 * <p>The file is opened read-only and {@code immutable}, so sqlite neither takes locks nor looks for a {@code -wal} or
 * {@code -shm} file next to it: the caller hands over a single file spilled from a layer, and whatever a write-ahead
 * log held was not committed to the image's view of the database. The file as a whole is bounded by {@link
 * ReadLimits#maxBytes()}, so no blob in it can be larger.
 */
public final class RpmSqliteDatabase {

  /** {@link OsPackage#foundBy()} for packages from {@code rpmdb.sqlite}. */
  public static final String SQLITE = "rpm-sqlite";

  private final ReadLimits limits;
  private final RpmHeaderParser headers;

  public RpmSqliteDatabase() {
    this(ReadLimits.RPM_DATABASE);
  }

  public RpmSqliteDatabase(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.headers = new RpmHeaderParser(limits);
  }

  /**
   * Lists the installed packages, {@code gpg-pubkey} pseudo-packages left out.
   *
   * @param file the database, a local file
   * @param path the file's path in the image, recorded in each package
   */
  public PackageListing read(Path file, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    return headers(file, path).toPackages(SQLITE, path);
  }

  RpmHeaderListing headers(Path file, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(file, "file");
    long size = Files.size(file);
    if (size > limits.maxBytes()) {
      throw new PackageDatabaseException(path + " is larger than the limit of " + limits.maxBytes() + " bytes");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.OPEN_URI);
    // toUri() percent-encodes the path, so a '?' or '#' in a temp file name cannot add URI parameters
    String url = "jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?mode=ro&immutable=1";
    List<RpmHeader> found = new ArrayList<>();
    int malformed = 0;
    int records = 0;
    try (Connection connection = new JDBC().connect(url, config.toProperties());
        PreparedStatement query = connection.prepareStatement(
            "SELECT blob FROM Packages ORDER BY hnum")) {
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          if (++records > limits.maxRecords()) {
            throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " records");
          }
          byte[] blob = rows.getBytes(1);
          if (blob == null) {
            malformed++;
            continue;
          }
          try {
            found.add(headers.parse(blob));
          } catch (PackageDatabaseException e) {
            malformed++;
          }
        }
      }
    } catch (SQLException e) {
      throw new PackageDatabaseException(path + " is not a readable rpm sqlite database: " + e.getMessage(), e);
    }
    return new RpmHeaderListing(found, malformed);
  }
}
