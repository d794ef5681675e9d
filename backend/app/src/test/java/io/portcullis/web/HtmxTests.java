package io.portcullis.web;

import static io.portcullis.web.RouteAuthorizationTests.signedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.Tenants;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** htmx requests get fragments, and an ended session sends the whole page to sign-in rather than into a table cell. */
@LocalModeTest
@AutoConfigureMockMvc
class HtmxTests {

  @Autowired MockMvc mvc;
  @Autowired Tenants tenants;
  @Autowired Users users;
  UUID tenant;

  @BeforeEach
  void tenant() {
    tenant = tenants.onboard(UUID.randomUUID().toString(), "Htmx Ltd", "test").tenantId();
  }

  @Test
  void anExpiredSessionRedirectsTheWholePageForHtmx() throws Exception {
    MockHttpServletResponse response = mvc.perform(get("/audit").header("HX-Request", "true")).andReturn().getResponse();
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("HX-Redirect")).isEqualTo("/login?expired");
    assertThat(response.getContentAsString()).doesNotContain("<form");
  }

  @Test
  void anHtmxPostFromAStalePageAlsoGoesToSignIn() throws Exception {
    // the session (and with it the CSRF token) is gone: the token sent no longer matches anything
    MockHttpServletResponse response =
        mvc.perform(post("/users/" + UUID.randomUUID() + "/role").header("HX-Request", "true").header("X-CSRF-TOKEN", "stale"))
            .andReturn()
            .getResponse();
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("HX-Redirect")).isEqualTo("/login?expired");
  }

  @Test
  void withoutHtmxAnExpiredSessionIsAnOrdinaryRedirect() throws Exception {
    MockHttpServletResponse response = mvc.perform(get("/audit")).andReturn().getResponse();
    assertThat(response.getStatus()).isEqualTo(302);
    assertThat(response.getRedirectedUrl()).endsWith("/login");
  }

  @Test
  void aSignedInViewerWithoutTheRoleGetsAPlain403NotASignInRedirect() throws Exception {
    MockHttpServletResponse response =
        mvc.perform(get("/audit").header("HX-Request", "true").with(authentication(signedIn(users, tenant, Role.VIEWER))))
            .andReturn()
            .getResponse();
    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getHeader("HX-Redirect")).isNull();
  }

  @Test
  void theSameUrlServesAPageOrAFragmentAndSaysSo() throws Exception {
    MockHttpServletResponse page =
        mvc.perform(get("/audit").with(authentication(signedIn(users, tenant, Role.ANALYST)))).andReturn().getResponse();
    MockHttpServletResponse fragment =
        mvc.perform(get("/audit").header("HX-Request", "true").with(authentication(signedIn(users, tenant, Role.ANALYST))))
            .andReturn()
            .getResponse();
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.getContentAsString()).contains("<html").contains("id=\"results\"");
    assertThat(fragment.getStatus()).isEqualTo(200);
    assertThat(fragment.getContentAsString()).doesNotContain("<html").contains("id=\"results\"");
    assertThat(page.getHeaders("Vary")).contains("HX-Request");
    assertThat(fragment.getHeaders("Vary")).contains("HX-Request");
  }

  @Test
  void pagesCarryTheCsrfTokenForHtmxRequests() throws Exception {
    String html =
        mvc.perform(get("/").with(csrf()).with(authentication(signedIn(users, tenant, Role.VIEWER)))).andReturn().getResponse().getContentAsString();
    assertThat(html).containsPattern("hx-headers=\"\\{&quot;X-CSRF-TOKEN&quot;: &quot;[^&]+&quot;\\}\"");
  }

  @Test
  void aMalformedFilterStillRendersThePage() throws Exception {
    MockHttpServletResponse response =
        mvc.perform(
                get("/audit")
                    .param("from", "not-a-date")
                    .param("outcome", "EXPLODED")
                    .param("page", "-4")
                    .with(authentication(signedIn(users, tenant, Role.ANALYST))))
            .andReturn()
            .getResponse();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString()).contains("Audit log");
  }

}
