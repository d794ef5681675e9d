package io.portcullis.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import io.portcullis.scanner.analysis.FileFindings;
import io.portcullis.scanner.analysis.LayerCache;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.LayerContents;
import io.portcullis.scanning.internal.PostgresLayerCache;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The parts of scanning that need no registry: the layer cache in PostgreSQL and analyzer bumps, freshness objectives,
 * and the metrics of the queue.
 */
@LocalModeTest
class ScanningStateTests {

  @Autowired PostgresLayerCache cache;
  @Autowired Scans scans;
  @Autowired Tenants tenants;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @LocalManagementPort int managementPort;

  static LayerContents contents(Digest layer, Set<String> touchedBy) {
    FileFindings dpkg = new FileFindings();
    dpkg.problem("one unreadable stanza");
    return new LayerContents(layer, Map.of("var/lib/dpkg/status", Map.of("dpkg", dpkg)), Set.of(), Set.of(), 3,
        List.of(), touchedBy);
  }

  @Test
  void theCacheReadsALayerOnceAndABumpReReadsOnlyWhatTheAnalyzerTouched() throws Exception {
    Digest layer = Digest.of("sha256", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    AtomicInteger reads = new AtomicInteger();
    LayerCache.Reader reader = () -> {
      reads.incrementAndGet();
      return contents(layer, Set.of("dpkg"));
    };
    assertThat(cache.loadCounted(new LayerCache.Key(layer, "dpkg@1,npm@1"), reader).cached()).isFalse();
    assertThat(cache.loadCounted(new LayerCache.Key(layer, "dpkg@1,npm@1"), reader).cached()).isTrue();
    // npm touched nothing in this layer: its new version does not read it again
    PostgresLayerCache.Loaded bumped = cache.loadCounted(new LayerCache.Key(layer, "dpkg@1,npm@2"), reader);
    assertThat(bumped.cached()).isTrue();
    assertThat(bumped.contents().files().get("var/lib/dpkg/status").get("dpkg").problems())
        .containsExactly("one unreadable stanza");
    assertThat(reads).hasValue(1);
    // dpkg did: its new version reads the layer again, and the entry is rewritten for the new versions
    assertThat(cache.loadCounted(new LayerCache.Key(layer, "dpkg@2,npm@2"), reader).cached()).isFalse();
    assertThat(reads).hasValue(2);
    assertThat(jdbc.sql("select analyzers from layer_analysis where layer_digest = ?").param(layer.toString())
        .query(String.class).single()).isEqualTo("dpkg@2,npm@2");
    // a damaged entry is a miss, and is rewritten
    jdbc.sql("update layer_analysis set contents = '\\x00ff'::bytea where layer_digest = ?").param(layer.toString())
        .update();
    assertThat(cache.loadCounted(new LayerCache.Key(layer, "dpkg@2,npm@2"), reader).cached()).isFalse();
    assertThat(cache.get(new LayerCache.Key(layer, "dpkg@2,npm@2"))).isPresent();
  }

  @Test
  void freshnessNamesTheImagesThatMissTheObjectives() {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Fresh", "test").tenantId();
    TransactionTemplate transactions = new TransactionTemplate(transactionManager);
    UUID[] images = TenantScope.callAs(tenant, () -> transactions.execute(s -> {
      UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
          + " values (app_current_tenant(), 'r', 'OCI', 'https://registry.example', 'ANONYMOUS', 't') returning id")
          .query(UUID.class).single();
      UUID repository = jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
          + " values (app_current_tenant(), ?, 'team/app') returning id").param(connection).query(UUID.class).single();
      UUID[] ids = new UUID[4];
      String[] states = {
          "first_seen_at = now() - interval '1 hour'",                                   // unscanned too long
          "first_seen_at = now() - interval '5 minutes'",                                // unscanned, within 15 min
          "first_seen_at = now() - interval '2 days', analysed_at = now() - interval '2 days',"
              + " matched_at = now() - interval '2 days'",                               // not re-matched
          "first_seen_at = now() - interval '2 days', analysed_at = now() - interval '2 days', matched_at = now()"};
      for (int i = 0; i < ids.length; i++) {
        ids[i] = jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index) values"
                + " (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false) returning id")
            .params(repository, "sha256:" + Integer.toString(i).repeat(64)).query(UUID.class).single();
        jdbc.sql("update image set " + states[i] + " where id = ?").param(ids[i]).update();
      }
      return ids;
    }));
    jdbc.sql("insert into advisory_source_state (feed, ecosystem, changed_at) values ('OSV', 'Fresh-' || ?,"
        + " now() - interval '25 hours')").param(tenant.toString().substring(0, 8)).update();

    Scans.Freshness freshness = TenantScope.callAs(tenant, () -> scans.freshness(10));
    assertThat(freshness.images()).isEqualTo(4);
    assertThat(freshness.unscanned()).isEqualTo(1);
    assertThat(freshness.notRematched()).isEqualTo(1);
    assertThat(freshness.missing()).extracting(Scans.Stale::imageId).containsExactlyInAnyOrder(images[0], images[2]);
    assertThat(freshness.missing()).extracting(Scans.Stale::reason)
        .contains("not scanned yet", "not re-matched since the advisories changed");
    // the counts are of every image that misses, not only of those listed
    Scans.Freshness first = TenantScope.callAs(tenant, () -> scans.freshness(1));
    assertThat(first.missing()).hasSize(1);
    assertThat(first.missingCount()).isEqualTo(2);

    // a failed scan misses the scan objective with its reason
    TenantScope.runAs(tenant, () -> transactions.executeWithoutResult(s ->
        jdbc.sql("update image set scan_failed_at = now(), scan_error = 'the registry no longer has this image'"
            + " where id = ?").param(images[3]).update()));
    Scans.Freshness after = TenantScope.callAs(tenant, () -> scans.freshness(10));
    assertThat(after.missing()).extracting(Scans.Stale::reason)
        .contains("scan failed: the registry no longer has this image");
    assertThat(after.unscanned()).isEqualTo(2);

    // another organisation sees none of these
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Other", "test").tenantId();
    assertThat(TenantScope.callAs(other, () -> scans.freshness(10)).missing()).isEmpty();
  }

  @Test
  void theQueueAndTheCacheAreMeasured() throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("portcullis_jobs_queued{application=\"portcullis\",task=\"scan\"}")
        .contains("portcullis_jobs_running{application=\"portcullis\",task=\"discover\"}")
        .contains("portcullis_layers_cache_total{application=\"portcullis\",result=\"hit\"}")
        .contains("portcullis_registry_bytes_pulled_total")
        .contains("portcullis_registry_blob_requests_total");
  }
}
