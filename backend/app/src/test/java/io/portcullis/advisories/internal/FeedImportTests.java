package io.portcullis.advisories.internal;

import static io.portcullis.advisories.internal.OsvMirror.record;
import static io.portcullis.advisories.internal.OsvMirror.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.advisories.AdvisoryTest;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.unit.DataSize;

/**
 * The feeds fetched from a real HTTP server: EPSS, KEV and an OSV archive, each conditional on what the server said
 * last (ETag, Last-Modified), each bounded, and each failing alone without touching what is stored.
 */
@AdvisoryTest
class FeedImportTests {

  @Autowired AdvisoryProperties configured;
  @Autowired ImportRuns runs;
  @Autowired AdvisoryStore store;
  @Autowired JdbcClient jdbc;
  @Autowired JdbcTemplate jdbcTemplate;
  @Autowired PlatformTransactionManager transactionManager;

  MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void epssScoresAreReplacedWholeAndFetchedOnlyWhenTheyChanged() throws Exception {
    EpssImport epss = epss(properties(Duration.ofSeconds(30), DataSize.ofMegabytes(64)));
    server.enqueue(gzip(200, "\"scores-1\"",
        """
        #model_version:v2025.03.14,score_date:2026-11-29T00:00:00+0000
        cve,epss,percentile
        CVE-2021-44228,0.94358,0.99961
        CVE-2024-0001,0.00043,0.12345
        CVE-2024-0002,0.10000,0.80000
        """));
    assertThat(run(epss.run(Trigger.MANUAL, false).orElseThrow()))
        .containsEntry("status", "SUCCEEDED").containsEntry("records_read", 3).containsEntry("stored", 3);
    assertThat(server.takeRequest().getHeaders().get("If-None-Match")).isNull();
    assertThat(score("CVE-2021-44228")).isEqualTo(0.94358f);
    assertThat(version("EPSS")).isEqualTo("model v2025.03.14, scores of 2026-11-29T00:00:00+0000");

    server.enqueue(new MockResponse.Builder().code(304).build());
    assertThat(run(epss.run(Trigger.SCHEDULE, false).orElseThrow()))
        .containsEntry("status", "NOT_MODIFIED").containsEntry("stored", 3);
    assertThat(server.takeRequest().getHeaders().get("If-None-Match")).isEqualTo("\"scores-1\"");

    // the next day's file: one CVE gone, one score changed, three rows that are not scores
    server.enqueue(gzip(200, "\"scores-2\"",
        """
        #model_version:v2025.03.14,score_date:2026-11-30T00:00:00+0000
        cve,epss,percentile
        CVE-2021-44228,0.97000,0.99990
        CVE-2024-0002,0.20000,0.85000
        NOT-A-CVE,0.1,0.1
        CVE-2024-0003,1.5,0.9
        CVE-2024-0004,0.1
        """));
    Map<String, Object> next = run(epss.run(Trigger.SCHEDULE, false).orElseThrow());
    assertThat(next).containsEntry("status", "SUCCEEDED").containsEntry("records_read", 5)
        .containsEntry("rejected", 3).containsEntry("stored", 2);
    assertThat(next.get("reasons").toString())
        .contains("line 5", "'NOT-A-CVE' is not a CVE id", "1.5 is not between 0 and 1", "2 fields instead of 3");
    assertThat(score("CVE-2021-44228")).isEqualTo(0.97f);
    assertThat(score("CVE-2024-0001")).isNull();

    // broken files change nothing
    byte[] cut = gzipBytes("cve,epss,percentile\n" + "CVE-2024-0009,0.1,0.1\n".repeat(2_000));
    Buffer half = new Buffer().write(Arrays.copyOf(cut, cut.length / 2));
    server.enqueue(new MockResponse.Builder().code(200).body(half).build());
    assertThat(run(epss.run(Trigger.MANUAL, false).orElseThrow())).containsEntry("status", "FAILED");
    server.enqueue(new MockResponse.Builder().code(200).body("<html>maintenance</html>").build());
    Map<String, Object> html = run(epss.run(Trigger.MANUAL, false).orElseThrow());
    assertThat(html.get("error").toString())
        .contains("the header cve,epss,percentile is missing", "the stored scores are kept");
    server.enqueue(new MockResponse.Builder().code(500).build());
    assertThat(run(epss.run(Trigger.MANUAL, false).orElseThrow()).get("error").toString())
        .contains("the server answered 500");
    assertThat(jdbc.sql("select count(*) from epss_score").query(Long.class).single()).isEqualTo(2);
    assertThat(score("CVE-2021-44228")).isEqualTo(0.97f);

    // a file beyond the size limit is not read at all
    EpssImport small = epss(properties(Duration.ofSeconds(30), DataSize.ofBytes(100)));
    StringBuilder many = new StringBuilder("cve,epss,percentile\n");
    for (int i = 0; i < 200; i++) {
      many.append("CVE-2024-").append(10_000 + i * 7).append(",0.").append(i).append(",0.5\n");
    }
    server.enqueue(gzip(200, null, many.toString()));
    assertThat(run(small.run(Trigger.MANUAL, false).orElseThrow()).get("error").toString())
        .contains("more than the limit of 100");
  }

