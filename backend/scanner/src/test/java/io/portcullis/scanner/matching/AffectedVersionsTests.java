package io.portcullis.scanner.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.advisory.OsvRecord;
import io.portcullis.scanner.testing.SharedTestData;
import io.portcullis.scanner.version.VersionSchemes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OSV range cases of osv-scalibr's local matcher (testdata/osv-range), evaluated by {@link AffectedVersions} with
 * the ecosystem's version scheme. Every case must agree, except the ones listed below, where that matcher follows a
 * convention of its own that the OSV schema does not state.
 */
class AffectedVersionsTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * osv-scalibr treats a package without a version as affected by everything; Portcullis never reports a finding the
   * evidence does not support, and an inventory package always has a version, so an empty version matches nothing.
   */
  static boolean scalibrConvention(JsonNode query) {
    return query.path("version").asString().isEmpty();
  }

  @Test
  void everyOsvRangeCaseAgrees() throws Exception {
    List<String> lines = Files.readAllLines(
        SharedTestData.path("osv-range/osv-scalibr_IsAffected_cases.jsonl"), StandardCharsets.UTF_8);
    int agreed = 0;
    List<String> disagreed = new ArrayList<>();
    List<String> conventions = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode c = JSON.readTree(line);
      // built directly rather than through the strict parser: a few cases carry ranges the OSV schema calls invalid
      // (fixed and last_affected together), and the point here is how ranges evaluate
      OsvRecord osv = record(c.path("affected"));
      JsonNode query = c.path("query");
      boolean affected = isAffected(osv, query.path("ecosystem").asString(), query.path("name").asString(),
          query.path("version").asString());
      boolean expected = c.path("expected_affected").asBoolean();
      String label = c.path("test").asString() + " " + query.path("version").asString();
      if (affected == expected) {
        agreed++;
      } else if (scalibrConvention(query)) {
        conventions.add(label);
      } else {
        disagreed.add(label + " expected " + expected);
      }
    }
    System.out.printf("osv-range: %d/%d cases agree, %d follow a convention of the other matcher%n",
        agreed, lines.size(), conventions.size());
    assertThat(disagreed).isEmpty();
    assertThat(agreed + conventions.size()).isEqualTo(194);
  }

  static OsvRecord record(JsonNode affected) {
    List<OsvRecord.Affected> entries = new ArrayList<>();
    for (JsonNode a : affected) {
      List<OsvRecord.Range> ranges = new ArrayList<>();
      for (JsonNode r : a.path("ranges")) {
        List<OsvRecord.Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
          for (OsvRecord.EventKind kind : OsvRecord.EventKind.values()) {
            if (e.has(kind.field())) {
              events.add(new OsvRecord.Event(kind, e.get(kind.field()).asString()));
            }
          }
        }
        ranges.add(new OsvRecord.Range(OsvRecord.RangeType.valueOf(r.path("type").asString()), null, events, null));
      }
      List<String> versions = new ArrayList<>();
      a.path("versions").forEach(v -> versions.add(v.asString()));
      entries.add(new OsvRecord.Affected(
          new OsvRecord.AffectedPackage(a.path("package").path("ecosystem").asString(), a.path("package").path("name").asString(), null),
          List.of(), ranges, versions, null, null));
    }
    return new OsvRecord("CASE", java.time.Instant.EPOCH, null, null, null, List.of(), List.of(), List.of(), null, null,
        List.of(), entries, List.of(), null, null);
  }

  static boolean isAffected(OsvRecord record, String ecosystem, String name, String version) {
    if (version.isEmpty()) {
      return false;
    }
    for (OsvRecord.Affected affected : record.affected()) {
      if (affected.pkg() != null && affected.pkg().ecosystem().equals(ecosystem) && affected.pkg().name().equals(name)
          && AffectedVersions.evaluate(affected, version, VersionSchemes.forEcosystem(ecosystem)).hit().isPresent()) {
        return true;
      }
    }
    return false;
  }
}
