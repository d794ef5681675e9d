package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.FeedDownloads.Fetched;
import io.portcullis.advisories.internal.ImportRuns.Counts;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import io.portcullis.scanner.image.Untrusted;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports FIRST's daily EPSS file: a gzip-compressed CSV with a {@code #model_version:...,score_date:...} line, the
 * header {@code cve,epss,percentile} and one row per CVE. The file replaces the stored scores as a whole, in one
 * transaction: readers see yesterday's scores until today's are complete, and a file that turns out broken (cut off,
 * mostly invalid, no header) leaves them in place.
 */
@Component
class EpssImport {


  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,19}");
  private static final Pattern PROBABILITY = Pattern.compile("\\d{1,2}(\\.\\d{1,20})?([eE]-?\\d{1,3})?");
  private static final Pattern MODEL = Pattern.compile("model_version:([A-Za-z0-9._-]{1,40})");
  private static final Pattern SCORE_DATE = Pattern.compile("score_date:([0-9T:.+Z-]{1,40})");
  private static final int MAX_LINE = 1_000;
  private static final int BATCH = 5_000;

  private final AdvisoryProperties properties;
  private final WholeFileFeeds feeds;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  EpssImport(
      AdvisoryProperties properties,
      WholeFileFeeds feeds,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager) {
    this.properties = properties;
    this.feeds = feeds;
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /** Imports the scores unless the file did not change; empty when an EPSS import is already running. */
  Optional<Long> run(Trigger trigger, boolean force) {
    return feeds.run(
        new WholeFileFeeds.Source(Feed.EPSS, properties.epss().url(), properties.epss().maxSize().toBytes(),
            "the stored scores are kept", "scores"),
        trigger, force, (fetched, counts) -> transactions.execute(status -> replace(fetched, counts)));
  }

  /** Replaces the stored scores with the file's, inside the caller's transaction; returns the model and date. */
  private String replace(Fetched fetched, Counts counts) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(fetched.file()));
        Reader reader =
            new InputStreamReader(
                new BoundedStream(gunzipIfCompressed(raw), properties.limits().maxFeedFileSize().toBytes()),
                StandardCharsets.UTF_8)) {
      LineReader lines = new LineReader(reader, MAX_LINE);
      String line = lines.next();
      String version = null;
      if (line != null && line.startsWith("#")) {
        version = version(line);
        line = lines.next();
      }
      if (line == null || !line.strip().equals("cve,epss,percentile")) {
        throw new InvalidFeed("not an EPSS file: the header cve,epss,percentile is missing");
      }
      jdbc.update("delete from epss_score");
      Map<String, Object[]> rows = new LinkedHashMap<>();
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        counts.read++;
        if (counts.read > properties.epss().maxRows()) {
          throw new InvalidFeed("more than " + properties.epss().maxRows() + " rows");
        }
        String[] fields = line.strip().split(",", -1);
        String problem = problem(fields);
        if (problem != null) {
          counts.reject("line " + lines.number(), problem);
          continue;
        }
        // a CVE listed twice keeps its last row (one statement may not update a row twice)
        rows.put(fields[0], new Object[] {fields[0], Float.parseFloat(fields[1]), Float.parseFloat(fields[2])});
        if (rows.size() == BATCH) {
          insert(rows, counts);
        }
      }
      insert(rows, counts);
      if (counts.imported == 0) {
        throw new InvalidFeed("no valid scores in the file");
      }
      if (counts.rejected > Math.max(100, counts.read / 10)) {
        throw new InvalidFeed(counts.rejected + " of " + counts.read + " rows are invalid");
      }
      counts.imported = jdbc.queryForObject("select count(*) from epss_score", Integer.class);
      return version;
    } catch (IOException e) {
      throw new InvalidFeed("the file could not be read: " + Untrusted.quote(e.getMessage()));
    }
  }

  private void insert(Map<String, Object[]> rows, Counts counts) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "insert into epss_score (cve, epss, percentile) values (?, ?, ?)"
            + " on conflict (cve) do update set epss = excluded.epss, percentile = excluded.percentile",
        new ArrayList<>(rows.values()));
    counts.imported += rows.size();
    rows.clear();
  }

  private static String problem(String[] fields) {
    if (fields.length != 3) {
      return fields.length + " fields instead of 3";
    }
    if (!CVE.matcher(fields[0]).matches()) {
      return Untrusted.quote(fields[0]) + " is not a CVE id";
    }
    for (int i = 1; i < 3; i++) {
      if (!PROBABILITY.matcher(fields[i]).matches()) {
        return Untrusted.quote(fields[i]) + " is not a number";
      }
      float value = Float.parseFloat(fields[i]);
      if (!(value >= 0 && value <= 1)) {
        return fields[i] + " is not between 0 and 1";
      }
    }
    return null;
  }

  private static String version(String line) {
    Matcher model = MODEL.matcher(line);
    Matcher date = SCORE_DATE.matcher(line);
    String version = (model.find() ? "model " + model.group(1) : "model unknown");
    return date.find() ? version + ", scores of " + date.group(1) : version;
  }

  private static InputStream gunzipIfCompressed(InputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** The file is not what it claims to be; the stored scores stay. */
  static final class InvalidFeed extends RuntimeException {
    InvalidFeed(String message) {
      super(message, null, false, false);
    }
  }

  /** Lines of at most {@code max} characters; a longer one ends the read. */
  static final class LineReader {
    private final Reader reader;
    private final int max;
    private int number;

    LineReader(Reader reader, int max) {
      this.reader = reader;
      this.max = max;
    }

    String next() throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = reader.read()) >= 0) {
        if (c == '\n') {
          number++;
          return line.toString();
        }
        if (line.length() == max) {
          throw new InvalidFeed("line " + (number + 1) + " is longer than " + max + " characters");
        }
        line.append((char) c);
      }
      if (line.length() > 0) {
        number++;
        return line.toString();
      }
      return null;
    }

    int number() {
      return number;
    }
  }

  /** Stops reading beyond {@code max} bytes: a small file must not inflate without end. */
  static final class BoundedStream extends java.io.FilterInputStream {
    private final long max;
    private long count;

    BoundedStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      count += n;
      if (count > max) {
        throw new InvalidFeed("the file is larger than " + max + " bytes when inflated");
      }
    }
  }
}
