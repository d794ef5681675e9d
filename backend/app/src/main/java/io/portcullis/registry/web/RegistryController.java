package io.portcullis.registry.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.findings.Findings;
import io.portcullis.identity.SignedInUser;
import io.portcullis.registry.Authentication;
import io.portcullis.registry.Connection;
import io.portcullis.registry.ConnectionKind;
import io.portcullis.registry.ConnectionSpec;
import io.portcullis.registry.Connections;
import io.portcullis.registry.Connections.InvalidConnectionException;
import io.portcullis.registry.Connections.UnknownConnectionException;
import io.portcullis.registry.RegistryViews;
import io.portcullis.registry.internal.ConnectionCheck;
import io.portcullis.registry.internal.Discovery.Trigger;
import io.portcullis.registry.internal.DiscoveryRunner;
import io.portcullis.registry.internal.RegistryProperties;
import io.portcullis.tenancy.TenantScope;
import java.time.Duration;
import java.util.Arrays;
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
 * The registries pages: the list with health and counts, a connection's detail with its repositories, push events and
 * discovery runs, and — for Admins — adding, changing, disabling and deleting connections. Credentials are write-only.
 */
@Controller
class RegistryController {

  private final Connections connections;
  private final RegistryViews views;
  private final ConnectionCheck check;
  private final DiscoveryRunner runner;
  private final RegistryProperties properties;
  private final Findings findings;
  private final io.portcullis.findings.RiskOverview risk;
  private final io.portcullis.findings.ImageDetails details;

  RegistryController(
      Connections connections,
      RegistryViews views,
      ConnectionCheck check,
      DiscoveryRunner runner,
      RegistryProperties properties,
      Findings findings,
      io.portcullis.findings.RiskOverview risk,
      io.portcullis.findings.ImageDetails details) {
    this.risk = risk;
    this.details = details;
    this.properties = properties;
    this.findings = findings;
    this.connections = connections;
    this.views = views;
    this.check = check;
    this.runner = runner;
  }

  @GetMapping("/registries")
  String list(Model model) {
    model.addAttribute("connections", connections.all());
    model.addAttribute("risks", risk.registries());
    return "registry/list";
  }

  @GetMapping("/registries/new")
  @PreAuthorize("hasRole('ADMIN')")
  String addForm(@RequestParam(defaultValue = "ACR") String kind, Model model) {
    ConnectionKind chosen = "OCI".equals(kind) ? ConnectionKind.OCI : ConnectionKind.ACR;
    return form(model, ConnectionForm.empty(chosen), Map.of(), null);
  }

  @PostMapping("/registries")
  @PreAuthorize("hasRole('ADMIN')")
  String add(ConnectionForm form, @AuthenticationPrincipal SignedInUser me, Model model, RedirectAttributes redirect) {
    try {
      var added = connections.add(form.toSpec(), me.actor());
      redirect.addFlashAttribute("message", "Connection " + added.connection().name() + " added.");
      redirect.addFlashAttribute("webhookSecret", added.webhookSecret());
      return "redirect:/registries/" + added.connection().id();
    } catch (InvalidConnectionException e) {
      return form(model, form.withoutSecret(), e.problems(), null);
    } catch (org.springframework.dao.DuplicateKeyException e) {
      return form(model, form.withoutSecret(), Map.of("name", "Another connection already has this name."), null);
    }
  }

  /** How many repositories a registry's page lists; a name filter finds the others. */
  static final int REGISTRY_REPOSITORIES = 500;

  @GetMapping("/registries/{id}")
  String detail(@PathVariable UUID id, @RequestParam(name = "q", required = false) String filter, Model model) {
    Connection connection = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    model.addAttribute("connection", connection);
    repositories(id, filter, model);
    model.addAttribute("pushEvents", views.pushEvents(id, 20));
    model.addAttribute("runs", views.runs(id, 10));
    model.addAttribute("discoveryQueued", runner.queued(id));
    model.addAttribute("repositoryRisks", risk.repositories(id));
    model.addAttribute("scopeRisk", risk.scope(id, null));
    return "registry/detail";
  }

  /** The discovery runs and the repositories, for the page to poll while a discovery is running. */
  @GetMapping("/registries/{id}/live")
  String live(@PathVariable UUID id, @RequestParam(name = "q", required = false) String filter, Model model) {
    model.addAttribute("connection", connections.find(id).orElseThrow(() -> new UnknownConnectionException(id)));
    model.addAttribute("runs", views.runs(id, 10));
    repositories(id, filter, model);
    model.addAttribute("discoveryQueued", runner.queued(id));
    model.addAttribute("repositoryRisks", risk.repositories(id));
    return "registry/detail :: live";
  }

