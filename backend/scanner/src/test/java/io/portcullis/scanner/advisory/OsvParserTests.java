package io.portcullis.scanner.advisory;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.advisory.OsvParser.Accepted;
import io.portcullis.scanner.advisory.OsvParser.Rejected;
import io.portcullis.scanner.advisory.OsvParser.Result;
import io.portcullis.scanner.advisory.OsvRecord.AffectedPackage;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.EventKind;
import io.portcullis.scanner.advisory.OsvRecord.RangeType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parser against the schema, case by case. {@code fixtures/osv/parser-cases.jsonl} holds one small record per rule
 * with the reason we expect and the verdict of the reference validator (python-jsonschema 4.26 with the schema of
 * ossf/osv-schema @ 51b8156b); where the two verdicts differ the case must be one of the deliberate differences below.
 */
class OsvParserTests {

  /**
   * Accepted here, refused by the schema: its open lists (unknown fields, id prefixes, ecosystems, severity, reference
   * and credit types) grow with every release. Refused here, accepted by the schema: what the schema's unanchored
   * timestamp pattern lets through, and what could not be stored or would be read two ways.
   */
  static final Set<String> DELIBERATE_DIFFERENCES =
      Set.of(
          "unknown top-level field", "unlisted id prefix", "unlisted ecosystem", "unlisted severity type",
          "unlisted reference type", "unlisted credit type",
          "modified with trailing text", "modified in month 13", "duplicate key", "NUL in details",
          "unpaired surrogate in a version", "invalid UTF-8");

  static final JsonMapper JSON = JsonMapper.builder().build();
  final OsvParser parser = OsvParser.withDefaults();

