package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class RpmNdbDatabaseTests {

  private static final String PATH = "/usr/lib/sysimage/rpm/Packages.db";
  private static final String SLE15 = "rpm/go-rpmdb__sle15-bci/Packages.db";

  private final RpmNdbDatabase database = new RpmNdbDatabase();

  @TempDir Path temp;

  @Test
  void listsWhatGoRpmdbExpectsForSle15() throws Exception {
    RpmHeaderListing headers = database.headers(SharedTestData.pkgdb(SLE15), PATH);

    // rpm here cannot read ndb, so the oracle is go-rpmdb's expectation, made with rpm -qa inside the image:
    // epoch, name, version, release, arch, sourcerpm, (size), license, vendor
    List<String> rows = headers.headers().stream()
        .map(h -> String.join("\t", h.epoch() == null ? "" : h.epoch().toString(), h.name(), h.version(),
            h.release(), h.architecture(), h.sourceRpm(), h.license(), h.vendor()))
        .sorted()
        .collect(Collectors.toList());
    List<String> expected = Files.readAllLines(SharedTestData.pkgdb("rpm/go-rpmdb_expected/SLE15WithNDB.tsv"),
            StandardCharsets.UTF_8).stream()
        .skip(1)
        .filter(line -> !line.isBlank())
        .map(line -> line.split("\t", -1))
        .map(c -> String.join("\t", c[0], c[1], c[2], c[3], c[4], c[5], c[7], c[8]))
        .sorted()
        .collect(Collectors.toList());
    assertThat(rows).isEqualTo(expected).hasSize(35);
    assertThat(headers.malformedRecords()).isZero();
  }

  @Test
  void recordsWhoFoundThePackages() throws Exception {
    PackageListing listing = database.read(SharedTestData.pkgdb(SLE15), PATH);

    assertThat(listing.packages()).hasSize(35).allSatisfy(p -> {
      assertThat(p.foundBy()).isEqualTo("rpm-ndb");
      assertThat(p.path()).isEqualTo(PATH);
    });
  }

  @Test
  void refusesASlotPointingPastTheEnd() throws Exception {
    byte[] bytes = corpus();
    le(bytes).putInt(32 + 8, 0x7fffffff);

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("slot for package 1 points at")
        .hasMessageEndingWith("outside the file's blob area");
  }

  @Test
  @Timeout(5)
  void refusesSlotsThatAllPointAtTheSameBlob() throws Exception {
    byte[] bytes = corpus();
    ByteBuffer buffer = le(bytes);
    // every free slot points at package 2's 56 KiB blob: reading them all would be some 14 MiB from a 1.3 MiB file
    for (int at = 64; at < 4096; at += 16) {
      buffer.putInt(at, 0x746f6c53).putInt(at + 4, 2).putInt(at + 8, buffer.getInt(56)).putInt(at + 12,
          buffer.getInt(60));
    }

    assertThatThrownBy(() -> database.read(write(bytes), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " has slots whose blobs overlap");
  }

  @Test
  void refusesATruncatedFile() throws Exception {
    byte[] bytes = corpus();
    le(bytes).putInt(12, 1000);

    assertThatThrownBy(() -> database.read(write(Arrays.copyOf(bytes, 8192)), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " claims 1000 slot pages but has 8192 bytes");
  }

  @Test
  void countsABlobThatDoesNotBelongToItsSlot() throws Exception {
    byte[] bytes = corpus();
    ByteBuffer buffer = le(bytes);
    buffer.putInt(buffer.getInt(40) * 16 + 4, 99);

    PackageListing listing = database.read(write(bytes), PATH);

    assertThat(listing.packages()).hasSize(34);
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void refusesOtherFiles() {
    assertThatThrownBy(() -> database.read(SharedTestData.pkgdb("rpm/go-rpmdb__libuuid/Packages"), PATH))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage(PATH + " is not an rpm ndb database (version 0)");
  }

  private static byte[] corpus() throws Exception {
    return Files.readAllBytes(SharedTestData.pkgdb(SLE15));
  }

  private Path write(byte[] bytes) throws Exception {
    Path file = Files.createTempFile(temp, "Packages", ".db");
    Files.write(file, bytes);
    return file;
  }

  private static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
