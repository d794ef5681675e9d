package io.portcullis.scanner.analysis.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.analysis.os.HostileStreams;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpmPackageJsonParserTests {

  private final NpmPackageJsonParser parser = new NpmPackageJsonParser();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain               | {\"name\": \"lodash\", \"version\": \"4.17.21\"}                        | lodash@4.17.21",
        "scoped              | {\"name\": \"@babel/core\", \"version\": \"7.22.5\", \"private\": false} | @babel/core@7.22.5",
        "other fields ignored| {\"name\": \"a\", \"version\": \"1.0.0\", \"license\": [{\"type\": \"MIT\"}], \"bin\": 3} | a@1.0.0",
      })
  void readsNameAndVersion(String why, String json, String expected) throws Exception {
    assertThat(parser.parse(stream(json), "/app/node_modules/x/package.json")).hasValueSatisfying(p -> {
      assertThat(p.name() + "@" + p.version()).isEqualTo(expected);
      assertThat(p.ecosystem()).isEqualTo(LanguagePackage.Ecosystem.NPM);
      assertThat(p.foundBy()).isEqualTo("npm-package-json");
      assertThat(p.path()).isEqualTo("/app/node_modules/x/package.json");
      assertThat(p.dev()).isFalse();
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no version          | {\"name\": \"a\"}",
        "no name             | {\"version\": \"1.0.0\"}",
        "version is a number | {\"name\": \"a\", \"version\": 1}",
        "name is an object   | {\"name\": {\"a\": 1}, \"version\": \"1.0.0\"}",
        "version is null     | {\"name\": \"a\", \"version\": null}",
        "empty name          | {\"name\": \"\", \"version\": \"1.0.0\"}",
        "empty object        | {}",
      })
  void skipsAPackageWithoutAStringNameAndVersion(String why, String json) throws Exception {
    assertThat(parser.parse(stream(json), "package.json")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "array               | [\"a\"]",
        "garbage             | name=a",
        "duplicate name      | {\"name\": \"a\", \"name\": \"b\", \"version\": \"1\"}",
        "trailing content    | {\"name\": \"a\", \"version\": \"1\"} x",
        "empty               | ''",
      })
  void refusesAFileThatIsNotAJsonObject(String why, String text) {
    assertThatThrownBy(() -> parser.parse(stream(text), "package.json"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageStartingWith("package.json is not");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"name\": \"a\", \"version\": \"1\", \"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

    assertThatThrownBy(() -> parser.parse(stream(deep), "package.json"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void stopsReadingAStreamThatClaimsAGigabyte() {
    HostileStreams.CountingStream stream =
        HostileStreams.repeating("{\"name\": \"a\", \"version\": \"1\", \"readme\": \"", "aaaaaaaa", 1L << 30);

    assertThatThrownBy(() -> parser.parse(stream, "package.json"))
        .isInstanceOf(PackageDatabaseException.class)
        .hasMessage("package.json is larger than the limit of 8388608 bytes");
    assertThat(stream.served()).isLessThan((8L << 20) + 64 * 1024);
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