  @GetMapping("/registries/{id}/edit")
  @PreAuthorize("hasRole('ADMIN')")
  String editForm(@PathVariable UUID id, Model model) {
    Connection connection = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    return form(model, ConnectionForm.of(connection), Map.of(), connection);
  }

  @PostMapping("/registries/{id}")
  @PreAuthorize("hasRole('ADMIN')")
  String change(
      @PathVariable UUID id, ConnectionForm form, @AuthenticationPrincipal SignedInUser me, Model model, RedirectAttributes redirect) {
    Connection existing = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    try {
      connections.change(id, form.toSpec(), me.actor());
      redirect.addFlashAttribute("message", "Connection saved.");
      return "redirect:/registries/" + id;
    } catch (InvalidConnectionException e) {
      return form(model, form.withoutSecret(), e.problems(), existing);
    } catch (org.springframework.dao.DuplicateKeyException e) {
      return form(model, form.withoutSecret(), Map.of("name", "Another connection already has this name."), existing);
    }
  }

  @PostMapping("/registries/{id}/enable")
  @PreAuthorize("hasRole('ADMIN')")
  String enable(@PathVariable UUID id, @AuthenticationPrincipal SignedInUser me, RedirectAttributes redirect) {
    connections.enable(id, true, me.actor());
    redirect.addFlashAttribute("message", "Connection enabled.");
    return "redirect:/registries/" + id;
  }

  @PostMapping("/registries/{id}/disable")
  @PreAuthorize("hasRole('ADMIN')")
  String disable(@PathVariable UUID id, @AuthenticationPrincipal SignedInUser me, RedirectAttributes redirect) {
    connections.enable(id, false, me.actor());
    redirect.addFlashAttribute("message", "Connection disabled: no discovery and no push events until it is enabled.");
    return "redirect:/registries/" + id;
  }

  @PostMapping("/registries/{id}/limits")
  @PreAuthorize("hasRole('ADMIN')")
  String limits(@PathVariable UUID id, @RequestParam(defaultValue = "0") int maxConcurrentRequests,
      @RequestParam(defaultValue = "0") int requestsPerSecond, @AuthenticationPrincipal SignedInUser me,
      RedirectAttributes redirect) {
    try {
      connections.limit(id, maxConcurrentRequests, requestsPerSecond, me.actor());
      redirect.addFlashAttribute("message", "Request limits saved.");
    } catch (Connections.InvalidConnectionException e) {
      redirect.addFlashAttribute("error", String.join(" ", e.problems().values()));
    }
    return "redirect:/registries/" + id;
  }

  @PostMapping("/registries/{id}/delete")
  @PreAuthorize("hasRole('ADMIN')")
  String delete(@PathVariable UUID id, @AuthenticationPrincipal SignedInUser me, RedirectAttributes redirect) {
    connections.delete(id, me.actor());
    redirect.addFlashAttribute("message", "Connection deleted with everything discovered through it.");
    return "redirect:/registries";
  }

  @PostMapping("/registries/{id}/webhook-secret")
  @PreAuthorize("hasRole('ADMIN')")
  String rotateWebhookSecret(@PathVariable UUID id, @AuthenticationPrincipal SignedInUser me, RedirectAttributes redirect) {
    redirect.addFlashAttribute("webhookSecret", connections.rotateWebhookSecret(id, me.actor()));
    redirect.addFlashAttribute("message", "New webhook secret made; the old one no longer works.");
    return "redirect:/registries/" + id;
  }

  @PostMapping("/registries/{id}/test")
  String test(@PathVariable UUID id, HtmxRequest htmx, Model model, RedirectAttributes redirect) {
    ConnectionCheck.Result result = check.check(id);
    if (htmx.isHtmxRequest() && !htmx.isBoosted()) {
      model.addAttribute("check", result);
      return "registry/detail :: check";
    }
    redirect.addFlashAttribute("check", result);
    return "redirect:/registries/" + id;
  }

  @PostMapping("/registries/{id}/discover")
  String discover(@PathVariable UUID id, RedirectAttributes redirect) {
    Connection connection = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    if (!connection.enabled()) {
      redirect.addFlashAttribute("error", "The connection is disabled; enable it first.");
    } else if (runner.submit(TenantScope.require(), id, Trigger.MANUAL, null)) {
      redirect.addFlashAttribute("message", "Discovery queued; new images are scanned as they are found.");
    } else {
      redirect.addFlashAttribute("message", "A discovery of this registry is already queued or running.");
    }
    return "redirect:/registries/" + id;
  }

  @GetMapping("/registries/{id}/repositories/{repositoryId}")
  String repository(@PathVariable UUID id, @PathVariable UUID repositoryId, Model model) {
    var repository = views.repository(id, repositoryId).orElseThrow(() -> new UnknownConnectionException(id));
    model.addAttribute("repository", repository);
    // the risk of exactly the images the tags point at
    model.addAttribute("imageRisks", risk.images(repository.tags().stream().map(RegistryViews.TagRow::imageId)
        .filter(java.util.Objects::nonNull).distinct().toList()));
    model.addAttribute("scopeRisk", risk.scope(null, repositoryId));
    return "registry/repository";
  }

