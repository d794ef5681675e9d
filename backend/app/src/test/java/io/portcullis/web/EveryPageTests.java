package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every page the application serves, asked for by a browser and by htmx ({@code HX-Request}), for an organisation
 * that has something on every page: both answer 200 with HTML, never an error page, so that a page reached by a
 * boosted link or a polling fragment works as well as one typed into the address bar. The routes come from the running
 * application: a page added tomorrow is checked tomorrow.
 */
@LocalModeTest
@AutoConfigureMockMvc
class EveryPageTests {

  static final Set<String> NOT_PAGES = Set.of("/login", "/logout", "/error", "/sign-in/not-onboarded",
      "/sign-in/no-role", "/sign-in/consented");
  static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  @Autowired MockMvc mvc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired io.portcullis.api.ApiTokens apiTokens;

  @TestFactory
  Stream<DynamicTest> everyPageAnswersBrowsersAndHtmx() {
    UUID tenant = tenants.onboard(UUID.randomUUID().toString(), "Every Page", "test").tenantId();
    UUID[] ids = TenantScope.callAs(tenant, () -> new TransactionTemplate(transactionManager).execute(s -> {
      UUID connection = jdbc.sql("insert into registry_connection (tenant_id, name, kind, endpoint, auth, created_by)"
          + " values (app_current_tenant(), 'Pages ACR', 'OCI', 'https://pages.example', 'ANONYMOUS', 't') returning id")
          .query(UUID.class).single();
      UUID repository = jdbc.sql("insert into container_repository (tenant_id, connection_id, name)"
          + " values (app_current_tenant(), ?, 'pages/app') returning id").param(connection).query(UUID.class).single();
      UUID image = jdbc.sql("insert into image (tenant_id, repository_id, digest, media_type, is_index, analysed_at)"
              + " values (app_current_tenant(), ?, ?, 'application/vnd.oci.image.manifest.v1+json', false, now())"
              + " returning id")
          .params(repository, "sha256:" + "5".repeat(64)).query(UUID.class).single();
      UUID finding = jdbc.sql(
              """
              insert into finding (tenant_id, image_id, vulnerability, identifiers, package_key, package_type,
                package_name, package_version, package_path, layer, severity, evidence, state, status)
              values (app_current_tenant(), ?, 'CVE-2099-1', '{CVE-2099-1}', 'k', 'npm', 'left-pad', '1.0.0', 'p', 'l',
                      'HIGH', '[]', ?, 'OPEN')
              returning id
              """)
          .params(image, "0".repeat(64)).query(UUID.class).single();
      jdbc.sql("insert into scan_job (tenant_id, image_id, connection_id, trigger, status) values"
          + " (app_current_tenant(), ?, ?, 'MANUAL', 'SUCCEEDED')").params(image, connection).update();
      UUID user = users.signedIn("oid-pages", "Page Person", "pages@example.org", Role.ADMIN).id();
      return new UUID[] {connection, repository, image, finding, user};
    }));
    var admin = authentication(RouteAuthorizationTests.signedIn(users, tenant, Role.ADMIN));
    List<String> pages = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
        continue;
      }
      for (String pattern : info.getPatternValues()) {
        boolean download = pattern.endsWith("/sbom") || pattern.startsWith("/findings/vex/");
        if (!NOT_PAGES.contains(pattern) && !pattern.startsWith("/api/") && !pattern.startsWith("/hooks/") && !download) {
          pages.add(pattern);
        }
      }
    }
    assertThat(pages).contains("/", "/findings", "/scans", "/images/{imageId}");
    return pages.stream().flatMap(pattern -> Stream.of(false, true).map(htmx ->
        DynamicTest.dynamicTest(pattern + (htmx ? " with HX-Request" : ""), () -> {
          var request = get(fill(pattern, ids)).with(admin);
          if (htmx) {
            request = request.header("HX-Request", "true");
          }
          MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
          assertThat(response.getStatus()).as(pattern).isEqualTo(200);
          assertThat(response.getContentType()).as(pattern).startsWith("text/html");
          assertThat(response.getContentAsString()).as(pattern).doesNotContain("Something went wrong");
        })));
  }

  static String fill(String pattern, UUID[] ids) {
    Matcher m = VARIABLE.matcher(pattern);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      UUID value = switch (m.group(1)) {
        case "repositoryId" -> ids[1];
        case "imageId" -> ids[2];
        case "id" -> pattern.startsWith("/registries") ? ids[0] : pattern.startsWith("/findings") ? ids[3]
            : pattern.startsWith("/users") ? ids[4] : null;
        default -> null;
      };
      if (value == null) {
        throw new AssertionError("the page " + pattern + " names {" + m.group(1) + "}: teach this test to make one");
      }
      m.appendReplacement(path, value.toString());
    }
    m.appendTail(path);
    return path.toString();
  }
}
