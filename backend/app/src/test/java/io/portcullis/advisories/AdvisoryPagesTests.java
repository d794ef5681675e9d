package io.portcullis.advisories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.advisories.internal.OsvMirror;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditLog;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The advisories page: what an Admin sees after real imports, "Import now", and who may do neither. */
@AdvisoryTest
class AdvisoryPagesTests {

  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired AuditLog audit;
  @Autowired JdbcClient jdbc;

  UUID tenant;
  UsernamePasswordAuthenticationToken admin;

  @BeforeAll
  static void mirror() {
    OsvMirror.linkSharedExports();
  }

  @BeforeEach
  void people() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Advisory Admins", "test").tenantId();
    admin = principal(tenant, "admin", Role.ADMIN);
  }

  @Test
  void anAdminSeesEachEcosystemWithTheCountsOfItsLastImport() throws Exception {
    importNow("OSV:PyPI");
    importNow("OSV:GHSA-sample");
    importNow("EPSS");
    importNow("KEV");
    String html = page(admin, "/advisories");
    assertThat(html).contains("<h1>Advisories</h1>", "Import all now");
    for (String ecosystem :
        List.of("AlmaLinux:8", "AlmaLinux:9", "AlmaLinux:10", "Bitnami", "Go", "PyPI", "osv-dev-served")) {
      assertThat(html).contains("id=\"feed-OSV:" + ecosystem + "\"");
    }
    String pypi = row(html, "OSV:PyPI");
    assertThat(pypi)
        .contains(">2654<", ">2661<", ">7<", "PYSEC-2021-371", "is not a full-length commit hash", "(10 withdrawn)");
    assertThat(row(html, "OSV:GHSA-sample")).contains(">1<");
    // EPSS and KEV are listed with their last import; the test configuration points them at files that do not exist
    assertThat(row(html, "EPSS")).contains("EPSS scores (FIRST)", "failed", "no file ", "the stored scores are kept");
    assertThat(row(html, "KEV")).contains("Known Exploited Vulnerabilities (CISA KEV)", "failed", "no file ");
    // the layout offers the page to Admins
    assertThat(html).contains("href=\"/advisories\" aria-current=\"page\">Advisories</a>");
  }

  @Test
  void importNowQueuesTheImportAndRecordsItInTheTenantsAuditLog() throws Exception {
    MockHttpServletResponse response =
        mvc.perform(
                post("/advisories/import").param("feed", "OSV:GHSA-sample").with(csrf()).with(authentication(admin)))
            .andReturn()
            .getResponse();
    assertThat(response.getStatus()).isEqualTo(302);
    assertThat(response.getRedirectedUrl()).isEqualTo("/advisories");
    List<AuditEvent> events = importRequests();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo("admin@example.org");
      assertThat(e.detail()).isEqualTo("OSV GHSA-sample");
    });
    awaitIdle("OSV:GHSA-sample");

    // a feed that is not configured queues nothing and is not audited
    mvc.perform(post("/advisories/import").param("feed", "OSV:../../etc").with(csrf()).with(authentication(admin)));
    assertThat(importRequests()).hasSize(1);
  }

  @Test
  void whileAnImportRunsHtmxPollsTheStatusTable() throws Exception {
    long run =
        jdbc.sql(
                "insert into advisory_import (feed, ecosystem, trigger, status)"
                    + " values ('OSV', 'Bitnami', 'SCHEDULE', 'RUNNING') returning id")
            .query(Long.class)
            .single();
    try {
      MockHttpServletResponse fragment =
          mvc.perform(get("/advisories").header("HX-Request", "true").with(authentication(admin)))
              .andReturn()
              .getResponse();
      assertThat(fragment.getStatus()).isEqualTo(200);
      assertThat(fragment.getContentAsString())
          .doesNotContain("<html").contains("<div id=\"status\"", "hx-trigger=\"every 2s\"", "running");
      assertThat(fragment.getHeader("Vary")).contains("HX-Request");
    } finally {
      jdbc.sql("update advisory_import set status = 'FAILED', finished_at = now() where id = ?").param(run).update();
    }
    assertThat(page(admin, "/advisories")).doesNotContain("every 2s");
  }

  @Test
  void reasonsFromAFeedAreShownAsText() throws Exception {
    jdbc.sql(
            """
            insert into advisory_import (feed, ecosystem, trigger, status, finished_at, records_read, rejected, reasons)
            values ('OSV', 'osv-dev-served', 'MANUAL', 'SUCCEEDED', now(), 1, 1,
                    '[{"record": "<script>alert(1)</script>", "reason": "<img src=x onerror=alert(2)>"}]')
            """)
        .update();
    String html = page(admin, "/advisories");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;")
        .doesNotContain("<script>alert(1)").doesNotContain("<img src=x");
  }

  @Test
  void onlyAdminsReachThePageOrStartAnImport() throws Exception {
    for (Role role : List.of(Role.ANALYST, Role.VIEWER)) {
      var who = principal(tenant, "someone-" + role, role);
      assertThat(status(get("/advisories").with(authentication(who)))).as(role.name()).isEqualTo(403);
      assertThat(status(post("/advisories/import").with(csrf()).with(authentication(who)))).as(role.name())
          .isEqualTo(403);
      assertThat(page(who, "/")).doesNotContain("href=\"/advisories\"");
    }
    assertThat(status(post("/advisories/import").with(authentication(admin)))).as("without a CSRF token")
        .isEqualTo(403);
  }

  private List<AuditEvent> importRequests() {
    AuditLog.Filter filter = new AuditLog.Filter("advisories.import-requested", null, null, null, null);
    return TenantScope.callAs(tenant, () -> audit.search(filter, 0, 10).events());
  }

  private int status(MockHttpServletRequestBuilder request) throws Exception {
    return mvc.perform(request).andReturn().getResponse().getStatus();
  }

  private void importNow(String feed) throws Exception {
    mvc.perform(post("/advisories/import").param("feed", feed).with(csrf()).with(authentication(admin)));
    awaitIdle(feed);
  }

  /** Waits until no import of the feed {@code key} is queued or running. */
  private void awaitIdle(String key) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    Thread.sleep(200);
    while (Instant.now().isBefore(deadline)) {
      String html;
      try {
        html = page(admin, "/advisories");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      String row = row(html, key);
      if (!row.contains("status running") && !row.contains(">queued<") && !row.contains(">never<")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the import of " + key + " did not finish");
  }

  /** The table row of one feed. */
  private static String row(String html, String key) {
    int start = html.indexOf("id=\"feed-" + key + "\"");
    assertThat(start).as("row of " + key).isPositive();
    return html.substring(start, html.indexOf("</tr>", start));
  }

  private String page(UsernamePasswordAuthenticationToken who, String path) throws Exception {
    MockHttpServletResponse response = mvc.perform(get(path).with(authentication(who))).andReturn().getResponse();
    assertThat(response.getStatus()).as(path).isEqualTo(200);
    return response.getContentAsString();
  }

  private UsernamePasswordAuthenticationToken principal(UUID tenant, String name, Role role) {
    User user =
        TenantScope.callAs(
            tenant, () -> users.signedIn("oid-" + name + "-" + tenant, name, name + "@example.org", role));
    SignedInUser signedIn = new SignedInUser(tenant, "Org", user.id(), name, user.email(), role, null);
    return UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities());
  }
}
