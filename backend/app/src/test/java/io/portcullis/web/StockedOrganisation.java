package io.portcullis.web;

import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.api.TenantData;
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
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A new organisation with one object of every kind a page route can name — a registry connection, a repository, an
 * image with a tag, a finding and a scan, a user and an API token — each carrying {@code marker} in its names, so that
 * a test can tell whether a response shows any of them. {@link #fill} puts their ids into a route's pattern.
 */
record StockedOrganisation(UUID tenant, UUID connection, UUID repository, UUID image, UUID finding, UUID user,
    UUID token, String marker, String digest) {

  /** Routes that are not pages of a signed-in organisation. */
  static final Set<String> OUTSIDE = Set.of("/login", "/logout", "/error", "/sign-in/not-onboarded", "/sign-in/no-role",
      "/sign-in/consented");
  static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  record Route(HttpMethod method, String pattern) {}

  static StockedOrganisation create(String name, Tenants tenants, Users users, ApiTokens tokens, JdbcClient jdbc,
      PlatformTransactionManager transactions) {
    TenantData data = new TenantData(tenants, jdbc, transactions, name);
    String marker = name.toLowerCase().replaceAll("[^a-z]+", "-") + UUID.randomUUID().toString().substring(0, 8);
    UUID connection = data.registry(marker + "-registry");
    UUID repository = data.repository(connection, marker + "/repo");
    UUID image = data.image(repository, "linux/amd64", marker + "-tag");
    UUID finding = data.finding(image, "CVE-2099-" + marker);
    return TenantScope.callAs(data.tenant, () -> new TransactionTemplate(transactions).execute(s -> {
      jdbc.sql("update image set analysed_at = now() where id = ?").param(image).update();
      jdbc.sql("insert into scan_job (tenant_id, image_id, connection_id, trigger, status) values"
          + " (app_current_tenant(), ?, ?, 'MANUAL', 'SUCCEEDED')").params(image, connection).update();
      UUID user = users.signedIn("oid-" + marker, name + " Person", marker + "@example.org", Role.ADMIN).id();
      UUID token = tokens.create(marker + "-token", ApiScope.READ, 30, "t").token().id();
      return new StockedOrganisation(data.tenant, connection, repository, image, finding, user, token, marker,
          data.digests.get(0));
    }));
  }

  /** Every route of the pages (not the API, not webhooks, not sign-in), with each of its methods. */
  static List<Route> pageRoutes(RequestMappingHandlerMapping mappings) {
    List<Route> routes = new ArrayList<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String pattern : info.getPatternValues()) {
        if (OUTSIDE.contains(pattern) || pattern.startsWith("/hooks/") || pattern.startsWith("/api/")) {
          continue;
        }
        for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
          routes.add(new Route(HttpMethod.valueOf(m.name()), pattern));
        }
      }
    }
    return routes;
  }

  /** The route's pattern with this organisation's ids in it; fails for a variable it cannot make. */
  String fill(String pattern) {
    Matcher m = VARIABLE.matcher(pattern);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      UUID value = switch (name) {
        case "repositoryId" -> repository;
        case "imageId" -> image;
        case "connectionId" -> connection;
        case "id" -> pattern.startsWith("/registries") ? connection
            : pattern.startsWith("/findings") ? finding
            : pattern.startsWith("/users") ? user
            : pattern.startsWith("/settings/api-tokens") ? token
            : null;
        default -> null;
      };
      if (value == null) {
        throw new AssertionError("the route " + pattern + " names {" + name + "}, which the tests cannot make:"
            + " teach StockedOrganisation, so that the route is checked");
      }
      m.appendReplacement(path, value.toString());
    }
    m.appendTail(path);
    return path.toString();
  }
}
