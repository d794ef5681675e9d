package io.portcullis.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.PortcullisApplication;
import io.portcullis.advisories.internal.ImportRunner;
import io.portcullis.registry.Authentication;
import io.portcullis.registry.Connection;
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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two Portcullis instances (two application contexts, two workers each) share one PostgreSQL and one real registry,
 * behind a proxy that counts every blob fetched. A fleet of 50 images shares base layers: every image is scanned once,
 * each unique layer is fetched once across both instances, and no image gets two jobs. Then the advisories change and
 * the stored inventories are re-matched without one request to the registry; then the registry throttles and goes
 * down, and the system recovers by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContinuousScanningTests {

  static final int IMAGES = 50;

  static EmbeddedPostgres database;
  static Path databaseDirectory;
  static TestRegistry registry;
  static RegistryProxy proxy;
  static Path advisories;
  static ConfigurableApplicationContext first;
  static ConfigurableApplicationContext second;
  static UUID tenant;
  static UUID connection;
  static final Set<String> layers = new HashSet<>();
  static final Map<String, TestImages.Image> fleet = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    databaseDirectory = Files.createTempDirectory("portcullis-scanning-pg");
    database = EmbeddedPostgres.builder()
        .setDataDirectory(databaseDirectory)
        .setCleanDataDirectory(false)
        .start();
    try (var c = database.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create role portcullis_owner login password 'owner-secret' createrole");
      s.execute("create database portcullis owner portcullis_owner");
    }
    registry = TestRegistry.anonymous();
    proxy = new RegistryProxy(registry.url());
    TestImages images = new TestImages(registry);
    List<Map<String, String>> bases = List.of(base("3.0.11-1~deb12u1"), base("3.0.15-1~deb12u1"));
    for (int i = 0; i < IMAGES; i++) {
      Map<String, String> runtime = Map.of("opt/runtime/version.txt", "runtime " + (i % 5) + "\n");
      Map<String, String> app = Map.of("app/id.txt", "image " + i + "\n");
      TestImages.Image image =
          TestImages.layered(new Platform("linux", "amd64", null), List.of(bases.get(i % 2), runtime, app));
      images.push("fleet/app-" + (i % 5), "v" + i, image);
      fleet.put("fleet/app-" + (i % 5) + ":v" + i, image);
      image.layers().forEach(l -> layers.add(l.digest().toString()));
    }
    assertThat(layers).as("unique layers: 2 bases, 5 runtimes, 50 apps").hasSize(57);

    advisories = Files.createTempDirectory("portcullis-scanning-osv");
    writeAdvisory("3.0.13-1~deb12u1", "2026-11-01T00:00:00Z");

    first = instance("instance-1", true);
    second = instance("instance-2", true);
    tenant = first.getBean(Tenants.class).onboard(UUID.randomUUID().toString(), "Fleet owner", "test").tenantId();
    connection = TenantScope.callAs(tenant, () -> first.getBean(Connections.class).add(new ConnectionSpec("Fleet",
        ConnectionKind.OCI, proxy.url().toString(), Authentication.ANONYMOUS, null, null, null, null, List.of(),
        List.of(), Duration.ofHours(1)), "test").connection().id());
  }

  @AfterAll
  static void stop() throws IOException {
    for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
      if (context != null) {
        context.close();
      }
    }
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (database != null) {
      database.close();
    }
    if (databaseDirectory != null) {
      try (var files = Files.walk(databaseDirectory)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static ConfigurableApplicationContext instance(String name, boolean worker) {
    return new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("local", "test")
        .run("--portcullis.local.enabled=true",
            "--portcullis.database.url=jdbc:postgresql://127.0.0.1:" + database.getPort() + "/portcullis",
            "--portcullis.database.username=portcullis_owner",
            "--portcullis.database.password=owner-secret",
            "--portcullis.database.app-password=app-secret-scanning",
            "--db-scheduler.scheduler-name=" + name,
            "--portcullis.worker.enabled=" + worker,
            "--portcullis.worker.threads=2",
            "--portcullis.scanning.after-discovery=true",
            "--portcullis.scanning.first-retry=1s",
            "--portcullis.advisories.source=" + advisories,
            "--portcullis.advisories.ecosystems=Debian",
            "--logging.level.io.portcullis=warn");
  }

  /** A Debian 12 base layer: os-release and a dpkg status with openssl at {@code openssl}. */
  static Map<String, String> base(String openssl) {
    return Map.of(
        "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n",
        "var/lib/dpkg/status", """
            Package: openssl
            Status: install ok installed
            Priority: optional
            Section: utils
            Installed-Size: 2300
            Architecture: amd64
            Version: %s
            Description: Secure Sockets Layer toolkit - cryptographic utility

            Package: base-files
            Status: install ok installed
            Priority: required
            Section: admin
            Installed-Size: 340
            Architecture: amd64
            Version: 12.4+deb12u5
            Description: Debian base system miscellaneous files

            """.formatted(openssl));
  }

  /** The advisories' Debian export: one DSA against openssl in Debian 12, fixed in {@code fixed}. */
  static void writeAdvisory(String fixed, String modified) throws IOException {
    Path folder = Files.createDirectories(advisories.resolve("Debian"));
    String record = """
        {"schema_version": "1.6.0", "id": "DSA-9901-1", "modified": "%s", "published": "2026-10-01T00:00:00Z",
         "aliases": ["CVE-2099-0001"], "summary": "openssl - security update",
         "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
        """.formatted(modified, fixed);
    Path temporary = folder.resolve("all.zip.tmp");
    try (OutputStream out = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("DSA-9901-1.json"));
      zip.write(record.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    Files.move(temporary, folder.resolve("all.zip"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static <T> T inTenant(ConfigurableApplicationContext context, java.util.function.Function<JdbcClient, T> query) {
    TransactionTemplate transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    JdbcClient jdbc = context.getBean(JdbcClient.class);
    return TenantScope.callAs(tenant, () -> transactions.execute(s -> query.apply(jdbc)));
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

  @Test
  @Order(1)
  void twoInstancesScanAFleetOnceFetchingEachUniqueLayerOnce() throws Exception {
    assertThat(first.getBean(ImportRunner.class).request("OSV:Debian")).isNotEmpty();
    waitUntil("the Debian advisories imported", Duration.ofMinutes(1), () -> first.getBean(JdbcClient.class)
        .sql("select count(*) from advisory where id = 'DSA-9901-1'").query(Long.class).single() == 1);

    assertThat(first.getBean(DiscoveryRunner.class).submit(tenant, connection, Trigger.MANUAL, null)).isTrue();

    waitUntil("every image of the fleet analysed and matched", Duration.ofMinutes(4), () -> inTenant(first,
        jdbc -> jdbc.sql("select count(*) from image where matched_at is not null and not is_index")
            .query(Long.class).single()) == IMAGES);

    // every unique layer was fetched exactly once, by whichever instance needed it first
    for (String layer : layers) {
      assertThat(proxy.blobGets(layer)).as("GETs of layer %s", layer).isEqualTo(1);
    }
    // every image has exactly one scan job, done; both instances took part
    List<Map<String, Object>> jobs = inTenant(first, jdbc -> jdbc.sql(
        "select image_id, status, attempts, worker, layers, layers_cached from scan_job").query().listOfRows());
    assertThat(jobs).hasSize(IMAGES);
    assertThat(jobs).allSatisfy(j -> {
      assertThat(j.get("status")).isEqualTo("SUCCEEDED");
      assertThat(j.get("attempts")).isEqualTo(1);
      assertThat(j.get("layers")).isEqualTo(3);
    });
    assertThat(jobs.stream().map(j -> j.get("image_id")).distinct()).hasSize(IMAGES);
    assertThat(jobs.stream().map(j -> (String) j.get("worker")).distinct())
        .containsExactlyInAnyOrder("instance-1", "instance-2");
    int fromCache = jobs.stream().mapToInt(j -> (Integer) j.get("layers_cached")).sum();
    assertThat(fromCache).as("layers served from the cache").isEqualTo(IMAGES * 3 - layers.size());

    // what was analysed: the base layer's Debian packages, matched against the DSA on the images that need it
    List<Map<String, Object>> findings = inTenant(first, jdbc -> jdbc.sql(
            "select f.package_version, f.status, count(*) as n from finding f group by 1, 2").query().listOfRows());
    assertThat(findings).singleElement().satisfies(row -> {
      assertThat(row.get("package_version")).isEqualTo("3.0.11-1~deb12u1");
      assertThat(row.get("status")).isEqualTo("OPEN");
      assertThat(row.get("n")).isEqualTo((long) IMAGES / 2);
    });
    long analysed = inTenant(first, jdbc -> jdbc.sql("select count(*) from layer_analysis").query(Long.class).single());
    assertThat(analysed).isEqualTo((long) layers.size());
  }

  @Test
  @Order(2)
  void anAdvisoryChangeReMatchesStoredInventoriesWithoutTouchingTheRegistry() throws Exception {
    // the DSA changes: the fix came earlier than first said
    proxy.reset();
    writeAdvisory("3.0.11-1~deb12u1", "2026-11-20T00:00:00Z");
    assertThat(first.getBean(ImportRunner.class).request("OSV:Debian")).isNotEmpty();

    waitUntil("the open findings fixed by the re-match", Duration.ofMinutes(2), () -> inTenant(first,
        jdbc -> jdbc.sql("select count(*) from finding where status = 'FIXED' and fixed_at is not null")
            .query(Long.class).single()) == IMAGES / 2);
    long open = inTenant(first, jdbc -> jdbc.sql("select count(*) from finding where status = 'OPEN'")
        .query(Long.class).single());
    assertThat(open).isZero();

    // and back: the fix turns out to be later again, so the same findings reopen
    writeAdvisory("3.0.14-1~deb12u1", "2026-11-25T00:00:00Z");
    assertThat(first.getBean(ImportRunner.class).request("OSV:Debian")).isNotEmpty();
    waitUntil("the findings reopened by the re-match", Duration.ofMinutes(2), () -> inTenant(first,
        jdbc -> jdbc.sql("select count(*) from finding where status = 'OPEN' and fixed_version = '3.0.14-1~deb12u1'")
            .query(Long.class).single()) == IMAGES / 2);

    assertThat(proxy.requests()).as("requests to the registry while re-matching").isZero();
  }

  @Test
  @Order(3)
  void aThrottlingRegistryIsWaitedForAsItAsks() throws Exception {
    UUID image = imageOf("fleet/app-1", "v1");
    proxy.reset();
    proxy.throttleNext(2);
    assertThat(TenantScope.callAs(tenant, () -> first.getBean(Scans.class).scanImage(image, "MANUAL"))).isTrue();
    waitUntil("the manual scan done", Duration.ofMinutes(1), () -> latestJob(image).get("status").equals("SUCCEEDED"));
    assertThat(proxy.throttled()).isEqualTo(2);
    Map<String, Object> job = latestJob(image);
    assertThat(job.get("attempts")).as("429 with Retry-After is waited for within the attempt").isEqualTo(1);
    assertThat(job.get("trigger")).isEqualTo("MANUAL");
    // the layers were analysed before: a rescan reads none of them again
    assertThat(job.get("layers_cached")).isEqualTo(3);
  }

  @Test
  @Order(4)
  void aRegistryOutageMarksTheConnectionUnhealthyAndTheScanRecoversWhenItReturns() throws Exception {
    UUID image = imageOf("fleet/app-2", "v2");
    proxy.down(true);
    try {
      assertThat(TenantScope.callAs(tenant, () -> first.getBean(Scans.class).scanImage(image, "MANUAL"))).isTrue();
      waitUntil("the scan waiting to retry", Duration.ofMinutes(1),
          () -> latestJob(image).get("status").equals("RETRYING"));
      assertThat((String) latestJob(image).get("error")).contains("503");
      Connection unhealthy = TenantScope.callAs(tenant, () -> first.getBean(Connections.class).find(connection).orElseThrow());
      assertThat(unhealthy.health()).isEqualTo(Connection.Health.UNHEALTHY);
      assertThat(unhealthy.healthReason()).contains("503");
    } finally {
      proxy.down(false);
    }
    waitUntil("the retried scan done", Duration.ofMinutes(1), () -> latestJob(image).get("status").equals("SUCCEEDED"));
    assertThat((Integer) latestJob(image).get("attempts")).isGreaterThanOrEqualTo(2);
    assertThat(TenantScope.callAs(tenant, () -> first.getBean(Connections.class).find(connection).orElseThrow()).health())
        .isEqualTo(Connection.Health.HEALTHY);
    // one job per image at a time, however often it was asked for
    long jobs = inTenant(first, jdbc -> jdbc.sql("select count(*) from scan_job where image_id = ?").param(image)
        .query(Long.class).single());
    assertThat(jobs).isEqualTo(2L);
  }

  @Test
  @Order(5)
  void aScanThatCannotSucceedRecordsItsReasonOnTheImageAtOnce() throws Exception {
    // an image the registry does not have (deleted after discovery): another attempt cannot help
    UUID repository = inTenant(first, jdbc -> jdbc.sql("select id from container_repository where name = 'fleet/app-0'")
        .query(UUID.class).single());
    UUID image = inTenant(first, jdbc -> jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type,"
            + " is_index) values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false)"
            + " returning id")
        .params(repository, "sha256:" + "0".repeat(64)).query(UUID.class).single());
    assertThat(TenantScope.callAs(tenant, () -> second.getBean(Scans.class).scanImage(image, "MANUAL"))).isTrue();
    waitUntil("the scan failed", Duration.ofMinutes(1), () -> latestJob(image).get("status").equals("FAILED"));
    Map<String, Object> job = latestJob(image);
    assertThat(job.get("attempts")).isEqualTo(1);
    assertThat((String) job.get("error")).startsWith("the registry no longer has this image");
    Map<String, Object> row = inTenant(first, jdbc -> jdbc.sql("select scan_error, scan_failed_at from image where id = ?")
        .param(image).query().singleRow());
    assertThat((String) row.get("scan_error")).startsWith("the registry no longer has this image");
    assertThat(row.get("scan_failed_at")).isNotNull();
    assertThat(TenantScope.callAs(tenant, () -> first.getBean(Scans.class).freshness(50)).missing())
        .anySatisfy(stale -> {
          assertThat(stale.imageId()).isEqualTo(image);
          assertThat(stale.reason()).startsWith("scan failed: the registry no longer has this image");
        });
  }

  @Test
  @Order(6)
  void aDatabaseRestartInTheMiddleOfAScanLosesNoJob() throws Exception {
    UUID image = imageOf("fleet/app-4", "v4");
    String appLayer = fleet.get("fleet/app-4:v4").layers().get(2).digest().toString();
    // the layer is analysed already: make the scan read it again by forgetting it, and hold it at the proxy
    inTenant(first, jdbc -> jdbc.sql("delete from layer_analysis where layer_digest = ?").param(appLayer).update());
    proxy.hold(appLayer);
    assertThat(TenantScope.callAs(tenant, () -> first.getBean(Scans.class).scanImage(image, "MANUAL"))).isTrue();
    assertThat(proxy.awaitHeld(60)).isTrue();

    int port = database.getPort();
    database.close();
    proxy.releaseHeld(); // the scan goes on while the database is away, and cannot store what it found
    Thread.sleep(3000);
    database = EmbeddedPostgres.builder().setDataDirectory(databaseDirectory).setCleanDataDirectory(false)
        .setPort(port).start();

    waitUntil("the scan finished after the restart", Duration.ofMinutes(2), () -> {
      try {
        return "SUCCEEDED".equals(latestJob(image).get("status"));
      } catch (RuntimeException databaseStillAway) {
        return false;
      }
    });
    Map<String, Object> job = latestJob(image);
    assertThat((Integer) job.get("attempts")).isGreaterThanOrEqualTo(2);
    long active = inTenant(first, jdbc -> jdbc.sql(
        "select count(*) from scan_job where image_id = ? and status in ('QUEUED', 'RUNNING', 'RETRYING')")
        .param(image).query(Long.class).single());
    assertThat(active).isZero();
  }

  @Test
  @Order(7)
  void anotherTenantSeesNoneOfIt() {
    UUID other = first.getBean(Tenants.class).onboard(UUID.randomUUID().toString(), "Someone else", "test").tenantId();
    Scans scans = second.getBean(Scans.class);
    Scans.Overview overview = TenantScope.callAs(other, () -> scans.overview(null, null, 100));
    assertThat(overview.jobs()).isEmpty();
    assertThat(overview.succeeded()).isZero();
    UUID image = imageOf("fleet/app-3", "v3");
    assertThat(TenantScope.callAs(other, () -> scans.scanImage(image, "MANUAL"))).isFalse();
    assertThat(TenantScope.callAs(other, () -> scans.ofImage(image, 5))).isEmpty();
    assertThat(TenantScope.callAs(other, () -> scans.freshness(10)).images()).isZero();
  }

  static UUID imageOf(String repository, String tag) {
    return inTenant(first, jdbc -> jdbc.sql(
            "select i.id from tag t join image i on i.digest = t.digest and i.repository_id = t.repository_id"
                + " join container_repository r on r.id = t.repository_id where r.name = ? and t.name = ?")
        .params(repository, tag).query(UUID.class).single());
  }

  static Map<String, Object> latestJob(UUID image) {
    return inTenant(first, jdbc -> jdbc.sql("select * from scan_job where image_id = ? order by queued_at desc limit 1")
        .param(image).query().singleRow());
  }

  static List<String> list(String... values) {
    return new ArrayList<>(List.of(values));
  }
}
