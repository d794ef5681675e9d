package io.portcullis.api;

import static io.portcullis.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.StandInEntra;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Entra ID access tokens accepted by the REST API as a resource server, against a real OpenID provider standing in for
 * Entra: the signature, expiry, audience and the issuer of the token's own tenant are checked, {@code tid} picks the
 * tenant, and the {@code roles} claim (or an Admin's in-app override) decides between reading and changing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EntraApiTests {

  static final String CLIENT_ID = "portcullis-api-test-client";
  static final String AUTHORITY = StandInEntra.AUTHORITY;
  static final MockOAuth2Server entra = new MockOAuth2Server();

  static {
    entra.start();
  }

  @DynamicPropertySource
  static void entraRegistration(DynamicPropertyRegistry registry) {
    StandInEntra.register(registry, entra, CLIENT_ID);
  }

  @AfterAll
  static void stop() {
    entra.shutdown();
  }

  @LocalServerPort int port;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  ApiClient api;
  String tid;
  TenantData data;

  @BeforeEach
  void onboardedOrganisation() {
    api = new ApiClient(port);
    data = new TenantData(tenants, jdbc, transactionManager, "Entra Org");
    tid = data.entraTenantId;
    data.registry("Entra registry");
  }

  @Test
  void aViewerReadsAndCannotChange() throws Exception {
    String token = token(claims("Viewer", "vera@contoso.example"), List.of(CLIENT_ID), 3600);
    HttpResponse<String> list = api.get("/api/v1/registries", token);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains("Entra registry");
    assertProblem(api.send("POST", "/api/v1/registries", token, "application/json", "{}"), 403);
  }

  @Test
  void analystsAdminsAndApplicationsMayChange() throws Exception {
    for (String role : List.of("Analyst", "Admin")) {
      String token = token(claims(role, role.toLowerCase() + "@contoso.example"), List.of(CLIENT_ID), 3600);
      // past authorization, the route itself has no POST
      assertProblem(api.send("POST", "/api/v1/registries", token, "application/json", "{}"), 405);
    }
    // an application's own token (client credentials): no user name, its client id instead; api:// audience
    Map<String, Object> app = claims("Analyst", "unused@contoso.example");
    app.remove("preferred_username");
    app.remove("name");
    app.put("azp", "ci-pipeline-client");
    String token = token(app, List.of("api://" + CLIENT_ID), 3600);
    assertThat(api.get("/api/v1/registries", token).statusCode()).isEqualTo(200);
  }

  @Test
  void anAdminsOverrideAppliesToTheApiAsToPages() throws Exception {
    String email = "demoted@contoso.example";
    Map<String, Object> claims = claims("Admin", email);
    User admin = TenantScope.callAs(
        data.tenant, () -> users.signedIn("oid-admin", "Ada", "ada@contoso.example", Role.ADMIN));
    User demoted = TenantScope.callAs(data.tenant,
        () -> users.signedIn((String) claims.get("oid"), "Demoted", email, Role.ADMIN));
    SignedInUser by =
        new SignedInUser(data.tenant, "Entra Org", admin.id(), "Ada", "ada@contoso.example", Role.ADMIN, null);
    TenantScope.runAs(data.tenant, () -> users.assignRole(demoted.id(), Role.VIEWER, by));

    String token = token(claims, List.of(CLIENT_ID), 3600);
    assertThat(api.get("/api/v1/registries", token).statusCode()).isEqualTo(200);
    assertProblem(api.send("POST", "/api/v1/registries", token, "application/json", "{}"), 403);
  }

  @Test
  void invalidTokensAreRefused() throws Exception {
    assertThat(detail(token(claims("Admin", "eve@contoso.example"), List.of("some-other-app"), 3600)))
        .contains("aud");
    Map<String, Object> late = claims("Admin", "late@contoso.example");
    long twoHoursAgo = Instant.now().minusSeconds(7200).getEpochSecond();
    late.put("iat", twoHoursAgo);
    late.put("nbf", twoHoursAgo);
    late.put("exp", twoHoursAgo + 3600);
    assertThat(detail(token(late, List.of(CLIENT_ID), 3600))).containsIgnoringCase("expired");

    Map<String, Object> otherIssuer = claims("Admin", "mallory@evil.example");
    otherIssuer.put("iss", entra.issuerUrl(UUID.randomUUID().toString()).toString());
    assertThat(detail(token(otherIssuer, List.of(CLIENT_ID), 3600))).contains("does not match tenant " + tid);

    // a token issued to Portcullis itself, like the ID token of a sign-in: same audience and roles, not a grant
    Map<String, Object> idToken = claims("Admin", "signed-in@contoso.example");
    idToken.put("azp", CLIENT_ID);
    idToken.put("nonce", "n-0S6_WzA2Mj");
    assertThat(detail(token(idToken, List.of(CLIENT_ID), 3600))).contains("not an access token");

    // signed by a key the application does not trust
    String foreign = entra.issueToken("another-authority", "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        new DefaultOAuth2TokenCallback("another-authority", "x", "JWT", List.of(CLIENT_ID),
            claims("Admin", "forger@contoso.example"), 3600)).serialize();
    assertProblem(api.get("/api/v1/registries", foreign), 401);
  }

  @Test
  void anOrganisationThatIsNotOnboardedOrAUserWithoutRoleIsRefused() throws Exception {
    Map<String, Object> stranger = claims("Admin", "someone@fabrikam.example");
    String otherTid = UUID.randomUUID().toString();
    stranger.put("tid", otherTid);
    stranger.put("iss", entra.issuerUrl(otherTid).toString());
    assertThat(detail(token(stranger, List.of(CLIENT_ID), 3600))).contains("not onboarded");
    assertThat(tenants.findByEntraTenantId(otherTid)).as("an API call onboards nobody").isEmpty();

    assertThat(detail(token(claims(null, "norole@contoso.example"), List.of(CLIENT_ID), 3600)))
        .contains("no Portcullis app role");
  }

  @Test
  void aTokenReachesOnlyItsOwnTenant() throws Exception {
    TenantData other = new TenantData(tenants, jdbc, transactionManager, "Other Entra Org");
    UUID theirs = other.registry("Their registry");
    String token = token(claims("Admin", "admin@contoso.example"), List.of(CLIENT_ID), 3600);
    assertProblem(api.get("/api/v1/registries/" + theirs, token), 404);
    assertThat(api.get("/api/v1/registries", token).body())
        .doesNotContain("Their registry").doesNotContain(theirs.toString());
  }

  private String detail(String token) throws Exception {
    HttpResponse<String> response = api.get("/api/v1/registries", token);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    return assertProblem(response, 401).path("detail").asString();
  }

  private Map<String, Object> claims(String role, String userName) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("tid", tid);
    claims.put("oid", UUID.nameUUIDFromBytes((tid + userName).getBytes()).toString());
    claims.put("preferred_username", userName);
    claims.put("name", userName);
    claims.put("iss", entra.issuerUrl(tid).toString());
    // the client that asked for the token: here the Azure CLI's well-known client id
    claims.put("azp", "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
    if (role != null) {
      claims.put("roles", List.of(role));
    }
    return claims;
  }

  private String token(Map<String, Object> claims, List<String> audience, long expirySeconds) {
    // the stand-in names the requesting client (its second argument) in azp
    return entra.issueToken(AUTHORITY, (String) claims.get("azp"),
        new DefaultOAuth2TokenCallback(AUTHORITY, (String) claims.get("oid"), "JWT", audience, claims, expirySeconds))
        .serialize();
  }
}
