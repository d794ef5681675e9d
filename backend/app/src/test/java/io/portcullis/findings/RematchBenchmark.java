package io.portcullis.findings;

import io.portcullis.PortcullisApplication;
import io.portcullis.advisories.internal.ImportRunner;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark command, not a test: imports the shared OSV corpus, stores N synthetic inventories of about 300 packages
 * each (10 tenants; as in real images most packages — 90% — are AlmaLinux 9 rpm packages no advisory names, 9% are
 * AlmaLinux, PyPI, Go and Maven packages named by real advisories at a version one of their {@code fixed} events names,
 * and 1% at a version an {@code introduced} event names), then re-matches every stored
 * inventory twice and prints the times: the first run opens every finding, the second finds nothing changed and
 * writes nothing — the run that follows an advisory update.
 *
 * <pre>./mvnw -q -o -pl backend/app -am test-compile dependency:build-classpath -DskipTests \
 *   -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
 * java -Xmx4g -cp "backend/app/target/test-classes:backend/app/target/classes:$(cat backend/app/target/classpath.txt)" \
 *   io.portcullis.findings.RematchBenchmark ../shared/testdata/osv 10000</pre>
 */
public final class RematchBenchmark {

  public static void main(String[] args) throws Exception {
    Path source = Path.of(args.length > 0 ? args[0] : "../shared/testdata/osv").toAbsolutePath();
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    List<String> ecosystems;
    try (Stream<Path> folders = Files.list(source)) {
      ecosystems = folders.filter(f -> Files.isRegularFile(f.resolve("all.zip")))
          .map(f -> f.getFileName().toString()).sorted().toList();
    }
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("local", "test")
        .run("--portcullis.local.enabled=true",
            "--portcullis.database.embedded.data-directory=" + java.nio.file.Files.createTempDirectory("portcullis-rematch-bench"),
            "--portcullis.advisories.source=" + source,
            "--portcullis.advisories.ecosystems=" + String.join(",", ecosystems), "--logging.level.root=warn")) {
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      ImportRunner importer = context.getBean(ImportRunner.class);
      long started = System.nanoTime();
      List<String> queued = importer.request("ALL");
      if (queued.isEmpty()) {
        throw new IllegalStateException("no import was queued");
      }
      while (jdbc.sql("select count(*) from advisory_import where status = 'RUNNING'").query(Long.class).single() > 0
          || jdbc.sql("select count(*) from advisory_import where finished_at is not null").query(Long.class).single()
              < queued.size()) {
        Thread.sleep(500);
      }
      System.out.printf("advisories imported: %d records, %d affected entries in %.1f s%n",
          jdbc.sql("select count(*) from advisory").query(Long.class).single(),
          jdbc.sql("select count(*) from affected").query(Long.class).single(), (System.nanoTime() - started) / 1e9);

      List<InventoryPackage> affected = pool(jdbc, "introduced");
      List<InventoryPackage> fixed = pool(jdbc, "fixed");
      List<InventoryPackage> quiet = new ArrayList<>();
      for (int q = 0; q < 5000; q++) {
        quiet.add(new InventoryPackage("rpm", "quiet-" + q, "1.0-1.el9", null, "x86_64", null, null, null, "bench",
            "var/lib/rpm/rpmdb.sqlite", "sha256:" + "b".repeat(64), null, "AlmaLinux"));
      }
      System.out.printf("package pool: %d real (ecosystem, name, version) triples at introduced versions, %d at fixed ones%n",
          affected.size(), fixed.size());

      Tenants tenants = context.getBean(Tenants.class);
      ImageInventories inventories = context.getBean(ImageInventories.class);
      TransactionTemplate transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
      Random random = new Random(42);
      OsRelease alma = new OsRelease("almalinux", "9.4", null, "AlmaLinux 9.4");
      started = System.nanoTime();
      long packages = 0;
      int perTenant = Math.max(1, images / 10);
      for (int t = 0; t < 10; t++) {
        UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Benchmark " + t, "bench").tenantId();
        UUID repository = TenantScope.callAs(tenant, () -> transactions.execute(s -> {
          UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
                  + " values (app_current_tenant(), 'bench', 'OCI', 'https://registry.example', 'ANONYMOUS', 'bench') returning id")
              .query(UUID.class).single();
          return jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
                  + " values (app_current_tenant(), ?, 'bench/app') returning id")
              .param(connection).query(UUID.class).single();
        }));
        for (int i = 0; i < perTenant; i++) {
          List<InventoryPackage> inventory = new ArrayList<>(300);
          for (int p = 0; p < 300; p++) {
            // as in real images, most packages have no advisory at all; of those that do, most are at a fixed version
            int dice = random.nextInt(100);
            List<InventoryPackage> from = dice < 1 ? affected : dice < 10 ? fixed : quiet;
            inventory.add(from.get(random.nextInt(from.size())));
          }
          packages += inventory.size();
          String digest = "sha256:%064x".formatted(((long) t << 32) + i);
          TenantScope.runAs(tenant, () -> {
            UUID image = transactions.execute(s -> jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type,"
                    + " is_index) values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false)"
                    + " returning id")
                .params(repository, digest).query(UUID.class).single());
            inventories.store(image, new Inventory("bench", digest, "linux/amd64", alma, null, inventory, List.of()));
          });
        }
      }
      System.out.printf("stored %d inventories, %d packages in %.1f s%n", perTenant * 10, packages,
          (System.nanoTime() - started) / 1e9);

      Rematching rematching = context.getBean(Rematching.class);
      for (String pass : List.of("first re-match (every finding opens)", "second re-match (nothing changed)")) {
        Rematching.RunResult run = rematching.matchAll();
        System.out.printf("%s: %d images of %d tenants in %.1f s (%.0f images/s), %d opened, %d fixed, %d advisory lookups%n",
            pass, run.images(), run.tenants(), run.millis() / 1000.0, run.images() * 1000.0 / Math.max(1, run.millis()),
            run.opened(), run.fixed(), run.advisoryLookups());
      }
      // row-level security hides findings from a query without a tenant; the statistics count them all
      Thread.sleep(1500); // statistics reach the shared counters within a second
      System.out.printf("findings stored: %d%n",
          jdbc.sql("select n_live_tup from pg_stat_user_tables where relname = 'finding'").query(Long.class).single());
    }
  }

  /** Real packages of the advisories, at the versions their {@code event} events name. */
  private static List<InventoryPackage> pool(JdbcClient jdbc, String event) {
    List<InventoryPackage> pool = new ArrayList<>();
    List<Map<String, Object>> rows = jdbc.sql(
            """
            select distinct on (ecosystem, package_name, version) ecosystem, release, package_name, version from (
              select ecosystem, release, package_name, e.value ->> :event as version
                from affected, jsonb_array_elements(ranges) r, jsonb_array_elements(r.value -> 'events') e
               where ecosystem in ('PyPI', 'Go', 'Maven') or (ecosystem = 'AlmaLinux' and release = '9')) v
             where version is not null and version <> '0'
             limit 10000
            """)
        .param("event", event)
        .query().listOfRows();
    for (Map<String, Object> row : rows) {
      String ecosystem = (String) row.get("ecosystem");
      String name = (String) row.get("package_name");
      String version = (String) row.get("version");
      String type = switch (ecosystem) {
        case "PyPI" -> "pypi";
        case "Go" -> "golang";
        case "Maven" -> "maven";
        default -> "rpm";
      };
      pool.add(new InventoryPackage(type, name, type.equals("golang") ? "v" + version : version, null, "x86_64", null,
          null, null, "bench", "usr/lib/" + name, "sha256:" + "b".repeat(64), null, type.equals("rpm") ? "AlmaLinux" : null));
    }
    return pool;
  }

  private RematchBenchmark() {}
}
