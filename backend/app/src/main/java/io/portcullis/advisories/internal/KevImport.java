package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.EpssImport.InvalidFeed;
import io.portcullis.advisories.internal.FeedDownloads.Fetched;
import io.portcullis.advisories.internal.ImportRuns.Counts;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import io.portcullis.scanner.image.Untrusted;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports CISA's catalogue of Known Exploited Vulnerabilities ({@code vulnerabilities[]} with {@code cveID},
 * {@code dateAdded}, {@code dueDate}, {@code knownRansomwareCampaignUse} and descriptions). The catalogue replaces the
 * stored entries as a whole, in one transaction; a catalogue that cannot be read, or whose entries are mostly invalid,
 * leaves them in place.
 */
@Component
class KevImport {


  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,19}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._ :-]{1,40}");

  private final AdvisoryProperties properties;
  private final WholeFileFeeds feeds;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  KevImport(
      AdvisoryProperties properties,
      WholeFileFeeds feeds,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager) {
    this.properties = properties;
    this.feeds = feeds;
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    int maxSize = (int) Math.min(Integer.MAX_VALUE, properties.kev().maxSize().toBytes());
    this.json =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxNumberLength(32)
                            .maxStringLength(maxSize)
                            .maxDocumentLength(maxSize)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** Imports the catalogue unless it did not change; empty when a KEV import is already running. */
  Optional<Long> run(Trigger trigger, boolean force) {
    return feeds.run(
        new WholeFileFeeds.Source(Feed.KEV, properties.kev().url(), properties.kev().maxSize().toBytes(),
            "the stored catalogue is kept", "entries"),
        trigger, force, this::replace);
  }

  /** Replaces the stored catalogue with the file's in one transaction; returns the catalogue's version. */
  private String replace(Fetched fetched, Counts counts) throws IOException {
    JsonNode catalogue;
    try {
      catalogue = json.readTree(Files.readAllBytes(fetched.file()));
    } catch (JacksonException e) {
      throw new InvalidFeed("not valid JSON: " + Untrusted.quote(e.getOriginalMessage()));
    }
    List<Object[]> rows = entries(catalogue, counts);
    transactions.executeWithoutResult(
        status -> {
          jdbc.update("delete from kev_entry");
          jdbc.batchUpdate(
              """
              insert into kev_entry (cve, vendor_project, product, vulnerability_name, date_added, due_date,
                                     known_ransomware_use, short_description, required_action)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
              rows);
        });
    counts.imported = rows.size();
    JsonNode catalogVersion = catalogue.path("catalogVersion");
    return catalogVersion.isString() && VERSION.matcher(catalogVersion.stringValue()).matches()
        ? "catalogue " + catalogVersion.stringValue()
        : null;
  }

  /** The valid entries, one per CVE (a CVE listed twice keeps its first entry); the others are counted. */
  private List<Object[]> entries(JsonNode catalogue, Counts counts) {
    if (catalogue == null || !catalogue.isObject() || !catalogue.path("vulnerabilities").isArray()) {
      throw new InvalidFeed("not a KEV catalogue: no vulnerabilities list");
    }
    JsonNode vulnerabilities = catalogue.get("vulnerabilities");
    if (vulnerabilities.size() > properties.kev().maxEntries()) {
      throw new InvalidFeed(
          vulnerabilities.size() + " vulnerabilities, more than the limit of " + properties.kev().maxEntries());
    }
    Map<String, Object[]> rows = new LinkedHashMap<>();
    for (int i = 0; i < vulnerabilities.size(); i++) {
      counts.read++;
      JsonNode entry = vulnerabilities.get(i);
      try {
        Object[] row = row(entry);
        rows.putIfAbsent((String) row[0], row);
      } catch (InvalidFeed e) {
        counts.reject("vulnerabilities[" + i + "]", e.getMessage());
      }
    }
    if (rows.isEmpty()) {
      throw new InvalidFeed("no valid entries in the catalogue");
    }
    if (counts.rejected > Math.max(20, counts.read / 10)) {
      throw new InvalidFeed(counts.rejected + " of " + counts.read + " entries are invalid");
    }
    return new ArrayList<>(rows.values());
  }

  private static Object[] row(JsonNode entry) {
    if (!entry.isObject()) {
      throw new InvalidFeed("not an object");
    }
    String cve = text(entry, "cveID", 30, true);
    if (!CVE.matcher(cve).matches()) {
      throw new InvalidFeed("cveID " + Untrusted.quote(cve) + " is not a CVE id");
    }
    String ransomware = text(entry, "knownRansomwareCampaignUse", 20, false);
    if (ransomware != null && !ransomware.equals("Known") && !ransomware.equals("Unknown")) {
      throw new InvalidFeed(
          "knownRansomwareCampaignUse " + Untrusted.quote(ransomware) + " is neither Known nor Unknown");
    }
    return new Object[] {
      cve,
      text(entry, "vendorProject", 500, false),
      text(entry, "product", 500, false),
      text(entry, "vulnerabilityName", 1_000, false),
      date(entry, "dateAdded", true),
      date(entry, "dueDate", false),
      "Known".equals(ransomware),
      text(entry, "shortDescription", 10_000, false),
      text(entry, "requiredAction", 10_000, false)
    };
  }

  private static String text(JsonNode entry, String field, int max, boolean required) {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new InvalidFeed(field + " is missing");
      }
      return null;
    }
    if (!value.isString()) {
      throw new InvalidFeed(field + " is not a string");
    }
    String text = value.stringValue();
    if (text.length() > max) {
      throw new InvalidFeed(field + " is longer than " + max + " characters");
    }
    if (text.indexOf('\0') >= 0) {
      throw new InvalidFeed(field + " contains a NUL character");
    }
    return text;
  }

  private static Date date(JsonNode entry, String field, boolean required) {
    String text = text(entry, field, 10, required);
    if (text == null || text.isEmpty()) {
      if (required) {
        throw new InvalidFeed(field + " is missing");
      }
      return null;
    }
    if (!DATE.matcher(text).matches()) {
      throw new InvalidFeed(field + " " + Untrusted.quote(text) + " is not a date");
    }
    try {
      return Date.valueOf(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      throw new InvalidFeed(field + " " + Untrusted.quote(text) + " is not a date");
    }
  }
}
