package io.portcullis.registry.api;

import io.portcullis.api.ApiController;
import io.portcullis.api.CursorPage;
import io.portcullis.api.Paging;
import io.portcullis.api.UnknownResourceException;
import io.portcullis.findings.Findings;
import io.portcullis.findings.ImageInventories;
import io.portcullis.registry.RegistryViews.Layer;
import io.portcullis.registry.api.RegistryCatalog.Image;
import io.portcullis.registry.api.RegistryCatalog.Keyed;
import io.portcullis.registry.api.RegistryCatalog.Platform;
import io.portcullis.registry.api.RegistryCatalog.Registry;
import io.portcullis.registry.api.RegistryCatalog.Repository;
import io.portcullis.scanner.sbom.CycloneDx;
import io.portcullis.scanner.sbom.Inventory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The registries, repositories and images of the caller's organisation, read-only: lists by cursor, single objects by
 * id, and an image's SBOM. An id of another organisation is answered exactly as an unknown one: 404.
 */
@ApiController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = "Registries and images",
    description = "What discovery found in your registries, and what analysis found in each image")
class RegistryApiController {

  /** CycloneDX's registered media type. */
  static final MediaType CYCLONEDX_JSON = MediaType.parseMediaType("application/vnd.cyclonedx+json");

  private static final String CURSOR = "The next value of the previous page; omit for the first page.";
  private static final String LIMIT = "Items per page, 1 to 500 (50 if omitted).";
  private static final String RISK = "risk (0-100) is that of the riskiest current image (docs/risk.md); 0 when nothing"
      + " counts.";

  private final RegistryCatalog catalog;
  private final Findings findings;
  private final ImageInventories inventories;

  RegistryApiController(RegistryCatalog catalog, Findings findings, ImageInventories inventories) {
    this.catalog = catalog;
    this.findings = findings;
    this.inventories = inventories;
  }

  @GetMapping("/registries")
  @Operation(summary = "Registry connections, by name", description = "Never includes credentials. " + RISK)
  CursorPage<Registry> registries(
      @Parameter(description = CURSOR) @RequestParam(required = false) String cursor,
      @Parameter(description = LIMIT) @RequestParam(required = false) Integer limit) {
    Paging paging = Paging.of(cursor, limit, 2);
    return paging.page(catalog.registries(paging), Keyed::key).map(Keyed::item);
  }

  @GetMapping("/registries/{id}")
  @Operation(summary = "One registry connection")
  Registry registry(@PathVariable UUID id) {
    return catalog.registry(id).orElseThrow(() -> unknown("registry", id));
  }

  @GetMapping("/registries/{id}/repositories")
  @Operation(
      summary = "A registry's repositories, by name",
      description = "Includes repositories that are gone (goneAt set). " + RISK)
  CursorPage<Repository> repositories(
      @PathVariable UUID id,
      @Parameter(description = CURSOR) @RequestParam(required = false) String cursor,
      @Parameter(description = LIMIT) @RequestParam(required = false) Integer limit) {
    Paging paging = Paging.of(cursor, limit, 1);
    if (catalog.registry(id).isEmpty()) {
      throw unknown("registry", id);
    }
    return paging.page(catalog.repositories(id, paging), Keyed::key).map(Keyed::item);
  }

  @GetMapping("/repositories/{id}/images")
  @Operation(
      summary = "A repository's images, newest first",
      description = "By digest: each platform of a multi-platform image is an image of its own. Includes gone images."
          + " risk (0-100) is the worst of the image's open findings that are not decided away, its secrets and its"
          + " configuration; 0 for gone images and multi-platform indexes, whose platforms carry their own.")
  CursorPage<Image> images(
      @PathVariable UUID id,
      @Parameter(description = CURSOR) @RequestParam(required = false) String cursor,
      @Parameter(description = LIMIT) @RequestParam(required = false) Integer limit) {
    Paging paging = Paging.of(cursor, limit, 2);
    if (!catalog.repositoryExists(id)) {
      throw unknown("repository", id);
    }
    return paging.page(catalog.images(id, paging), Keyed::key).map(Keyed::item);
  }

  @GetMapping("/images/{id}")
  @Operation(
      summary = "One image: where it is, its tags and platforms, and what analysis found",
      description = "risk (0-100) is the worst of the image's open findings that are not decided away, its secrets and"
          + " its configuration (docs/risk.md); openFindings counts the open findings by severity, worst first, zeros"
          + " included.")
  ImageView image(@PathVariable UUID id) {
    RegistryCatalog.ImageDetail detail = catalog.image(id).orElseThrow(() -> unknown("image", id));
    Findings.ImageSummary summary = findings.summary(id);
    Image image = detail.image();
    return new ImageView(
        image.id(),
        new Ref(detail.location().registryId(), detail.location().registry()),
        new Ref(detail.location().repositoryId(), detail.location().repository()),
        detail.location().reference(),
        image.digest(),
        image.mediaType(),
        image.index(),
        image.indexDigest(),
        image.platform(),
        image.size(),
        image.created(),
        detail.configDigest(),
        image.tags(),
        detail.platforms(),
        detail.layers(),
        image.firstSeenAt(),
        image.lastSeenAt(),
        image.goneAt(),
        image.risk(),
        new Analysis(
            summary.analysedAt(),
            summary.matchedAt(),
            summary.os(),
            summary.packages(),
            summary.open(),
            summary.fixed()));
  }

  @GetMapping(
      path = "/images/{id}/sbom",
      produces = {"application/vnd.cyclonedx+json", MediaType.APPLICATION_JSON_VALUE})
  @Operation(
      summary = "The image's SBOM as CycloneDX 1.6 JSON",
      description = "Built from the stored inventory of the last analysis; 404 until the image has been analysed.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "CycloneDX 1.6",
              content = @Content(mediaType = "application/vnd.cyclonedx+json")))
  ResponseEntity<String> sbom(@PathVariable UUID id) {
    RegistryCatalog.ImageDetail detail = catalog.image(id).orElseThrow(() -> unknown("image", id));
    var stored =
        inventories
            .find(id)
            .orElseThrow(() -> new UnknownResourceException("Image " + id + " has not been analysed yet."));
    Inventory inventory =
        new Inventory(
            detail.location().reference(),
            detail.image().digest(),
            detail.image().platform(),
            stored.os(),
            null,
            stored.packages(),
            List.of());
    return ResponseEntity.ok().contentType(CYCLONEDX_JSON).body(CycloneDx.json(inventory));
  }

  private static UnknownResourceException unknown(String what, UUID id) {
    return new UnknownResourceException("No " + what + " " + id + " in your organisation.");
  }

  record Ref(UUID id, String name) {}

  /**
   * What analysis found in an image.
   *
   * @param openFindings open findings by severity, worst first
   * @param fixedFindings findings that matching no longer finds
   */
  record Analysis(
      Instant analysedAt,
      Instant matchedAt,
      String os,
      long packages,
      Map<String, Long> openFindings,
      long fixedFindings) {}

  record ImageView(
      UUID id,
      Ref registry,
      Ref repository,
      String reference,
      String digest,
      String mediaType,
      boolean index,
      String indexDigest,
      String platform,
      Long size,
      Instant created,
      String configDigest,
      List<String> tags,
      List<Platform> platforms,
      List<Layer> layers,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant goneAt,
      int risk,
      Analysis analysis) {}
}
