package io.portcullis.scanning;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A worker is killed (SIGKILL, no shutdown) in the middle of a scan, while it is pulling a layer. Its job is not lost:
 * once its heartbeats stop, another instance picks the job up again and finishes it; the scan record shows two
 * attempts and who finished it.
 */
class ScanFailoverTests {

  @Test
  void aScanWhoseWorkerWasKilledIsFinishedByAnotherInstance() throws Exception {
    Path data = Files.createTempDirectory("portcullis-failover-pg");
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
         TestRegistry registry = TestRegistry.anonymous();
         RegistryProxy proxy = new RegistryProxy(registry.url())) {
      try (var c = database.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("create role portcullis_owner login password 'owner-secret' createrole");
        s.execute("create database portcullis owner portcullis_owner");
      }
      TestImages.Image image = TestImages.layered(new Platform("linux", "amd64", null), List.of(
          Map.of("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
          Map.of("app/payload.txt", "x".repeat(200_000))));
      new TestImages(registry).push("failover/app", "1", image);
      String slowLayer = image.layers().get(1).digest().toString();
      proxy.hold(slowLayer);

      List<String> settings = settings(database);
      // the web instance only queues and reads: it has no worker of its own
      try (ConfigurableApplicationContext web = instance(settings, "web", false)) {
        UUID tenant = web.getBean(Tenants.class).onboard(UUID.randomUUID().toString(), "Failover", "test").tenantId();
        UUID connection = TenantScope.callAs(tenant, () -> web.getBean(Connections.class).add(new ConnectionSpec(
            "Failover", ConnectionKind.OCI, proxy.url().toString(), Authentication.ANONYMOUS, null, null, null, null,
            List.of(), List.of(), Duration.ofHours(1)), "test").connection().id());
        assertThat(web.getBean(DiscoveryRunner.class).submit(tenant, connection, Trigger.MANUAL, null)).isTrue();

        Process doomed = worker(settings, "doomed-worker");
        try {
          assertThat(proxy.awaitHeld(120)).as("the worker process reached the layer").isTrue();
          Map<String, Object> running = job(web, tenant);
          assertThat(running.get("status")).isEqualTo("RUNNING");
          assertThat(running.get("worker")).isEqualTo("doomed-worker");
        } finally {
          doomed.destroyForcibly();
          doomed.waitFor();
        }
        proxy.releaseHeld();

        try (ConfigurableApplicationContext rescuer = instance(settings, "rescuer", true)) {
          waitUntil("the scan finished by the other instance", Duration.ofMinutes(2),
              () -> "SUCCEEDED".equals(job(web, tenant).get("status")));
          Map<String, Object> done = job(web, tenant);
          assertThat(done.get("worker")).isEqualTo("rescuer");
          assertThat(done.get("attempts")).isEqualTo(2);
          long jobs = inTenant(web, tenant, jdbc -> jdbc.sql("select count(*) from scan_job").query(Long.class).single());
          assertThat(jobs).as("still one job for the image").isEqualTo(1L);
          boolean analysed = inTenant(web, tenant, jdbc -> jdbc.sql(
                  "select analysed_at is not null and os_id = 'debian' from image where not is_index")
              .query(Boolean.class).single());
          assertThat(analysed).isTrue();
        }
      }
    }
  }

  static List<String> settings(EmbeddedPostgres database) {
    return List.of("--portcullis.local.enabled=true",
        "--portcullis.database.url=jdbc:postgresql://127.0.0.1:" + database.getPort() + "/portcullis",
        "--portcullis.database.username=portcullis_owner",
        "--portcullis.database.password=owner-secret",
        "--portcullis.database.app-password=app-secret-failover",
        "--portcullis.scanning.after-discovery=true",
        "--portcullis.worker.threads=1",
        "--logging.level.io.portcullis=warn");
  }

  static ConfigurableApplicationContext instance(List<String> settings, String name, boolean worker) {
    List<String> args = new ArrayList<>(settings);
    args.add("--db-scheduler.scheduler-name=" + name);
    args.add("--portcullis.worker.enabled=" + worker);
    return new SpringApplicationBuilder(PortcullisApplication.class).profiles("local", "test")
        .run(args.toArray(String[]::new));
  }

  /** A worker in a process of its own, on this test's class path, so that it can be killed. */
  static Process worker(List<String> settings, String name) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), PortcullisApplication.class.getName(),
        "--spring.profiles.active=local,test", "--db-scheduler.scheduler-name=" + name,
        "--portcullis.worker.enabled=true", "--portcullis.web.enabled=false"));
    command.addAll(settings);
    Path log = Files.createTempFile("portcullis-worker", ".log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static Map<String, Object> job(ConfigurableApplicationContext context, UUID tenant) {
    List<Map<String, Object>> jobs = inTenant(context, tenant, jdbc ->
        jdbc.sql("select status, worker, attempts from scan_job order by queued_at desc").query().listOfRows());
    return jobs.isEmpty() ? Map.of("status", "NONE") : jobs.get(0);
  }

  static <T> T inTenant(ConfigurableApplicationContext context, UUID tenant, Function<JdbcClient, T> query) {
    TransactionTemplate transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    return TenantScope.callAs(tenant, () -> transactions.execute(s -> query.apply(context.getBean(JdbcClient.class))));
  }

  static void waitUntil(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(250);
    }
  }
}
