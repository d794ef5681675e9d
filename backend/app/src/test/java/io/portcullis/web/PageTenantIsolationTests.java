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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
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

  /** Routes that do not serve tenant data, or are not for signed-in people. */
  static final Set<String> OUTSIDE = Set.of("/login", "/logout", "/error", "/sign-in/not-onboarded", "/sign-in/no-role",
      "/sign-in/consented");
  static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  @Autowired MockMvc mvc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired io.portcullis.api.ApiTokens apiTokens;

  record Route(HttpMethod method, String pattern) {}

  /** A's objects, by what a route's variable names. */
  record Objects(UUID tenant, UUID connection, UUID repository, UUID image, UUID finding, UUID user, UUID token, List<String> markers) {}

  Objects tenantA() {
    UUID a = tenants.onboard(UUID.randomUUID().toString(), "Alpha Secretive", "test").tenantId();
    String marker = "alpha-" + UUID.randomUUID().toString().substring(0, 8);
    return TenantScope.callAs(a, () -> new TransactionTemplate(transactionManager).execute(s -> {
      UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
          + " values (app_current_tenant(), ?, 'OCI', 'https://alpha.example', 'ANONYMOUS', 't') returning id")
          .param(marker + "-registry").query(UUID.class).single();
      UUID repository = jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
          + " values (app_current_tenant(), ?, ?) returning id").params(connection, marker + "/repo")
          .query(UUID.class).single();
      UUID image = jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index, analysed_at)"
              + " values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false, now())"
              + " returning id")
          .params(repository, "sha256:" + "7".repeat(64)).query(UUID.class).single();
      UUID finding = jdbc.sql(
              """
              insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
                package_name, package_version, package_path, layer, severity, evidence, state, status)
              values (app_current_tenant(), ?, ?, ?, 'k', 'npm', ?, '1.0.0', 'p', 'l', 'HIGH', '[]', ?, 'OPEN')
              returning id
              """)
          .params(image, "CVE-2099-" + marker, new String[] {"CVE-2099-" + marker}, marker + "-package",
              "0".repeat(64))
          .query(UUID.class).single();
      jdbc.sql("insert into scan_job (tenant_id, image_id, connection_id, trigger, status) values"
          + " (app_current_tenant(), ?, ?, 'MANUAL', 'SUCCEEDED')").params(image, connection).update();
      UUID user = users.signedIn("oid-alpha-" + marker, "Alpha Person", marker + "@alpha.example", Role.ADMIN).id();
      UUID token = apiTokens.create(marker + "-token", io.portcullis.api.ApiScope.READ, 30, "t").token().id();
      return new Objects(a, connection, repository, image, finding, user, token,
          List.of(marker, "7777777777", "alpha.example"));
    }));
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String pattern : info.getPatternValues()) {
        if (OUTSIDE.contains(pattern) || pattern.startsWith("/hooks/") || pattern.startsWith("/api/")) {
          continue; // webhooks authenticate by their connection's secret; the API has its own isolation test
        }
        for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
          routes.add(new Route(HttpMethod.valueOf(m.name()), pattern));
        }
      }
    }
    assertThat(routes).hasSizeGreaterThan(20);
    return routes;
  }

  static String fill(String pattern, Objects a) {
    Matcher m = VARIABLE.matcher(pattern);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      UUID value = switch (name) {
        case "repositoryId" -> a.repository();
        case "imageId" -> a.image();
        case "connectionId" -> a.connection();
        case "id" -> pattern.startsWith("/registries") ? a.connection()
            : pattern.startsWith("/findings") ? a.finding()
            : pattern.startsWith("/users") ? a.user()
            : pattern.startsWith("/settings/api-tokens") ? a.token()
            : null;
        default -> null;
      };
      if (value == null) {
        throw new AssertionError("the route " + pattern + " names {" + name + "}, which this test cannot make:"
            + " teach it, so that the route's isolation is checked");
      }
      m.appendReplacement(path, value.toString());
    }
    m.appendTail(path);
    return path.toString();
  }

  @TestFactory
  Stream<DynamicTest> tenantBReachesNothingOfTenantA() throws Exception {
    Objects a = tenantA();
    UUID b = tenants.onboard(UUID.randomUUID().toString(), "Bravo Curious", "test").tenantId();
    var admin = authentication(RouteAuthorizationTests.signedIn(users, b, Role.ADMIN));
    // the control: A itself reaches the same objects, so a 404 for B means isolation, not a broken route
    var own = authentication(RouteAuthorizationTests.signedIn(users, a.tenant(), Role.ADMIN));
    for (String path : List.of("/findings/" + a.finding(), "/images/" + a.image(), "/registries/" + a.connection(),
        "/registries/" + a.connection() + "/repositories/" + a.repository(), "/findings", "/scans")) {
      MockHttpServletResponse mine = mvc.perform(request(HttpMethod.GET, path).with(own)).andReturn().getResponse();
      assertThat(mine.getStatus()).as("A's own " + path).isEqualTo(200);
      assertThat(mine.getContentAsString()).as("A's own " + path).contains(a.markers().get(0));
    }
    return routes().stream().map(route -> DynamicTest.dynamicTest(route.method() + " " + route.pattern(), () -> {
      boolean named = VARIABLE.matcher(route.pattern()).find();
      var call = request(route.method(), fill(route.pattern(), a)).with(admin).with(csrf());
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
      for (String marker : a.markers()) {
        assertThat(body).as(route + " shows nothing of A").doesNotContain(marker);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> nothingOfTenantAChangesThroughTenantB() {
    Objects a = tenantA();
    UUID b = tenants.onboard(UUID.randomUUID().toString(), "Bravo Again", "test").tenantId();
    var admin = authentication(RouteAuthorizationTests.signedIn(users, b, Role.ADMIN));
    List<Route> writes = routes().stream().filter(r -> r.method() == HttpMethod.POST).toList();
    return Stream.of(DynamicTest.dynamicTest("every POST with A's ids leaves A as it was", () -> {
      for (Route route : writes) {
        var call = request(route.method(), fill(route.pattern(), a)).with(admin).with(csrf());
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
