package io.portcullis.findings.internal;

import io.portcullis.findings.ImageInventories;
import io.portcullis.findings.Rematching.ImageResult;
import io.portcullis.findings.Rematching.RunResult;
import io.portcullis.scanner.matching.Matching;
import io.portcullis.scanner.matching.Vulnerability;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.tenancy.TenantScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private MatchRun(JdbcClient jdbc, TransactionTemplate transactions, ImageInventories inventories, FindingWriter writer) {
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

    Factory(JdbcClient jdbc, TransactionTemplate transactions, ImageInventories inventories, FindingWriter writer) {
      this.jdbc = jdbc;
      this.transactions = transactions;
      this.inventories = inventories;
      this.writer = writer;
    }

    public MatchRun start() {
      return new MatchRun(jdbc, transactions, inventories, writer);
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
          writer.apply(imageId, vulnerabilities, enrichment, result.problems().size(), result.foreign());
      return new ImageResult(imageId, outcome.open(), outcome.opened(), outcome.fixed(), result.problems().size());
    });
  }

  public RunResult matchAll() {
    long started = System.nanoTime();
    Map<UUID, List<UUID>> byTenant = new LinkedHashMap<>();
    // the directory function names images and their tenants only; each is then read inside its own tenant
    jdbc.sql("select tenant_id, image_id from images_with_inventory()")
        .query((rs, i) -> byTenant.computeIfAbsent(rs.getObject("tenant_id", UUID.class), t -> new ArrayList<>())
            .add(rs.getObject("image_id", UUID.class)))
        .list();
    int images = 0;
    int opened = 0;
    int fixed = 0;
    for (Map.Entry<UUID, List<UUID>> tenant : byTenant.entrySet()) {
      for (UUID image : tenant.getValue()) {
        try {
          ImageResult result = TenantScope.callAs(tenant.getKey(), () -> matchImage(image));
          images++;
          opened += result.opened();
          fixed += result.fixed();
        } catch (RuntimeException e) {
          // one image's failure (it was deleted meanwhile, a constraint) must not stop the others
          log.warn("re-matching image {} of tenant {} failed: {}", image, tenant.getKey(), e.toString());
        }
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new RunResult(byTenant.size(), images, opened, fixed, advisories.lookups(), millis);
  }
}