  @TestFactory
  Stream<DynamicTest> eachSchemaRule() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/fixtures/osv/parser-cases.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode testCase = JSON.readTree(line);
        String name = testCase.get("case").stringValue();
        tests.add(DynamicTest.dynamicTest(name, () -> check(name, testCase)));
      }
    }
    assertThat(tests).hasSizeGreaterThan(60);
    return tests.stream();
  }

  private void check(String name, JsonNode testCase) {
    byte[] bytes;
    if (testCase.has("raw")) {
      String raw = testCase.get("raw").stringValue();
      bytes =
          raw.startsWith("BASE64:")
              ? Base64.getDecoder().decode(raw.substring(7))
              : raw.getBytes(StandardCharsets.UTF_8);
    } else {
      bytes = JSON.writeValueAsBytes(testCase.get("record"));
    }
    Result result = parser.parse(bytes);
    JsonNode expect = testCase.get("expect");
    if (expect.isNull()) {
      assertThat(result).as(name).isInstanceOf(Accepted.class);
    } else {
      assertThat(result).as(name).isInstanceOf(Rejected.class);
      assertThat(((Rejected) result).reason()).as(name).contains(expect.stringValue());
    }
    boolean ours = expect.isNull();
    JsonNode schemaValid = testCase.get("schemaValid");
    if (schemaValid.isNull() || schemaValid.booleanValue() != ours) {
      assertThat(DELIBERATE_DIFFERENCES).as("a difference from the schema must be deliberate: " + name).contains(name);
    }
  }

  @Test
  void aRecordIsReadCompletelyAndInOrder() {
    String json =
        """
        {"schema_version": "1.6.0", "id": "DSA-5000-1", "modified": "2024-05-01T10:00:00.5Z",
         "published": "2024-04-01T00:00:00Z", "aliases": ["CVE-2024-1"], "upstream": ["CVE-2024-2"],
         "related": ["CVE-2024-3"], "summary": "openssl security update", "details": "**bold**",
         "affected": [
           {"package": {"ecosystem": "Debian:12", "name": "openssl", "purl": "pkg:deb/debian/openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u1"},
                                                         {"introduced": "3.1.0"}, {"limit": "*"}],
                        "database_specific": {"n": 1.10}}],
            "versions": ["3.0.9-1", "3.0.8-1"],
            "ecosystem_specific": {"urgency": "high", "binaries": [{"name": "libssl3"}]}},
           {"package": {"ecosystem": "Ubuntu:Pro:18.04:LTS", "name": "openssl"}, "versions": []},
           {"ranges": [{"type": "GIT", "repo": "https://github.com/openssl/openssl",
                        "events": [{"introduced": "0"}]}]}],
         "references": [{"type": "ADVISORY", "url": "https://www.debian.org/security/dsa-5000"}],
         "unknown": {"ignored": true}}
        """;
    OsvRecord record = accepted(json);
    assertThat(record.id()).isEqualTo("DSA-5000-1");
    assertThat(record.modified()).isEqualTo(Instant.parse("2024-05-01T10:00:00.5Z"));
    assertThat(record.published()).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
    assertThat(record.withdrawn()).isNull();
    assertThat(record.isWithdrawn()).isFalse();
    assertThat(record.schemaVersion()).isEqualTo("1.6.0");
    assertThat(record.aliases()).containsExactly("CVE-2024-1");
    assertThat(record.upstream()).containsExactly("CVE-2024-2");
    assertThat(record.related()).containsExactly("CVE-2024-3");
    assertThat(record.summary()).isEqualTo("openssl security update");
    assertThat(record.details()).isEqualTo("**bold**");
    assertThat(record.references()).containsExactly(
        new OsvRecord.Reference("ADVISORY", "https://www.debian.org/security/dsa-5000"));
    assertThat(record.severityWord()).isEqualTo("high");
    assertThat(record.affected()).hasSize(3);

    var debian = record.affected().get(0);
    assertThat(debian.pkg()).isEqualTo(new AffectedPackage("Debian:12", "openssl", "pkg:deb/debian/openssl"));
    assertThat(debian.pkg().ecosystemName()).isEqualTo("Debian");
    assertThat(debian.pkg().release()).isEqualTo("12");
    assertThat(debian.versions()).containsExactly("3.0.9-1", "3.0.8-1");
    assertThat(debian.ranges()).singleElement().satisfies(range -> {
      assertThat(range.type()).isEqualTo(RangeType.ECOSYSTEM);
      assertThat(range.events()).containsExactly(
          new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, "3.0.11-1~deb12u1"),
          new Event(EventKind.INTRODUCED, "3.1.0"), new Event(EventKind.LIMIT, "*"));
      assertThat(range.databaseSpecific()).isEqualTo("{\"n\":1.10}");
    });
    assertThat(debian.ecosystemSpecific()).isEqualTo("{\"urgency\":\"high\",\"binaries\":[{\"name\":\"libssl3\"}]}");

    AffectedPackage ubuntu = record.affected().get(1).pkg();
    assertThat(ubuntu.ecosystemName()).isEqualTo("Ubuntu");
    assertThat(ubuntu.release()).isEqualTo("Pro:18.04:LTS");
    assertThat(record.affected().get(2).pkg()).isNull();
    assertThat(record.affected().get(2).ranges().get(0).repo()).isEqualTo("https://github.com/openssl/openssl");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GitHub's database severity      | {\"database_specific\": {\"severity\": \"MODERATE\"}} | MODERATE",
        "Ubuntu priority                 | {\"severity\": [{\"type\": \"Ubuntu\", \"score\": \"low\"}]} | low",
        "Go's package severity           | {\"affected\": [{\"package\": {\"ecosystem\": \"Go\", \"name\": \"x\"},"
            + " \"ecosystem_specific\": {\"severity\": \"HIGH\"}}]} | HIGH",
        "an aggregator's package severity | {\"affected\": [{\"package\": {\"ecosystem\": \"Go\", \"name\": \"x\"},"
            + " \"database_specific\": {\"severity\": \"Low\"}}]} | Low",
        "Debian urgency                  | {\"affected\": [{\"package\": {\"ecosystem\": \"Debian\", \"name\": \"x\"},"
            + " \"ecosystem_specific\": {\"urgency\": \"not yet assigned\"}}]} | not yet assigned",
        "none                            | {\"database_specific\": {\"severity\": 3}} | ",
      })
  void theDatabasesOwnSeverityWordIsKept(String source, String fields, String word) {
    String json = "{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", " + fields.substring(1);
    assertThat(accepted(json).severityWord()).as(source).isEqualTo(word);
  }

  @Test
  void everyCountAndLengthIsBounded() {
    OsvLimits small = new OsvLimits(2_000, 2, 2, 3, 2, 2, 2, 2, 2, 20, 20, 10, 40, 30, 8);
    OsvParser strict = new OsvParser(small);
    String base = "{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\"";
    assertThat(reason(strict, base + ", \"aliases\": [\"A\", \"B\", \"C\"]}"))
        .isEqualTo("aliases: 3 entries, more than the limit of 2");
    assertThat(reason(strict, "{\"id\": \"" + "X".repeat(21) + "\", \"modified\": \"2024-01-01T00:00:00Z\"}"))
        .isEqualTo("id: longer than 20 characters");
    assertThat(reason(strict, base + ", \"summary\": \"" + "s".repeat(31) + "\"}"))
        .isEqualTo("summary: longer than 30 characters");
    assertThat(reason(strict, base + ", \"affected\": [{}, {}, {}]}"))
        .isEqualTo("affected: 3 entries, more than the limit of 2");
    assertThat(reason(strict, base + ", \"affected\": [{\"versions\": [\"1\", \"2\", \"3\"]}]}"))
        .isEqualTo("affected[0].versions: 3 entries, more than the limit of 2");
    assertThat(reason(strict, base + ", \"affected\": [{\"versions\": [\"12345678901\"]}]}"))
        .isEqualTo("affected[0].versions[0]: longer than 10 characters");
    assertThat(
            reason(strict, base + ", \"affected\": [{\"ranges\": [{\"type\": \"SEMVER\", \"events\":"
                + " [{\"introduced\": \"0\"}, {\"fixed\": \"1\"}, {\"introduced\": \"2\"}, {\"fixed\": \"3\"}]}]}]}"))
        .isEqualTo("affected[0].ranges[0].events: 4 entries, more than the limit of 3");
    assertThat(reason(strict, base + ", \"database_specific\": {\"a\": [[[[{\"b\": [[1]]}]]]]}}"))
        .startsWith("not valid JSON").contains("nesting depth");
    assertThat(reason(strict, base + ", \"details\": \"" + "d".repeat(2_000) + "\"}"))
        .isEqualTo("larger than 2000 bytes");
  }

  @Test
  void aRejectedRecordKeepsItsIdWhenItHasOne() {
    String json = "{\"id\": \"GO-2024-1\", \"modified\": \"yesterday\"}";
    assertThat(parser.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Rejected("GO-2024-1", "modified: 'yesterday' is not an RFC 3339 timestamp in UTC"));
    assertThat(parser.parse("{\"id\": \"a b\", \"modified\": 1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Rejected(null, "id: 'a b' is not an OSV id"));
  }

  @Test
  void hostileValuesInReasonsAreQuotedAndCut() {
    String version = "\u001b[31m" + "x".repeat(500);
    String reason =
        reason(
            parser,
            "{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"ranges\":"
                + " [{\"type\": \"GIT\", \"repo\": \"r\", \"events\": [{\"introduced\": \"\\u001b[31m"
                + "x".repeat(500) + "\"}]}]}]}");
    assertThat(reason).doesNotContain("\u001b").doesNotContain(version).hasSizeLessThan(250);
    String name =
        reason(parser, "{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\","
            + " \"database_specific\": {\"\\u001b[2J\": {\"k\": \"\\u0000\"}}}");
    assertThat(name).isEqualTo("database_specific.'?[2J'.k: contains a NUL character or an unpaired surrogate,"
        + " which cannot be stored");
  }

  /**
   * The linter's cases: the real records pass; of the three made invalid on purpose only the one the schema refuses is
   * refused. {@code nondistinct-} (a GIT range introduced and fixed at the same commit) is schema-valid, and real
   * records do the same (Bitnami's jre ranges, {@code introduced 1.8.0, fixed 1.8.0}), so it is read as the empty
   * range it describes. {@code nopackage-} names a PyPI project that does not exist, which only a registry lookup can
   * tell.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CVE-2018-5407.json                |",
        "CVE-2023-41045.json               |",
        "GHSA-9v2f-6vcg-3hgv.json          |",
        "GO-2020-0001.json                 |",
        "GO-2024-2963.json                 |",
        "MAL-2024-10238.json               |",
        "PYSEC-2023-74.json                |",
        "RHSA-2022_0216.json               |",
        "SUSE-FU-2022_0444-1.json          |",
        "nointroduced-CVE-2023-41045.json  | affected[0].ranges[0]: GIT range without an introduced event",
        "nondistinct-CVE-2018-5407.json    |",
        "nopackage-GHSA-9v2f-6vcg-3hgv.json |",
      })
  void theLinterCases(String file, String reason) throws IOException {
    Result result = parser.parse(Files.readAllBytes(OsvTestData.path("osv-schema/osv-linter-testdata/" + file)));
    if (reason == null) {
      assertThat(result).isInstanceOf(Accepted.class);
    } else {
      assertThat(result).isInstanceOf(Rejected.class);
      assertThat(((Rejected) result).reason()).isEqualTo(reason);
    }
  }

  @Test
  void theConverterOutputsAreAllValid() throws IOException {
    try (Stream<Path> files = Files.list(OsvTestData.path("osv-schema/ghsa-converter-testdata"))) {
      List<Path> outputs = files.filter(f -> f.getFileName().toString().endsWith(".osv.json")).sorted().toList();
      assertThat(outputs).hasSize(11);
      for (Path output : outputs) {
        assertThat(parser.parse(Files.readAllBytes(output))).as(output.getFileName().toString())
            .isInstanceOf(Accepted.class);
      }
    }
    OsvRecord withdrawn =
        ((Accepted) parser.parse(
                Files.readAllBytes(OsvTestData.path("osv-schema/ghsa-converter-testdata/withdrawn.osv.json"))))
            .record();
    assertThat(withdrawn.isWithdrawn()).isTrue();
  }

  private OsvRecord accepted(String json) {
    Result result = parser.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(Accepted.class);
    return ((Accepted) result).record();
  }

  private static String reason(OsvParser parser, String json) {
    Result result = parser.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(Rejected.class);
    return ((Rejected) result).reason();
  }
}
