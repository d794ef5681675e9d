package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RpmBerkeleyDatabaseTests {

  private static final String PATH = "/var/lib/rpm/Packages";
  private static final String LIBUUID = "rpm/go-rpmdb__libuuid/Packages";
  private static final int PAGE = 4096;

  private final RpmBerkeleyDatabase database = new RpmBerkeleyDatabase();

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"go-rpmdb__libuuid", "syft__redhat-testdata"})
  void listsWhatRpmQaLists(String folder) throws Exception {
    RpmHeaderListing headers = database.headers(SharedTestData.pkgdb("rpm/" + folder + "/Packages"), PATH);

    assertThat(RpmRows.of(headers)).isEqualTo(RpmRows.expected("rpm/" + folder + "/expected_rpm-qa.tsv"));
    assertThat(headers.malformedRecords()).isZero();
  }

  @Test
  void takesTheSourceFromTheSourceRpm() throws Exception {
    PackageListing listing = database.read(SharedTestData.pkgdb(LIBUUID), PATH);

    assertThat(listing.packages()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("libuuid");
      assertThat(p.version()).isEqualTo("2.32.1-42.el8_8");
      assertThat(p.architecture()).isEqualTo("x86_64");
      assertThat(p.sourceName()).isEqualTo("util-linux");
      assertThat(p.sourceVersion()).isNull();
      assertThat(p.license()).isEqualTo("BSD");
      assertThat(p.foundBy()).isEqualTo("rpm-bdb");
      assertThat(p.path()).isEqualTo(PATH);
    });
  }

  @Test
  void refusesATruncatedPage() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    Path file = write(Arrays.copyOf(bytes, bytes.length - 100));

    assertThatThrownBy(() -> database.read(file, PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith(PATH + " is truncated");
  }

  @Test
  void refusesAMetadataPageThatClaimsMorePagesThanTheFileHas() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    le(bytes).putInt(32, 1_000_000);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith(PATH + " is truncated");
  }

  @Test
  @Timeout(5)
  void refusesACycleInOverflowPages() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    // the last overflow page of the chain links back to the first
    int first = firstOverflowPage(bytes);
    int last = lastPage(bytes);
    le(bytes).putInt(last * PAGE + 16, first);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " overflow page " + first + " is reached twice (a cycle or a shared chain)");
  }

  @Test
  @Timeout(5)
  void refusesAnOverflowPageThatLinksToItself() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    int first = firstOverflowPage(bytes);
    le(bytes).putInt(first * PAGE + 16, first);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("is reached twice");
  }

  @Test
  void refusesAnOverflowLinkPastTheLastPage() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    int first = firstOverflowPage(bytes);
    le(bytes).putInt(first * PAGE + 16, 0x7fffffff);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("links to overflow page 2147483647 beyond the last page");
  }

  @Test
  void refusesAnItemOffsetOutsideThePage() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    for (int pgno = 1; pgno <= lastPage(bytes); pgno++) {
      if (bytes[pgno * PAGE + 25] == 13 && le(bytes).getShort(pgno * PAGE + 20) > 0) {
        le(bytes).putShort(pgno * PAGE + 26, (short) 5); // inside the page header
      }
    }

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("points at 5, outside the page");
  }

  @Test
  void refusesAnOverflowChainShorterThanItsValue() throws Exception {
    byte[] bytes = corpus(LIBUUID);
    int first = firstOverflowPage(bytes);
    le(bytes).putInt(first * PAGE + 16, 0);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageMatching(".*overflow chain from page \\d+ holds \\d+ of \\d+ bytes");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 3000, 1 << 20})
  void refusesAnImpossiblePageSize(int pageSize) throws Exception {
    byte[] bytes = corpus(LIBUUID);
    le(bytes).putInt(20, pageSize);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " claims a page size of " + pageSize);
  }

  @Test
  void refusesOtherFiles() throws Exception {
    assertThatThrownBy(() -> database.read(SharedTestData.pkgdb("rpm/rpm__tests-data-misc/rpmdb.sqlite"), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " is not a Berkeley DB hash database");
    assertThatThrownBy(() -> database.read(SharedTestData.pkgdb("rpm/go-rpmdb__sle15-bci/Packages.db"), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " is not a Berkeley DB hash database");
    assertThatThrownBy(() -> database.read(write(new byte[10]), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " has 10 bytes, too short for a Berkeley DB file");
  }

  @Test
  void refusesAFileOverTheLimit() {
    RpmBerkeleyDatabase small = new RpmBerkeleyDatabase(new ReadLimits(16 * 1024, 10, 1024));

    assertThatThrownBy(() -> small.read(SharedTestData.pkgdb(LIBUUID), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " is larger than the limit of 16384 bytes");
  }

  @Test
  void readsAHugeFileOfEmptyPagesQuickly() throws Exception {
    // a metadata page claiming 16,383 pages of nothing: every page is looked at once, none is kept
    byte[] bytes = Arrays.copyOf(corpus(LIBUUID), PAGE * 16384);
    le(bytes).putInt(32, 16383);
    for (int pgno = 1; pgno < 23; pgno++) {
      Arrays.fill(bytes, pgno * PAGE, (pgno + 1) * PAGE, (byte) 0);
    }
    Path file = write(bytes);

    long start = System.nanoTime();
    assertThat(database.read(file, PATH).packages()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private static byte[] corpus(String relative) throws Exception {
    return Files.readAllBytes(SharedTestData.pkgdb(relative));
  }

  private Path write(byte[] bytes) throws Exception {
    Path file = Files.createTempFile(temp, "Packages", "");
    Files.write(file, bytes);
    return file;
  }

  private static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int lastPage(byte[] bytes) {
    return le(bytes).getInt(32);
  }

  private static int firstOverflowPage(byte[] bytes) {
    for (int pgno = 1; pgno <= lastPage(bytes); pgno++) {
      if (bytes[pgno * PAGE + 25] == 7 && le(bytes).getInt(pgno * PAGE + 12) == 0) { // prev_pgno 0: a chain's head
        return pgno;
      }
    }
    throw new IllegalStateException("no overflow page");
  }
}
