package io.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the application on its random port, as a script would call the API. */
public final class ApiClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final int port;

  public ApiClient(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return send(request(path, token).GET());
  }

  public HttpResponse<String> send(String method, String path, String token, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path, token)
            .method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  public URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  public static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /**
   * Asserts that {@code response} is an RFC 9457 problem with {@code status}: problem+json, the five members, the
   * request's path as instance, and nothing of a stack trace.
   */
  public static JsonNode assertProblem(HttpResponse<String> response, int status) {
    String what = response.request().method() + " " + response.uri().getPath() + " -> " + response.body();
    assertThat(response.statusCode()).as(what).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .as(what)
        .startsWith("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.path("type").asString()).as(what).isEqualTo("about:blank");
    assertThat(problem.path("title").asString()).as(what).isNotBlank();
    assertThat(problem.path("status").asInt()).as(what).isEqualTo(status);
    assertThat(problem.path("detail").asString()).as(what).isNotBlank();
    assertThat(problem.path("instance").asString()).as(what).isEqualTo(response.uri().getPath());
    assertThat(response.body()).as(what).doesNotContain("trace").doesNotContain("Exception").doesNotContain("\tat ")
        .doesNotContain("io.portcullis.");
    return problem;
  }
}
