package io.portcullis.api;

import static io.portcullis.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * API tokens end to end: made on the Admin page and shown once, stored only as a hash, used over real HTTP, refused
 * once revoked or expired, limited to reading when so scoped, and audited.
 */
@LocalModeTest
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class ApiTokenTests {

  static final Pattern TOKEN = Pattern.compile("pcl_[a-z0-9]{8}_[A-Za-z0-9_-]{43}");

  @LocalServerPort int port;
  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired ApiTokens tokens;
  @Autowired AuditLog audit;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired @FlywayDataSource DataSource ownerDataSource;

  ApiClient api;
  TenantData data;
  UsernamePasswordAuthenticationToken admin;

  @BeforeEach
  void tenant() {
    api = new ApiClient(port);
    data = new TenantData(tenants, jdbc, transactionManager, "Token Holders");
    admin = signedIn(data.tenant, Role.ADMIN);
  }

  @Test
  void aNewTokenIsShownOnceAndOnlyItsHashIsStored(CapturedOutput output) throws Exception {
    MvcResult created =
        mvc.perform(post("/settings/api-tokens").with(csrf()).with(authentication(admin))
                .param("name", "release pipeline").param("scope", "READ").param("days", "30"))
            .andReturn();
    assertThat(created.getResponse().getRedirectedUrl()).isEqualTo("/settings/api-tokens");
    String token = (String) created.getFlashMap().get("createdToken");
    assertThat(token).matches(TOKEN);
    String secret = token.substring(token.lastIndexOf('_') + 1);

    // shown on the page the form leads to, and never again
    String once = mvc.perform(get("/settings/api-tokens").flashAttrs(created.getFlashMap()).with(authentication(admin)))
        .andReturn().getResponse().getContentAsString();
    assertThat(once).contains(token).contains("shown this once");
    String later = page(admin);
    assertThat(later).doesNotContain(secret).contains("release pipeline").contains(token.substring(0, 12) + "_…");

    // it works, over real HTTP
    assertThat(api.get("/api/v1/registries", token).statusCode()).isEqualTo(200);

    // at rest: the hash of the whole token, and the secret nowhere in any table
    JdbcClient owner = JdbcClient.create(ownerDataSource);
    byte[] hash = owner.sql("select secret_hash from api_token where tenant_id = ?").param(data.tenant)
        .query(byte[].class).single();
    assertThat(hash).isEqualTo(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    List<String> tables =
        owner.sql("select tablename from pg_tables where schemaname = 'public'").query(String.class).list();
    assertThat(tables).contains("api_token", "audit_event");
    for (String table : tables) {
      long hits = owner.sql("select count(*) from \"" + table + "\" t where t::text like ?").param("%" + secret + "%")
          .query(Long.class).single();
      assertThat(hits).as("the secret in table %s", table).isZero();
    }
    assertThat(output.getAll()).doesNotContain(secret);

    List<AuditEvent> events = events(data.tenant);
    assertThat(events).anySatisfy(event -> {
      assertThat(event.action()).isEqualTo("api.token-created");
      assertThat(event.actor()).isEqualTo("admin@example.org");
      assertThat(event.target()).contains("release pipeline");
      assertThat(event.detail()).contains("Read").contains(token.substring(0, 12)).doesNotContain(secret);
    });
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndTheRevocationAudited() throws Exception {
    ApiTokens.Created created =
        TenantScope.callAs(data.tenant, () -> tokens.create("soon revoked", ApiScope.READ, 30, "test"));
    assertThat(api.get("/api/v1/registries", created.secret()).statusCode()).isEqualTo(200);

    MvcResult revoked =
        mvc.perform(post("/settings/api-tokens/" + created.token().id() + "/revoke")
                .with(csrf()).with(authentication(admin)))
            .andReturn();
    assertThat(revoked.getResponse().getRedirectedUrl()).isEqualTo("/settings/api-tokens");

    HttpResponse<String> refused = api.get("/api/v1/registries", created.secret());
    assertThat(assertProblem(refused, 401).path("detail").asString()).isEqualTo("The token was revoked.");
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer error=\"invalid_token\"");
    assertThat(page(admin)).contains("Revoked").contains("admin@example.org");
    assertThat(events(data.tenant)).anySatisfy(event -> {
      assertThat(event.action()).isEqualTo("api.token-revoked");
      assertThat(event.target()).contains(created.token().id().toString()).contains("soon revoked");
    });
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    ApiTokens.Created created =
        TenantScope.callAs(data.tenant, () -> tokens.create("short-lived", ApiScope.READ, 1, "test"));
    assertThat(api.get("/api/v1/registries", created.secret()).statusCode()).isEqualTo(200);
    JdbcClient.create(ownerDataSource)
        .sql("update api_token set created_at = now() - interval '2 days', expires_at = now() - interval '1 minute'"
            + " where id = ?")
        .param(created.token().id())
        .update();
    HttpResponse<String> refused = api.get("/api/v1/registries", created.secret());
    assertThat(assertProblem(refused, 401).path("detail").asString()).startsWith("The token expired on ");
    assertThat(page(admin)).contains("Expired");
  }

  @Test
  void missingUnknownAndMalformedTokensAreRefused() throws Exception {
    HttpResponse<String> none = api.get("/api/v1/registries", null);
    assertProblem(none, 401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer");

    String unknown = "pcl_abcdefgh_" + "A".repeat(43);
    assertThat(assertProblem(api.get("/api/v1/registries", unknown), 401).path("detail").asString())
        .isEqualTo("The token is not recognised.");
    // a token that differs in one character of its secret is another token
    String real = data.token(tokens, ApiScope.READ);
    String tampered = real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A");
    assertProblem(api.get("/api/v1/registries", tampered), 401);
    // this installation has no Entra ID, so nothing but a Portcullis token is accepted
    assertProblem(api.get("/api/v1/registries", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), 401);
    for (String header : List.of("Basic YWRtaW46YWRtaW4tc2VjcmV0", "Bearer", "Bearer a b", "bearer")) {
      assertProblem(api.send(api.request("/api/v1/registries", null).header("Authorization", header).GET()), 401);
    }
  }

  @Test
  void aReadTokenCannotChangeAnythingAReadWriteTokenReachesTheRoute() throws Exception {
    String read = data.token(tokens, ApiScope.READ);
    String readWrite = data.token(tokens, ApiScope.READ_WRITE);
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      HttpResponse<String> refused = api.send(method, "/api/v1/registries", read, "application/json", "{}");
      assertThat(assertProblem(refused, 403).path("detail").asString()).contains("may only read");
      assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
      // the read-write token passes authorization and meets the route, which has no such method
      assertProblem(api.send(method, "/api/v1/registries", readWrite, "application/json", "{}"), 405);
    }
    assertThat(api.get("/api/v1/registries", read).statusCode()).isEqualTo(200);
    assertThat(api.send(api.request("/api/v1/registries", read).method("HEAD", HttpRequest.BodyPublishers.noBody()))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void useIsRecordedAtMostOnceAMinute() throws Exception {
    ApiTokens.Created created =
        TenantScope.callAs(data.tenant, () -> tokens.create("busy", ApiScope.READ, 30, "test"));
    assertThat(created.token().lastUsedAt()).isNull();
    api.get("/api/v1/registries", created.secret());
    Instant first = lastUsed(created.token().id());
    assertThat(first).isNotNull();
    api.get("/api/v1/registries", created.secret());
    api.get("/api/v1/registries", created.secret());
    assertThat(lastUsed(created.token().id())).isEqualTo(first);
  }

  @Test
  void aSignedInBrowserSessionOpensNothingInTheApi() throws Exception {
    HttpResponse<String> login = api.send(api.request("/login", null).header("Accept", "text/html").GET());
    String session = cookie(login);
    Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
    assertThat(csrf.find()).isTrue();
    String form =
        "username=admin&password=admin-secret&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> signedIn = api.send(api.request("/login", null).header("Cookie", session)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    assertThat(signedIn.statusCode()).isEqualTo(302);
    String signedInSession = cookie(signedIn);
    assertThat(api.send(api.request("/", null).header("Cookie", signedInSession).header("Accept", "text/html").GET())
        .statusCode()).isEqualTo(200);

    HttpResponse<String> api401 =
        api.send(api.request("/api/v1/registries", null).header("Cookie", signedInSession).GET());
    assertProblem(api401, 401);
    assertThat(api401.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void theTokenPageIsForAdminsAndServesTheTableToHtmx() throws Exception {
    TenantScope.runAs(data.tenant, () -> tokens.create("listed", ApiScope.READ_WRITE, 7, "test"));
    MockHttpServletResponse full =
        mvc.perform(get("/settings/api-tokens").with(authentication(admin))).andReturn().getResponse();
    assertThat(full.getStatus()).isEqualTo(200);
    assertThat(full.getContentAsString()).contains("<html").contains("id=\"tokens\"").contains("listed")
        .contains("Read and write").contains("New token").contains("href=\"/settings/api-tokens\"");
    MockHttpServletResponse fragment =
        mvc.perform(get("/settings/api-tokens").header("HX-Request", "true").with(authentication(admin)))
            .andReturn().getResponse();
    assertThat(fragment.getStatus()).isEqualTo(200);
    assertThat(fragment.getContentAsString()).doesNotContain("<html").doesNotContain("New token")
        .contains("id=\"tokens\"").contains("listed");
    assertThat(fragment.getHeaders("Vary")).contains("HX-Request");

    for (Role role : List.of(Role.ANALYST, Role.VIEWER)) {
      assertThat(mvc.perform(get("/settings/api-tokens").with(authentication(signedIn(data.tenant, role))))
          .andReturn().getResponse().getStatus()).as(role.name()).isEqualTo(403);
      assertThat(mvc.perform(post("/settings/api-tokens").with(csrf()).with(authentication(signedIn(data.tenant, role)))
              .param("name", "x").param("scope", "READ").param("days", "1"))
          .andReturn().getResponse().getStatus()).as(role.name()).isEqualTo(403);
    }
    // the side navigation offers the page to Admins only
    assertThat(mvc.perform(get("/").with(authentication(signedIn(data.tenant, Role.ANALYST))))
        .andReturn().getResponse().getContentAsString()).doesNotContain("/settings/api-tokens");
  }

  @Test
  void nameScopeAndLifetimeAreChecked() throws Exception {
    for (Map<String, String> form : List.of(
        Map.of("name", "x", "scope", "READ", "days", "0"),
        Map.of("name", "x", "scope", "READ", "days", "366"),
        Map.of("name", "x", "scope", "READ", "days", "soon"),
        Map.of("name", " ", "scope", "READ", "days", "30"),
        Map.of("name", "x".repeat(101), "scope", "READ", "days", "30"),
        Map.of("name", "x", "scope", "ADMIN", "days", "30"))) {
      var request = post("/settings/api-tokens").with(csrf()).with(authentication(admin));
      form.forEach(request::param);
      MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
      assertThat(response.getStatus()).as(form.toString()).isEqualTo(200);
      assertThat(response.getContentAsString()).as(form.toString())
          .contains("flash error").doesNotContainPattern(TOKEN);
    }
    assertThat(TenantScope.callAs(data.tenant, tokens::all)).isEmpty();
    ApiTokens.Created year = TenantScope.callAs(data.tenant, () -> tokens.create("a year", ApiScope.READ, 365, "t"));
    assertThat(year.token().expiresAt()).isAfter(Instant.now().plusSeconds(364L * 24 * 3600));
  }

  @Test
  void aTenantHasAtMostAHundredUsableTokens() {
    TenantScope.runAs(data.tenant, () -> {
      for (int i = 0; i < ApiTokens.MAX_ACTIVE; i++) {
        tokens.create("token " + i, ApiScope.READ, 1, "test");
      }
      assertThatThrownBy(() -> tokens.create("one too many", ApiScope.READ, 1, "test"))
          .isInstanceOf(ApiTokens.InvalidTokenRequestException.class);
      tokens.revoke(tokens.all().get(0).id(), "test");
      assertThat(tokens.create("in its place", ApiScope.READ, 1, "test").secret()).matches(TOKEN);
    });
  }

  @Test
  void anAdminCannotRevokeAnotherOrganisationsToken() throws Exception {
    TenantData other = new TenantData(tenants, jdbc, transactionManager, "Other Org");
    ApiTokens.Created theirs = TenantScope.callAs(other.tenant, () -> tokens.create("theirs", ApiScope.READ, 30, "t"));
    MockHttpServletResponse response =
        mvc.perform(post("/settings/api-tokens/" + theirs.token().id() + "/revoke")
                .with(csrf()).with(authentication(admin)))
            .andReturn().getResponse();
    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(page(admin)).doesNotContain("theirs");
    assertThat(api.get("/api/v1/registries", theirs.secret()).statusCode()).isEqualTo(200);
  }

  private String page(UsernamePasswordAuthenticationToken who) throws Exception {
    return mvc.perform(get("/settings/api-tokens").with(authentication(who)))
        .andReturn().getResponse().getContentAsString();
  }

  private Instant lastUsed(UUID id) {
    return TenantScope.callAs(data.tenant, () -> tokens.find(id).orElseThrow().lastUsedAt());
  }

  private List<AuditEvent> events(UUID tenant) {
    return TenantScope.callAs(
        tenant, () -> audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 50).events());
  }

  private UsernamePasswordAuthenticationToken signedIn(UUID tenant, Role role) {
    String email = role.name().toLowerCase() + "@example.org";
    User user = TenantScope.callAs(
        tenant, () -> users.signedIn("oid-" + role + "-" + tenant, role.appRole(), email, role));
    SignedInUser principal = new SignedInUser(tenant, "Token Holders", user.id(), role.appRole(), email, role, null);
    return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
  }

  private static String cookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("PORTCULLIS_SESSION="))
        .map(c -> c.split(";", 2)[0])
        .findFirst()
        .orElseThrow();
  }
}
