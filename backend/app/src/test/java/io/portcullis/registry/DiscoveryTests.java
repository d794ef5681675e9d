package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.registry.internal.Discovery;
import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.Platform;
import io.portcullis.scanner.testing.TestImages;
import io.portcullis.scanner.testing.TestRegistry;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Discovery against real registries (Debian's distribution registry) holding images these tests build and push:
 * single images, a multi-platform index, a tag that moves, a manifest that is deleted, filters, Basic auth over TLS with
 * a private CA, the token flow, and a hostile registry next to a healthy one.
 */
@LocalModeTest
@AutoConfigureMockMvc
class DiscoveryTests {

  static TestRegistry registry;
  static TestImages images;
  static Digest app1;
  static TestImages.Index multi;

  @BeforeAll
  static void registryWithImages() {
    registry = TestRegistry.anonymous();
    images = new TestImages(registry);
    app1 = images.push("team/app", "1.0", TestImages.image("amd64"));
    images.push("team/app", "latest", TestImages.image("amd64"));
    multi = images.pushIndex("team/multi", "1.0", TestImages.image("amd64"), TestImages.image("arm64"));
    images.push("sandbox/tryout", "dev", TestImages.image(new Platform("linux", "amd64", null), Map.of("x", "sandbox")));
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired Connections connections;
  @Autowired Discovery discovery;
  @Autowired RegistryViews views;
  @Autowired JdbcClient jdbc;
  @Autowired MockMvc mvc;
  @Autowired PlatformTransactionManager transactionManager;

  UUID tenant;

  @BeforeEach
  void tenant() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Discovery Ltd", "test").tenantId();
  }

  @Test
  void discoversRepositoriesTagsImagesAndPlatformsByDigest() {
    UUID connection = connect("local", registry.url().toString(), Authentication.ANONYMOUS, null, null, null, List.of(), List.of());
    UUID run = discover(connection);

    TenantScope.runAs(tenant, () -> {
      assertThat(views.runs(connection, 1)).singleElement().satisfies(r -> {
        assertThat(r.id()).isEqualTo(run);
        assertThat(r.status()).isEqualTo("SUCCEEDED");
        assertThat(r.repositories()).isEqualTo(3);
        assertThat(r.failures()).isZero();
      });
      assertThat(views.repositories(connection, 10)).extracting(RegistryViews.RepositoryRow::name)
          .containsExactly("sandbox/tryout", "team/app", "team/multi");
      Connection c = connections.find(connection).orElseThrow();
      assertThat(c.health()).isEqualTo(Connection.Health.HEALTHY);
      assertThat(c.lastDiscoveryAt()).isNotNull();

      RegistryViews.ImageRow app = image(connection, "team/app", app1.toString());
      assertThat(app.index()).isFalse();
      assertThat(app.platform()).isEqualTo("linux/amd64");
      assertThat(app.created()).isEqualTo(TestImages.CREATED);
      assertThat(app.layers()).hasSize(1);
      assertThat(app.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
      assertThat(views.tagsOf(app)).contains("1.0");

      RegistryViews.ImageRow index = image(connection, "team/multi", multi.digest().toString());
      assertThat(index.index()).isTrue();
      assertThat(views.tagsOf(index)).containsExactly("1.0");
      assertThat(views.platformsOf(index)).extracting(RegistryViews.ImageRow::platform)
          .containsExactly("linux/amd64", "linux/arm64");
      assertThat(views.platformsOf(index)).allSatisfy(p -> assertThat(p.indexDigest()).isEqualTo(multi.digest().toString()));
    });
  }

  @Test
  void aMovedTagKeepsItsHistoryAndARemovedImageIsMarkedGoneNotDeleted() throws Exception {
    images.push("moving/app", "stable", TestImages.image("amd64"));
    Digest first = images.push("moving/app", "stable", TestImages.image(new Platform("linux", "amd64", null), Map.of("v", "1")));
    UUID connection = connect("moving", registry.url().toString(), Authentication.ANONYMOUS, null, null, null, List.of("moving/**"), List.of());
    discover(connection);

    Digest second = images.push("moving/app", "stable", TestImages.image(new Platform("linux", "amd64", null), Map.of("v", "2")));
    discover(connection);

    TenantScope.runAs(tenant, () -> {
      var repo = views.repository(connection, repositoryId(connection, "moving/app")).orElseThrow();
      var stable = repo.tags().stream().filter(t -> t.name().equals("stable")).findFirst().orElseThrow();
      assertThat(stable.digest()).isEqualTo(second.toString());
      assertThat(stable.history()).extracting(RegistryViews.Move::digest).containsExactly(second.toString(), first.toString());
      assertThat(stable.history().get(0).until()).isNull();
      assertThat(stable.history().get(1).until()).isNotNull();
      // the image the tag left keeps the spell it had it, closed; the image it points at now has it open
      assertThat(views.tagHistoryOf(image(connection, "moving/app", first.toString())))
          .singleElement().satisfies(spell -> {
            assertThat(spell.tag()).isEqualTo("stable");
            assertThat(spell.until()).isNotNull();
          });
      assertThat(views.tagHistoryOf(image(connection, "moving/app", second.toString())))
          .singleElement().satisfies(spell -> assertThat(spell.until()).isNull());
    });

    // the registry drops the image the tag points at now
    HttpResponse<String> deleted = registry.httpClient().send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/v2/moving/app/manifests/" + second)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(202);
    discover(connection);

    TenantScope.runAs(tenant, () -> {
      RegistryViews.ImageRow gone = image(connection, "moving/app", second.toString());
      assertThat(gone.goneAt()).as("kept, marked gone").isNotNull();
      var repo = views.repository(connection, repositoryId(connection, "moving/app")).orElseThrow();
      assertThat(repo.tags()).filteredOn(t -> t.name().equals("stable")).singleElement()
          .satisfies(t -> assertThat(t.goneAt()).isNotNull());
    });
  }

  @Test
  void filtersChooseTheRepositories() {
    UUID connection = connect("filtered", registry.url().toString(), Authentication.ANONYMOUS, null, null, null,
        List.of("team/**", "sandbox/*"), List.of("sandbox/**", "team/multi"));
    discover(connection);
    TenantScope.runAs(tenant, () -> assertThat(views.repositories(connection, 10))
        .extracting(RegistryViews.RepositoryRow::name).containsExactly("team/app"));
  }

  @Test
  void aPushEventDiscoversItsRepositoryWithinTheFiltersAndNoticesDeletions() throws Exception {
    images.push("pushed/app", "1", TestImages.image("amd64"));
    UUID connection = connect("pushes", registry.url().toString(), Authentication.ANONYMOUS, null, null, null,
        List.of("pushed/**"), List.of());
    TenantScope.runAs(tenant, () -> {
      discovery.run(connection, Trigger.PUSH_EVENT, "pushed/app");
      discovery.run(connection, Trigger.PUSH_EVENT, "team/app"); // outside the filter: not discovered
      assertThat(views.repositories(connection, 10)).extracting(RegistryViews.RepositoryRow::name).containsExactly("pushed/app");
      assertThat(views.runs(connection, 1).get(0).status()).isEqualTo("SUCCEEDED");
    });

    // the registry loses the repository (its only manifest is deleted); a delete event for it marks it gone
    String digest = TenantScope.callAs(tenant, () -> views.repository(connection, repositoryId(connection, "pushed/app"))
        .orElseThrow().tags().get(0).digest());
    registry.httpClient().send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/v2/pushed/app/manifests/" + digest)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    TenantScope.runAs(tenant, () -> {
      discovery.run(connection, Trigger.PUSH_EVENT, "pushed/app");
      var repository = views.repository(connection, repositoryId(connection, "pushed/app")).orElseThrow();
      assertThat(repository.tags()).allSatisfy(t -> assertThat(t.goneAt()).isNotNull());
      assertThat(image(connection, "pushed/app", digest).goneAt()).isNotNull();
    });
  }

  @Test
  void basicAuthOverTlsWithAPrivateCertificateAuthority() {
    try (TestRegistry secured = TestRegistry.basicAuthOverTls("reader", "correct-horse")) {
      new TestImages(secured).push("secure/app", "1", TestImages.image("amd64"));
      UUID good = connect("tls", secured.url().toString(), Authentication.BASIC, "reader", "correct-horse",
          secured.certificatePem(), List.of(), List.of());
      UUID wrongPassword = connect("tls-wrong", secured.url().toString(), Authentication.BASIC, "reader", "wrong",
          secured.certificatePem(), List.of(), List.of());
      UUID untrusted = connect("tls-untrusted", secured.url().toString(), Authentication.BASIC, "reader", "correct-horse",
          null, List.of(), List.of());
      discover(good);
      discover(wrongPassword);
      discover(untrusted);
      TenantScope.runAs(tenant, () -> {
        assertThat(views.repositories(good, 10)).extracting(RegistryViews.RepositoryRow::name).containsExactly("secure/app");
        assertThat(connections.find(good).orElseThrow().health()).isEqualTo(Connection.Health.HEALTHY);
        Connection refused = connections.find(wrongPassword).orElseThrow();
        assertThat(refused.health()).isEqualTo(Connection.Health.UNHEALTHY);
        assertThat(refused.healthReason()).isNotBlank().doesNotContain("wrong");
        assertThat(views.runs(wrongPassword, 1).get(0).status()).isEqualTo("FAILED");
        Connection tls = connections.find(untrusted).orElseThrow();
        assertThat(tls.health()).isEqualTo(Connection.Health.UNHEALTHY);
        assertThat(tls.healthReason()).contains("TLS").contains("certification path");
      });
    }
  }

  @Test
  void theTokenFlowWithScopes() {
    try (TestRegistry tokens = TestRegistry.tokenAuth("puller", "s3cret")) {
      new TestImages(tokens).push("token/app", "1", TestImages.image("arm64"));
      UUID connection = connect("token", tokens.url().toString(), Authentication.BASIC, "puller", "s3cret", null, List.of(), List.of());
      discover(connection);
      TenantScope.runAs(tenant, () -> {
        assertThat(views.repositories(connection, 10)).extracting(RegistryViews.RepositoryRow::name).containsExactly("token/app");
        assertThat(connections.find(connection).orElseThrow().health()).isEqualTo(Connection.Health.HEALTHY);
      });
      assertThat(tokens.issuedTokens()).isPositive();
    }
  }

  @Test
  void aHostileRegistryFailsItsOwnConnectionOnly() throws IOException {
    HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // a catalog whose pages never end
    hostile.createContext("/v2/", exchange -> {
      byte[] body = "{\"repositories\":[\"loop/a\"]}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("Link", "</v2/_catalog?n=1&last=loop/a" + System.nanoTime() + ">; rel=\"next\"");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    hostile.start();
    try {
      UUID bad = connect("hostile", "http://127.0.0.1:" + hostile.getAddress().getPort(), Authentication.ANONYMOUS, null, null, null, List.of(), List.of());
      UUID good = connect("good", registry.url().toString(), Authentication.ANONYMOUS, null, null, null, List.of("team/app"), List.of());
      discover(bad);
      discover(good);
      TenantScope.runAs(tenant, () -> {
        Connection failed = connections.find(bad).orElseThrow();
        assertThat(failed.health()).isEqualTo(Connection.Health.UNHEALTHY);
        assertThat(failed.healthReason()).isNotBlank();
        assertThat(failed.healthCheckedAt()).isNotNull();
        assertThat(views.runs(bad, 1).get(0).error()).isEqualTo(failed.healthReason());
        assertThat(views.repositories(bad, 10)).isEmpty();
        assertThat(connections.find(good).orElseThrow().health()).isEqualTo(Connection.Health.HEALTHY);
        assertThat(views.repositories(good, 10)).hasSize(1);
      });
    } finally {
      hostile.stop(0);
    }
  }

  @Test
  void anotherTenantSeesNoneOfIt() throws Exception {
    UUID connection = connect("mine", registry.url().toString(), Authentication.ANONYMOUS, null, null, null, List.of("team/app"), List.of());
    discover(connection);
    UUID imageId = TenantScope.callAs(tenant, () -> image(connection, "team/app", app1.toString()).id());
    UUID repositoryId = TenantScope.callAs(tenant, () -> repositoryId(connection, "team/app"));
    UUID other = tenants.onboard(UUID.randomUUID().toString(), "Other", "test").tenantId();
    TenantScope.runAs(other, () -> {
      assertThat(views.image(imageId)).isEmpty();
      assertThat(views.repositories(connection, 10)).isEmpty();
      assertThat(views.runs(connection, 10)).isEmpty();
      Long images = new TransactionTemplate(transactionManager).execute(
          status -> jdbc.sql("select count(*) from image").query(Long.class).single());
      assertThat(images).isZero();
    });
    var stranger = principal(other, Role.ADMIN);
    for (String path : new String[] {"/images/" + imageId, "/registries/" + connection + "/repositories/" + repositoryId}) {
      assertThat(mvc.perform(get(path).with(authentication(stranger))).andReturn().getResponse().getStatus()).as(path).isEqualTo(404);
    }
    var owner = principal(tenant, Role.VIEWER);
    String imagePage = mvc.perform(get("/images/" + imageId).with(authentication(owner))).andReturn().getResponse().getContentAsString();
    assertThat(imagePage).contains(app1.toString()).contains("linux/amd64");
    String repoPage = mvc.perform(get("/registries/" + connection + "/repositories/" + repositoryId).with(authentication(owner)))
        .andReturn().getResponse().getContentAsString();
    assertThat(repoPage).contains("team/app").contains("1.0").contains("latest");
  }

  private UUID connect(String name, String url, Authentication auth, String user, String secret, String ca,
      List<String> include, List<String> exclude) {
    return TenantScope.callAs(tenant, () -> connections.add(
        new ConnectionSpec(name, ConnectionKind.OCI, url, auth, user, null, secret, ca, include, exclude, Duration.ofHours(1)),
        "test").connection().id());
  }

  private UUID discover(UUID connection) {
    return TenantScope.callAs(tenant, () -> discovery.run(connection, Trigger.MANUAL, null)).orElseThrow();
  }

  private UUID repositoryId(UUID connection, String name) {
    return views.repositories(connection, 100).stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().id();
  }

  private RegistryViews.ImageRow image(UUID connection, String repository, String digest) {
    UUID id = new TransactionTemplate(transactionManager).execute(status ->
        jdbc.sql("select i.id from image i join container_repository r on r.id = i.repository_id"
                + " where r.connection_id = ? and r.name = ? and i.digest = ?")
            .param(connection).param(repository).param(digest).query(UUID.class).single());
    return views.image(id).orElseThrow();
  }

  private UsernamePasswordAuthenticationToken principal(UUID tenant, Role role) {
    User user = TenantScope.callAs(tenant, () -> users.signedIn("oid-" + role + tenant, "P", "p@example.org", role));
    SignedInUser signedIn = new SignedInUser(tenant, "Org", user.id(), "P", "p@example.org", role, null);
    return UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities());
  }
}
