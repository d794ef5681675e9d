package io.portcullis.findings.api;

import io.portcullis.api.ApiCaller;
import io.portcullis.api.ApiController;
import io.portcullis.api.CursorPage;
import io.portcullis.api.Paging;
import io.portcullis.api.UnknownResourceException;
import io.portcullis.findings.FindingSearch;
import io.portcullis.findings.Triage;
import io.portcullis.findings.TriageState;
import io.portcullis.findings.Vex;
import io.portcullis.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Findings for ticketing systems: the same filters as the explorer, riskiest first, paged by cursor; one finding with
 * why it scores what it scores and its history; triage (read-write tokens); the decisions as VEX.
 */
@ApiController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Findings", description = "Vulnerabilities of the organisation's images, their risk and their triage")
class FindingApiController {

  private final FindingSearch search;
  private final Triage triage;
  private final Vex vex;
  private final Tenants tenants;

  FindingApiController(FindingSearch search, Triage triage, Vex vex, Tenants tenants) {
    this.search = search;
    this.triage = triage;
    this.vex = vex;
    this.tenants = tenants;
  }

  /** A finding as the API shows it. */
  record FindingView(UUID id, String vulnerability, List<String> identifiers, int risk, String severity,
      BigDecimal cvssScore, Float epss, boolean kev, String state, String triage, String status,
      PackageRef pkg, String fixedVersion, ImageRef image, Instant openedAt, Instant fixedAt) {

    static FindingView of(FindingSearch.Row r) {
      return new FindingView(r.id(), r.vulnerability(), r.identifiers(), r.risk(), r.severity(), r.cvssScore(),
          r.epss(), r.kev(), r.state(), r.triage(), r.status(),
          new PackageRef(r.packageType(), r.packageName(), r.packageVersion()), r.fixedVersion(),
          new ImageRef(r.imageId(), r.digest(), r.repositoryId(), r.repository(), r.registryId(), r.registry()),
          r.openedAt(), r.fixedAt());
    }
  }

  record PackageRef(String type, String name, String version) {}

  record ImageRef(UUID id, String digest, UUID repositoryId, String repository, UUID registryId, String registry) {}

  /** One finding with its risk explained and its history. */
  record FindingDetail(FindingView finding, FindingSearch.RiskParts risk, List<Triage.Change> history) {}

  @GetMapping("/findings")
  @Operation(summary = "Findings, riskiest first",
      description = "Filters as in the explorer. state: open (default: open and not decided away), in_triage,"
          + " accepted_risk, false_positive, not_affected, fixed, all. q matches a vulnerability id, any alias, or a"
          + " package name.")
  CursorPage<FindingView> findings(
      @RequestParam(required = false) List<String> severity, @RequestParam(required = false) Boolean kev,
      @RequestParam(required = false) Boolean fixable,
      @Parameter(description = "Minimum EPSS, 0 to 1") @RequestParam(required = false) Double epss,
      @RequestParam(required = false) String ecosystem,
      @RequestParam(name = "package", required = false) String packageName,
      @RequestParam(required = false) String q, @RequestParam(required = false) UUID registry,
      @RequestParam(required = false) UUID repository, @RequestParam(required = false) UUID image,
      @Parameter(description = "Part of a repository's name, any case (team-a/ finds every repository under team-a)")
      @RequestParam(required = false) String repositoryName,
      @RequestParam(required = false) String state,
      @Parameter(description = "The next value of the previous page; omit for the first page.")
      @RequestParam(required = false) String cursor,
      @Parameter(description = "Items per page, 1 to 500 (50 if omitted).") @RequestParam(required = false)
      Integer limit) {
    Paging paging = Paging.of(cursor, limit, 2);
    Integer afterRisk = null;
    UUID afterId = null;
    if (!paging.first()) {
      try {
        afterRisk = Integer.valueOf(paging.after(0));
      } catch (NumberFormatException e) {
        throw new Paging.InvalidPagingException("The cursor is not valid for this list.");
      }
      afterId = paging.afterId(1);
    }
    FindingSearch.Query query = new FindingSearch.Query(severity, kev, fixable, epss, ecosystem, packageName, q,
        registry, repository, image, state, "risk", repositoryName);
    return paging.page(search.after(query, afterRisk, afterId, paging.fetch()),
        r -> List.of(Integer.toString(r.risk()), r.id().toString())).map(FindingView::of);
  }

