package io.portcullis.findings.internal;

import io.portcullis.findings.ImageInventories;
import io.portcullis.findings.Rematching.ImageResult;
import io.portcullis.findings.Rematching.RunResult;
import io.portcullis.findings.Triage;
import io.portcullis.scanner.matching.Matching;
import io.portcullis.scanner.matching.Vulnerability;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.tenancy.TenantScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One matching run: its advisory lookups and enrichment are remembered for the run's length — advisories are the same
 * for every tenant and images share most packages — and dropped with it, so the next run sees changed advisories.
 */
public final class MatchRun {

  private static final Logger log = LoggerFactory.getLogger(MatchRun.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ImageInventories inventories;
  private final FindingWriter writer;
  private final StoredAdvisories advisories;
  private final Enrichment enrichment;
  private final Matching matching = Matching.defaults().remembering();
  private final FindingWriter.EvidenceMemo evidence = new FindingWriter.EvidenceMemo();
  private final int threads;
  private final Triage triage;

  private MatchRun(JdbcClient jdbc, TransactionTemplate transactions, ImageInventories inventories, FindingWriter writer,
      int threads, Triage triage) {
    this.triage = triage;
    this.threads = threads;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.inventories = inventories;
    this.writer = writer;
    this.advisories = new StoredAdvisories(jdbc);
    this.enrichment = new Enrichment(jdbc);
  }

  /** Starts runs; a bean, so the run itself can stay a plain object with its own caches. */
  @Component
  public static class Factory {
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ImageInventories inventories;
    private final FindingWriter writer;
    private final int threads;
    private final Triage triage;

    Factory(JdbcClient jdbc, TransactionTemplate transactions, ImageInventories inventories, FindingWriter writer,
        Triage triage, @Value("${portcullis.findings.rematch-threads:2}") int threads) {
      this.triage = triage;
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("portcullis.findings.rematch-threads must be between 1 and 64, not " + threads);
      }
      this.threads = threads;
      this.jdbc = jdbc;
      this.transactions = transactions;
      this.inventories = inventories;
      this.writer = writer;
    }

    public MatchRun start() {
      return new MatchRun(jdbc, transactions, inventories, writer, threads, triage);
    }
  }

  public ImageResult matchImage(UUID imageId) {
    TenantScope.require();
    return transactions.execute(status -> {
      ImageInventories.Stored stored = inventories.find(imageId).orElse(null);
      if (stored == null) {
        return new ImageResult(imageId, 0, 0, 0, 0);
      }
      Inventory inventory = new Inventory(null, null, null, stored.os(), null, stored.packages(), List.of());
      Matching.Result result = matching.match(inventory, advisories);
      if (!result.problems().isEmpty()) {
        log.debug("image {}: {} advisory entries could not be evaluated, first: {}", imageId, result.problems().size(),
            result.problems().get(0));
      }
      List<Vulnerability> vulnerabilities = Vulnerability.of(result.matches());
      FindingWriter.Outcome outcome =
          writer.apply(imageId, vulnerabilities, enrichment, evidence, result.problems().size(), result.foreign());
      if (outcome.opened() > 0) {
        triage.applyStandingDecisions(imageId); // decisions about a vulnerability in a package or a repository
      }
      return new ImageResult(imageId, outcome.open(), outcome.opened(), outcome.fixed(), result.problems().size());
    });
  }

  /**
   * Re-matches every stored inventory, each image in its own transaction and tenant, on {@code threads} threads: the
   * database reads one image's packages and findings while another image is matched, and the run's memory of what
   * each package version matched is shared by all of them.
   */
  public RunResult matchAll() {
    long started = System.nanoTime();
    List<UUID[]> work = new ArrayList<>();
    Set<UUID> tenants = new HashSet<>();
    // the directory function names images and their tenants only; each is then read inside its own tenant
    jdbc.sql("select tenant_id, image_id from images_with_inventory()")
        .query((rs, i) -> work.add(new UUID[] {rs.getObject("tenant_id", UUID.class), rs.getObject("image_id", UUID.class)}))
        .list();
    work.forEach(w -> tenants.add(w[0]));
    AtomicInteger images = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger fixed = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < work.size(); i = next.getAndIncrement()) {
        UUID tenant = work.get(i)[0];
        UUID image = work.get(i)[1];
        try {
          ImageResult result = TenantScope.callAs(tenant, () -> matchImage(image));
          images.incrementAndGet();
          opened.addAndGet(result.opened());
          fixed.addAndGet(result.fixed());
        } catch (RuntimeException e) {
          // one image's failure (it was deleted meanwhile, a constraint) must not stop the others
          log.warn("re-matching image {} of tenant {} failed: {}", image, tenant, e.toString());
        }
      }
    };
    int count = Math.min(threads, Math.max(1, work.size()));
    List<Thread> running = new ArrayList<>();
    for (int t = 1; t < count; t++) {
      Thread thread = new Thread(worker, "rematch-" + t);
      thread.start();
      running.add(thread);
    }
    worker.run();
    for (Thread thread : running) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while re-matching", e);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new RunResult(tenants.size(), images.get(), opened.get(), fixed.get(), advisories.lookups(), millis);
  }
}
