package io.portcullis.findings.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.findings.FindingSearch;
import io.portcullis.findings.Findings;
import io.portcullis.findings.Triage;
import io.portcullis.findings.TriageState;
import io.portcullis.identity.SignedInUser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The findings explorer (every role): filters, sorting, paging, search as you type (htmx swaps the results as the
 * filters change; without JavaScript the form submits), and each finding's page with why it scores what it scores,
 * its history and — for Analysts and Admins — its triage.
 */
@Controller
class FindingsController {

  static final int PAGE_SIZE = 50;

  private final FindingSearch search;
  private final Triage triage;
  private final io.portcullis.findings.Vex vex;
  private final io.portcullis.findings.ImageDetails imageDetails;
  private final io.portcullis.tenancy.Tenants tenants;

  FindingsController(FindingSearch search, Triage triage, io.portcullis.findings.Vex vex,
      io.portcullis.tenancy.Tenants tenants, io.portcullis.findings.ImageDetails imageDetails) {
    this.imageDetails = imageDetails;
    this.vex = vex;
    this.tenants = tenants;
    this.search = search;
    this.triage = triage;
  }

  @GetMapping("/findings")
  String explorer(@RequestParam(required = false) List<String> severity,
      @RequestParam(required = false) Boolean kev, @RequestParam(required = false) Boolean fixable,
      @RequestParam(required = false) Double epss, @RequestParam(required = false) String ecosystem,
      @RequestParam(name = "package", required = false) String packageName,
      @RequestParam(required = false) String q, @RequestParam(required = false) UUID registry,
      @RequestParam(required = false) UUID repository, @RequestParam(required = false) UUID image,
      @RequestParam(required = false) String state, @RequestParam(required = false) String sort,
      @RequestParam(required = false) String repositoryName, @RequestParam(defaultValue = "1") int page, HtmxRequest htmx, jakarta.servlet.http.HttpServletRequest request,
      @AuthenticationPrincipal SignedInUser me, Model model) {
    model.addAttribute("canTriage", me != null && me.can(io.portcullis.identity.Role.ANALYST));
    FindingSearch.Query query = new FindingSearch.Query(severity, kev, fixable, epss, ecosystem, packageName, q,
        registry, repository, image, state, sort, repositoryName);
    model.addAttribute("query", query);
    model.addAttribute("results", search.page(query, Math.min(Math.max(page, 1), 100_000), PAGE_SIZE));
    model.addAttribute("back", request.getQueryString() == null ? "" : request.getQueryString());
    if (htmx.isHtmxRequest() && !htmx.isBoosted()) {
      return "findings/list :: results";
    }
    model.addAttribute("severities", Findings.SEVERITIES);
    model.addAttribute("ecosystems", search.ecosystems());
    model.addAttribute("connections", search.registries());
    model.addAttribute("scope", search.scope(query).orElse(null));
    model.addAttribute("states", TriageState.values());
    model.addAttribute("vexJustifications", TriageState.VEX_JUSTIFICATIONS);
    return "findings/list";
  }

  @GetMapping("/findings/{id}")
  String finding(@PathVariable UUID id, Model model) {
    FindingSearch.Row finding = search.find(id).orElseThrow(UnknownFindingException::new);
    model.addAttribute("finding", finding);
    model.addAttribute("risk", search.risk(id).orElseThrow(UnknownFindingException::new));
    model.addAttribute("history", triage.history(id));
    model.addAttribute("states", TriageState.values());
    model.addAttribute("vexJustifications", TriageState.VEX_JUSTIFICATIONS);
    return "findings/detail";
  }

