package io.portcullis.scanner.analysis.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApkInstalledParserTests {

  private final ApkInstalledParser parser = new ApkInstalledParser();

  @Test
  void listsWhatApkListInstalledLists() throws Exception {
    PackageListing listing = parse("apk/apk-tools__query-installed/installed");

    // name, version, arch, origin, license: the columns of upstream's expected `apk list --installed`
    assertThat(rows(listing, p -> String.join("\t", p.name(), p.version(), p.architecture(), p.sourceName(),
            p.license())))
        .isEqualTo(expected("apk/apk-tools__query-installed/expected_apk-list-installed.tsv", 5));
    assertThat(listing.packages()).hasSize(39);
    assertThat(listing.malformedRecords()).isZero();
  }

  @Test
  void listsWhatTrivyExpects() throws Exception {
    PackageListing listing = parse("apk/trivy/installed");

    // id, name, version, src_name, src_version: apk builds every subpackage at its origin's version
    assertThat(rows(listing, p -> String.join("\t", p.name() + "@" + p.version(), p.name(), p.version(),
            p.sourceName(), p.sourceVersion() == null ? p.version() : p.sourceVersion())))
        .isEqualTo(expected("apk/trivy/expected_from_apk_test_go.tsv", 5));
    // the record 'P:invalidPackageWithoutAVersion'
    assertThat(listing.malformedRecords()).isEqualTo(1);
    assertThat(listing.packages()).allSatisfy(p -> {
      assertThat(p.foundBy()).isEqualTo("apk-installed");
      assertThat(p.path()).isEqualTo("/lib/apk/db/installed");
      assertThat(p.sourceVersion()).isNull();
    });
  }

  // syft's fixtures; syft's expectations live in its Go tests, the counts here are the records in each file
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case,                     packages, malformed
    "base,                       1,        0",
    "single,                     1,        0",
    "multiple-1,                 4,        0",
    "multiple-2,                 14,       0",
    "empty-deps-and-provides,    1,        0",
    "extra-file-attributes,      1,        0",
    // 'this is a corrupt db' forms a record of its own before the real one
    "corrupt,                    1,        1",
  })
  void readsSyftFixtures(String name, int packages, int malformed) throws Exception {
    PackageListing listing = parse("apk/syft/" + name + "/installed");

    assertThat(listing.packages()).hasSize(packages);
    assertThat(listing.malformedRecords()).isEqualTo(malformed);
  }

  @Test
  void leavesLicenseAndArchitectureOutWhenAbsent() throws Exception {
    PackageListing listing = parser.parse(stream("P:musl\nV:1.2.5-r0\n"), "installed");

    assertThat(listing.packages()).singleElement().satisfies(p -> {
      assertThat(p.architecture()).isNull();
      assertThat(p.license()).isNull();
      assertThat(p.sourceName()).isEqualTo("musl");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no version           | 'P:a\nA:x86_64\n'",
        "two names run in one | 'P:a\nV:1-r0\nP:b\nV:2-r0\n'",
        "line without a key   | 'P:a\nV:1-r0\nnot a field\n'",
      })
  void skipsAndCountsMalformedRecords(String why, String record) throws Exception {
    String good = "P:good\nV:1.0-r0\n";
    PackageListing listing = parser.parse(stream(good + "\n" + record.replace("\\n", "\n") + "\n" + good), "installed");

    assertThat(listing.packages()).extracting(OsPackage::name).containsExactly("good", "good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void anEmptyFileHasNoPackages() throws Exception {
    PackageListing listing = parser.parse(stream(""), "installed");

    assertThat(listing.packages()).isEmpty();
    assertThat(listing.malformedRecords()).isZero();
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream =
        HostileStreams.repeating("", "P:p\nV:1-r0\nF:usr/lib\nR:libfoo.so\n", 1L << 30);
    ApkInstalledParser small = new ApkInstalledParser(new ReadLimits(4L << 20, 100_000, 4096));

    assertThatThrownBy(() -> small.parse(stream, "/lib/apk/db/installed"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("/lib/apk/db/installed is larger than the limit of 4194304 bytes");
    assertThat(stream.served()).isLessThan((4L << 20) + 64 * 1024);
  }

  @Test
  void refusesMoreRecordsThanTheLimit() {
    ApkInstalledParser small = new ApkInstalledParser(new ReadLimits(1 << 20, 3, 1024));

    assertThatThrownBy(() -> small.parse(stream("P:p\nV:1-r0\n\n".repeat(4)), "installed"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("installed has more than 3 records");
  }

  @Test
  void skipsTheRecordWithATenMegabyteLine() throws Exception {
    String good = "P:good\nV:1.0-r0\n\n";
    String huge = "P:huge\nV:1.0-r0\nT:" + "a".repeat(10 << 20) + "\n\n";

    PackageListing listing = parser.parse(stream(good + huge + good), "installed");

    assertThat(listing.packages()).extracting(OsPackage::name).containsExactly("good", "good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    garbage[10] = 0;

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(garbage), "installed"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("installed is not a text file");
  }

  private PackageListing parse(String relative) throws IOException, PackageDatabaseException {
    try (InputStream in = Files.newInputStream(SharedTestData.pkgdb(relative))) {
      return parser.parse(in, "/lib/apk/db/installed");
    }
  }

  private static List<String> rows(PackageListing listing, Function<OsPackage, String> row) {
    return listing.packages().stream().map(row).sorted().collect(Collectors.toList());
  }

  private static List<String> expected(String relative, int columns) throws IOException {
    Path file = SharedTestData.pkgdb(relative);
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .skip(1)
        .filter(line -> !line.isBlank())
        .peek(line -> assertThat(line.split("\t", -1)).as(line).hasSize(columns))
        .sorted()
        .collect(Collectors.toList());
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
