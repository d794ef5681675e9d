package io.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.LocalModeTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document and Swagger UI need no token, describe /api/v1 only, and name the bearer scheme. */
@LocalModeTest
@AutoConfigureMockMvc
class OpenApiTests {

  @LocalServerPort int port;

  @Test
  void theDocumentIsOpenAndDescribesTheBearerSchemeAndEveryEndpoint() throws Exception {
    ApiClient api = new ApiClient(port);
    HttpResponse<String> response = api.get("/api/v1/openapi.json", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode document = ApiClient.json(response);
    assertThat(document.path("openapi").asString()).startsWith("3.");
    assertThat(document.path("info").path("title").asString()).isEqualTo("Portcullis API");

    JsonNode scheme = document.path("components").path("securitySchemes").path("bearer");
    assertThat(scheme.path("type").asString()).isEqualTo("http");
    assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
    assertThat(document.path("security").get(0).has("bearer")).isTrue();

    assertThat(document.path("paths").propertyNames())
        .contains(
            "/api/v1/registries",
            "/api/v1/registries/{id}",
            "/api/v1/registries/{id}/repositories",
            "/api/v1/repositories/{id}/images",
            "/api/v1/images/{id}",
            "/api/v1/images/{id}/sbom")
        .allMatch(path -> path.startsWith("/api/v1/"));
    JsonNode image = document.path("paths").path("/api/v1/images/{id}").path("get");
    assertThat(image.path("responses").path("404").path("content").has("application/problem+json")).isTrue();
    assertThat(image.path("responses").path("429").isMissingNode()).isFalse();
    JsonNode sbom = document.path("paths").path("/api/v1/images/{id}/sbom").path("get");
    assertThat(sbom.path("responses").path("200").path("content").has("application/vnd.cyclonedx+json")).isTrue();
    JsonNode list = document.path("paths").path("/api/v1/registries").path("get");
    assertThat(list.path("parameters").findValuesAsString("name")).containsExactlyInAnyOrder("cursor", "limit");
  }

  @Test
  void swaggerUiIsServedWithoutAToken() throws Exception {
    ApiClient api = new ApiClient(port);
    HttpResponse<String> response = api.get("/api/v1/docs", null);
    for (int hops = 0; hops < 5 && response.statusCode() / 100 == 3; hops++) {
      String location = response.headers().firstValue("Location").orElseThrow();
      response = api.get(location.replaceFirst("^https?://[^/]+", ""), null);
    }
    assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(200);
    assertThat(response.body()).contains("swagger-ui");
  }
}
