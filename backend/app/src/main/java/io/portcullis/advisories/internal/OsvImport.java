package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.AdvisoryStore.Written;
import io.portcullis.advisories.internal.FeedDownloads.FeedException;
import io.portcullis.advisories.internal.FeedDownloads.Fetch;
import io.portcullis.advisories.internal.FeedDownloads.Fetched;
import io.portcullis.advisories.internal.FeedDownloads.Validators;
import io.portcullis.advisories.internal.ImportRuns.Counts;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Status;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import io.portcullis.scanner.advisory.OsvArchive;
import io.portcullis.scanner.advisory.OsvArchive.Entry;
import io.portcullis.scanner.advisory.OsvArchive.Json;
import io.portcullis.scanner.advisory.OsvArchive.Unreadable;
import io.portcullis.scanner.advisory.OsvLimits;
import io.portcullis.scanner.advisory.OsvParser;
import io.portcullis.scanner.advisory.OsvParser.Accepted;
import io.portcullis.scanner.advisory.OsvParser.Rejected;
import io.portcullis.scanner.advisory.OsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Imports one OSV ecosystem: fetches {@code <source>/<ecosystem>/all.zip} when it changed, reads every record through
 * the strict parser and stores, batch by batch, those newer than the stored copy. A record that cannot be read or fails
 * a check is counted with its reason and the import goes on; only a source that cannot be fetched or an archive that
 * cannot be opened fails the run, and then nothing stored is touched.
 */
@Component
class OsvImport {

  private static final Logger log = LoggerFactory.getLogger(OsvImport.class);

  /** Besides the record count, a batch is written once its records reach this size in JSON text. */
  private static final long MAX_BATCH_BYTES = 32L << 20;

  private final AdvisoryProperties properties;
  private final FeedDownloads downloads;
  private final AdvisoryStore store;
  private final ImportRuns runs;
  private final OsvParser parser;
  private final OsvArchive.Limits archiveLimits;

  OsvImport(AdvisoryProperties properties, FeedDownloads downloads, AdvisoryStore store, ImportRuns runs) {
    this.properties = properties;
    this.downloads = downloads;
    this.store = store;
    this.runs = runs;
    var limits = properties.limits();
    int recordBytes = (int) limits.maxRecordSize().toBytes();
    this.parser = new OsvParser(OsvLimits.DEFAULT.withMaxRecordBytes(recordBytes));
    this.archiveLimits = new OsvArchive.Limits(limits.maxEntries(), recordBytes, limits.maxTotalSize().toBytes());
  }

  /**
   * Imports {@code ecosystem}; {@code force} reads the archive even when the source says it did not change. Returns
   * the run's id, or empty when an import of this ecosystem is already running.
   */
  Optional<Long> run(String ecosystem, Trigger trigger, boolean force) {
    Optional<Long> started = runs.start(Feed.OSV, ecosystem, trigger);
    if (started.isEmpty()) {
      log.info("OSV {} is already being imported", ecosystem);
      return started;
    }
    long run = started.get();
    Counts counts = new Counts(properties.limits().maxReasons());
    try {
      Validators previous = force ? Validators.NONE : runs.validators(Feed.OSV, ecosystem);
      Fetch fetch = fetch(ecosystem, previous);
      if (!(fetch instanceof Fetched fetched)) {
        runs.checked(Feed.OSV, ecosystem, null, null, null);
        runs.finish(run, Status.NOT_MODIFIED, counts, null, null, null);
        return started;
      }
      Instant newest;
      try (fetched) {
        newest = read(fetched.file(), run, counts);
      }
      runs.checked(Feed.OSV, ecosystem, fetched.validators(), null, newest);
      runs.finish(run, Status.SUCCEEDED, counts, counts.imported + counts.unchanged, counts.storedWithdrawn, null);
      log.info(
          "OSV {}: {} records read, {} imported, {} unchanged, {} rejected",
          ecosystem, counts.read, counts.imported, counts.unchanged, counts.rejected);
    } catch (FeedException | IOException | UncheckedIOException e) {
      String reason = e instanceof UncheckedIOException unchecked ? unchecked.getCause().getMessage() : e.getMessage();
      log.warn("OSV {} import failed: {}", ecosystem, reason);
      runs.checked(Feed.OSV, ecosystem, null, null, null);
      runs.finish(run, Status.FAILED, counts, null, null, reason);
    } catch (RuntimeException e) {
      log.error("OSV {} import failed", ecosystem, e);
      runs.finish(run, Status.FAILED, counts, null, null, "internal error: " + e.getClass().getSimpleName());
    }
    return started;
  }

  private Fetch fetch(String ecosystem, Validators previous) throws FeedException {
    long maxBytes = properties.limits().maxDownloadSize().toBytes();
    if (properties.remoteSource()) {
      String segment = UriUtils.encodePathSegment(ecosystem, StandardCharsets.UTF_8);
      return downloads.fetch(URI.create(properties.sourceUrl() + "/" + segment + "/all.zip"), previous, maxBytes);
    }
    Path directory = properties.sourceDirectory().toAbsolutePath().normalize();
    Path file = directory.resolve(ecosystem).resolve("all.zip").normalize();
    if (!file.startsWith(directory)) {
      throw new FeedException("ecosystem " + ecosystem + " is outside the mirror directory");
    }
    return downloads.local(file, previous, maxBytes);
  }

  /** Reads every entry of the archive; returns the newest {@code modified} among the accepted records. */
  private Instant read(Path file, long run, Counts counts) throws IOException {
    Instant newest = null;
    List<OsvRecord> batch = new ArrayList<>();
    long batchBytes = 0;
    try (OsvArchive archive = OsvArchive.open(file, archiveLimits)) {
      for (Iterator<Entry> entries = archive.entries(); entries.hasNext(); ) {
        Entry entry = entries.next();
        counts.read++;
        if (entry instanceof Unreadable unreadable) {
          counts.reject(unreadable.name(), unreadable.reason());
          continue;
        }
        byte[] bytes = ((Json) entry).bytes();
        OsvParser.Result result = parser.parse(bytes);
        if (result instanceof Rejected rejected) {
          counts.reject(rejected.id() != null ? rejected.id() : entry.name(), rejected.reason());
          continue;
        }
        OsvRecord record = ((Accepted) result).record();
        if (record.isWithdrawn()) {
          counts.storedWithdrawn++;
        }
        if (newest == null || record.modified().isAfter(newest)) {
          newest = record.modified();
        }
        batch.add(record);
        batchBytes += bytes.length;
        if (batch.size() >= properties.limits().batchSize() || batchBytes >= MAX_BATCH_BYTES) {
          write(batch, counts);
          runs.progress(run, counts);
          batch.clear();
          batchBytes = 0;
        }
      }
    }
    write(batch, counts);
    return newest;
  }

  private void write(List<OsvRecord> batch, Counts counts) {
    if (batch.isEmpty()) {
      return;
    }
    Written written = store.store(batch);
    counts.imported += written.imported();
    counts.unchanged += written.unchanged();
    counts.withdrawn += written.withdrawn();
  }
}
