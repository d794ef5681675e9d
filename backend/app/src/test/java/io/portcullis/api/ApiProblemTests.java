package io.portcullis.api;

import static io.portcullis.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import io.portcullis.tenancy.Tenants;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every error under {@code /api/v1} is RFC 9457 problem details — from the security chain, from the limits, from
 * Spring MVC and from controllers — and none carries a stack trace. A small controller that exists only in this test
 * gives the JSON body the read endpoints do not take (415, validation, an unreadable or oversized body) and an
 * unexpected failure (500). The rate limit is lowered here so that it is reached quickly and surely.
 */
@LocalModeTest
@TestPropertySource(
    properties = {"portcullis.api.rate-limit.requests-per-second=1", "portcullis.api.rate-limit.burst=20"})
@Import(ApiProblemTests.Notes.class)
class ApiProblemTests {

  static final int MIB = 1024 * 1024;

  @LocalServerPort int port;
  @Autowired Tenants tenants;
  @Autowired ApiTokens tokens;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  ApiClient api;
  TenantData data;
  String read;
  String readWrite;

  @BeforeEach
  void tokens() {
    api = new ApiClient(port);
    data = new TenantData(tenants, jdbc, transactionManager, "Problem Makers");
    read = data.token(tokens, ApiScope.READ);
    readWrite = data.token(tokens, ApiScope.READ_WRITE);
  }

  @Test
  void securityAndRoutingErrorsAreProblems() throws Exception {
    assertProblem(api.get("/api/v1/registries", null), 401);
    assertProblem(api.get("/api/v1/registries", "pcl_nothing"), 401);
    assertProblem(api.send("POST", "/api/v1/registries", read, "application/json", "{}"), 403);
    assertProblem(api.get("/api/v1/registries/" + UUID.randomUUID(), read), 404);
    assertProblem(api.get("/api/v1/images/" + UUID.randomUUID() + "/sbom", read), 404);
    assertProblem(api.get("/api/v1/nothing-here", read), 404);
    assertProblem(api.send("DELETE", "/api/v1/registries", readWrite, null, null), 405);
    assertProblem(api.get("/api/v1/registries?limit=9999", read), 400);
    assertProblem(api.get("/api/v1/images/123", read), 400);
    assertProblem(api.send(api.request("/api/v1/registries", read).setHeader("Accept", "application/xml").GET()), 406);
  }

  @Test
  void bodyErrorsAreProblems() throws Exception {
    assertProblem(api.send("POST", "/api/v1/test-only/notes", readWrite, "text/plain", "hello"), 415);
    assertProblem(api.send("POST", "/api/v1/test-only/notes", readWrite, "application/json", "{\"text\": "), 400);
    JsonNode invalid = assertProblem(
        api.send("POST", "/api/v1/test-only/notes", readWrite, "application/json", "{\"text\": \"\"}"), 400);
    assertThat(invalid.path("errors").get(0).path("field").asString()).isEqualTo("text");
    HttpResponse<String> fine =
        api.send("POST", "/api/v1/test-only/notes", readWrite, "application/json", "{\"text\": \"fine\"}");
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.body()).contains("fine");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    byte[] large = new byte[MIB + 1];
    Arrays.fill(large, (byte) 'x');
    // a declared length over the limit: refused before the body is sent at all
    HttpResponse<String> declared = api.send(api.request("/api/v1/test-only/notes", readWrite)
        .header("Content-Type", "application/json")
        .expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofByteArray(large)));
    assertProblem(declared, 413);
    // the same on a route without a body: the limit comes before routing
    assertProblem(api.send(api.request("/api/v1/registries", readWrite).expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofByteArray(large))), 413);

    // no declared length (chunked): counted while it is read, refused at the first byte past the limit
    byte[] json = ("{\"text\": \"" + "y".repeat(MIB + MIB / 4) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = api.send(api.request("/api/v1/test-only/notes", readWrite)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))));
    JsonNode problem = assertProblem(chunked, 413);
    assertThat(problem.path("detail").asString()).contains(Integer.toString(MIB));
  }

  @Test
  void anUnexpectedFailureIsA500WithoutAnythingOfIt() throws Exception {
    HttpResponse<String> failed = api.get("/api/v1/test-only/failure", read);
    JsonNode problem = assertProblem(failed, 500);
    assertThat(failed.body()).doesNotContain("secret-internal-state");
    assertThat(problem.path("detail").asString()).contains("X-Request-Id");
    assertThat(failed.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void eachTokenHasItsOwnRateLimitAnsweredWith429AndRetryAfter() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 60 && limited == null; i++) {
      HttpResponse<String> response = api.get("/api/v1/registries", read);
      statuses.add(response.statusCode());
      if (response.statusCode() == 429) {
        limited = response;
      }
    }
    assertThat(limited).as("a 429 within 60 requests, burst 20 at 1/s: " + statuses).isNotNull();
    assertThat(statuses.subList(0, 20)).containsOnly(200);
    JsonNode problem = assertProblem(limited, 429);
    assertThat(problem.path("detail").asString()).contains("retry after");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 2L);

    // another token of the same tenant has a bucket of its own
    assertThat(api.get("/api/v1/registries", readWrite).statusCode()).isEqualTo(200);
    // and this one recovers once the bucket refills
    Thread.sleep(retryAfter * 1000 + 100);
    assertThat(api.get("/api/v1/registries", read).statusCode()).isEqualTo(200);
  }

  /** Exists only in this test: a JSON body to refuse, and a failure to hide. */
  @ApiController
  @RequestMapping("/api/v1/test-only")
  static class Notes {

    record Note(@NotBlank @Size(max = 100) String text) {}

    @PostMapping(path = "/notes", consumes = "application/json")
    Note note(@Valid @RequestBody Note note) {
      return note;
    }

    @GetMapping("/failure")
    Note failure() {
      throw new IllegalStateException("secret-internal-state");
    }
  }
}
