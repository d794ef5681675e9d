package io.portcullis.api;

import static io.portcullis.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.portcullis.LocalModeTest;
import io.portcullis.findings.ImageInventories;
import io.portcullis.scanner.sbom.Inventory;
import io.portcullis.scanner.sbom.InventoryPackage;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Tenant isolation of the REST API, for every route it serves: the list comes from the running application, so a new
 * endpoint is covered the day it is added. For each GET route with an id, tenant B's token gets 404 for tenant A's
 * object (never 403, never a hint) while A's own token reaches it; nothing B reads, lists included, holds anything of
 * A's. A route whose id names an object this test cannot make fails, until the object is added to {@link #objects}.
 */
@LocalModeTest
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTenantIsolationTests {

  private static final Pattern ID = Pattern.compile("/([a-z-]+)/\\{[^}]+}");

  @LocalServerPort int port;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired ApiTokens tokens;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired ImageInventories inventories;

  ApiClient api;
  TenantData a;
  TenantData b;
  String tokenOfA;
  String tokenOfB;
  /** Tenant A's object for each kind of id a route may name, by the path segment before the id. */
  Map<String, UUID> objects;
  /** Tenant B's, the same way. */
  Map<String, UUID> objectsOfB;

  @BeforeAll
  void twoTenants() {
    api = new ApiClient(port);
    a = new TenantData(tenants, jdbc, transactionManager, "Isolated A");
    b = new TenantData(tenants, jdbc, transactionManager, "Isolated B");
    UUID registry = a.registry("Secret registry of A");
    UUID repository = a.repository(registry, "a/secret");
    UUID image = a.image(repository, "linux/amd64", "v1");
    TenantScope.runAs(a.tenant, () -> inventories.store(image, new Inventory("a/secret:v1", null, null, null, null,
        List.of(new InventoryPackage("npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", null, null, null, null,
            "npm", "app/node_modules/left-pad/package.json", "sha256:" + "a".repeat(64), null)), List.of())));
    // B has objects of its own, so its lists are not trivially empty
    UUID registryOfB = b.registry("Registry of B");
    UUID repositoryOfB = b.repository(registryOfB, "b/app");
    UUID imageOfB = b.image(repositoryOfB, "linux/amd64", "v1");
    TenantScope.runAs(b.tenant, () -> inventories.store(imageOfB, new Inventory("b/app:v1", null, null, null, null,
        List.of(), List.of())));
    UUID finding = a.finding(image, "CVE-2099-0001");
    UUID findingOfB = b.finding(imageOfB, "CVE-2099-0002");
    tokenOfA = a.token(tokens, ApiScope.READ);
    tokenOfB = b.token(tokens, ApiScope.READ_WRITE);
    objects = Map.of("registries", registry, "repositories", repository, "images", image, "findings", finding);
    objectsOfB = Map.of("registries", registryOfB, "repositories", repositoryOfB, "images", imageOfB, "findings",
        findingOfB);
  }

  /** Every GET route under /api/v1 but the documentation, as its path pattern. */
  List<String> routes() {
    List<String> routes = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
        continue;
      }
      for (String pattern : info.getPatternValues()) {
        if (pattern.startsWith("/api/v1/") && !documentation(pattern)) {
          routes.add(pattern);
        }
      }
    }
    assertThat(routes).as("API routes").contains("/api/v1/registries", "/api/v1/images/{id}");
    return routes;
  }

  @TestFactory
  Stream<DynamicTest> anotherTenantsObjectsAreNotFound() {
    return routes().stream()
        .filter(route -> route.contains("{"))
        .map(route -> DynamicTest.dynamicTest(route, () -> {
          String path = fill(route, objects);
          HttpResponse<String> own = api.get(path, tokenOfA);
          assertThat(own.statusCode()).as("tenant A reads its own " + path + ": " + own.body()).isEqualTo(200);
          HttpResponse<String> other = api.get(path, tokenOfB);
          assertProblem(other, 404);
          assertThat(other.body()).doesNotContain("Secret registry of A").doesNotContain("a/secret");
        }));
  }

  @TestFactory
  Stream<DynamicTest> listsNeverIncludeAnotherTenantsObjects() {
    return routes().stream()
        .map(route -> DynamicTest.dynamicTest(route, () -> {
          // every answer B gets for its own objects (lists under them included) holds nothing of A's
          String path = fill(route, objectsOfB);
          HttpResponse<String> response = api.get(path, tokenOfB);
          assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
          for (String identifier : a.identifiers()) {
            assertThat(response.body()).as(path).doesNotContain(identifier);
          }
          assertThat(response.body()).as(path).doesNotContain("Secret registry of A").doesNotContain("a/secret")
              .doesNotContain("CVE-2099-0001");
        }));
  }

  @TestFactory
  Stream<DynamicTest> writesToAnotherTenantsObjectsAreNotFound() {
    // every POST route with an id, as B's read-write token against A's objects: 404, and A's object unchanged
    List<String> posts = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      if (info.getMethodsCondition().getMethods().contains(RequestMethod.POST)) {
        info.getPatternValues().stream().filter(p -> p.startsWith("/api/v1/") && p.contains("{")).forEach(posts::add);
      }
    }
    assertThat(posts).contains("/api/v1/findings/{id}/triage");
    return posts.stream().map(route -> DynamicTest.dynamicTest("POST " + route, () -> {
      HttpResponse<String> other = api.send("POST", fill(route, objects), tokenOfB, "application/json",
          "{\"state\": \"IN_TRIAGE\"}");
      assertProblem(other, 404);
      String triage = TenantScope.callAs(a.tenant, () -> new TransactionTemplate(transactionManager).execute(s ->
          jdbc.sql("select triage from finding").query(String.class).single()));
      assertThat(triage).isEqualTo("OPEN");
    }));
  }

  /** The route with the given tenant's object for each id. */
  private String fill(String route, Map<String, UUID> objects) {
    Matcher matcher = ID.matcher(route);
    StringBuilder path = new StringBuilder();
    while (matcher.find()) {
      UUID object = objects.get(matcher.group(1));
      if (object == null) {
        fail("Route " + route + " names an object of kind '" + matcher.group(1) + "' that this test cannot make yet:"
            + " add one to ApiTenantIsolationTests.objects");
      }
      matcher.appendReplacement(path, "/" + matcher.group(1) + "/" + object);
    }
    matcher.appendTail(path);
    return path.toString();
  }

  private static boolean documentation(String pattern) {
    return pattern.startsWith("/api/v1/openapi.json") || pattern.startsWith("/api/v1/docs")
        || pattern.startsWith("/api/v1/swagger-ui");
  }
}