  @Test
  void theKevCatalogueIsReplacedWholeAndFetchedOnlyWhenItChanged() throws Exception {
    KevImport kev = kev(properties(Duration.ofSeconds(30), DataSize.ofMegabytes(64)));
    String catalogue =
        """
        {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2026.11.29",
         "dateReleased": "2026-11-29T14:00:00.0000Z", "count": 3,
         "vulnerabilities": [
          {"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
           "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability", "dateAdded": "2021-12-10",
           "shortDescription": "JNDI features do not protect against attacker-controlled endpoints.",
           "requiredAction": "Apply updates per vendor instructions.", "dueDate": "2021-12-24",
           "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": ["CWE-20"]},
          {"cveID": "CVE-2024-0001", "vendorProject": "Example", "product": "Widget", "vulnerabilityName": "x",
           "dateAdded": "2024-02-01", "knownRansomwareCampaignUse": "Unknown"},
          {"cveID": "CVE-2024-0002", "dateAdded": "2024-02-30", "knownRansomwareCampaignUse": "Unknown"}
         ]}
        """;
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Last-Modified", "Sun, 29 Nov 2026 14:00:00 GMT")
        .body(catalogue).build());
    Map<String, Object> first = run(kev.run(Trigger.MANUAL, false).orElseThrow());
    assertThat(first).containsEntry("status", "SUCCEEDED").containsEntry("records_read", 3)
        .containsEntry("rejected", 1).containsEntry("stored", 2);
    assertThat(first.get("reasons").toString()).contains("vulnerabilities[2]", "dateAdded '2024-02-30' is not a date");
    Map<String, Object> log4shell =
        jdbc.sql("select * from kev_entry where cve = 'CVE-2021-44228'").query().singleRow();
    assertThat(log4shell).containsEntry("known_ransomware_use", true).containsEntry("product", "Log4j2");
    assertThat(log4shell.get("due_date").toString()).isEqualTo("2021-12-24");
    assertThat(version("KEV")).isEqualTo("catalogue 2026.11.29");
    server.takeRequest();

    server.enqueue(new MockResponse.Builder().code(304).build());
    assertThat(run(kev.run(Trigger.SCHEDULE, false).orElseThrow())).containsEntry("status", "NOT_MODIFIED");
    assertThat(server.takeRequest().getHeaders().get("If-Modified-Since")).isEqualTo("Sun, 29 Nov 2026 14:00:00 GMT");

