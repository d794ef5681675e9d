package io.portcullis.registry;

import static io.portcullis.api.ApiClient.assertProblem;
import static io.portcullis.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import io.portcullis.api.ApiClient;
import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.api.Paging;
import io.portcullis.api.TenantData;
import io.portcullis.findings.ImageInventories;
import io.portcullis.scanner.analysis.os.OsRelease;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The read endpoints over real HTTP with a real token: registries, repositories and images by cursor, an image with
 * its analysis, and its SBOM as CycloneDX 1.6 built from the stored inventory.
 */
@LocalModeTest
@AutoConfigureMockMvc
class RegistryApiTests {

  @LocalServerPort int port;
  @Autowired Tenants tenants;
  @Autowired ApiTokens tokens;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired ImageInventories inventories;

  ApiClient api;
  TenantData data;
  String token;

  @BeforeEach
  void tenant() {
    api = new ApiClient(port);
    data = new TenantData(tenants, jdbc, transactionManager, "Api Readers");
    token = data.token(tokens, ApiScope.READ);
  }

  @Test
  void registriesComeByNameAPageAtATimeWithoutRepeatsOrGaps() throws Exception {
    for (String name : List.of("Reg C", "reg a", "Reg B", "Reg E", "reg d")) {
      data.registry(name);
    }
    List<String> names = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> response =
          api.get("/api/v1/registries?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
      JsonNode page = json(response);
      assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
      page.path("items").forEach(item -> names.add(item.path("name").asString()));
      cursor = page.path("next").isNull() ? null : page.path("next").asString();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(names).containsExactly("reg a", "Reg B", "Reg C", "reg d", "Reg E");
    assertThat(pages).isEqualTo(3);

    JsonNode all = json(api.get("/api/v1/registries", token));
    assertThat(all.path("items").size()).isEqualTo(5);
    assertThat(all.path("next").isNull()).isTrue();
    JsonNode first = all.path("items").get(0);
    assertThat(first.path("kind").asString()).isEqualTo("OCI");
    assertThat(first.path("endpoint").asString()).isEqualTo("https://rega.registry.example");
    assertThat(first.path("authentication").asString()).isEqualTo("ANONYMOUS");
    assertThat(first.has("secret")).isFalse();
    assertThat(first.has("username")).isFalse();

    JsonNode one = json(api.get("/api/v1/registries/" + first.path("id").asString(), token));
    assertThat(one.path("name").asString()).isEqualTo("reg a");
  }

  @Test
  void pagingParametersOutOfRangeAreRefusedAsProblems() throws Exception {
    UUID registry = data.registry("Paged");
    for (String query :
        List.of("limit=0", "limit=501", "limit=abc", "cursor=%25%25%25", "cursor=" + "A".repeat(3000))) {
      assertProblem(api.get("/api/v1/registries?" + query, token), 400);
    }
    // a registries cursor has two parts; a repositories cursor has one
    String registriesCursor = Paging.cursor(List.of("paged", registry.toString()));
    assertProblem(api.get("/api/v1/registries/" + registry + "/repositories?cursor=" + registriesCursor, token), 400);
    assertProblem(api.get("/api/v1/registries?cursor=" + Paging.cursor(List.of("a", "not-a-uuid")), token), 400);
    assertThat(api.get("/api/v1/registries?limit=500", token).statusCode()).isEqualTo(200);
  }

  @Test
  void repositoriesAndImagesWithTheirTags() throws Exception {
    UUID registry = data.registry("Shop");
    UUID web = data.repository(registry, "shop/web");
    data.repository(registry, "shop/api");
    UUID old = data.image(web, "linux/amd64", "1.0");
    UUID middle = data.image(web, "linux/amd64");
    UUID newest = data.image(web, "linux/arm64", "2.0", "latest");

    JsonNode repositories = json(api.get("/api/v1/registries/" + registry + "/repositories", token));
    assertThat(repositories.path("items").findValuesAsString("name")).containsExactly("shop/api", "shop/web");
    JsonNode webRepository = repositories.path("items").get(1);
    assertThat(webRepository.path("images").asLong()).isEqualTo(3);
    assertThat(webRepository.path("tags").asLong()).isEqualTo(3);
    assertThat(webRepository.path("registryId").asString()).isEqualTo(registry.toString());

    JsonNode firstPage = json(api.get("/api/v1/repositories/" + web + "/images?limit=2", token));
    assertThat(firstPage.path("items").findValuesAsString("id")).containsExactly(newest.toString(), middle.toString());
    assertThat(firstPage.path("items").get(0).path("tags").valueStream().map(JsonNode::asString))
        .containsExactly("2.0", "latest");
    assertThat(firstPage.path("items").get(0).path("platform").asString()).isEqualTo("linux/arm64");
    String next = firstPage.path("next").asString();
    JsonNode secondPage = json(api.get("/api/v1/repositories/" + web + "/images?limit=2&cursor=" + next, token));
    assertThat(secondPage.path("items").findValuesAsString("id")).containsExactly(old.toString());
    assertThat(secondPage.path("next").isNull()).isTrue();

    assertProblem(api.get("/api/v1/registries/" + UUID.randomUUID() + "/repositories", token), 404);
    assertProblem(api.get("/api/v1/repositories/" + UUID.randomUUID() + "/images", token), 404);
    assertProblem(api.get("/api/v1/registries/not-an-id", token), 400);
  }

  @Test
  void anImageWithItsAnalysisAndItsSbom() throws Exception {
    UUID registry = data.registry("Analysed");
    UUID repository = data.repository(registry, "team/app");
    UUID image = data.image(repository, "linux/amd64", "v1");

    // not analysed yet: the image is there, its SBOM is not
    JsonNode fresh = json(api.get("/api/v1/images/" + image, token));
    assertThat(fresh.path("analysis").path("analysedAt").isNull()).isTrue();
    assertThat(fresh.path("analysis").path("openFindings").path("CRITICAL").asLong()).isZero();
    assertProblem(api.get("/api/v1/images/" + image + "/sbom", token), 404);

    InventoryPackage openssl = new InventoryPackage("deb", "libssl3", "3.0.11-1~deb12u1",
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12", "amd64", "openssl", "3.0.11-1~deb12u1",
        null, "dpkg", "var/lib/dpkg/status", "sha256:" + "a".repeat(64), null);
    InventoryPackage django = new InventoryPackage("pypi", "Django", "3.2.0", "pkg:pypi/django@3.2.0", null, null, null,
        "BSD-3-Clause", "python-metadata", "usr/lib/python3/site-packages/Django-3.2.0.dist-info/METADATA",
        "sha256:" + "b".repeat(64), null);
    OsRelease bookworm = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");
    TenantScope.runAs(data.tenant, () -> inventories.store(image,
        new Inventory("team/app:v1", null, "linux/amd64", bookworm, null, List.of(openssl, django), List.of())));
    finding(image, "CVE-2099-0001", "CRITICAL", "OPEN");
    finding(image, "CVE-2099-0002", "HIGH", "OPEN");
    finding(image, "CVE-2099-0003", "HIGH", "OPEN");
    finding(image, "CVE-2099-0004", "LOW", "FIXED");

    HttpResponse<String> response = api.get("/api/v1/images/" + image, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode detail = json(response);
    assertThat(detail.path("registry").path("id").asString()).isEqualTo(registry.toString());
    assertThat(detail.path("repository").path("name").asString()).isEqualTo("team/app");
    assertThat(detail.path("reference").asString()).isEqualTo("analysed.registry.example/team/app");
    assertThat(detail.path("tags").valueStream().map(JsonNode::asString)).containsExactly("v1");
    assertThat(detail.path("platform").asString()).isEqualTo("linux/amd64");
    assertThat(detail.path("layers").get(0).path("size").asLong()).isEqualTo(1000);
    JsonNode analysis = detail.path("analysis");
    assertThat(analysis.path("analysedAt").isNull()).isFalse();
    assertThat(analysis.path("os").asString()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(analysis.path("packages").asLong()).isEqualTo(2);
    assertThat(analysis.path("openFindings").propertyNames())
        .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNKNOWN");
    assertThat(analysis.path("openFindings").path("CRITICAL").asLong()).isEqualTo(1);
    assertThat(analysis.path("openFindings").path("HIGH").asLong()).isEqualTo(2);
    assertThat(analysis.path("openFindings").path("LOW").asLong()).isZero();
    assertThat(analysis.path("fixedFindings").asLong()).isEqualTo(1);
    // the critical finding without a known fix rules: 47.5 for the severity, rounded up (docs/risk.md)
    assertThat(detail.path("risk").asInt()).isEqualTo(48);
    assertThat(fresh.path("risk").asInt()).isZero();
    // and rolls up to its repository and registry, in lists and alone
    UUID quiet = data.repository(registry, "team/quiet");
    data.image(quiet, "linux/amd64", "v1");
    JsonNode repositories = json(api.get("/api/v1/registries/" + registry + "/repositories", token)).path("items");
    assertThat(repositories.findValuesAsString("name")).containsExactly("team/app", "team/quiet");
    assertThat(repositories.get(0).path("risk").asInt()).isEqualTo(48);
    assertThat(repositories.get(1).path("risk").asInt()).isZero();
    assertThat(json(api.get("/api/v1/repositories/" + repository + "/images", token)).path("items").get(0)
        .path("risk").asInt()).isEqualTo(48);
    assertThat(json(api.get("/api/v1/registries/" + registry, token)).path("risk").asInt()).isEqualTo(48);
    UUID empty = data.registry("Empty");
    JsonNode registries = json(api.get("/api/v1/registries", token)).path("items");
    assertThat(registries.findValuesAsString("name")).containsExactly("Analysed", "Empty");
    assertThat(registries.findValues("risk").stream().map(JsonNode::asInt)).containsExactly(48, 0);
    assertThat(json(api.get("/api/v1/registries/" + empty, token)).path("risk").asInt()).isZero();

    HttpResponse<String> sbom = api.get("/api/v1/images/" + image + "/sbom", token);
    assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(200);
    assertThat(sbom.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/vnd.cyclonedx+json");
    JsonNode bom = json(sbom);
    assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asString()).isEqualTo("1.6");
    assertThat(bom.path("metadata").path("component").path("name").asString())
        .isEqualTo("analysed.registry.example/team/app");
    assertThat(bom.path("metadata").path("component").path("version").asString()).isEqualTo(data.digests.get(0));
    assertThat(bom.path("components").findValuesAsString("purl"))
        .contains(openssl.purl(), django.purl());
    assertThat(bom.path("components").findValuesAsString("name")).contains("debian", "libssl3", "Django");
  }

  @Test
  void aMultiPlatformImageListsItsPlatforms() throws Exception {
    UUID registry = data.registry("Multi");
    UUID repository = data.repository(registry, "base/os");
    String index = "sha256:" + "e".repeat(64);
    UUID indexId = TenantScope.callAs(data.tenant, () -> new TransactionTemplate(transactionManager).execute(s -> {
      UUID id = jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index)"
              + " values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.index.v1+json', true) returning id")
          .params(repository, index).query(UUID.class).single();
      jdbc.sql("insert into tag (tenant_id, repository_id, name, digest) values (app_current_tenant(), ?, 'stable', ?)")
          .params(repository, index).update();
      for (String platform : List.of("linux/arm64", "linux/amd64")) {
        String digest = "sha256:" + (platform.contains("arm") ? "1" : "2").repeat(64);
        jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index, index_digest, platform)"
                + " values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false, ?, ?)")
            .params(repository, digest, index, platform)
            .update();
      }
      return id;
    }));
    JsonNode detail = json(api.get("/api/v1/images/" + indexId, token));
    assertThat(detail.path("index").asBoolean()).isTrue();
    assertThat(detail.path("tags").valueStream().map(JsonNode::asString)).containsExactly("stable");
    assertThat(detail.path("platforms").findValuesAsString("platform")).containsExactly("linux/amd64", "linux/arm64");
  }

  private void finding(UUID image, String vulnerability, String severity, String status) {
    TenantScope.runAs(data.tenant, () -> new TransactionTemplate(transactionManager).executeWithoutResult(s ->
        jdbc.sql("""
            insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
              package_name, package_version, package_path, layer, severity, evidence, state, status, fixed_at)
            values (app_current_tenant(), ?, ?, array[?], ?, 'deb', 'libssl3', '3.0.11', 'var/lib/dpkg/status', 'l',
              ?, '[]'::jsonb, ?, ?, case when ? = 'FIXED' then now() end)
            """)
            .params(image, vulnerability, vulnerability, "deb:" + vulnerability, severity, "s".repeat(64), status,
                status)
            .update()));
  }
}
