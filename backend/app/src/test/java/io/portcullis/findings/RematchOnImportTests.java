package io.portcullis.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import io.portcullis.advisories.internal.ImportRunner;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * End to end with real advisories: an image whose stored inventory holds Django 3.2.0 has no findings until the
 * shared PyPI export is imported; the import's change re-matches the inventory by itself (no image is pulled), and the
 * findings are exactly the advisories an independent evaluation of the same export found (the scanner's
 * fixtures/matching/expected.tsv, made by oracle.py), each named by its CVE.
 */
@LocalModeTest
@TestPropertySource(properties = {
    "portcullis.advisories.source=${portcullis.testdata}/osv", "portcullis.advisories.ecosystems=PyPI"})
class RematchOnImportTests {

  static final List<String> DJANGO_3_2_0 = List.of(
      "PYSEC-2021-109", "PYSEC-2021-439", "PYSEC-2021-7", "PYSEC-2021-8", "PYSEC-2021-98", "PYSEC-2021-99",
      "PYSEC-2022-1", "PYSEC-2022-19", "PYSEC-2022-190", "PYSEC-2022-191", "PYSEC-2022-2", "PYSEC-2022-20",
      "PYSEC-2022-213", "PYSEC-2022-245", "PYSEC-2022-3", "PYSEC-2022-304", "PYSEC-2023-100", "PYSEC-2023-12",
      "PYSEC-2023-13", "PYSEC-2023-222", "PYSEC-2023-225", "PYSEC-2023-226", "PYSEC-2023-61", "PYSEC-2024-28",
      "PYSEC-2024-47");

  @Autowired Tenants tenants;
  @Autowired ImageInventories inventories;
  @Autowired ImportRunner importer;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  @Test
  void importingAdvisoriesReMatchesStoredInventoriesWithExactlyTheExpectedFindings() throws Exception {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Django shop", "test").tenantId();
    TransactionTemplate transactions = new TransactionTemplate(transactionManager);
    UUID image = TenantScope.callAs(tenant, () -> transactions.execute(s -> {
      UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
          + " values (app_current_tenant(), 'r', 'OCI', 'https://registry.example', 'ANONYMOUS', 't') returning id")
          .query(UUID.class).single();
      UUID repository = jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
          + " values (app_current_tenant(), ?, 'shop/web') returning id").param(connection).query(UUID.class).single();
      return jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index) values"
          + " (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false) returning id")
          .params(repository, "sha256:" + "c".repeat(64)).query(UUID.class).single();
    }));
    InventoryPackage django = new InventoryPackage("pypi", "Django", "3.2.0", "pkg:pypi/django@3.2.0", null, null, null,
        null, "python-metadata", "usr/local/lib/python3.11/site-packages/Django-3.2.0.dist-info/METADATA",
        "sha256:" + "d".repeat(64), null);
    InventoryPackage patched = new InventoryPackage("pypi", "requests", "2.32.3", "pkg:pypi/requests@2.32.3", null, null,
        null, null, "python-metadata", "usr/local/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA",
        "sha256:" + "d".repeat(64), null);
    TenantScope.runAs(tenant, () -> inventories.store(image,
        new Inventory("shop/web:1", null, null, null, null, List.of(django, patched), List.of())));

    assertThat(importer.request("OSV:PyPI")).isNotEmpty();

    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    List<String> advisories = List.of();
    while (Instant.now().isBefore(deadline)) {
      advisories = TenantScope.callAs(tenant, () -> transactions.execute(s -> jdbc.sql(
              "select e ->> 'advisory' from finding, jsonb_array_elements(evidence) e where image_id = ? order by 1")
          .param(image).query(String.class).list()));
      Boolean matched = TenantScope.callAs(tenant, () -> transactions.execute(s ->
          jdbc.sql("select matched_at is not null from image where id = ?").param(image).query(Boolean.class).single()));
      if (Boolean.TRUE.equals(matched) && !advisories.isEmpty()) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(advisories).containsExactlyInAnyOrderElementsOf(DJANGO_3_2_0);
    List<String> names = TenantScope.callAs(tenant, () -> transactions.execute(s -> jdbc.sql(
            "select vulnerability from finding where image_id = ? and status = 'OPEN' and package_name = 'Django'")
        .param(image).query(String.class).list()));
    assertThat(names).hasSize(25).allSatisfy(n -> assertThat(n).startsWith("CVE-"));
  }
}