    String garbageCatalogue = "{\"vulnerabilities\": [{\"cveID\": 1}, {}, []]}";
    server.enqueue(new MockResponse.Builder().code(200).body(garbageCatalogue).build());
    Map<String, Object> garbage = run(kev.run(Trigger.MANUAL, false).orElseThrow());
    assertThat(garbage).containsEntry("status", "FAILED");
    assertThat(garbage.get("error").toString()).contains("no valid entries", "the stored catalogue is kept");
    server.enqueue(new MockResponse.Builder().code(200).body("{\"a\": 1, \"a\": 2}").build());
    assertThat(run(kev.run(Trigger.MANUAL, false).orElseThrow()).get("error").toString()).contains("not valid JSON");
    assertThat(jdbc.sql("select count(*) from kev_entry").query(Long.class).single()).isEqualTo(2);
  }

  @Test
  void anOsvArchiveFromAServerIsFetchedOnlyWhenItsEtagChanged() throws Exception {
    String ecosystem = "Test Http-" + UUID.randomUUID().toString().substring(0, 8);
    String p = UUID.randomUUID().toString().substring(0, 8);
    String a = "GHSA-" + p + "-http-aaaa";
    String b = "GHSA-" + p + "-http-bbbb";
    OsvImport osv = osv(properties(Duration.ofSeconds(30), DataSize.ofMegabytes(64)));

    server.enqueue(zip(200, "\"zip-1\"", records(
        record(a, "2024-01-01T00:00:00Z", "a", "http-" + p, "1.0.1"),
        record(b, "2024-01-01T00:00:00Z", "b", "http-" + p, "1.0.2"))));
    assertThat(run(osv.run(ecosystem, Trigger.MANUAL, false).orElseThrow()))
        .containsEntry("status", "SUCCEEDED").containsEntry("imported", 2);
    RecordedRequest first = server.takeRequest();
    assertThat(first.getTarget()).isEqualTo("/osv/Test%20Http-" + ecosystem.substring(10) + "/all.zip");
    assertThat(first.getHeaders().get("If-None-Match")).isNull();

    server.enqueue(new MockResponse.Builder().code(304).build());
    assertThat(run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow()))
        .containsEntry("status", "NOT_MODIFIED").containsEntry("records_read", 0).containsEntry("stored", 2);
    assertThat(server.takeRequest().getHeaders().get("If-None-Match")).isEqualTo("\"zip-1\"");

    server.enqueue(zip(200, "\"zip-2\"", records(
        record(a, "2024-01-01T00:00:00Z", "a", "http-" + p, "1.0.1"),
        record(b, "2024-05-01T00:00:00Z", "b changed", "http-" + p, "1.0.3"))));
    assertThat(run(osv.run(ecosystem, Trigger.SCHEDULE, false).orElseThrow()))
        .containsEntry("imported", 1).containsEntry("unchanged", 1);
    assertThat(server.takeRequest().getHeaders().get("If-None-Match")).isEqualTo("\"zip-1\"");
    assertThat(jdbc.sql("select summary from advisory where id = ?").param(b).query(String.class).single())
        .isEqualTo("b changed");
  }

  @Test
  void aDownloadIsBoundedInSizeAndTime() throws Exception {
    String ecosystem = OsvMirror.ecosystem("bounded");
    OsvImport small = osv(properties(Duration.ofSeconds(30), DataSize.ofBytes(1_000)));
    server.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(new byte[5_000])).build());
    assertThat(run(small.run(ecosystem, Trigger.MANUAL, false).orElseThrow()).get("error").toString())
        .contains("more than the limit of 1000");

    OsvImport impatient = osv(properties(Duration.ofSeconds(1), DataSize.ofMegabytes(64)));
    server.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(new byte[100]))
        .throttleBody(10, 3, TimeUnit.SECONDS).build());
    Map<String, Object> slow = run(impatient.run(ecosystem, Trigger.MANUAL, false).orElseThrow());
    assertThat(slow).containsEntry("status", "FAILED");
    assertThat(slow.get("error").toString()).contains("could not download", "SocketTimeoutException");
    // nothing is left behind in the temporary directory
    try (var files = Files.list(Files.createTempFile("probe", "").getParent())) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("portcullis-feed-")).count()).isZero();
    }
  }

  private AdvisoryProperties properties(Duration readTimeout, DataSize maxSize) {
    var l = configured.limits();
    var e = configured.epss();
    var k = configured.kev();
    return new AdvisoryProperties(
        server.url("/osv").toString(),
        configured.ecosystems(),
        configured.schedule(),
        new AdvisoryProperties.Epss(true, server.url("/epss_scores-current.csv.gz").toString(), e.interval(), maxSize,
            e.maxRows()),
        new AdvisoryProperties.Kev(true, server.url("/known_exploited_vulnerabilities.json").toString(), k.interval(),
            maxSize, k.maxEntries()),
        new AdvisoryProperties.Limits(maxSize, l.maxFeedFileSize(), l.maxEntries(), l.maxRecordSize(), l.maxTotalSize(),
            Duration.ofSeconds(5), readTimeout, l.downloadTimeout(), l.maxReasons(), l.batchSize()));
  }

  private EpssImport epss(AdvisoryProperties properties) {
    return new EpssImport(properties, new WholeFileFeeds(new FeedDownloads(properties), runs, properties), jdbcTemplate,
        transactionManager);
  }

  private KevImport kev(AdvisoryProperties properties) {
    return new KevImport(properties, new WholeFileFeeds(new FeedDownloads(properties), runs, properties), jdbcTemplate,
        transactionManager);
  }

  private OsvImport osv(AdvisoryProperties properties) {
    return new OsvImport(properties, new FeedDownloads(properties), store, runs);
  }

  private Map<String, Object> run(long id) {
    return jdbc.sql("select * from advisory_import where id = ?").param(id).query().singleRow();
  }

  private Float score(String cve) {
    return jdbc.sql("select epss from epss_score where cve = ?").param(cve).query(Float.class).optional().orElse(null);
  }

  private String version(String feed) {
    return jdbc.sql("select version from advisory_source_state where feed = ?").param(feed)
        .query(String.class).single();
  }

  private static MockResponse gzip(int code, String etag, String text) throws IOException {
    MockResponse.Builder response = new MockResponse.Builder().code(code).body(new Buffer().write(gzipBytes(text)));
    if (etag != null) {
      response.addHeader("ETag", etag);
    }
    return response.build();
  }

  private static byte[] gzipBytes(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static MockResponse zip(int code, String etag, Map<String, byte[]> entries) throws IOException {
    String ecosystem = OsvMirror.ecosystem("served");
    byte[] bytes = Files.readAllBytes(OsvMirror.write(ecosystem, entries));
    return new MockResponse.Builder().code(code).addHeader("ETag", etag).body(new Buffer().write(bytes)).build();
  }
}
