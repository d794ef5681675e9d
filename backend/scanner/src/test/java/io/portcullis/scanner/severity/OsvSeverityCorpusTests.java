package io.portcullis.scanner.severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every severity in the shared corpus of real OSV records (testdata/osv/*&#47;all.zip: Go, PyPI, Bitnami, AlmaLinux 8
 * to 10, records served by osv.dev, a GitHub advisory), read the way the matcher will read them: each CVSS vector
 * scored, each ecosystem severity word mapped. Nothing in that corpus may be refused or left unread.
 */
class OsvSeverityCorpusTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long LARGEST_RECORD = 8L << 20;

  private static final Map<String, Integer> vectorsByVersion = new TreeMap<>();
  private static final Map<String, Integer> ratingsByVersion = new TreeMap<>();
  private static final Map<String, Integer> wordsBySeverity = new TreeMap<>();
  private static final Map<String, Integer> titlesBySeverity = new TreeMap<>();
  private static final Map<String, Integer> bitnamiAgreement = new TreeMap<>();
  private static final List<String> refused = new ArrayList<>();
  private static final List<String> unreadWords = new ArrayList<>();
  private static int records;

  @BeforeAll
  static void readTheCorpus() throws IOException {
    Path osv = osvTestData();
    List<Path> archives;
    try (Stream<Path> folders = Files.list(osv)) {
      archives = folders.map(folder -> folder.resolve("all.zip")).filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(archives).hasSizeGreaterThanOrEqualTo(8);
    for (Path archive : archives) {
      String source = archive.getParent().getFileName().toString();
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
            continue;
          }
          assertThat(entry.getSize()).as(entry.getName()).isBetween(0L, LARGEST_RECORD);
          try (InputStream in = zip.getInputStream(entry)) {
            read(source + "/" + entry.getName(), source, JSON.readTree(in.readNBytes((int) LARGEST_RECORD)));
          }
        }
      }
    }
    System.out.printf(
        "OSV corpus: %d records; CVSS vectors by version %s, ratings %s; ecosystem words %s; advisory titles %s;"
            + " Bitnami's word against our rating of its vectors %s%n",
        records, vectorsByVersion, ratingsByVersion, wordsBySeverity, titlesBySeverity, bitnamiAgreement);
  }

  private static void read(String name, String source, JsonNode record) {
    records++;
    List<JsonNode> severities = new ArrayList<>();
    record.path("severity").forEach(severities::add);
    List<JsonNode> words = new ArrayList<>();
    words.add(record.path("database_specific").path("severity"));
    for (JsonNode affected : record.path("affected")) {
      affected.path("severity").forEach(severities::add);
      words.add(affected.path("database_specific").path("severity"));
      words.add(affected.path("ecosystem_specific").path("severity"));
    }
    Severity stated = null;
    for (JsonNode word : words) {
      if (word.isMissingNode()) {
        continue;
      }
      Severity severity = Severity.ofWord(word.asString());
      count(wordsBySeverity, word.asString() + "=" + severity);
      if (severity == Severity.UNKNOWN && !word.asString().equalsIgnoreCase("unknown")) {
        unreadWords.add(name + ": " + word);
      }
      stated = severity;
    }
    for (JsonNode severity : severities) {
      String type = severity.path("type").asString();
      String vector = severity.path("score").asString();
      if (type.equals("Ubuntu")) {
        if (Severity.ofWord(vector) == Severity.UNKNOWN) {
          unreadWords.add(name + ": Ubuntu " + vector);
        }
        continue;
      }
      try {
        CvssScore score = Cvss.parse(vector);
        String version = score.version().label();
        count(vectorsByVersion, version);
        count(ratingsByVersion, version + " " + score.rating());
        assertThat(type).as(name).isEqualTo("CVSS_V" + version.charAt(0));
        if (source.equals("Bitnami") && stated != null && stated != Severity.UNKNOWN) {
          count(bitnamiAgreement, "v" + version.charAt(0) + (score.rating() == stated ? " agrees" : " differs"));
        }
      } catch (InvalidCvssVectorException e) {
        refused.add(name + ": " + type + " " + vector + ": " + e.reason());
      }
    }
    if (source.startsWith("AlmaLinux")) {
      count(titlesBySeverity, Severity.ofAdvisoryTitle(record.path("summary").asString()).toString());
    }
  }

  @Test
  void scoresEveryCvssVector() {
    assertThat(refused).isEmpty();
    assertThat(vectorsByVersion).isEqualTo(Map.of("3.0", 171, "3.1", 7094, "4.0", 712));
  }

  @Test
  void readsEveryEcosystemSeverityWord() {
    assertThat(unreadWords).isEmpty();
    // GitHub's words in the osv.dev and GitHub records, Bitnami's capitalised ones
    assertThat(wordsBySeverity)
        .containsEntry("MODERATE=MEDIUM", 123)
        .containsEntry("CRITICAL=CRITICAL", 71)
        .containsEntry("Medium=MEDIUM", 3596)
        .containsEntry("None=NONE", 1)
        .containsEntry("Unknown=UNKNOWN", 11);
  }

  @Test
  void readsTheSeverityOfEveryAlmaLinuxSecurityAdvisory() {
    // AlmaLinux records rate only in the title; the rest are bug-fix and enhancement advisories
    assertThat(titlesBySeverity)
        .containsEntry("CRITICAL", 34)
        .containsEntry("HIGH", 2386)
        .containsEntry("MEDIUM", 1908)
        .containsEntry("LOW", 154)
        .containsEntry("NONE", 2);
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }

  private static Path osvTestData() {
    String root = System.getProperty("portcullis.testdata");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property portcullis.testdata is not set; run through Maven (the root pom sets it) or pass"
              + " -Dportcullis.testdata=/path/to/shared/testdata");
    }
    Path osv = Path.of(root, "osv");
    if (!Files.isDirectory(osv)) {
      throw new IllegalStateException("shared OSV test data missing: " + osv);
    }
    return osv;
  }
}
