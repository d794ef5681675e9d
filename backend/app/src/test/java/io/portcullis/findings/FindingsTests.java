package io.portcullis.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stored inventories matched against advisories in PostgreSQL: findings open with severity, EPSS and KEV; a change of
 * the advisories re-matches every stored inventory — no image is pulled, there is no registry here at all — fixing and
 * opening the right findings, deleting none; and one tenant never sees another's.
 */
@LocalModeTest
@AutoConfigureMockMvc
class FindingsTests {

  static final OsRelease BOOKWORM = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");

  @Autowired Tenants tenants;
  @Autowired ImageInventories inventories;
  @Autowired Rematching rematching;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired MockMvc mvc;
  @Autowired Users users;

  UUID tenantA;
  UUID tenantB;
  String suffix;

  @BeforeEach
  void tenantsAndAdvisories() {
    tenantA = tenants.onboard(UUID.randomUUID().toString(), "Findings A", "test").tenantId();
    tenantB = tenants.onboard(UUID.randomUUID().toString(), "Findings B", "test").tenantId();
    suffix = UUID.randomUUID().toString().substring(0, 8);
    advisory("DSA-" + suffix, List.of(), "[]", null, "Debian", "12", "openssl-" + suffix,
        "[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"3.0.11-1~deb12u2\"}]}]");
    jdbc.sql("insert into advisory_alias (advisory_id, relation, alias) values (?, 'UPSTREAM', ?)")
        .params("DSA-" + suffix, "CVE-2023-5363").update();
    advisory("PYSEC-" + suffix, List.of(cve()),
        "[{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]", "Remote code execution",
        "PyPI", "", "Django." + suffix,
        "[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"3.0\"}, {\"fixed\": \"3.2.5\"}]}]");
    String cve = cve();
    jdbc.sql("insert into epss_score (cve, epss, percentile) values (?, 0.97, 0.999) on conflict do nothing").param(cve).update();
    jdbc.sql("insert into kev_entry (cve, date_added, known_ransomware_use) values (?, current_date, true) on conflict do nothing")
        .param(cve).update();
  }

  String cve() {
    return "CVE-2099-" + (Math.floorMod(suffix.hashCode(), 10000) + 10000);
  }

  @Test
  void anImageGetsItsFindingsWithEvidenceSeverityEpssAndKev() {
    UUID image = image(tenantA);
    TenantScope.runAs(tenantA, () -> {
      inventories.store(image, inventory());
      Rematching.ImageResult result = rematching.matchImage(image);
      assertThat(result.opened()).isEqualTo(2);

      List<Map<String, Object>> rows = findings(image);
      assertThat(rows).extracting(r -> r.get("vulnerability") + " " + r.get("package_name") + " " + r.get("status"))
          .containsExactlyInAnyOrder("DSA-" + suffix + " libssl3 OPEN", cve() + " django OPEN");
      Map<String, Object> django = rows.stream().filter(r -> r.get("package_name").equals("django")).findFirst().orElseThrow();
      assertThat(django.get("severity")).isEqualTo("CRITICAL");
      assertThat(django.get("cvss_score")).isEqualTo(new BigDecimal("9.8"));
      assertThat(django.get("fixed_version")).isEqualTo("3.2.5");
      assertThat(django.get("kev")).isEqualTo(true);
      assertThat(((Number) django.get("epss")).doubleValue()).isEqualTo(0.97, org.assertj.core.data.Offset.offset(0.001));
      assertThat(django.get("evidence").toString()).contains("\"matcher\": \"pypi\"").contains("introduced 3.0, fixed 3.2.5");
      Map<String, Object> libssl = rows.stream().filter(r -> r.get("package_name").equals("libssl3")).findFirst().orElseThrow();
      assertThat(libssl.get("severity")).as("Debian rates nothing").isEqualTo("UNKNOWN");
      assertThat(libssl.get("layer")).isEqualTo("sha256:" + "a".repeat(64));
      assertThat(libssl.get("evidence").toString()).contains("\"ecosystem\": \"Debian:12\"").contains("\"name\": \"openssl-" + suffix);

      Rematching.ImageResult again = rematching.matchImage(image);
      assertThat(again.opened()).as("nothing new the second time").isZero();
      assertThat(again.fixed()).isZero();
    });
  }

  @Test
  void anAdvisoryChangeReMatchesStoredInventoriesFixingAndOpeningFindingsAndDeletingNone() {
    UUID imageA = image(tenantA);
    UUID imageB = image(tenantB);
    TenantScope.runAs(tenantA, () -> inventories.store(imageA, inventory()));
    TenantScope.runAs(tenantB, () -> inventories.store(imageB, inventory()));
    rematching.matchAll();

    // the Debian advisory is corrected (the fix was older), and a new PyPI advisory appears
    jdbc.sql("update affected set ranges = ?::jsonb where advisory_id = ?")
        .params("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"3.0.0\"}]}]", "DSA-" + suffix)
        .update();
    advisory("PYSEC-NEW-" + suffix, List.of(), "[]", null, "PyPI", "", "django_" + suffix,
        "[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"last_affected\": \"3.2.0\"}]}]");
    Rematching.RunResult run = rematching.matchAll();
    assertThat(run.images()).isGreaterThanOrEqualTo(2);

    for (UUID[] pair : new UUID[][] {{tenantA, imageA}, {tenantB, imageB}}) {
      TenantScope.runAs(pair[0], () -> {
        List<Map<String, Object>> rows = findings(pair[1]);
        assertThat(rows).extracting(r -> r.get("vulnerability") + " " + r.get("status"))
            .containsExactlyInAnyOrder("DSA-" + suffix + " FIXED", cve() + " OPEN", "PYSEC-NEW-" + suffix + " OPEN");
        assertThat(rows).filteredOn(r -> r.get("status").equals("FIXED")).allSatisfy(r -> assertThat(r.get("fixed_at")).isNotNull());
      });
    }
  }

