package io.portcullis.scanner.analysis.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.os.HostileStreams;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import io.portcullis.scanner.analysis.os.ReadLimits;
import io.portcullis.scanner.analysis.os.SharedTestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PythonMetadataParserTests {

  private final PythonMetadataParser parser = new PythonMetadataParser();

  /**
   * The rows of python.expected_name_version.tsv (file, Name, Version, Metadata-Version). That parse keeps trailing
   * blanks ({@code "simple "}); the parser strips them, as no PyPI name can end in a blank, so the oracle is stripped too.
   */
  static Stream<String[]> expectedRows() throws IOException {
    List<String> lines = Files.readAllLines(
        SharedTestData.pkgdb("lang/python.expected_name_version.tsv"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(11);
    return lines.stream().skip(1).map(line -> line.split("\t", -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectedRows")
  void readsNameAndVersionAsTheEmailHeaderParseDoes(String file, String name, String version, String metadataVersion)
      throws Exception {
    try (InputStream in = Files.newInputStream(SharedTestData.pkgdb("lang/python/" + file))) {
      assertThat(parser.parse(in, "/usr/lib/python3/dist-packages/" + file)).hasValueSatisfying(p -> {
        assertThat(p.name()).isEqualTo(name.strip());
        assertThat(p.version()).isEqualTo(version);
        assertThat(p.ecosystem()).isEqualTo(LanguagePackage.Ecosystem.PYPI);
        assertThat(p.foundBy()).isEqualTo("python-metadata");
        assertThat(p.path()).isEqualTo("/usr/lib/python3/dist-packages/" + file);
        assertThat(p.dev()).isFalse();
      });
    }
  }

  @Test
  void findsNothingInTheJsonFileOfTheSameFolder() throws Exception {
    try (InputStream in = Files.newInputStream(SharedTestData.pkgdb("lang/python/invalid.json"))) {
      assertThat(parser.parse(in, "invalid.json")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lower-case field names     | 'name: a\\nversion: 1.0\\n'                         | a@1.0",
        "CRLF line ends             | 'Name: a\\r\\nVersion: 1.0\\r\\n'                   | a@1.0",
        "continuation lines skipped | 'Name: a\\nDescription: x\\n  y: z\\nVersion: 1.0\\n' | a@1.0",
        "body is not header         | 'Name: a\\nVersion: 1.0\\n\\nName: b\\nVersion: 2\\n'  | a@1.0",
        "no final newline           | 'Name: a\\nVersion: 1.0'                              | a@1.0",
      })
  void readsTheHeaderBlock(String why, String text, String expected) throws Exception {
    assertThat(parse(text)).hasValueSatisfying(p -> assertThat(p.name() + "@" + p.version()).isEqualTo(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no version                | 'Name: a\\nSummary: s\\n'",
        "empty name                | 'Name:\\nVersion: 1.0\\n'",
        "version only in the body  | 'Name: a\\n\\nVersion: 1.0\\n'",
        "two names                 | 'Name: a\\nName: b\\nVersion: 1.0\\n'",
        "not a header              | 'hello world\\nName: a\\nVersion: 1.0\\n'",
        "leading continuation      | ' x\\nName: a\\nVersion: 1.0\\n'",
        "empty file                | ''",
      })
  void findsNoPackageInAFileWithoutAUsableHeader(String why, String text) throws Exception {
    assertThat(parse(text)).isEmpty();
  }

  @Test
  void readsNoFurtherThanTheHeader() throws Exception {
    HostileStreams.CountingStream stream =
        HostileStreams.repeating("Name: a\nVersion: 1.0\n\n", "long description\n", 1L << 30);

    assertThat(parser.parse(stream, "METADATA")).isPresent();
    assertThat(stream.served()).isLessThan(64 * 1024);
  }

  @Test
  void stopsReadingAHeaderThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream = HostileStreams.repeating(
        "Name: a\n", "Classifier: " + "x".repeat(100) + "\n", 1L << 30);

    assertThatThrownBy(() -> parser.parse(stream, "METADATA"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("METADATA has a header larger than the limit of 4194304 bytes");
    assertThat(stream.served()).isLessThan((4L << 20) + 64 * 1024);
  }

  @Test
  void refusesMoreHeaderLinesThanTheLimit() {
    PythonMetadataParser small = new PythonMetadataParser(new ReadLimits(1 << 20, 3, 1024));

    assertThatThrownBy(() -> small.parse(stream("Name: a\nVersion: 1\nA: 1\nB: 2\n"), "METADATA"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("METADATA has more than 3 header lines");
  }

  @Test
  void findsNoPackageWhenTheNameLineIsCut() throws Exception {
    PythonMetadataParser small = new PythonMetadataParser(new ReadLimits(1 << 20, 100, 1024));

    assertThat(small.parse(stream("Name: " + "a".repeat(5000) + "\nVersion: 1\n"), "METADATA")).isEmpty();
    assertThat(small.parse(stream("Summary: " + "a".repeat(5000) + "\nName: a\nVersion: 1\n"), "METADATA"))
        .isPresent();
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    garbage[0] = 'N';
    garbage[1] = 0;

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(garbage), "METADATA"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("METADATA is not a text file: NUL byte at offset 1");
  }

  private Optional<LanguagePackage> parse(String text) throws IOException, PackageDatabaseException {
    return parser.parse(stream(text.replace("\\n", "\n").replace("\\r", "\r")), "METADATA");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
