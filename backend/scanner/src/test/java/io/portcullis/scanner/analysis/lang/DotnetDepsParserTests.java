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
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DotnetDepsParserTests {

  private final DotnetDepsParser parser = new DotnetDepsParser();

  /** dotnet.expected_libraries.tsv lists every library with its type; the parser keeps the {@code package} ones. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ambiguous-root.deps.json",
        "happy.deps.json",
        "missing-target.deps.json",
        "multi-project.deps.json",
        "no-libraries.deps.json",
        "self-contained.deps.json",
        "without-runtime.deps.json",
      })
  void keepsThePackageLibraries(String file) throws Exception {
    LanguagePackageListing listing = parse(file);

    List<String> expected = Files.readAllLines(
            SharedTestData.pkgdb("lang/dotnet.expected_libraries.tsv"), StandardCharsets.UTF_8).stream()
        .map(line -> line.split("\t", -1))
        .filter(row -> row[0].equals(file) && row[2].equals("package"))
        .map(row -> row[1])
        .collect(Collectors.toList());
    assertThat(listing.packages()).extracting(p -> p.name() + "/" + p.version()).isEqualTo(expected);
    assertThat(listing.malformedRecords()).isZero();
    assertThat(listing.packages()).allSatisfy(p -> {
      assertThat(p.ecosystem()).isEqualTo(LanguagePackage.Ecosystem.NUGET);
      assertThat(p.foundBy()).isEqualTo("dotnet-deps-json");
      assertThat(p.path()).isEqualTo("/app/" + file);
    });
  }

  @Test
  void refusesTheFileTheOracleCouldNotParse() {
    assertThatThrownBy(() -> parse("invalid.deps.json"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith("/app/invalid.deps.json is not valid JSON");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no slash             | \"A\": {\"type\": \"package\"}",
        "two slashes          | \"A/1/2\": {\"type\": \"package\"}",
        "empty version        | \"A/\": {\"type\": \"package\"}",
        "empty name           | \"/1.0\": {\"type\": \"package\"}",
        "type is a number     | \"A/1.0\": {\"type\": 1}",
        "no type              | \"A/1.0\": {\"serviceable\": true}",
        "library is a string  | \"A/1.0\": \"package\"",
      })
  void skipsAndCountsMalformedLibraries(String why, String library) throws Exception {
    String deps = "{\"libraries\": {\"Good/1.0\": {\"type\": \"package\"}, " + library + "}}";

    LanguagePackageListing listing = parser.parse(stream(deps), "d");

    assertThat(listing.packages()).extracting(LanguagePackage::name).containsExactly("Good");
    assertThat(listing.malformedRecords()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "libraries is an array  | {\"libraries\": []}                         | d: libraries is not an object",
        "root is a string       | \"libraries\"                               | d is not a JSON object",
        "duplicate library      | {\"libraries\": {\"A/1\": {}, \"A/1\": {}}} | d is not valid JSON",
        "deeply nested          | {\"x\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | d is not valid JSON",
      })
  void refusesAFileThatIsNotADepsFile(String why, String text, String message) {
    assertThatThrownBy(() -> parser.parse(stream(text), "d"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream =
        HostileStreams.repeating("{\"libraries\": {", "\"A/1\": {\"type\": \"package\"},", 1L << 30);

    assertThatThrownBy(() -> parser.parse(stream, "d"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("d is larger than the limit of 33554432 bytes");
    assertThat(stream.served()).isLessThan((32L << 20) + 64 * 1024);
  }

  @Test
  void refusesMoreLibrariesThanTheLimit() {
    DotnetDepsParser small = new DotnetDepsParser(new ReadLimits(1 << 20, 2, 1024));

    assertThatThrownBy(() -> small.parse(stream("{\"libraries\": {\"A/1\": {}, \"B/1\": {}, \"C/1\": {}}}"), "d"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("d has more than 2 libraries");
  }

  @Test
  void refusesBinaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(garbage), "d"))
        .isInstanceOf(PackageDatabaseException.class);
  }

  private LanguagePackageListing parse(String file) throws IOException, PackageDatabaseException {
    try (InputStream in = Files.newInputStream(SharedTestData.pkgdb("lang/dotnet/" + file))) {
      return parser.parse(in, "/app/" + file);
    }
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
