package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpmSqliteDatabaseTests {

  private static final String PATH = "/var/lib/rpm/rpmdb.sqlite";

  private final RpmSqliteDatabase database = new RpmSqliteDatabase();

  @TempDir Path temp;

  @Test
  void listsWhatRpmQaListsForCblMariner() throws Exception {
    Path file = SharedTestData.pkgdb("rpm/go-rpmdb__cbl-mariner-2.0/rpmdb.sqlite");

    RpmHeaderListing headers = database.headers(file, PATH);

    assertThat(RpmRows.of(headers)).isEqualTo(RpmRows.expected("rpm/go-rpmdb__cbl-mariner-2.0/expected_rpm-qa.tsv"));
    assertThat(headers.headers()).hasSize(129);
    assertThat(headers.malformedRecords()).isZero();
  }

  @Test
  void writesTheEpochIntoTheVersionAndTakesTheSourceFromTheSourceRpm() throws Exception {
    PackageListing listing =
        database.read(SharedTestData.pkgdb("rpm/go-rpmdb__cbl-mariner-2.0/rpmdb.sqlite"), PATH);

    assertThat(listing.packages()).hasSize(129);
    assertThat(listing.packages()).filteredOn(p -> p.name().equals("ca-certificates-base")).singleElement()
        .satisfies(p -> {
          assertThat(p.version()).isEqualTo("1:2.0.0-1.cm2");
          assertThat(p.architecture()).isEqualTo("noarch");
          assertThat(p.sourceName()).isEqualTo("ca-certificates");
          assertThat(p.sourceVersion()).isNull();
          assertThat(p.foundBy()).isEqualTo("rpm-sqlite");
          assertThat(p.path()).isEqualTo(PATH);
        });
    assertThat(listing.packages()).filteredOn(p -> p.name().equals("audit-libs")).singleElement()
        .satisfies(p -> {
          assertThat(p.version()).isEqualTo("3.0.6-1.cm2");
          assertThat(p.sourceName()).isEqualTo("audit");
          assertThat(p.license()).isNotBlank();
        });
  }

  @Test
  void leavesTheGpgPubkeyPseudoPackageOut() throws Exception {
    Path file = SharedTestData.pkgdb("rpm/rpm__tests-data-misc/rpmdb.sqlite");

    assertThat(RpmRows.of(database.headers(file, PATH)))
        .isEqualTo(RpmRows.expected("rpm/rpm__tests-data-misc/expected_rpm-qa.tsv"));
    assertThat(database.read(file, PATH).packages())
        .extracting(OsPackage::name, OsPackage::version, OsPackage::architecture)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("foo", "1.0-1", "noarch"),
            org.assertj.core.groups.Tuple.tuple("hlinktest", "1.0-1", "noarch"));
  }

  @Test
  void skipsAndCountsABlobThatIsNoHeader() throws Exception {
    Path file = sqlite(
        RpmHeaderBlob.of("good", "1", "1").bytes(),
        new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0},
        RpmHeaderBlob.of("good", "2", "1").bytes());

    PackageListing listing = database.read(file, PATH);

    assertThat(listing.packages()).extracting(OsPackage::version).containsExactly("1-1", "2-1");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void countsAHeaderWithAStringOverTheLimitAsMalformed() throws Exception {
    Path file = sqlite(RpmHeaderBlob.of("big", "1", "1").string(1014, "x".repeat(8192)).bytes());
    RpmSqliteDatabase small = new RpmSqliteDatabase(new ReadLimits(4096 * 1024, 10, 1024));

    PackageListing listing = small.read(file, PATH);

    assertThat(listing.packages()).isEmpty();
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void refusesAFileThatIsNotSqlite() throws Exception {
    Path file = SharedTestData.pkgdb("rpm/go-rpmdb__libuuid/Packages");

    assertThatThrownBy(() -> database.read(file, PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith(PATH + " is not a readable rpm sqlite database");
  }

  @Test
  void refusesAFileOverTheLimit() {
    Path file = SharedTestData.pkgdb("rpm/go-rpmdb__cbl-mariner-2.0/rpmdb.sqlite");

    assertThatThrownBy(() -> new RpmSqliteDatabase(new ReadLimits(1 << 20, 10, 1024)).read(file, PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " is larger than the limit of 1048576 bytes");
  }

  @Test
  void refusesMoreRecordsThanTheLimit() throws Exception {
    byte[] blob = RpmHeaderBlob.of("p", "1", "1").bytes();
    Path file = sqlite(blob, blob, blob, blob);

    assertThatThrownBy(() -> new RpmSqliteDatabase(new ReadLimits(1 << 20, 3, 1024)).read(file, PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " has more than 3 records");
  }

  @Test
  void leavesTheFileUntouched() throws Exception {
    Path file = sqlite(RpmHeaderBlob.of("p", "1", "1").bytes());
    long before = Files.size(file);

    database.read(file, PATH);

    assertThat(Files.size(file)).isEqualTo(before);
    try (var siblings = Files.list(temp)) {
      assertThat(siblings).containsExactly(file);
    }
  }

  private Path sqlite(byte[]... blobs) throws Exception {
    Path file = temp.resolve("rpmdb?x#y.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.createStatement().execute(
          "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO Packages(blob) VALUES (?)")) {
        for (byte[] blob : blobs) {
          insert.setBytes(1, blob);
          insert.executeUpdate();
        }
      }
    }
    return file;
  }
}
