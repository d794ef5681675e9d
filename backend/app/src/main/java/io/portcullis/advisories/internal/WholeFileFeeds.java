package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.FeedDownloads.FeedException;
import io.portcullis.advisories.internal.FeedDownloads.Fetch;
import io.portcullis.advisories.internal.FeedDownloads.Fetched;
import io.portcullis.advisories.internal.FeedDownloads.Validators;
import io.portcullis.advisories.internal.ImportRuns.Counts;
import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Status;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The run of a feed that is one file replacing everything stored of it (EPSS scores, the KEV catalogue): fetched
 * unless it did not change, handed to the feed's import, the outcome recorded. A file that cannot be fetched or turns
 * out invalid fails the run with its reason and leaves what is stored in place.
 */
@Component
class WholeFileFeeds {

  private static final Logger log = LoggerFactory.getLogger(WholeFileFeeds.class);

  /**
   * Where a feed's file is and how large it may be; {@code kept} says what a failed run leaves in place ("the stored
   * scores are kept"), {@code items} what a run imports ("scores").
   */
  record Source(Feed feed, String url, long maxSize, String kept, String items) {}

  /** Reads the fetched file into the store, counting what it imports and rejects; returns the file's version. */
  @FunctionalInterface
  interface Replace {
    String replace(Fetched fetched, Counts counts) throws IOException;
  }

  private final FeedDownloads downloads;
  private final ImportRuns runs;
  private final AdvisoryProperties properties;

  WholeFileFeeds(FeedDownloads downloads, ImportRuns runs, AdvisoryProperties properties) {
    this.downloads = downloads;
    this.runs = runs;
    this.properties = properties;
  }

  /** Runs the import unless the file did not change ({@code force} fetches it anyway); empty when one is running. */
  Optional<Long> run(Source source, Trigger trigger, boolean force, Replace replace) {
    Feed feed = source.feed();
    Optional<Long> started = runs.start(feed, "", trigger);
    if (started.isEmpty()) {
      return started;
    }
    long run = started.get();
    Counts counts = new Counts(properties.limits().maxReasons());
    try {
      Validators previous = force ? Validators.NONE : runs.validators(feed, "");
      Fetch fetch = downloads.fetch(URI.create(source.url()), previous, source.maxSize());
      if (!(fetch instanceof Fetched fetched)) {
        runs.checked(feed, "", null, null, null);
        runs.finish(run, Status.NOT_MODIFIED, counts, null, null, null);
        return started;
      }
      String version;
      try (fetched) {
        version = replace.replace(fetched, counts);
      }
      runs.checked(feed, "", fetched.validators(), version, null);
      runs.finish(run, Status.SUCCEEDED, counts, counts.imported, null, null);
      log.info("{}: {} {} imported, {} rejected ({})", feed, counts.imported, source.items(), counts.rejected, version);
    } catch (FeedException | EpssImport.InvalidFeed | IOException e) {
      fail(source, run, counts, e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} import failed", feed, e);
      fail(source, run, counts, "internal error: " + e.getClass().getSimpleName());
    }
    return started;
  }

  private void fail(Source source, long run, Counts counts, String reason) {
    log.warn("{} import failed: {}", source.feed(), reason);
    counts.imported = 0;
    runs.checked(source.feed(), "", null, null, null);
    runs.finish(run, Status.FAILED, counts, null, null, reason + "; " + source.kept());
  }
}
