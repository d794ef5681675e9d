package io.portcullis.advisories.internal;

import io.portcullis.advisories.internal.ImportRuns.Feed;
import io.portcullis.advisories.internal.ImportRuns.Trigger;
import io.portcullis.tenancy.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs imports in the background, one at a time per process, on a thread that carries no tenant: advisories are
 * reference data, and a transaction without a tenant reaches them and nothing tenant-owned. A feed queued or running is
 * not queued again, so pressing "Import now" repeatedly or a schedule tick during a long import adds no work.
 */
@Component
public class ImportRunner implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);

  /** One feed to import: {@code ecosystem} for OSV, empty for EPSS and KEV. */
  record Job(Feed feed, String ecosystem) {

    /** How forms and the page name it: {@code OSV:Debian}, {@code EPSS}, {@code KEV}. */
    String key() {
      return feed == Feed.OSV ? "OSV:" + ecosystem : feed.name();
    }

    @Override
    public String toString() {
      return feed == Feed.OSV ? "OSV " + ecosystem : feed.name();
    }
  }

  private final AdvisoryProperties properties;
  private final OsvImport osv;
  private final EpssImport epss;
  private final KevImport kev;
  private final Set<Job> queued = ConcurrentHashMap.newKeySet();
  private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

  ImportRunner(AdvisoryProperties properties, OsvImport osv, EpssImport epss, KevImport kev) {
    this.properties = properties;
    this.osv = osv;
    this.epss = epss;
    this.kev = kev;
    executor.setThreadNamePrefix("advisory-import-");
    executor.setCorePoolSize(1);
    executor.setMaxPoolSize(1);
    executor.setQueueCapacity(1000);
    executor.initialize();
  }

  /**
   * Queues a manual import of the feed named {@code key} ({@code OSV:<ecosystem>}, {@code EPSS}, {@code KEV}) or, for
   * {@code ALL}, of every configured feed. Returns what was queued; a key that names no configured feed queues nothing.
   */
  public List<String> request(String key) {
    List<String> queuedNow = new ArrayList<>();
    for (Job job : allJobs()) {
      if (("ALL".equals(key) || job.key().equals(key)) && submit(job, Trigger.MANUAL)) {
        queuedNow.add(job.toString());
      }
    }
    return queuedNow;
  }

  /** Every configured feed: the OSV ecosystems, then EPSS and KEV when they are enabled. */
  List<Job> allJobs() {
    List<Job> jobs = new ArrayList<>();
    properties.ecosystems().forEach(ecosystem -> jobs.add(new Job(Feed.OSV, ecosystem)));
    if (properties.epss().enabled()) {
      jobs.add(new Job(Feed.EPSS, ""));
    }
    if (properties.kev().enabled()) {
      jobs.add(new Job(Feed.KEV, ""));
    }
    return jobs;
  }

  /** Queues {@code job}; false when it is queued or running already, or the queue is full. */
  boolean submit(Job job, Trigger trigger) {
    if (!queued.add(job)) {
      return false;
    }
    try {
      executor.execute(
          () -> {
            try {
              runNow(job, trigger, false);
            } catch (RuntimeException e) {
              log.warn("Import of {} could not run", job, e);
            } finally {
              queued.remove(job);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      queued.remove(job);
      log.warn("Import queue is full; {} will be imported later", job);
      return false;
    }
  }

  /**
   * Runs {@code job} on the calling thread (tests and the benchmark); {@code force} reads the source even when it says
   * nothing changed.
   */
  void runNow(Job job, Trigger trigger, boolean force) {
    if (TenantScope.current().isPresent()) {
      // reference data belongs to no tenant: an import on a request's thread would be a mistake to surface, not hide
      throw new IllegalStateException("advisory imports run without a tenant");
    }
    switch (job.feed()) {
      case OSV -> osv.run(job.ecosystem(), trigger, force);
      case EPSS -> epss.run(trigger, force);
      case KEV -> kev.run(trigger, force);
    }
  }

  /** Whether {@code job} is waiting or running in this process. */
  boolean isQueued(Job job) {
    return queued.contains(job);
  }

  @Override
  public void destroy() {
    executor.shutdown();
  }
}
