package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Health and metrics live on the management port; the public port serves none of them. */
@LocalModeTest
class OperationsTests {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void livenessAndReadinessIncludingTheDatabase() throws Exception {
    assertThat(get(managementPort, "/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");
    HttpResponse<String> readiness = get(managementPort, "/actuator/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void prometheusMetrics() throws Exception {
    HttpResponse<String> metrics = get(managementPort, "/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("hikaricp_connections").contains("application=\"portcullis\"");
  }

  @Test
  void thePublicPortServesNoActuatorEndpoint() throws Exception {
    for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/env"}) {
      HttpResponse<String> response = get(port, path);
      assertThat(response.statusCode()).as(path).isIn(302, 404);
      assertThat(response.body()).as(path).doesNotContain("\"status\"").doesNotContain("jvm_");
    }
  }

  @Test
  void everyResponseHasARequestId() throws Exception {
    HttpResponse<String> response = get(port, "/login");
    assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSizeGreaterThan(8));
    HttpResponse<String> traced =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).header("X-Request-Id", "trace-12345678").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(traced.headers().firstValue("X-Request-Id")).contains("trace-12345678");
    HttpResponse<String> hostile =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).header("X-Request-Id", "evil\"}{injection").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(hostile.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).doesNotContain("evil"));
  }

  /**
   * The stylesheet, icons and scripts pages load are served, and only from /assets and /webjars: the static mapping is
   * kept off the application's own paths, where it would make every link a page builds cost a class path search. Their
   * addresses change with their content, so browsers may keep them for a year.
   */
  @Test
  void theFilesPagesLoadAreServedFromAssetsAndWebjars() throws Exception {
    String page = get(port, "/login").body();
    java.util.regex.Matcher refs = java.util.regex.Pattern.compile("(?:href|src)=\"(/[^\"]*\\.(?:css|js|svg))\"").matcher(page);
    java.util.Set<String> files = new java.util.TreeSet<>();
    while (refs.find()) {
      files.add(refs.group(1));
    }
    assertThat(files).anyMatch(f -> f.endsWith(".css")).anyMatch(f -> f.endsWith(".js")).anyMatch(f -> f.endsWith(".svg"));
    for (String file : files) {
      assertThat(file).matches("/(assets|webjars)/.+");
      HttpResponse<String> response = get(port, file);
      assertThat(response.statusCode()).as(file).isEqualTo(200);
      assertThat(response.body()).as(file).hasSizeGreaterThan(100);
      // named by their content (or version), so browsers keep them
      assertThat(response.headers().firstValue("Cache-Control")).as(file).hasValueSatisfying(
          cache -> assertThat(cache).contains("max-age=31536000").doesNotContain("no-store"));
    }
    assertThat(files).filteredOn(f -> f.startsWith("/assets/"))
        .allMatch(f -> f.matches(".*-[0-9a-f]{32}\\.[a-z]+"), "named by a hash of their content");
    // pages themselves are never kept
    assertThat(get(port, "/login").headers().firstValue("Cache-Control")).hasValueSatisfying(
        cache -> assertThat(cache).contains("no-store"));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
