package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may reach what, checked for every route the application serves: the list comes from the running application, so a
 * new route is covered the day it is added. Viewers never change anything; unauthenticated requests reach only sign-in,
 * and the REST API answers them 401 (its own tests cover tokens and tenants).
 */
@LocalModeTest
@AutoConfigureMockMvc
class RouteAuthorizationTests {

  /** Reachable without signing in. */
  static final Set<String> PUBLIC =
      Set.of("/login", "/sign-in/not-onboarded", "/sign-in/no-role", "/sign-in/consented", "/error");

  @Autowired MockMvc mvc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired Users users;

  record Route(HttpMethod method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      Set<RequestMethod> effective = methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods;
      for (String pattern : info.getPatternValues()) {
        String path = pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        effective.forEach(m -> routes.add(new Route(HttpMethod.valueOf(m.name()), path)));
      }
    }
    assertThat(routes).as("routes found").hasSizeGreaterThan(5);
    return routes;
  }

  static final String ID = "[0-9a-f-]{36}";

  /** The least role a route needs; this is the policy the application must implement. */
  static Role leastRole(Route route) {
    String path = route.path();
    boolean post = route.method() == HttpMethod.POST;
    if (path.startsWith("/users")
        || path.startsWith("/settings")
        || path.startsWith("/advisories")
        || path.equals("/registries/new")
        || path.matches("/registries/" + ID + "/edit")
        || (post && (path.equals("/registries") || path.matches("/registries/" + ID)))
        || (post && path.matches("/registries/" + ID + "/(enable|disable|delete|webhook-secret|limits)"))) {
      return Role.ADMIN;
    }
    if (route.path().startsWith("/audit")) {
      return Role.ANALYST;
    }
    boolean safe = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS).contains(route.method());
    return safe ? Role.VIEWER : Role.ANALYST;
  }

  /** Push endpoints: no session, but the connection's own secret. */
  static boolean webhook(Route route) {
    return route.path().startsWith("/hooks/");
  }

  /** The REST API: no session, but a bearer token (see the api tests); its documentation is open. */
  static boolean api(Route route) {
    return route.path().startsWith("/api/");
  }

  static boolean apiDocumentation(Route route) {
    return route.path().startsWith("/api/v1/openapi.json") || route.path().startsWith("/api/v1/docs");
  }

  @TestFactory
  Stream<DynamicTest> apiRoutesRefuseCallersWithoutAToken() {
    return routes().stream()
        .filter(route -> api(route) && !apiDocumentation(route))
        .map(
            route ->
                DynamicTest.dynamicTest(
                    route.toString(),
                    () -> {
                      var response = mvc.perform(request(route.method(), route.path())).andReturn().getResponse();
                      assertThat(response.getStatus()).as(route.toString()).isEqualTo(401);
                      assertThat(response.getContentType()).as(route.toString()).startsWith("application/problem+json");
                      assertThat(response.getHeader("WWW-Authenticate")).as(route.toString()).startsWith("Bearer");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> apiDocumentationIsOpen() {
    return routes().stream()
        .filter(route -> apiDocumentation(route) && route.method() == HttpMethod.GET)
        .map(
            route ->
                DynamicTest.dynamicTest(
                    route.toString(),
                    () -> {
                      int status =
                          mvc.perform(request(route.method(), route.path())).andReturn().getResponse().getStatus();
                      assertThat(status).as(route.toString()).isNotIn(401, 403);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> webhooksRefuseCallersWithoutTheirSecret() {
    return routes().stream()
        .filter(RouteAuthorizationTests::webhook)
        .map(
            route ->
                DynamicTest.dynamicTest(
                    route.toString(),
                    () -> assertThat(mvc.perform(request(route.method(), route.path())).andReturn().getResponse().getStatus())
                        .isEqualTo(401)));
  }

  @TestFactory
  Stream<DynamicTest> unauthenticatedRequestsReachNothingButSignIn() {
    return routes().stream()
        .filter(route -> !PUBLIC.contains(route.path()) && !webhook(route) && !api(route))
        .map(
            route ->
                DynamicTest.dynamicTest(
                    route.toString(),
                    () -> {
                      MvcResult result =
                          mvc.perform(request(route.method(), route.path()).with(csrf())).andReturn();
                      assertThat(result.getResponse().getStatus()).as(route.toString()).isEqualTo(302);
                      assertThat(result.getResponse().getRedirectedUrl()).as(route.toString()).endsWith("/login");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachRoleReachesExactlyWhatItMay() {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Route Checks", "test").tenantId();
    return routes().stream()
        .filter(
            route ->
                !PUBLIC.contains(route.path()) && !webhook(route) && !api(route) && !route.path().equals("/logout"))
        .flatMap(
            route ->
                Stream.of(Role.values())
                    .map(
                        role ->
                            DynamicTest.dynamicTest(
                                route + " as " + role,
                                () -> {
                                  int status =
                                      mvc.perform(
                                              request(route.method(), route.path())
                                                  .with(csrf())
                                                  .with(authentication(signedIn(users, tenant, role))))
                                          .andReturn()
                                          .getResponse()
                                          .getStatus();
                                  boolean allowed = role.compareTo(leastRole(route)) <= 0;
                                  if (allowed) {
                                    assertThat(status).as(route + " as " + role).isNotIn(401, 403);
                                  } else {
                                    assertThat(status).as(route + " as " + role).isEqualTo(403);
                                  }
                                })));
  }

  @Test
  void aViewerCannotPostAnythingEvenWithAValidCsrfToken() throws Exception {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Viewer Checks", "test").tenantId();
    for (String path : List.of("/", "/audit", "/users/" + UUID.randomUUID() + "/role", "/anything-new")) {
      int status =
          mvc.perform(request(HttpMethod.POST, path).with(csrf()).with(authentication(signedIn(users, tenant, Role.VIEWER))))
              .andReturn()
              .getResponse()
              .getStatus();
      assertThat(status).as("POST " + path).isEqualTo(403);
    }
  }

  @Test
  void aPostWithoutCsrfTokenIsRefused() throws Exception {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Csrf Checks", "test").tenantId();
    int status =
        mvc.perform(
                request(HttpMethod.POST, "/users/" + UUID.randomUUID() + "/role")
                    .param("role", "ADMIN")
                    .with(authentication(signedIn(users, tenant, Role.ADMIN))))
            .andReturn()
            .getResponse()
            .getStatus();
    assertThat(status).isEqualTo(403);
  }

  /** A real user of {@code tenant} with {@code role}, as a session would hold them. */
  static UsernamePasswordAuthenticationToken signedIn(Users users, UUID tenant, Role role) {
    String name = role.appRole() + " User";
    User user =
        TenantScope.callAs(
            tenant, () -> users.signedIn("oid-" + role + "-" + tenant, name, role.name().toLowerCase() + "@example.org", role));
    SignedInUser principal = new SignedInUser(tenant, "Route Checks", user.id(), name, user.email(), role, null);
    return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
  }
}
