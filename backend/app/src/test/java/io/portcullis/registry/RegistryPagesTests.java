package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The registry pages through a browser's eyes: forms, write-only secrets, validation, tenancy. */
@LocalModeTest
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class RegistryPagesTests {

  static final String SECRET = "Sup3r-S3cret-Registry-Passw0rd-" + UUID.randomUUID();

  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired AuditLog audit;
  @Autowired @FlywayDataSource javax.sql.DataSource ownerDataSource;
  @Autowired JdbcClient app;
  @Autowired org.springframework.transaction.PlatformTransactionManager transactions;

  UUID tenantA;
  UUID tenantB;
  UsernamePasswordAuthenticationToken adminA;
  UsernamePasswordAuthenticationToken viewerA;
  UsernamePasswordAuthenticationToken adminB;

  @BeforeEach
  void people() {
    tenantA = tenants.onboard(UUID.randomUUID().toString(), "Contoso", "test").tenantId();
    tenantB = tenants.onboard(UUID.randomUUID().toString(), "Fabrikam", "test").tenantId();
    adminA = principal(tenantA, "admin-a", Role.ADMIN);
    viewerA = principal(tenantA, "viewer-a", Role.VIEWER);
    adminB = principal(tenantB, "admin-b", Role.ADMIN);
  }

  @Test
  void aSecretEnteredInTheFormIsNeverShownLoggedOrStoredInClear(CapturedOutput output) throws Exception {
    UUID id = addBasicConnection("Harbor", SECRET);

    for (String page : new String[] {"/registries", "/registries/" + id, "/registries/" + id + "/edit", "/audit"}) {
      String html = page(adminA, page);
      assertThat(html).as(page).doesNotContain(SECRET);
    }
    assertThat(page(adminA, "/registries/" + id + "/edit")).contains("A credential is stored. Leave empty to keep it.");
    assertThat(output.getAll()).doesNotContain(SECRET);
    byte[] stored =
        JdbcClient.create(ownerDataSource).sql("select secret from registry_connection where id = ?").param(id).query(byte[].class).single();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain(SECRET);

    // a form that fails validation does not echo the secret back either
    MockHttpServletResponse invalid =
        mvc.perform(post("/registries").with(csrf()).with(authentication(adminA))
                .param("kind", "OCI").param("name", "").param("endpoint", "https://x.example").param("authentication", "BASIC")
                .param("username", "u").param("secret", SECRET).param("intervalMinutes", "60"))
            .andReturn().getResponse();
    assertThat(invalid.getStatus()).isEqualTo(200);
    assertThat(invalid.getContentAsString()).contains("Give the connection a name").doesNotContain(SECRET);
  }

  @Test
  void theWebhookSecretIsShownOnceAfterAdding() throws Exception {
    MvcResult added = add("Once", "https://once.example", "ANONYMOUS", null, null);
    String webhookSecret = (String) added.getFlashMap().get("webhookSecret");
    assertThat(webhookSecret).hasSizeGreaterThan(30);
    String id = added.getResponse().getRedirectedUrl().substring("/registries/".length());
    assertThat(page(adminA, "/registries/" + id)).doesNotContain(webhookSecret);
  }

  @Test
  void changingAConnectionKeepsOrReplacesTheCredentialAndIsAudited() throws Exception {
    UUID id = addBasicConnection("Keep", SECRET);
    MvcResult kept =
        mvc.perform(post("/registries/" + id).with(csrf()).with(authentication(adminA))
                .param("kind", "OCI").param("name", "Keep renamed").param("endpoint", "https://keep.example")
                .param("authentication", "BASIC").param("username", "u").param("secret", "").param("intervalMinutes", "30"))
            .andReturn();
    assertThat(kept.getResponse().getRedirectedUrl()).isEqualTo("/registries/" + id);
    String detail = page(adminA, "/registries/" + id);
    assertThat(detail).contains("Keep renamed").contains("every 30 minutes");
    var actions =
        TenantScope.callAs(tenantA, () -> audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 50).events());
    assertThat(actions).extracting(e -> e.action()).contains("registry.connection-added", "registry.connection-changed");
  }

  @Test
  void invalidFormsExplainEachField() throws Exception {
    MockHttpServletResponse response =
        mvc.perform(post("/registries").with(csrf()).with(authentication(adminA))
                .param("kind", "ACR").param("name", "x").param("endpoint", "http://contoso.azurecr.io")
                .param("authentication", "ACR_SERVICE_PRINCIPAL").param("azureTenantId", "nope").param("intervalMinutes", "1"))
            .andReturn().getResponse();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString())
        .contains("An Azure Container Registry is reached over https.")
        .contains("Give the application (client) id.")
        .contains("Give the directory (tenant) id")
        .contains("Choose an interval between 5 minutes and 7 days.");
  }

  @Test
  void theInstallationsOwnIdentityIsNotLentToTenants() throws Exception {
    String form = page(adminA, "/registries/new?kind=ACR");
    assertThat(form).contains("ACR_SERVICE_PRINCIPAL").doesNotContain("ACR_MANAGED_IDENTITY");
    MvcResult added =
        mvc.perform(post("/registries").with(csrf()).with(authentication(adminA))
                .param("kind", "ACR").param("name", "Borrowed identity").param("endpoint", "victim.azurecr.io")
                .param("authentication", "ACR_MANAGED_IDENTITY").param("intervalMinutes", "60"))
            .andReturn();
    String location = added.getResponse().getRedirectedUrl();
    MvcResult tested =
        mvc.perform(post(location + "/test").with(csrf()).with(authentication(adminA)).header("HX-Request", "true")).andReturn();
    assertThat(tested.getResponse().getContentAsString())
        .contains("does not lend its own identity")
        .doesNotContain("Reachable.");
  }

  @Test
  void viewersSeeRegistriesButCannotChangeThem() throws Exception {
    UUID id = addBasicConnection("Visible", SECRET);
    assertThat(page(viewerA, "/registries")).contains("Visible").doesNotContain("Connect an Azure Container Registry");
    assertThat(page(viewerA, "/registries/" + id)).doesNotContain("Test connection").doesNotContain("Delete");
    assertThat(mvc.perform(get("/registries/new").with(authentication(viewerA))).andReturn().getResponse().getStatus()).isEqualTo(403);
    assertThat(mvc.perform(post("/registries/" + id + "/delete").with(csrf()).with(authentication(viewerA))).andReturn().getResponse().getStatus())
        .isEqualTo(403);
  }

  @Test
  void anotherTenantSeesNothingOfAConnection() throws Exception {
    UUID id = addBasicConnection("Contoso ACR", SECRET);
    assertThat(page(adminB, "/registries")).doesNotContain("Contoso ACR");
    for (String path : new String[] {"/registries/" + id, "/registries/" + id + "/edit", "/registries/" + id + "/live"}) {
      assertThat(mvc.perform(get(path).with(authentication(adminB))).andReturn().getResponse().getStatus()).as(path).isEqualTo(404);
    }
    for (String action : new String[] {"delete", "disable", "webhook-secret", "discover", "test"}) {
      int status =
          mvc.perform(post("/registries/" + id + "/" + action).with(csrf()).with(authentication(adminB))).andReturn().getResponse().getStatus();
      assertThat(status).as(action).isEqualTo(404);
    }
    assertThat(page(adminA, "/registries")).contains("Contoso ACR");
  }

  @Test
  void deletingAConnectionRemovesItAndIsAudited() throws Exception {
    UUID id = addBasicConnection("Short-lived", SECRET);
    MvcResult deleted = mvc.perform(post("/registries/" + id + "/delete").with(csrf()).with(authentication(adminA))).andReturn();
    assertThat(deleted.getResponse().getRedirectedUrl()).isEqualTo("/registries");
    assertThat(mvc.perform(get("/registries/" + id).with(authentication(adminA))).andReturn().getResponse().getStatus()).isEqualTo(404);
    var actions =
        TenantScope.callAs(tenantA, () -> audit.search(new AuditLog.Filter("registry.connection-deleted", null, null, null, null), 0, 10).events());
    assertThat(actions).singleElement().satisfies(e -> assertThat(e.target()).contains("Short-lived"));
  }

  @Test
  void aLargeRegistryListsItsFirstRepositoriesAndFindsTheOthersByName() throws Exception {
    UUID id = addBasicConnection("Big", SECRET);
    TenantScope.runAs(tenantA, () -> new org.springframework.transaction.support.TransactionTemplate(transactions)
        .executeWithoutResult(s -> {
          app.sql("insert into container_repository (tenant_id, connection_id, name) select app_current_tenant(), ?,"
              + " 'team-' || lpad(n::text, 3, '0') || '/app' from generate_series(0, 502) n").param(id).update();
          app.sql("insert into container_repository (tenant_id, connection_id, name)"
              + " values (app_current_tenant(), ?, 'odd_name%x')").param(id).update();
        }));
    String all = page(viewerA, "/registries/" + id);
    assertThat(all).contains("The first 500 of 504 by name");
    assertThat(all.split("/registries/" + id + "/repositories/", -1)).hasSize(501);
    assertThat(page(viewerA, "/registries/" + id + "?q=TEAM-00")).contains("10 repositories match.")
        .contains("team-009/app").doesNotContain("team-010/app");
    // the filter's own characters are taken as written
    for (String literal : new String[] {"_", "%", "E%X"}) {
      assertThat(mvc.perform(get("/registries/" + id).param("q", literal).with(authentication(viewerA))).andReturn()
          .getResponse().getContentAsString()).as(literal).contains("1 repository matches.").contains("odd_name%x");
    }
    assertThat(page(viewerA, "/registries/" + id + "?q=nothing-like-it")).contains("0 repositories match.");
    // a filter longer than any name is cut to 200 characters, not refused
    assertThat(page(viewerA, "/registries/" + id + "?q=" + "team-".repeat(60))).contains("0 repositories match.");
    // the live part of the page keeps the filter while a discovery runs
    assertThat(page(viewerA, "/registries/" + id + "/live?q=team-50")).contains("team-502/app")
        .doesNotContain("team-499/app");
  }

  private UUID addBasicConnection(String name, String secret) throws Exception {
    MvcResult result = add(name, "https://" + name.toLowerCase().replace(' ', '-') + ".example", "BASIC", "reader", secret);
    String location = result.getResponse().getRedirectedUrl();
    assertThat(location).as("redirect after adding").startsWith("/registries/");
    return UUID.fromString(location.substring("/registries/".length()));
  }

  private MvcResult add(String name, String endpoint, String auth, String username, String secret) throws Exception {
    var request =
        post("/registries").with(csrf()).with(authentication(adminA))
            .param("kind", "OCI").param("name", name).param("endpoint", endpoint).param("authentication", auth)
            .param("intervalMinutes", "60").param("include", "").param("exclude", "");
    if (username != null) {
      request.param("username", username);
    }
    if (secret != null) {
      request.param("secret", secret);
    }
    return mvc.perform(request).andReturn();
  }

  private String page(UsernamePasswordAuthenticationToken who, String path) throws Exception {
    MockHttpServletResponse response = mvc.perform(get(path).with(authentication(who))).andReturn().getResponse();
    assertThat(response.getStatus()).as(path).isEqualTo(200);
    return response.getContentAsString();
  }

  private UsernamePasswordAuthenticationToken principal(UUID tenant, String name, Role role) {
    User user = TenantScope.callAs(tenant, () -> users.signedIn("oid-" + name + "-" + tenant, name, name + "@example.org", role));
    SignedInUser signedIn = new SignedInUser(tenant, "Org", user.id(), name, user.email(), role, null);
    return UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities());
  }
}
