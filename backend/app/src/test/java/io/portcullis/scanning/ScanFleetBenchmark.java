package io.portcullis.scanning;

import io.portcullis.PortcullisApplication;
import io.portcullis.registry.Authentication;
import io.portcullis.registry.ConnectionKind;
import io.portcullis.registry.ConnectionSpec;
import io.portcullis.registry.Connections;
import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.registry.internal.DiscoveryRunner;
import io.portcullis.scanner.image.Platform;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark command, not a test: a fleet of N images (default 200) in a real registry behind a counting proxy, sharing
 * base layers as real fleets do — 2 OS bases of ~6 MiB, 10 runtimes of ~1.5 MiB, and an application layer of ~150 KiB
 * per image — discovered and scanned by one instance with W workers (default 4). Prints how many layer bytes were
 * pulled against the bytes of the unique layers (target 1.0) and images scanned per minute.
 *
 * <pre>./mvnw -q -o -pl backend/app -am test-compile dependency:build-classpath -DskipTests \
 *   -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp "backend/app/target/test-classes:backend/app/target/classes:$(cat backend/app/target/classpath.txt)" \
 *   io.portcullis.scanning.ScanFleetBenchmark 200 4</pre>
 */
public final class ScanFleetBenchmark {

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Random random = new Random(7);
    try (TestRegistry registry = TestRegistry.anonymous(); RegistryProxy proxy = new RegistryProxy(registry.url())) {
      List<Map<String, String>> bases = List.of(layer(random, "os", 6 << 20), layer(random, "os", 6 << 20));
      List<Map<String, String>> runtimes = new java.util.ArrayList<>();
      for (int r = 0; r < 10; r++) {
        runtimes.add(layer(random, "runtime-" + r, 3 << 19));
      }
      TestImages push = new TestImages(registry);
      Map<String, Long> sizes = new HashMap<>();
      long started = System.nanoTime();
      for (int i = 0; i < images; i++) {
        TestImages.Image image = TestImages.layered(new Platform("linux", "amd64", null),
            List.of(bases.get(i % 2), runtimes.get(i % 10), layer(random, "app-" + i, 150 << 10)));
        push.push("fleet/service-" + (i % 20), "v" + i, image);
        image.layers().forEach(l -> sizes.put(l.digest().toString(), (long) l.content().length));
      }
      long unique = sizes.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("fleet: %d images, %d unique layers, %.1f MiB of unique layers, pushed in %.1f s%n", images,
          sizes.size(), unique / 1048576.0, (System.nanoTime() - started) / 1e9);

      try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PortcullisApplication.class)
          .profiles("local", "test")
          .run("--portcullis.local.enabled=true",
            "--portcullis.database.embedded.data-directory=" + java.nio.file.Files.createTempDirectory("portcullis-fleet-bench"),
            "--portcullis.worker.threads=" + workers,
              "--portcullis.scanning.after-discovery=true", "--logging.level.root=warn")) {
        UUID tenant = app.getBean(Tenants.class).onboard(UUID.randomUUID().toString(), "Fleet", "bench").tenantId();
        UUID connection = TenantScope.callAs(tenant, () -> app.getBean(Connections.class).add(new ConnectionSpec("Fleet",
            ConnectionKind.OCI, proxy.url().toString(), Authentication.ANONYMOUS, null, null, null, null, List.of(),
            List.of(), Duration.ofHours(1)), "bench").connection().id());
        proxy.reset();
        started = System.nanoTime();
        app.getBean(DiscoveryRunner.class).submit(tenant, connection, Trigger.MANUAL, null);
        TransactionTemplate transactions = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        long done = 0;
        while (done < images) {
          Thread.sleep(500);
          done = TenantScope.callAs(tenant, () -> transactions.execute(s -> jdbc.sql(
              "select count(*) from scan_job where status in ('SUCCEEDED', 'FAILED')").query(Long.class).single()));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long failed = TenantScope.callAs(tenant, () -> transactions.execute(s -> jdbc.sql(
            "select count(*) from scan_job where status = 'FAILED'").query(Long.class).single()));
        long pulled = 0;
        int gets = 0;
        for (Map.Entry<String, Long> layer : sizes.entrySet()) {
          pulled += proxy.blobGets(layer.getKey()) * layer.getValue();
          gets += proxy.blobGets(layer.getKey());
        }
        System.out.printf("scanned %d images (%d failed) with %d workers in %.1f s, including discovery: %.0f images/min%n",
            images, failed, workers, seconds, images * 60 / seconds);
        System.out.printf("layer GETs %d for %d unique layers; layer bytes pulled %.1f MiB / unique %.1f MiB = %.3f%n",
            gets, sizes.size(), pulled / 1048576.0, unique / 1048576.0, (double) pulled / unique);
      }
    }
  }

  /** A layer of text files that compresses like real binaries do (poorly): random base64 lines. */
  static Map<String, String> layer(Random random, String name, int bytes) {
    StringBuilder text = new StringBuilder(bytes + 100);
    byte[] line = new byte[57];
    while (text.length() < bytes) {
      random.nextBytes(line);
      text.append(java.util.Base64.getEncoder().encodeToString(line)).append('\n');
    }
    return Map.of("opt/" + name + "/data.txt", text.toString());
  }
}