  /** One finding, or — by {@code scope} — its vulnerability in the package everywhere, or across its repository. */
  @PostMapping("/findings/{id}/triage")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String decide(@PathVariable UUID id, @RequestParam(required = false) String state,
      @RequestParam(required = false) String justification, @RequestParam(required = false) String vexJustification,
      @RequestParam(required = false) String expires, @RequestParam(defaultValue = "FINDING") String scope,
      @AuthenticationPrincipal SignedInUser me, RedirectAttributes redirect) {
    FindingSearch.Row finding = search.find(id).orElseThrow(UnknownFindingException::new);
    try {
      Triage.Decision decision = decision(state, justification, vexJustification, expires);
      Triage.Outcome outcome = switch (scope) {
        case "PACKAGE" -> triage.decideForPackage(finding.vulnerability(), finding.packageName(), decision, me.actor());
        case "REPOSITORY" ->
            triage.decideForRepository(finding.vulnerability(), finding.repositoryId(), decision, me.actor());
        default -> triage.decide(List.of(id), decision, me.actor());
      };
      redirect.addFlashAttribute("message", switch (scope) {
        case "PACKAGE" -> outcome.changed() + " findings of " + finding.vulnerability() + " in " + finding.packageName()
            + " changed; later ones will follow the same decision.";
        case "REPOSITORY" -> outcome.changed() + " findings of " + finding.vulnerability() + " in " + finding.repository()
            + " changed; later ones will follow the same decision.";
        default -> outcome.changed() == 1 ? "Triage recorded." : "Nothing changed: the finding is fixed or already so.";
      });
    } catch (Triage.InvalidDecisionException e) {
      redirect.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/findings/" + id;
  }

  /** The same decision for the findings ticked in the explorer. */
  @PostMapping("/findings/triage")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String decideMany(@RequestParam(name = "id", required = false) List<UUID> ids,
      @RequestParam(required = false) String state, @RequestParam(required = false) String justification,
      @RequestParam(required = false) String vexJustification, @RequestParam(required = false) String expires,
      @RequestParam(required = false) String back, @AuthenticationPrincipal SignedInUser me,
      RedirectAttributes redirect) {
    if (ids == null || ids.isEmpty()) {
      redirect.addFlashAttribute("error", "Tick the findings the decision is about.");
    } else {
      try {
        Triage.Outcome outcome = triage.decide(ids, decision(state, justification, vexJustification, expires), me.actor());
        redirect.addFlashAttribute("message", outcome.changed() + " findings changed"
            + (outcome.skipped() > 0 ? ", " + outcome.skipped() + " left as they were (fixed or already so)." : "."));
      } catch (Triage.InvalidDecisionException e) {
        redirect.addFlashAttribute("error", e.getMessage());
      }
    }
    // back to the same filters: only a query string of our own explorer is followed
    String query = back != null && back.length() < 2000 && back.matches("[A-Za-z0-9_.,%=&+:-]*") ? back : "";
    return "redirect:/findings" + (query.isEmpty() ? "" : "?" + query);
  }

  /** An image's packages as CycloneDX 1.6, from its stored inventory. */
  @GetMapping(value = "/images/{imageId}/sbom", produces = "application/vnd.cyclonedx+json")
  org.springframework.http.ResponseEntity<String> sbom(@PathVariable UUID imageId) {
    String json = imageDetails.cycloneDx(imageId, null).orElseThrow(UnknownFindingException::new);
    return download(json, "application/vnd.cyclonedx+json", "image-" + imageId + ".cdx.json");
  }

  /** The tenant's decisions as OpenVEX, for suppliers' and customers' tools. */
  @GetMapping(value = "/findings/vex/openvex", produces = "application/json")
  org.springframework.http.ResponseEntity<String> openVex(@AuthenticationPrincipal SignedInUser me) {
    return download(vex.openVex(me.actor(), tenants.current().displayName()), "application/json",
        "portcullis.openvex.json");
  }

  /** The tenant's decisions as CycloneDX 1.6 VEX. */
  @GetMapping(value = "/findings/vex/cyclonedx", produces = "application/vnd.cyclonedx+json")
  org.springframework.http.ResponseEntity<String> cycloneDxVex() {
    return download(vex.cycloneDx(tenants.current().displayName()), "application/vnd.cyclonedx+json",
        "portcullis.vex.cdx.json");
  }

  private static org.springframework.http.ResponseEntity<String> download(String body, String type, String name) {
    return org.springframework.http.ResponseEntity.ok()
        .contentType(org.springframework.http.MediaType.parseMediaType(type))
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .body(body);
  }

  /** Decisions from an OpenVEX document (a supplier's, or one exported elsewhere). */
  @PostMapping("/findings/vex")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String importVex(@RequestParam(name = "document", required = false)
      org.springframework.web.multipart.MultipartFile document, @AuthenticationPrincipal SignedInUser me,
      RedirectAttributes redirect) throws java.io.IOException {
    if (document == null || document.isEmpty()) {
      redirect.addFlashAttribute("error", "Choose an OpenVEX document to import.");
      return "redirect:/findings";
    }
    if (document.getSize() > io.portcullis.findings.Vex.MAX_IMPORT_BYTES) {
      redirect.addFlashAttribute("error", "The document is larger than 1 MiB.");
      return "redirect:/findings";
    }
    try {
      io.portcullis.findings.Vex.ImportResult result = vex.importOpenVex(document.getBytes(), me.actor());
      redirect.addFlashAttribute("message", result.statements() + " statements read, " + result.changed()
          + " findings changed" + (result.skipped().isEmpty() ? "." : "; not applied: "
          + String.join("; ", result.skipped().subList(0, Math.min(5, result.skipped().size())))
          + (result.skipped().size() > 5 ? "; …" : "") + "."));
    } catch (io.portcullis.findings.Vex.InvalidVexException | Triage.InvalidDecisionException e) {
      redirect.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/findings";
  }

  private static Triage.Decision decision(String state, String justification, String vex, String expires) {
    TriageState chosen;
    try {
      chosen = state == null ? null : TriageState.valueOf(state);
    } catch (IllegalArgumentException e) {
      chosen = null;
    }
    Instant expiresAt = null;
    if (expires != null && !expires.isBlank()) {
      try {
        expiresAt = LocalDate.parse(expires.strip()).atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new Triage.InvalidDecisionException(Map.of("expiresAt", "The expiry is not a date (YYYY-MM-DD)."));
      }
    }
    return new Triage.Decision(chosen, justification, vex, expiresAt);
  }

  static final class UnknownFindingException extends RuntimeException {}

  @ExceptionHandler(UnknownFindingException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound() {
    return "error/404";
  }
}