  /** How many findings and packages an image's page lists; the explorer and the SBOM have them all. */
  static final int IMAGE_FINDINGS = 200;
  static final int IMAGE_PACKAGES = 1000;

  @GetMapping("/images/{imageId}")
  String image(@PathVariable UUID imageId, @RequestParam(name = "fixed", defaultValue = "false") boolean showFixed,
      Model model) {
    var image = views.image(imageId).orElseThrow(() -> new UnknownConnectionException(imageId));
    model.addAttribute("image", image);
    model.addAttribute("tags", views.tagsOf(image));
    model.addAttribute("tagHistory", views.tagHistoryOf(image));
    model.addAttribute("platforms", image.index() ? views.platformsOf(image) : List.of());
    Findings.ImageSummary analysis = findings.summary(imageId);
    model.addAttribute("analysis", analysis);
    // a large image's page stays quick to load and to read: the worst findings here, every one in the explorer
    model.addAttribute("findings", findings.ofImage(imageId, showFixed, IMAGE_FINDINGS));
    model.addAttribute("findingsTotal", analysis.open().values().stream().mapToLong(Long::longValue).sum()
        + (showFixed ? analysis.fixed() : 0));
    var imageDetails = image.index() ? null : details.of(imageId).orElse(null);
    model.addAttribute("details", imageDetails);
    model.addAttribute("packagesShown", imageDetails == null ? List.of()
        : imageDetails.packages().subList(0, Math.min(IMAGE_PACKAGES, imageDetails.packages().size())));
    model.addAttribute("showFixed", showFixed);
    return "registry/image";
  }

  private void repositories(UUID connectionId, String filter, Model model) {
    String q = filter == null || filter.isBlank() ? null : filter.strip();
    if (q != null && q.length() > 200) {
      q = q.substring(0, 200);
    }
    model.addAttribute("q", q);
    model.addAttribute("repositories", views.repositories(connectionId, q, REGISTRY_REPOSITORIES));
  }

  @ExceptionHandler(UnknownConnectionException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound() {
    return "error/404";
  }

  private String form(Model model, ConnectionForm form, Map<String, String> problems, Connection existing) {
    ConnectionKind kind = form.kind() == null ? ConnectionKind.ACR : form.kind();
    model.addAttribute("form", form);
    model.addAttribute("kind", kind);
    model.addAttribute(
        "authentications",
        Authentication.of(kind).stream()
            .filter(a -> a != Authentication.ACR_MANAGED_IDENTITY || properties.azure().managedIdentityEnabled())
            .toList());
    model.addAttribute("problems", problems);
    model.addAttribute("existing", existing);
    return "registry/form";
  }

  /**
   * The connection form. The secret field is write-only: it is never filled in when the form is shown again, and empty
   * means "keep the stored one".
   */
  record ConnectionForm(
      String name,
      ConnectionKind kind,
      String endpoint,
      Authentication authentication,
      String username,
      String azureTenantId,
      String secret,
      String caCertificates,
      String include,
      String exclude,
      Integer intervalMinutes) {

    static ConnectionForm empty(ConnectionKind kind) {
      return new ConnectionForm(
          "", kind, "", kind == ConnectionKind.ACR ? Authentication.ACR_APPLICATION : Authentication.ANONYMOUS,
          "", "", null, "", "", "", 60);
    }

    static ConnectionForm of(Connection c) {
      return new ConnectionForm(
          c.name(), c.kind(), c.endpoint(), c.authentication(), c.username(), c.azureTenantId(), null,
          c.caCertificates(), String.join("\n", c.includeRepositories()), String.join("\n", c.excludeRepositories()),
          (int) c.discoveryInterval().toMinutes());
    }

    ConnectionForm withoutSecret() {
      return new ConnectionForm(
          name, kind, endpoint, authentication, username, azureTenantId, null, caCertificates, include, exclude, intervalMinutes);
    }

    ConnectionSpec toSpec() {
      return new ConnectionSpec(
          name, kind, endpoint, authentication, username, azureTenantId, secret, caCertificates,
          lines(include), lines(exclude), intervalMinutes == null ? null : Duration.ofMinutes(intervalMinutes));
    }

    private static List<String> lines(String text) {
      if (text == null) {
        return List.of();
      }
      return Arrays.stream(text.split("[\\r\\n,]+")).map(String::trim).filter(s -> !s.isEmpty()).limit(1000).toList();
    }

    @Override
    public String toString() {
      return "ConnectionForm[" + name + ", " + kind + ", " + endpoint + "]";
    }
  }
}
