package io.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.audit.AuditLog;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Admins override roles through the Users & roles page; every change is audited and stays inside the tenant. */
@LocalModeTest
@AutoConfigureMockMvc
class UserRolesTests {

  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired AuditLog audit;

  UUID tenantA;
  UUID tenantB;
  User adminA;
  User analystA;
  User adminB;

  @BeforeEach
  void twoOrganisations() {
    tenantA = tenants.onboard(UUID.randomUUID().toString(), "Contoso", "test").tenantId();
    tenantB = tenants.onboard(UUID.randomUUID().toString(), "Fabrikam", "test").tenantId();
    adminA = TenantScope.callAs(tenantA, () -> users.signedIn("oid-admin-a", "Alice Admin", "alice@contoso.example", Role.ADMIN));
    analystA = TenantScope.callAs(tenantA, () -> users.signedIn("oid-analyst-a", "Arthur Analyst", "arthur@contoso.example", Role.ANALYST));
    adminB = TenantScope.callAs(tenantB, () -> users.signedIn("oid-admin-b", "Beatrice Admin", "bea@fabrikam.example", Role.ADMIN));
  }

  @Test
  void anAdminOverridesARoleAndTheChangeIsAudited() throws Exception {
    MvcResult result = assign(tenantA, adminA, analystA.id(), "VIEWER");
    assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/users");
    assertThat(result.getFlashMap().get("message")).isEqualTo("Arthur Analyst is now Viewer.");

    User changed = TenantScope.callAs(tenantA, () -> users.find(analystA.id())).orElseThrow();
    assertThat(changed.assignedRole()).isEqualTo(Role.VIEWER);
    assertThat(changed.directoryRole()).isEqualTo(Role.ANALYST);
    assertThat(changed.effectiveRole()).isEqualTo(Role.VIEWER);
    assertThat(roleChanges(tenantA))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("alice@contoso.example");
              assertThat(e.target()).contains(analystA.id().toString()).contains("arthur@contoso.example");
              assertThat(e.detail()).isEqualTo("Analyst → Viewer");
              assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
            });

    // and back to the role from Entra ID
    assign(tenantA, adminA, analystA.id(), "");
    assertThat(TenantScope.callAs(tenantA, () -> users.find(analystA.id())).orElseThrow().assignedRole()).isNull();
    assertThat(roleChanges(tenantA)).hasSize(2).first().satisfies(e -> assertThat(e.detail()).isEqualTo("Viewer → Analyst"));
  }

  @Test
  void anAdminCannotChangeTheirOwnRole() throws Exception {
    MvcResult result = assign(tenantA, adminA, adminA.id(), "VIEWER");
    assertThat(result.getFlashMap().get("error")).isEqualTo("You cannot change your own role.");
    assertThat(TenantScope.callAs(tenantA, () -> users.find(adminA.id())).orElseThrow().effectiveRole()).isEqualTo(Role.ADMIN);
    assertThat(roleChanges(tenantA)).isEmpty();
  }

  @Test
  void aValueThatIsNotARoleIsRefusedWithAMessage() throws Exception {
    MvcResult result = assign(tenantA, adminA, analystA.id(), "ROOT");
    assertThat(result.getFlashMap().get("error")).asString().contains("Choose Admin, Analyst, Viewer");
    assertThat(TenantScope.callAs(tenantA, () -> users.find(analystA.id())).orElseThrow().assignedRole()).isNull();
    assertThat(roleChanges(tenantA)).isEmpty();
  }

  @Test
  void anAdminOfAnotherTenantCanNeitherSeeNorChangeTheUser() throws Exception {
    MvcResult result = assign(tenantB, adminB, analystA.id(), "ADMIN");
    assertThat(result.getResponse().getStatus()).isEqualTo(404);
    assertThat(TenantScope.callAs(tenantA, () -> users.find(analystA.id())).orElseThrow().effectiveRole()).isEqualTo(Role.ANALYST);
    assertThat(roleChanges(tenantA)).isEmpty();
    assertThat(roleChanges(tenantB)).isEmpty();

    String usersPage = page(tenantB, adminB, "/users");
    assertThat(usersPage).contains("Beatrice Admin").doesNotContain("Arthur Analyst").doesNotContain("Alice Admin");
    audit.record(tenantA, "alice@contoso.example", "test.contoso-only", null, Outcome.SUCCESS, "secret of A");
    String auditPage = page(tenantB, adminB, "/audit");
    assertThat(auditPage).doesNotContain("contoso").doesNotContain("secret of A");
    String home = page(tenantB, adminB, "/");
    assertThat(home).contains("Fabrikam").doesNotContain("Contoso");
  }

  @Test
  void aDemotionAppliesToAnOpenSessionAtOnce() throws Exception {
    var session = new org.springframework.mock.web.MockHttpSession();
    var analystSession = principal(tenantA, analystA);
    assertThat(mvc.perform(get("/audit").session(session).with(authentication(analystSession))).andReturn().getResponse().getStatus())
        .isEqualTo(200);

    assign(tenantA, adminA, analystA.id(), "VIEWER");

    // the session still holds the Analyst principal; the request is judged by the role as it is now
    MockHttpServletResponse response =
        mvc.perform(get("/audit").session(session).with(authentication(analystSession))).andReturn().getResponse();
    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(mvc.perform(get("/").session(session).with(authentication(analystSession))).andReturn().getResponse().getContentAsString())
        .contains("role-viewer");
  }

  @Test
  void theUsersPageListsTheTenantsUsersWithTheirRoles() throws Exception {
    String html = page(tenantA, adminA, "/users");
    assertThat(html).contains("Alice Admin").contains("Arthur Analyst").contains("Admin (you)").doesNotContain("Beatrice");
  }

  @Test
  void theAuditLogPagesAndKeepsTheFilter() throws Exception {
    for (int i = 0; i < 120; i++) {
      audit.record(tenantA, "bot@contoso.example", "test.paging", "item-" + i, Outcome.SUCCESS, null);
    }
    String second = page(tenantA, adminA, "/audit?action=test.paging&page=1");
    assertThat(second).contains("Page 2 of 3 · 120 in all");
    assertThat(second).contains("item-69").contains("item-20").doesNotContain("item-70<").doesNotContain("item-19<");
    assertThat(second).contains("href=\"/audit?action=test.paging&amp;page=2\"").contains("href=\"/audit?action=test.paging&amp;page=0\"");
  }

  private MvcResult assign(UUID tenant, User as, UUID userId, String role) throws Exception {
    return mvc.perform(post("/users/" + userId + "/role").param("role", role).with(csrf()).with(authentication(principal(tenant, as))))
        .andReturn();
  }

  private String page(UUID tenant, User as, String url) throws Exception {
    MockHttpServletResponse response = mvc.perform(get(url).with(authentication(principal(tenant, as)))).andReturn().getResponse();
    assertThat(response.getStatus()).as(url).isEqualTo(200);
    return response.getContentAsString();
  }

  private List<AuditEvent> roleChanges(UUID tenant) {
    return TenantScope.callAs(
        tenant, () -> audit.search(new AuditLog.Filter("user.role-changed", null, null, null, null), 0, 50).events());
  }

  private static UsernamePasswordAuthenticationToken principal(UUID tenant, User user) {
    SignedInUser signedIn =
        new SignedInUser(tenant, "Org", user.id(), user.displayName(), user.email(), user.effectiveRole(), null);
    return UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities());
  }
}
