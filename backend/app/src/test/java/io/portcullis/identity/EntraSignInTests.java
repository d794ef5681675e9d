package io.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditLog;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole authorization-code flow against a real OpenID provider standing in for Entra ID: a browser-like client follows
 * every redirect, the application exchanges the code, validates the ID token and maps {@code tid} to a tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class EntraSignInTests {

  static final String CLIENT_ID = "portcullis-test-client";
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
  @Autowired AuditLog audit;

  String tid;

  @BeforeEach
  void newOrganisation() {
    tid = UUID.randomUUID().toString();
  }

  @Test
  void theFirstAdminOfAnUnknownOrganisationOnboardsIt() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> landing = browser.signIn(token("Admin", "alice@contoso.example"));

    assertThat(landing.statusCode()).isEqualTo(200);
    assertThat(landing.uri().getPath()).isEqualTo("/");
    assertThat(landing.body()).contains("Alice Admin").contains("contoso.example").contains("role-admin");

    UUID tenant = tenants.findByEntraTenantId(tid).orElseThrow();
    List<AuditEvent> events = eventsOf(tenant);
    assertThat(events).extracting(AuditEvent::action).containsExactly("user.signed-in", "tenant.onboarded");
    assertThat(events.get(1).actor()).isEqualTo("alice@contoso.example");
    assertThat(events.get(0).detail()).contains("entra").contains("Admin");
    assertThat(events.get(0).userAgent()).isEqualTo(Browser.USER_AGENT);
    assertThat(TenantScope.callAs(tenant, audit::verify).intact()).isTrue();

    // a colleague with the Analyst role can now sign in, into the same tenant
    HttpResponse<String> colleague = new Browser().signIn(token("Analyst", "bob@contoso.example"));
    assertThat(colleague.statusCode()).isEqualTo(200);
    assertThat(colleague.body()).contains("Bob Analyst").contains("role-analyst");
    assertThat(eventsOf(tenant)).extracting(AuditEvent::actor).contains("bob@contoso.example");
  }

  @Test
  void aNonAdminOfAnUnknownOrganisationIsToldToAskAnAdministrator() throws Exception {
    HttpResponse<String> page = new Browser().signIn(token("Analyst", "carol@fabrikam.example"));

    assertThat(page.uri().getPath()).isEqualTo("/sign-in/not-onboarded");
    assertThat(page.body()).contains("not onboarded yet").contains("Ask an administrator");
    assertThat(tenants.findByEntraTenantId(tid)).isEmpty();
    assertThat(platformFailures())
        .anySatisfy(
            e -> {
              assertThat(e.actor()).isEqualTo("carol@fabrikam.example");
              assertThat(e.detail()).contains("tenant_not_onboarded").contains(tid);
            });
  }

  @Test
  void aTokenWhoseIssuerIsAnotherTenantIsRefused() throws Exception {
    String otherTenant = UUID.randomUUID().toString();
    Map<String, Object> claims = claims("Admin", "mallory@evil.example");
    claims.put("iss", entra.issuerUrl(otherTenant).toString());
    Browser browser = new Browser();

    HttpResponse<String> page = browser.signIn(callback(claims, List.of(CLIENT_ID), 3600));

    assertRefused(browser, page);
    assertThat(tenants.findByEntraTenantId(tid)).isEmpty();
    assertThat(platformFailures()).anySatisfy(e -> assertThat(e.detail()).contains("does not match tenant " + tid));
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    Map<String, Object> claims = claims("Admin", "eve@contoso.example");
    // the stand-in issues ID tokens to the requesting client unless the audience claim is given outright
    claims.put("aud", List.of("some-other-app"));
    Browser browser = new Browser();
    HttpResponse<String> page = browser.signIn(callback(claims, List.of("some-other-app"), 3600));

    assertRefused(browser, page);
    assertThat(tenants.findByEntraTenantId(tid)).isEmpty();
    assertThat(platformFailures()).anySatisfy(e -> assertThat(e.detail()).contains("invalid_id_token").contains("aud"));
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> page =
        browser.signIn(callback(claims("Admin", "late@contoso.example"), List.of(CLIENT_ID), -3600));

    assertRefused(browser, page);
    assertThat(tenants.findByEntraTenantId(tid)).isEmpty();
    assertThat(platformFailures()).anySatisfy(e -> assertThat(e.detail()).contains("invalid_id_token").contains("exp"));
  }

  @Test
  void aMemberWithoutAnyRoleIsRecordedButNotLetIn() throws Exception {
    new Browser().signIn(token("Admin", "admin@northwind.example"));
    UUID tenant = tenants.findByEntraTenantId(tid).orElseThrow();

    HttpResponse<String> page = new Browser().signIn(token(null, "dave@northwind.example"));

    assertThat(page.uri().getPath()).isEqualTo("/sign-in/no-role");
    assertThat(page.body()).contains("no Portcullis role");
    assertThat(eventsOf(tenant))
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("user.sign-in-failed");
              assertThat(e.actor()).isEqualTo("dave@northwind.example");
              assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            });
  }

  @Test
  void signOutEndsTheSession() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> home = browser.signIn(token("Admin", "frank@contoso.example"));
    String csrf = hiddenCsrf(home.body());

    HttpResponse<String> out = browser.post(app("/logout"), Map.of("_csrf", csrf));
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?signed-out");

    HttpResponse<String> after = browser.get(app("/"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    UUID tenant = tenants.findByEntraTenantId(tid).orElseThrow();
    assertThat(eventsOf(tenant)).extracting(AuditEvent::action).first().isEqualTo("user.signed-out");
  }

  @Test
  void logLinesAreStructuredAndCarryRequestIdAndTenant(CapturedOutput output) throws Exception {
    new Browser().signIn(token("Admin", "heidi@contoso.example"));
    UUID tenant = tenants.findByEntraTenantId(tid).orElseThrow();
    assertThat(output.getOut().lines().filter(line -> line.contains("Signed in user")))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("{")
                    .contains("\"tenant\":\"" + tenant + "\"")
                    .containsPattern("\"requestId\":\"[0-9a-f-]{36}\""));
  }

  @Test
  void theSessionCookieIsSecureHttpOnlyAndLax() throws Exception {
    Browser browser = new Browser();
    browser.signIn(token("Admin", "grace@contoso.example"));
    assertThat(browser.sessionCookieAttributes).containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly").contains("SameSite=Lax");
  }

  @Test
  void theReturnFromAdminConsentIsExplainedNotTreatedAsASignIn() throws Exception {
    HttpResponse<String> granted = new Browser().get(app("/sign-in/consented?admin_consent=True&tenant=" + tid));
    assertThat(granted.statusCode()).isEqualTo(200);
    assertThat(granted.body()).contains("Consent granted").contains("Users and groups");

    HttpResponse<String> refused =
        new Browser()
            .get(app("/sign-in/consented?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("Consent was not granted").contains("access_denied").doesNotContain("<script>alert");
    assertThat(tenants.findByEntraTenantId(tid)).isEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------------------------------

  private void assertRefused(Browser browser, HttpResponse<String> page) throws Exception {
    assertThat(page.uri().getPath()).isEqualTo("/login");
    assertThat(page.uri().getQuery()).isEqualTo("error");
    assertThat(page.body()).contains("Sign-in failed");
    HttpResponse<String> home = browser.get(app("/"));
    assertThat(home.statusCode()).isEqualTo(302);
  }

  private List<AuditEvent> eventsOf(UUID tenant) {
    return TenantScope.callAs(tenant, () -> audit.search(new AuditLog.Filter(null, null, null, null, null), 0, 50).events());
  }

  private List<AuditEvent> platformFailures() {
    return TenantScope.callAs(
        TenantScope.PLATFORM,
        () ->
            audit.search(new AuditLog.Filter("user.sign-in-failed", null, AuditEvent.Outcome.FAILURE, null, null), 0, 200)
                .events());
  }

  private DefaultOAuth2TokenCallback token(String role, String userName) {
    return callback(claims(role, userName), List.of(CLIENT_ID), 3600);
  }

  private Map<String, Object> claims(String role, String userName) {
    Map<String, Object> claims = new HashMap<>();
    String first = userName.substring(0, 1).toUpperCase() + userName.substring(1, userName.indexOf('@'));
    claims.put("tid", tid);
    claims.put("oid", UUID.nameUUIDFromBytes(userName.getBytes(StandardCharsets.UTF_8)).toString());
    claims.put("preferred_username", userName);
    claims.put("name", first + (role == null ? "" : " " + role));
    claims.put("iss", entra.issuerUrl(tid).toString());
    if (role != null) {
      claims.put("roles", List.of(role));
    }
    return claims;
  }

  private DefaultOAuth2TokenCallback callback(Map<String, Object> claims, List<String> audience, long expirySeconds) {
    return new DefaultOAuth2TokenCallback(
        AUTHORITY, (String) claims.get("oid"), "JWT", audience, claims, expirySeconds);
  }

  private String app(String path) {
    return "http://localhost:" + port + path;
  }

  private static String hiddenCsrf(String html) {
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("a CSRF token on the page").isTrue();
    return m.group(1);
  }

  /**
   * Follows redirects by hand and keeps cookies per host, as a browser would; the session cookie is Secure, which the
   * JDK's cookie handler would refuse to send over the plain-http test connection.
   */
  final class Browser {

    static final String USER_AGENT = "PortcullisTestBrowser/1.0";

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final Map<String, Map<String, String>> cookies = new HashMap<>();
    String sessionCookieAttributes = "";

    HttpResponse<String> signIn(DefaultOAuth2TokenCallback callback) throws Exception {
      entra.enqueueCallback(callback);
      HttpResponse<String> response = get(app("/oauth2/authorization/entra"));
      for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
        String location = response.headers().firstValue("Location").orElseThrow();
        response = get(response.uri().resolve(location).toString());
      }
      return response;
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> post(String url, Map<String, String> form) throws IOException, InterruptedException {
      StringBuilder body = new StringBuilder();
      form.forEach(
          (k, v) ->
              body.append(body.isEmpty() ? "" : "&")
                  .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return send(
          HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      HttpRequest built = request.header("User-Agent", USER_AGENT).build();
      URI uri = built.uri();
      Map<String, String> jar = cookies.computeIfAbsent(uri.getAuthority(), k -> new HashMap<>());
      HttpRequest.Builder withCookies = HttpRequest.newBuilder(uri).method(built.method(), built.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
      built.headers().map().forEach((name, values) -> values.forEach(v -> withCookies.header(name, v)));
      if (!jar.isEmpty()) {
        withCookies.header(
            "Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      HttpResponse<String> response = http.send(withCookies.build(), HttpResponse.BodyHandlers.ofString());
      for (String setCookie : response.headers().allValues("Set-Cookie")) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        jar.put(pair.substring(0, eq), pair.substring(eq + 1));
        if (pair.startsWith("PORTCULLIS_SESSION=")) {
          sessionCookieAttributes = setCookie;
        }
      }
      return response;
    }
  }
}