  @Test
  void tenantBSeesNothingOfTenantAsInventoriesOrFindings() {
    UUID imageA = image(tenantA);
    TenantScope.runAs(tenantA, () -> {
      inventories.store(imageA, inventory());
      rematching.matchImage(imageA);
    });
    TenantScope.runAs(tenantB, () -> {
      assertThat(inventories.find(imageA)).isEmpty();
      assertThat(findings(imageA)).isEmpty();
      assertThat(rematching.matchImage(imageA).open()).isZero();
      Long packages = new TransactionTemplate(transactionManager).execute(s ->
          jdbc.sql("select count(*) from image_package where image_id = ?").param(imageA).query(Long.class).single());
      assertThat(packages).isZero();
    });
    TenantScope.runAs(tenantA, () -> assertThat(findings(imageA)).hasSize(2));
  }

  @Test
  void theImagePageShowsItsVulnerabilitiesToItsTenantOnly() throws Exception {
    UUID image = image(tenantA);
    TenantScope.runAs(tenantA, () -> {
      inventories.store(image, inventory());
      rematching.matchImage(image);
    });
    MockHttpServletResponse page = mvc.perform(get("/images/" + image).with(authentication(principal(tenantA, Role.VIEWER))))
        .andReturn().getResponse();
    assertThat(page.getStatus()).isEqualTo(200);
    String html = page.getContentAsString(StandardCharsets.UTF_8);
    assertThat(html).contains("Vulnerabilities", "2 packages", " on Debian GNU/Linux 12 (bookworm)", cve(), "DSA-" + suffix,
        "Remote code execution", "KEV", "3.2.5", "97.0%", "CVSS 9.8", "introduced 3.0, fixed 3.2.5");

    MockHttpServletResponse other = mvc.perform(get("/images/" + image).with(authentication(principal(tenantB, Role.ADMIN))))
        .andReturn().getResponse();
    assertThat(other.getStatus()).isEqualTo(404);
    assertThat(other.getContentAsString(StandardCharsets.UTF_8)).doesNotContain(cve()).doesNotContain("DSA-" + suffix);
  }

  UsernamePasswordAuthenticationToken principal(UUID tenant, Role role) {
    String name = role.name().toLowerCase() + "-" + tenant;
    User user = TenantScope.callAs(tenant, () -> users.signedIn("oid-" + name, name, name + "@example.org", role));
    SignedInUser signedIn = new SignedInUser(tenant, "Org", user.id(), name, user.email(), role, null);
    return UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities());
  }

  Inventory inventory() {
    String layer = "sha256:" + "a".repeat(64);
    return new Inventory("test", null, null, BOOKWORM, null, List.of(
        new InventoryPackage("deb", "libssl3", "3.0.11-1~deb12u1", "pkg:deb/debian/libssl3@3.0.11-1~deb12u1", "amd64",
            "openssl-" + suffix, null, null, "dpkg-status", "var/lib/dpkg/status", layer, null),
        new InventoryPackage("pypi", "django_" + suffix, "3.2.0", null, null, null, null, null, "python-metadata",
            "usr/lib/python3/site-packages/Django-3.2.0.dist-info/METADATA", layer, null)), List.of());
  }

  List<Map<String, Object>> findings(UUID image) {
    return new TransactionTemplate(transactionManager).execute(s -> jdbc.sql(
            "select vulnerability, regexp_replace(package_name, '_.*', '') as package_name, status, severity, cvss_score,"
                + " fixed_version, kev, epss, evidence::text as evidence, layer, fixed_at from finding where image_id = ?")
        .param(image).query().listOfRows());
  }

  void advisory(String id, List<String> aliases, String severity, String summary, String ecosystem, String release,
      String name, String ranges) {
    jdbc.sql("insert into advisory (id, modified, severity, summary) values (?, now(), ?::jsonb, ?)")
        .params(id, severity, summary).update();
    for (String alias : aliases) {
      jdbc.sql("insert into advisory_alias (advisory_id, relation, alias) values (?, 'ALIAS', ?)").params(id, alias).update();
    }
    jdbc.sql("""
        insert into affected (advisory_id, ordinal, ecosystem, release, package_name, withdrawn, ranges)
        values (?, 0, ?, ?, ?, false, ?::jsonb)
        """).params(id, ecosystem, release, name, ranges).update();
  }

  UUID image(UUID tenant) {
    return TenantScope.callAs(tenant, () -> new TransactionTemplate(transactionManager).execute(s -> {
      UUID connection = jdbc.sql("""
          insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)
          values (app_current_tenant(), ?, 'OCI', 'https://registry.example', 'ANONYMOUS', 'test') returning id
          """).param("r-" + UUID.randomUUID()).query(UUID.class).single();
      UUID repository = jdbc.sql("""
          insert into container_repository (tenant_id, connection_id, name) values (app_current_tenant(), ?, 'team/app')
          returning id
          """).param(connection).query(UUID.class).single();
      return jdbc.sql("""
          insert into image (tenant_id, repository_id, digest, media_type, is_index)
          values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false) returning id
          """).params(repository, "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2)).query(UUID.class).single();
    }));
  }
}
