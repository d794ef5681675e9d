package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Tenant B, signed in as an Admin, against every page route the application serves, with the ids of tenant A's
 * objects put into the route: every route that names an object answers 404, and no page lists anything of A's. The
 * routes come from the running application, so a route added tomorrow is checked tomorrow — a route whose path names
 * an object this test cannot make fails until the test learns it.
 */
@LocalModeTest
@AutoConfigureMockMvc
class PageTenantIsolationTests {

  @Autowired MockMvc mvc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired io.portcullis.api.ApiTokens apiTokens;

  StockedOrganisation tenantA() {
    return StockedOrganisation.create("Alpha Secretive", tenants, users, apiTokens, jdbc, transactionManager);
  }

  /** What of A's may never appear in B's responses: its names, its image's digest and its registry's host. */
  static List<String> markers(StockedOrganisation a) {
    return List.of(a.marker(), a.digest().substring(7, 17));
  }

  List<StockedOrganisation.Route> routes() {
    List<StockedOrganisation.Route> routes = StockedOrganisation.pageRoutes(mappings);
    assertThat(routes).hasSizeGreaterThan(20);
    return routes;
  }

  @TestFactory
  Stream<DynamicTest> tenantBReachesNothingOfTenantA() throws Exception {
    StockedOrganisation a = tenantA();
    UUID b = tenants.onboard(UUID.randomUUID().toString(), "Bravo Curious", "test").tenantId();
    var admin = authentication(RouteAuthorizationTests.signedIn(users, b, Role.ADMIN));
    // the control: A itself reaches the same objects, so a 404 for B means isolation, not a broken route
    var own = authentication(RouteAuthorizationTests.signedIn(users, a.tenant(), Role.ADMIN));
    for (String path : List.of("/findings/" + a.finding(), "/images/" + a.image(), "/registries/" + a.connection(),
        "/registries/" + a.connection() + "/repositories/" + a.repository(), "/findings", "/scans")) {
      MockHttpServletResponse mine = mvc.perform(request(HttpMethod.GET, path).with(own)).andReturn().getResponse();
      assertThat(mine.getStatus()).as("A's own " + path).isEqualTo(200);
      assertThat(mine.getContentAsString()).as("A's own " + path).contains(a.marker());
    }
    return routes().stream().map(route -> DynamicTest.dynamicTest(route.method() + " " + route.pattern(), () -> {
      boolean named = StockedOrganisation.VARIABLE.matcher(route.pattern()).find();
      var call = request(route.method(), a.fill(route.pattern())).with(admin).with(csrf());
      if (route.pattern().equals("/users/{id}/role")) {
        call = call.param("role", "VIEWER");
      }
      if (route.pattern().equals("/findings/triage")) {
        call = call.param("id", a.finding().toString()).param("state", "IN_TRIAGE");
      }
      MockHttpServletResponse response = mvc.perform(call).andReturn().getResponse();
      if (named) {
        assertThat(response.getStatus()).as(route + " with A's ids").isEqualTo(404);
      } else {
        assertThat(response.getStatus()).as(route.toString()).isLessThan(500);
      }
      String body = response.getContentAsString();
      for (String marker : markers(a)) {
        assertThat(body).as(route + " shows nothing of A").doesNotContain(marker);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> nothingOfTenantAChangesThroughTenantB() {
    StockedOrganisation a = tenantA();
    UUID b = tenants.onboard(UUID.randomUUID().toString(), "Bravo Again", "test").tenantId();
    var admin = authentication(RouteAuthorizationTests.signedIn(users, b, Role.ADMIN));
    List<StockedOrganisation.Route> writes = routes().stream().filter(r -> r.method() == HttpMethod.POST).toList();
    return Stream.of(DynamicTest.dynamicTest("every POST with A's ids leaves A as it was", () -> {
      for (StockedOrganisation.Route route : writes) {
        var call = request(route.method(), a.fill(route.pattern())).with(admin).with(csrf());
        if (route.pattern().equals("/findings/triage")) {
          call = call.param("id", a.finding().toString()).param("state", "IN_TRIAGE");
        }
        if (route.pattern().equals("/users/{id}/role")) {
          call = call.param("role", "VIEWER");
        }
        mvc.perform(call).andReturn();
      }
      Map<String, Object> state = TenantScope.callAs(a.tenant(), () -> new TransactionTemplate(transactionManager)
          .execute(s -> jdbc.sql(
              """
              select (select count(*) from registry_connection where enabled and max_concurrent_requests = 8) as connections,
                     (select count(*) from container_repository) as repositories,
                     (select count(*) from image) as images,
                     (select triage from finding) as triage,
                     (select count(*) from finding_history) as history,
                     (select count(*) from scan_job) as jobs,
                     (select count(*) from role_assignment) as roles,
                     (select count(*) from api_token where revoked_at is null) as tokens
              """).query().singleRow()));
      assertThat(state).containsEntry("connections", 1L).containsEntry("repositories", 1L)
          .containsEntry("images", 1L).containsEntry("triage", "OPEN").containsEntry("history", 0L)
          .containsEntry("jobs", 1L).containsEntry("roles", 0L).containsEntry("tokens", 1L);
    }));
  }
}
