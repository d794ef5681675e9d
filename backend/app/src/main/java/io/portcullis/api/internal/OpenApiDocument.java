package io.portcullis.api.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json}: every operation needs the bearer scheme, and every operation
 * lists the problem-details answers it may give besides its own.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {

  static final String SCHEME = "bearer";

  private static final Map<String, String> PROBLEMS = new LinkedHashMap<>();

  static {
    PROBLEMS.put("400", "The request is not valid: a parameter, the cursor or the body.");
    PROBLEMS.put("401", "No token, or a token that is unknown, revoked or expired.");
    PROBLEMS.put("403", "A read token (or a Viewer) tried to change something.");
    PROBLEMS.put("404", "No such object in your organisation.");
    PROBLEMS.put("429", "Too many requests with this token; the Retry-After header says when to try again.");
    PROBLEMS.put("500", "Something went wrong on our side.");
  }

  @Bean
  OpenAPI portcullisOpenApi() {
    Schema<?> problem =
        new ObjectSchema()
            .description("Problem details (RFC 9457)")
            .addProperty("type", new StringSchema().example("about:blank"))
            .addProperty("title", new StringSchema().example("Not Found"))
            .addProperty("status", new IntegerSchema().example(404))
            .addProperty("detail", new StringSchema().example("No image 0b9c… in your organisation."))
            .addProperty("instance", new StringSchema().example("/api/v1/images/0b9c…"));
    return new OpenAPI()
        .info(
            new Info()
                .title("Portcullis API")
                .version("v1")
                .description(
                    "Read your organisation's registries, repositories, images and their SBOMs. Authenticate with a"
                        + " Portcullis API token (Settings → API tokens) or an Entra ID access token, as"
                        + " Authorization: Bearer <token>. Lists are paged with an opaque cursor. Every error is"
                        + " application/problem+json. See docs/api.md."))
        .components(
            new Components()
                .addSecuritySchemes(
                    SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("pcl_<prefix>_<secret> API token, or an Entra ID access token (JWT)")
                        .description("A Portcullis API token, or an Entra ID access token for Portcullis."))
                .addSchemas("Problem", problem))
        .addSecurityItem(new SecurityRequirement().addList(SCHEME));
  }

  /** Adds the problem answers every operation may give, unless the operation describes one itself. */
  @Bean
  OpenApiCustomizer problemResponses() {
    return openApi -> {
      if (openApi.getPaths() == null) {
        return;
      }
      openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        PROBLEMS.forEach((status, description) -> {
          if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                .addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
          }
        });
        operation.setResponses(responses);
      }));
    };
  }
}
