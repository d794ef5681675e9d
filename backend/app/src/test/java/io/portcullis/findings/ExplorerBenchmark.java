package io.portcullis.findings;

import io.portcullis.PortcullisApplication;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark command, not a test: generates F findings (default 1,000,000) across T tenants (default 100; the local
 * organisation is one of them) in PostgreSQL — 100 images per tenant in 10 repositories, realistic severities, EPSS,
 * KEV, fixes, ages and triage states — then measures the findings explorer page (signed in, over HTTP on loopback)
 * and, when an API token is given, the findings API list, with C concurrent clients (default 4), and prints p50, p95
 * and p99 latencies.
 *
 * <pre>./mvnw -q -o -pl backend/app -am test-compile dependency:build-classpath -DskipTests \
 *   -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp "backend/app/target/test-classes:backend/app/target/classes:$(cat backend/app/target/classpath.txt)" \
 *   io.portcullis.findings.ExplorerBenchmark 1000000 100 4</pre>
 *
 * <p>{@code PORTCULLIS_BENCH_VIEWS=1} also prints each view's own figures; {@code PORTCULLIS_BENCH_DATA=<dir>} keeps
 * the generated database there and reuses it on the next run; {@code PORTCULLIS_BENCH_EXPLAIN=1} prints the plans.
 */
public final class ExplorerBenchmark {

  public static void main(String[] args) throws Exception {
    int findings = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int tenantCount = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int perTenant = findings / tenantCount;
    // PORTCULLIS_BENCH_DATA names a data directory to keep between runs (generated once, measured many times)
    String kept = System.getenv("PORTCULLIS_BENCH_DATA");
    java.nio.file.Path data = kept != null ? java.nio.file.Path.of(kept)
        : java.nio.file.Files.createTempDirectory("portcullis-explorer-bench");
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("local", "test")
        .run("--portcullis.local.enabled=true", "--portcullis.worker.enabled=false", "--logging.level.root=warn",
            "--portcullis.database.embedded.data-directory=" + data,
            // the load generator is one caller: the per-token limit would measure the limiter, not the list
            "--portcullis.api.rate-limit.requests-per-second=100000", "--portcullis.api.rate-limit.burst=1000000",
            "--portcullis.local.users[0].username=admin", "--portcullis.local.users[0].password={noop}bench",
            "--portcullis.local.users[0].name=Bench Admin", "--portcullis.local.users[0].email=bench@example.org",
            "--portcullis.local.users[0].role=ADMIN")) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Tenants tenants = app.getBean(Tenants.class);
      TransactionTemplate transactions = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
      List<UUID> all = new ArrayList<>();
      all.add(tenants.findByEntraTenantId("local")
          .orElseGet(() -> tenants.onboard("local", "Local organisation", "bench").tenantId()));
      boolean generated = TenantScope.callAs(all.get(0), () -> transactions.execute(
          s -> jdbc.sql("select count(*) from finding").query(Long.class).single())) > 0;
      long started = System.nanoTime();
      if (!generated) {
        for (int t = 1; t < tenantCount; t++) {
          all.add(tenants.onboard(UUID.randomUUID().toString(), "Bench " + t, "bench").tenantId());
        }
        for (UUID tenant : all) {
          TenantScope.runAs(tenant, () -> transactions.executeWithoutResult(s -> generate(jdbc, perTenant)));
        }
      }
      // the application's role owns no table and cannot ANALYZE: wait for autovacuum to gather the statistics, as a
      // real installation has them
      long waited = System.nanoTime();
      while (jdbc.sql("select count(*) from pg_stat_user_tables where relname = 'finding' and last_autoanalyze is not null")
          .query(Long.class).single() == 0 && System.nanoTime() - waited < 300e9) {
        Thread.sleep(2000);
      }
      if (generated) {
        System.out.println("reusing the findings already in " + data);
      } else {
        System.out.printf("generated %d findings in %d tenants (%d each) in %.1f s%n", (long) perTenant * all.size(),
            all.size(), perTenant, (System.nanoTime() - started) / 1e9);
      }

