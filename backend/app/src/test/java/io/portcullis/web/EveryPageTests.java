package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.portcullis.LocalModeTest;
import io.portcullis.identity.Role;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.Tenants;
import java.util.List;
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

  @Autowired MockMvc mvc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired Tenants tenants;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired io.portcullis.api.ApiTokens apiTokens;

  @TestFactory
  Stream<DynamicTest> everyPageAnswersBrowsersAndHtmx() {
    StockedOrganisation organisation = StockedOrganisation.create("Every Page", tenants, users, apiTokens, jdbc,
        transactionManager);
    var admin = authentication(RouteAuthorizationTests.signedIn(users, organisation.tenant(), Role.ADMIN));
    List<String> pages = StockedOrganisation.pageRoutes(mappings).stream()
        .filter(route -> route.method() == HttpMethod.GET)
        .map(StockedOrganisation.Route::pattern)
        // downloads are files, not pages
        .filter(pattern -> !pattern.endsWith("/sbom") && !pattern.startsWith("/findings/vex/"))
        .distinct()
        .toList();
    assertThat(pages).contains("/", "/findings", "/scans", "/images/{imageId}");
    return pages.stream().flatMap(pattern -> Stream.of(false, true).map(htmx ->
        DynamicTest.dynamicTest(pattern + (htmx ? " with HX-Request" : ""), () -> {
          var request = get(organisation.fill(pattern)).with(admin);
          if (htmx) {
            request = request.header("HX-Request", "true");
          }
          MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
          assertThat(response.getStatus()).as(pattern).isEqualTo(200);
          assertThat(response.getContentType()).as(pattern).startsWith("text/html");
          assertThat(response.getContentAsString()).as(pattern).doesNotContain("Something went wrong");
        })));
  }
}