  @GetMapping("/findings/{id}")
  @Operation(summary = "One finding, why it scores what it scores, and its triage history")
  FindingDetail finding(@PathVariable UUID id) {
    FindingSearch.Row row = search.find(id).orElseThrow(() -> unknown(id));
    return new FindingDetail(FindingView.of(row), search.risk(id).orElseThrow(() -> unknown(id)), triage.history(id));
  }

  /** A triage decision. {@code scope}: FINDING (default), PACKAGE (the vulnerability in this package everywhere), REPOSITORY. */
  record TriageRequest(String state, String justification, String vexJustification, Instant expiresAt, String scope) {}

  /** What a decision changed. */
  record TriageResult(int changed, int skipped, FindingView finding) {}

  @PostMapping(path = "/findings/{id}/triage", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Record a triage decision (read-write tokens)",
      description = "Accepted risk needs justification and expiresAt (within a year); false positive needs a"
          + " justification; not affected needs vexJustification (an OpenVEX justification).")
  TriageResult decide(@PathVariable UUID id, @RequestBody TriageRequest request,
      @AuthenticationPrincipal ApiCaller caller) {
    FindingSearch.Row row = search.find(id).orElseThrow(() -> unknown(id));
    TriageState state;
    try {
      state = request.state() == null ? null : TriageState.valueOf(request.state());
    } catch (IllegalArgumentException e) {
      throw new Triage.InvalidDecisionException(Map.of("state", "Not a triage state."));
    }
    Triage.Decision decision = new Triage.Decision(state, request.justification(), request.vexJustification(),
        request.expiresAt());
    String scope = request.scope() == null ? "FINDING" : request.scope();
    Triage.Outcome outcome = switch (scope) {
      case "FINDING" -> triage.decide(List.of(id), decision, caller.actor());
      case "PACKAGE" -> triage.decideForPackage(row.vulnerability(), row.packageName(), decision, caller.actor());
      case "REPOSITORY" -> triage.decideForRepository(row.vulnerability(), row.repositoryId(), decision,
          caller.actor());
      default -> throw new Triage.InvalidDecisionException(Map.of("scope", "FINDING, PACKAGE or REPOSITORY."));
    };
    return new TriageResult(outcome.changed(), outcome.skipped(),
        FindingView.of(search.find(id).orElseThrow(() -> unknown(id))));
  }

  @GetMapping(path = "/vex/openvex")
  @Operation(summary = "The organisation's decisions as OpenVEX 0.2.0")
  String openVex(@AuthenticationPrincipal ApiCaller caller) {
    return vex.openVex(caller.actor(), tenants.current().displayName());
  }

  @GetMapping(path = "/vex/cyclonedx", produces = {"application/vnd.cyclonedx+json", MediaType.APPLICATION_JSON_VALUE})
  @Operation(summary = "The organisation's decisions as CycloneDX 1.6 VEX")
  String cycloneDxVex() {
    return vex.cycloneDx(tenants.current().displayName());
  }

  @ExceptionHandler(Triage.InvalidDecisionException.class)
  ProblemDetail invalid(Triage.InvalidDecisionException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Invalid triage decision");
    problem.setType(URI.create("about:blank"));
    problem.setProperty("errors", e.problems());
    return problem;
  }

  private static UnknownResourceException unknown(UUID id) {
    return new UnknownResourceException("No finding " + id + ".");
  }
}