      if (System.getenv("PORTCULLIS_BENCH_EXPLAIN") != null) {
        TenantScope.runAs(all.get(0), () -> transactions.executeWithoutResult(s -> {
          String visible = "with visible as (select i.id from image i join container_repository r on r.id = i.repository_id where i.gone_at is null) ";
          for (String sql : List.of(
              visible + ", top as (select f.id, finding_risk(f.severity, f.cvss_score, f.epss, f.kev, f.fixed_version, f.opened_at, now()) as risk, count(*) over () as total from finding f where f.image_id in (select id from visible) and f.status = 'OPEN' and f.triage in ('OPEN', 'IN_TRIAGE') order by risk desc, f.id desc limit 50) select f.id, t.risk, t.total, i.digest, r.name, c.name from top t join finding f on f.id = t.id join image i on i.id = f.image_id join container_repository r on r.id = i.repository_id join registry_connection c on c.id = r.connection_id order by risk desc",
              "select distinct package_type from finding")) {
            System.out.println("EXPLAIN " + sql);
            jdbc.sql("explain (analyze, buffers) " + sql).query(String.class).list().forEach(System.out::println);
          }
        }));
      }
      int port = Integer.parseInt(app.getBean(Environment.class).getProperty("local.server.port"));
      String base = "http://127.0.0.1:" + port;
      HttpClient browser = signIn(base);
      String[] views = {"/findings", "/findings?sort=severity", "/findings?severity=CRITICAL&severity=HIGH",
          "/findings?kev=true", "/findings?q=CVE-2024-1", "/findings?fixable=true&epss=0.1", "/findings?state=all",
          "/findings?page=7", "/findings?q=openssl&sort=epss"};
      measure("explorer page (warm-up)", clients, 200, i -> get(browser, base + views[i % views.length], null));
      if (System.getenv("PORTCULLIS_BENCH_VIEWS") != null) {
        // the other pages that read every finding of the organisation: the overview, registries, one of each
        List<String> others = TenantScope.callAs(all.get(0), () -> transactions.execute(s -> List.of("/",
            "/registries", "/registries/" + jdbc.sql("select id from registry_connection limit 1").query(UUID.class).single(),
            "/images/" + jdbc.sql("select id from image limit 1").query(UUID.class).single())));
        for (String page : others) {
          measure("  " + page, 1, 30, i -> get(browser, base + page, null));
        }
        for (String view : views) {
          measure("  " + view, 1, 60, i -> get(browser, base + view, null));
          measure("  " + view + " (HX-Request)", 1, 60, i -> get(browser, base + view, "true"));
        }
      }
      measure("explorer page", 1, 500, i -> get(browser, base + views[i % views.length], null));
      measure("explorer page", clients, 1000, i -> get(browser, base + views[i % views.length], null));
      measure("explorer fragment (HX-Request, search as you type)", 1, 500,
          i -> get(browser, base + "/findings?q=CVE-2024-" + (i % 97), "true"));
      measure("explorer fragment (HX-Request, search as you type)", clients, 1000,
          i -> get(browser, base + "/findings?q=CVE-2024-" + (i % 97), "true"));
      String token = TenantScope.callAs(all.get(0), () -> app.getBean(io.portcullis.api.ApiTokens.class)
          .create("benchmark", io.portcullis.api.ApiScope.READ, 1, "bench").secret());
      HttpClient api = HttpClient.newHttpClient();
      String[] lists = {"/api/v1/findings", "/api/v1/findings?limit=100", "/api/v1/findings?kev=true",
          "/api/v1/findings?severity=CRITICAL&fixable=true", "/api/v1/findings?q=CVE-2024-1",
          "/api/v1/findings?state=all&limit=200"};
      measure("findings API list (warm-up)", clients, 200,
          i -> apiGet(api, base + lists[i % lists.length], token));
      measure("findings API list", 1, 500, i -> apiGet(api, base + lists[i % lists.length], token));
      measure("findings API list", clients, 1000, i -> apiGet(api, base + lists[i % lists.length], token));
    } finally {
      if (kept == null) {
        deleteTree(data);
      }
    }
  }

  static void deleteTree(java.nio.file.Path data) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(data)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  static long apiGet(HttpClient client, String url, String token) {
    try {
      long started = System.nanoTime();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - started;
      if (response.statusCode() != 200 || !response.body().contains("\"items\"")) {
        throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
      }
      return nanos;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One tenant's findings, made in PostgreSQL by generate_series inside the tenant's transaction. */
  static void generate(JdbcClient jdbc, int count) {
    UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
        + " values (app_current_tenant(), 'Production ACR', 'OCI', 'https://prod.example', 'ANONYMOUS', 'bench')"
        + " returning id").query(UUID.class).single();
    jdbc.sql("""
        insert into container_repository (tenant_id, connection_id, name)
        select app_current_tenant(), ?, 'team-' || r || '/service' from generate_series(0, 9) r
        """).param(connection).update();
    jdbc.sql("""
        insert into image (tenant_id, repository_id, digest, media_type, is_index, analysed_at, matched_at)
        select app_current_tenant(), r.id, 'sha256:' || encode(sha256((r.id::text || n)::bytea), 'hex'),
               'application/vnd.oci.image.manifest.v1+json', false, now(), now()
          from container_repository r, generate_series(0, 9) n
        """).update();
    jdbc.sql("""
        insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type, package_name,
          package_version, package_purl, package_path, layer, fixed_version, severity, cvss_score, epss, kev, summary,
          evidence, state, status, opened_at, fixed_at, triage, triage_justification, vex_justification)
        select app_current_tenant(), imgs.ids[1 + g % array_length(imgs.ids, 1)], 'CVE-2024-' || (g % 5000),
               array['CVE-2024-' || (g % 5000), 'GHSA-' || substr(md5(g::text), 1, 14)],
               'pkg|' || g, (array['deb', 'npm', 'maven', 'pypi', 'golang'])[1 + g % 5],
               (array['openssl', 'libxml2', 'lodash', 'jackson-databind', 'django', 'curl', 'glibc'])[1 + g % 7] || '-' || (g % 50),
               '1.' || (g % 30) || '.' || (g % 7), null, 'usr/lib/p' || g, 'sha256:l',
               case when g % 3 = 0 then null else '2.' || (g % 9) end,
               (array['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'UNKNOWN'])[1 + g % 8],
               case when g % 4 = 0 then null else round(((g % 100) / 10.0)::numeric, 1) end,
               case when g % 5 = 0 then null else ((g % 1000) / 1000.0)::real end,
               g % 97 = 0, 'A vulnerability in a package', '[]', repeat('0', 64),
               case when g % 10 = 0 then 'FIXED' else 'OPEN' end,
               now() - make_interval(days => g % 200),
               case when g % 10 = 0 then now() - make_interval(days => g % 30) end,
               case when g % 10 = 0 or g % 13 <> 0 then 'OPEN' when g % 2 = 0 then 'NOT_AFFECTED' else 'IN_TRIAGE' end,
               null,
               case when g % 10 <> 0 and g % 13 = 0 and g % 2 = 0 then 'component_not_present' end
          from generate_series(1, ?) g, (select array_agg(id order by id) as ids from image) imgs
        """).param(count).update();
  }

  static HttpClient signIn(String base) throws Exception {
    HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    String login = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(login);
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page");
    }
    String form = "username=admin&password=bench&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (!signedIn.body().contains("Sign out")) {
      throw new IllegalStateException("sign-in failed: " + signedIn.statusCode());
    }
    return client;
  }

  static long get(HttpClient client, String url, String htmx) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (htmx != null) {
        request.header("HX-Request", htmx);
      }
      long started = System.nanoTime();
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - started;
      if (response.statusCode() != 200 || !response.body().toLowerCase(java.util.Locale.ROOT).contains("finding")) {
        throw new IllegalStateException(url + " answered " + response.statusCode());
      }
      return nanos;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void measure(String what, int clients, int requests, IntFunction<Long> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Long>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      int n = i;
      futures.add(pool.submit(() -> call.apply(n)));
    }
    List<Long> nanos = new ArrayList<>();
    for (Future<Long> f : futures) {
      nanos.add(f.get());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    Collections.sort(nanos);
    System.out.printf("%s: %d requests, %d clients, %.0f req/s; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what, requests, clients, requests / seconds, pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
        nanos.get(nanos.size() - 1) / 1e6);
  }

  static double pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
  }
}
