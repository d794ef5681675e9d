package io.portcullis.scanner.advisory;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.scanner.advisory.OsvArchive.Entry;
import io.portcullis.scanner.advisory.OsvArchive.Json;
import io.portcullis.scanner.advisory.OsvParser.Accepted;
import io.portcullis.scanner.advisory.OsvParser.Rejected;
import io.portcullis.scanner.advisory.OsvParser.Result;
import io.portcullis.scanner.advisory.OsvRecord.Affected;
import io.portcullis.scanner.advisory.OsvRecord.Event;
import io.portcullis.scanner.advisory.OsvRecord.Range;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every record of the shared OSV corpus ({@code testdata/osv/<folder>/all.zip}, some 20,000 real records), read and
 * checked, and compared with {@code STATS.jsonl}: what the reference validator (python-jsonschema against the OSV
 * schema) found invalid must be exactly what the parser rejects, and what it counted in the valid records (withdrawn
 * records, affected entries, listed versions, range types and event kinds) must be what the parser read.
 */
class OsvCorpusTests {

  /** Which upstream set ({@code root} in STATS.jsonl) each export folder was packed from. */
  static final Map<String, String> ROOTS =
      Map.of(
          "Go", "go-vulndb",
          "PyPI", "pypi-pypa-advisory-database",
          "AlmaLinux:8", "almalinux",
          "AlmaLinux:9", "almalinux",
          "AlmaLinux:10", "almalinux",
          "Bitnami", "bitnami-vulndb",
          "osv-dev-served", "osv-scalibr-guidedremediation-records",
          "GHSA-sample", "ghsa-targeted");

  /**
   * The PyPI records the reference validator refused, all for one rule: a GIT event that is not a full commit hash
   * (STATS.jsonl names the values; these are the records that carry them).
   */
  static final List<String> PYPI_REJECTED =
      List.of(
          "PYSEC-2017-27", "PYSEC-2019-155", "PYSEC-2021-371", "PYSEC-2021-424", "PYSEC-2021-425", "PYSEC-2021-436",
          "PYSEC-2023-80");

  /** What one upstream set holds, counted over the records the parser accepted. */
  static final class Counts {
    int records;
    int rejected;
    int withdrawn;
    int affected;
    int withVersions;
    final Map<String, Integer> rangeTypes = new TreeMap<>();
    final Map<String, Integer> eventKinds = new TreeMap<>();
    final TreeSet<String> rejectedIds = new TreeSet<>();
  }

  @Test
  void everyRecordOfTheCorpusAgreesWithTheReferenceValidator() throws IOException {
    OsvParser parser = OsvParser.withDefaults();
    Map<String, Counts> byRoot = new HashMap<>();
    Map<String, String> reasons = new TreeMap<>();
    Path osv = OsvTestData.path("osv");
    List<Path> folders;
    try (Stream<Path> list = Files.list(osv)) {
      folders = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(folders).extracting(f -> f.getFileName().toString()).containsExactlyInAnyOrderElementsOf(ROOTS.keySet());
    for (Path folder : folders) {
      Counts counts = byRoot.computeIfAbsent(ROOTS.get(folder.getFileName().toString()), r -> new Counts());
      try (OsvArchive archive = OsvArchive.open(folder.resolve("all.zip"), OsvArchive.Limits.DEFAULT)) {
        for (Iterator<Entry> entries = archive.entries(); entries.hasNext(); ) {
          Entry entry = entries.next();
          assertThat(entry).as(entry.name()).isInstanceOf(Json.class);
          counts.records++;
          Result result = parser.parse(((Json) entry).bytes());
          if (result instanceof Rejected rejected) {
            counts.rejected++;
            counts.rejectedIds.add(rejected.id());
            reasons.put(rejected.id(), rejected.reason());
          } else {
            count(((Accepted) result).record(), counts);
          }
        }
      }
    }

    JsonMapper json = JsonMapper.builder().build();
    List<String> lines = Files.readAllLines(osv.resolve("STATS.jsonl"));
    assertThat(lines).hasSize(6);
    for (String line : lines) {
      JsonNode stats = json.readTree(line);
      String root = stats.get("root").stringValue();
      Counts counts = byRoot.get(root);
      assertThat(counts).as(root).isNotNull();
      assertThat(counts.records).as(root + " records").isEqualTo(stats.get("records").intValue());
      assertThat(counts.rejected).as(root + " rejected").isEqualTo(stats.get("schema_invalid").intValue());
      if (counts.rejected > 0) {
        // the valid records' totals cannot be compared: STATS counts the invalid records too
        continue;
      }
      assertThat(counts.withdrawn).as(root + " withdrawn").isEqualTo(stats.get("withdrawn").intValue());
      assertThat(counts.affected).as(root + " affected").isEqualTo(stats.get("affected_entries").intValue());
      assertThat(counts.withVersions).as(root + " versions lists")
          .isEqualTo(stats.get("affected_with_versions_list").intValue());
      assertThat(counts.rangeTypes).as(root + " range types").isEqualTo(intMap(stats.get("range_types")));
      assertThat(counts.eventKinds).as(root + " event kinds").isEqualTo(intMap(stats.get("event_kinds")));
    }
    Counts pypi = byRoot.get("pypi-pypa-advisory-database");
    assertThat(pypi.rejectedIds).containsExactlyElementsOf(PYPI_REJECTED);
    assertThat(PYPI_REJECTED)
        .allSatisfy(id -> assertThat(reasons.get(id)).as(id).matches("affected\\[0]\\.ranges\\[\\d+]\\.events\\[\\d+]"
            + "\\.(introduced|fixed|last_affected|limit): '.*' is not a full-length commit hash"));
    // the three AlmaLinux releases together are the almalinux set
    assertThat(byRoot.get("almalinux").affected).isEqualTo(71_329);
  }

  private static void count(OsvRecord record, Counts counts) {
    if (record.isWithdrawn()) {
      counts.withdrawn++;
    }
    for (Affected affected : record.affected()) {
      counts.affected++;
      if (!affected.versions().isEmpty()) {
        counts.withVersions++;
      }
      for (Range range : affected.ranges()) {
        counts.rangeTypes.merge(range.type().name(), 1, Integer::sum);
        for (Event event : range.events()) {
          counts.eventKinds.merge(event.kind().field(), 1, Integer::sum);
        }
      }
    }
  }

  private static Map<String, Integer> intMap(JsonNode object) {
    Map<String, Integer> map = new TreeMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().intValue()));
    return map;
  }
}
