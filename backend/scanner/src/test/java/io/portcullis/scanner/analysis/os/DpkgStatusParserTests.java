package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DpkgStatusParserTests {

  private final DpkgStatusParser parser = new DpkgStatusParser();

  @ParameterizedTest(name = "{0} ({2})")
  @CsvSource({
    // folder under pkgdb/dpkg,                                 status file,                    parsed as,     malformed
    "debootstrap__bookworm-minbase,                             status,                         status,        0",
    "debootstrap__bookworm-minbase-plus-layer2,                 status,                         status,        0",
    "trivy__valid,                                              files/var/lib/dpkg/status,      status,        0",
    "trivy__third-party,                                        files/var/lib/dpkg/status,      status,        0",
    "trivy__digest,                                             files/var/lib/dpkg/status,      status,        0",
    "trivy__only-apt,                                           files/var/lib/dpkg/status,      status,        0",
    "trivy__md5sums,                                            files/var/lib/dpkg/status,      status,        0",
    // the stanza with neither Version nor Status, and 'invalidpkg' without Status
    "trivy__corrupsed,                                          files/var/lib/dpkg/status,      status,        2",
    "syft__var_lib_dpkg_status.d_coreutils-relationships,       status,                         status,        0",
    "syft__var_lib_dpkg_status.d_coreutils-relationships,       status,                         status.d,      0",
    "syft__var_lib_dpkg_status.d_deinstall,                     status,                         status,        0",
    "syft__var_lib_dpkg_status.d_deinstall,                     status,                         status.d,      0",
    "syft__var_lib_dpkg_status.d_installed-size-4KB,            status,                         status,        0",
    "syft__var_lib_dpkg_status.d_installed-size-4KB,            status,                         status.d,      0",
    "syft__var_lib_dpkg_status.d_single,                        status,                         status,        0",
    "syft__var_lib_dpkg_status.d_single,                        status,                         status.d,      0",
    // five name-only stanzas for the packages libpam-runtime depends on
    "syft__var_lib_dpkg_status.d_libpam-runtime,                status,                         status,        5",
    "syft__var_lib_dpkg_status.d_libpam-runtime,                status,                         status.d,      5",
  })
  void listsWhatDpkgQueryLists(String folder, String statusFile, String parsedAs, int malformed) throws Exception {
    Path dir = SharedTestData.pkgdb("dpkg/" + folder);
    PackageListing listing = parse(dir.resolve(statusFile), parsedAs);

    assertThat(rows(listing)).isEqualTo(installedRows(dir.resolve("expected_dpkg-query.tsv")));
    assertThat(listing.malformedRecords()).isEqualTo(malformed);
    assertThat(listing.packages())
        .allSatisfy(p -> assertThat(p.foundBy()).isEqualTo("status".equals(parsedAs) ? "dpkg-status" : "dpkg-status.d"))
        .allSatisfy(p -> assertThat(p.path()).isEqualTo("/var/lib/dpkg/" + parsedAs));
  }

  // dpkg-query has no oracle for these (it refuses the file or lists nothing without Status); the expectations are
  // syft's for the same fixtures, minus packages without a version, which cannot be matched and count as malformed
  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource(
      delimiter = '|',
      value = {
        // folder | parsed as | name version arch source[ sourceVersion], ... | malformed
        "syft__image-distroless-deb_var_lib_dpkg_status.d_libsqlite3-0 | status.d"
            + " | libsqlite3-0 3.34.1-3 arm64 sqlite3 | 0",
        // dpkg itself would refuse it: without Status no stanza is installed
        "syft__image-distroless-deb_var_lib_dpkg_status.d_libsqlite3-0 | status | | 1",
        // the empty 'Package:' stanza is there on purpose
        "syft__image-dpkg_var_lib_dpkg_status | status | libpam-runtime 1.1.8-3.6 all pam | 1",
        // syft also lists 'no-version'; the empty 'Package:' stanza it skips as well
        "syft__var_lib_dpkg_status.d_multiple | status"
            + " | tzdata 2020a-0+deb10u1 all tzdata-dev, util-linux 2.33.1-0.1 amd64 util-linux | 2",
        "syft__var_lib_dpkg_status.d_multiple | status.d"
            + " | tzdata 2020a-0+deb10u1 all tzdata-dev, util-linux 2.33.1-0.1 amd64 util-linux | 2",
        // syft's relationship test lists these five with versions; the other eleven stanzas carry only a name
        "syft__var_lib_dpkg_status.d_doc-examples | status.d"
            + " | mutt 1.3.17-1 - mutt, made-up-package-1 1.0.0 - glibc, made-up-package-2 2.0.0 - made-up-package-2,"
            + " made-up-package-3 3.0.0 - made-up-package-3, made-up-package-4 3.0.0 - made-up-package-4 | 11",
      })
  void followsSyftWhereDpkgQueryHasNoAnswer(String folder, String parsedAs, String expected, int malformed)
      throws Exception {
    PackageListing listing = parse(SharedTestData.pkgdb("dpkg/" + folder).resolve("status"), parsedAs);

    List<String> want =
        expected == null
            ? List.of()
            : Arrays.stream(expected.split(",")).map(String::strip).sorted().collect(Collectors.toList());
    assertThat(listing.packages().stream()
            .map(p -> String.join(" ", p.name(), p.version(), p.architecture() == null ? "-" : p.architecture(),
                p.sourceName()) + (p.sourceVersion() == null ? "" : " " + p.sourceVersion()))
            .sorted()
            .collect(Collectors.toList()))
        .isEqualTo(want);
    assertThat(listing.malformedRecords()).isEqualTo(malformed);
  }

  @Test
  void keepsTheSourceVersionOnlyWhenItDiffers() throws Exception {
    PackageListing listing = parseStatus("""
        Package: libgcc1
        Status: install ok installed
        Architecture: amd64
        Source: gcc-5 (5.1.1-12ubuntu1)
        Version: 1:5.1.1-12ubuntu1

        Package: libc6
        Status: install ok installed
        Architecture: amd64
        Source: glibc (2.36-9+deb12u4)
        Version: 2.36-9+deb12u4
        """);

    assertThat(listing.packages())
        .extracting(OsPackage::name, OsPackage::version, OsPackage::sourceName, OsPackage::sourceVersion)
        .containsExactly(
            tuple("libgcc1", "1:5.1.1-12ubuntu1", "gcc-5", "5.1.1-12ubuntu1"),
            tuple("libc6", "2.36-9+deb12u4", "glibc", null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Status, counted as installed
        "install ok installed | true",
        "hold ok installed | true",
        "deinstall ok config-files | false",
        "purge ok not-installed | false",
        "install ok half-installed | false",
        "install ok unpacked | false",
      })
  void countsOnlyInstalledPackages(String status, boolean installed) throws Exception {
    PackageListing listing = parseStatus("Package: a\nStatus: " + status + "\nVersion: 1\n");

    assertThat(listing.packages()).hasSize(installed ? 1 : 0);
    assertThat(listing.malformedRecords()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "continuation before any field | '  Package: x\nVersion: 1\nStatus: install ok installed\n'",
        "repeated field               | 'Package: x\nPackage: y\nVersion: 1\nStatus: install ok installed\n'",
        "line that is not a field     | 'Package: x\nVersion: 1\nStatus: install ok installed\nnonsense\n'",
        "space in the field name      | 'Package: x\nVersion: 1\nStatus: install ok installed\nBad Field: 1\n'",
        "empty version                | 'Package: x\nVersion:\nStatus: install ok installed\n'",
        "status with two words        | 'Package: x\nVersion: 1\nStatus: install installed\n'",
      })
  void skipsAndCountsMalformedStanzas(String why, String stanza) throws Exception {
    String good = "Package: good\nStatus: install ok installed\nVersion: 1.0\n";
    PackageListing listing = parseStatus(good + "\n" + stanza.replace("\\n", "\n") + "\n" + good);

    assertThat(listing.packages()).extracting(OsPackage::name).containsExactly("good", "good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void readsCrlfFieldNamesInAnyCaseAndNoFinalNewline() throws Exception {
    PackageListing listing =
        parseStatus("package: a\r\nSTATUS: install ok installed\r\nversion: 2.0-1\r\nArchitecture: arm64");

    assertThat(listing.packages()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("a");
      assertThat(p.version()).isEqualTo("2.0-1");
      assertThat(p.architecture()).isEqualTo("arm64");
      assertThat(p.sourceName()).isEqualTo("a");
    });
  }

  @Test
  void anEmptyFileHasNoPackages() throws Exception {
    assertThat(parseStatus("").packages()).isEmpty();
    assertThat(parseStatus("\n\n  \n").malformedRecords()).isZero();
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream =
        HostileStreams.repeating(
            "Package: big\nStatus: install ok installed\nVersion: 1\nDescription: x\n",
            " more description text\n",
            1L << 30);

    assertThatThrownBy(() -> parser.parseStatus(stream, "/var/lib/dpkg/status"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("/var/lib/dpkg/status is larger than the limit of 67108864 bytes");
    assertThat(stream.served()).isLessThan(ReadLimits.PACKAGE_DATABASE.maxBytes() + 64 * 1024);
  }

  @Test
  void refusesMoreStanzasThanTheLimit() {
    DpkgStatusParser small = new DpkgStatusParser(new ReadLimits(1 << 20, 10, 1024));
    String stanza = "Package: p\nStatus: install ok installed\nVersion: 1\n\n";

    assertThatThrownBy(() -> small.parseStatus(stream(stanza.repeat(11)), "status"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("status has more than 10 stanzas");
  }

  @Test
  void skipsTheStanzaWithATenMegabyteLine() throws Exception {
    String good = "Package: good\nStatus: install ok installed\nVersion: 1.0\n\n";
    String huge = "Package: huge\nStatus: install ok installed\nVersion: 1.0\nDepends: " + "a".repeat(10 << 20) + "\n\n";

    PackageListing listing = parser.parseStatus(stream(good + huge + good), "status");

    assertThat(listing.packages()).extracting(OsPackage::name).containsExactly("good", "good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    garbage[100] = 0;

    assertThatThrownBy(() -> parser.parseStatus(new ByteArrayInputStream(garbage), "status"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("status is not a text file: NUL byte at offset");
  }

  @Test
  void textGarbageWithoutNulIsMalformedNotFatal() throws Exception {
    PackageListing listing = parseStatus("\u00ff\u00fe garbage\n%%%%\n\n@@@: ::\n");

    assertThat(listing.packages()).isEmpty();
    assertThat(listing.malformedRecords()).isEqualTo(2);
  }

  private PackageListing parse(Path file, String parsedAs) throws IOException, PackageDatabaseException {
    try (InputStream in = Files.newInputStream(file)) {
      return "status".equals(parsedAs)
          ? parser.parseStatus(in, "/var/lib/dpkg/status")
          : parser.parseStatusD(in, "/var/lib/dpkg/status.d");
    }
  }

  private PackageListing parseStatus(String text) throws IOException, PackageDatabaseException {
    return parser.parseStatus(stream(text), "/var/lib/dpkg/status");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** name, version, architecture, source name, source version: the columns dpkg-query wrote. */
  private static List<String> rows(PackageListing listing) {
    return listing.packages().stream()
        .map(p -> String.join("\t", p.name(), p.version(), p.architecture(), p.sourceName(),
            p.sourceVersion() == null ? p.version() : p.sourceVersion()))
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> installedRows(Path expected) throws IOException {
    return Files.readAllLines(expected, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .map(line -> line.split("\t", -1))
        // the last column is "want status"; dpkg-query also lists removed packages that left config files behind
        .filter(columns -> columns[6].endsWith(" installed"))
        .map(columns -> String.join("\t", columns[0], columns[1], columns[2], columns[3], columns[4]))
        .sorted()
        .collect(Collectors.toList());
  }
}
