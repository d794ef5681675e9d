package io.portcullis.scanning.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.registry.Connections;
import io.portcullis.scanning.Scans;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The scans page (every role): jobs queued, running, retrying, done and failed with their reason, per registry, polled
 * by htmx while any is active. "Scan now" on an image, a repository or a registry is for Analysts and Admins.
 */
@Controller
class ScanController {

  private static final Set<String> STATUSES = Set.of("QUEUED", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED");

  private final Scans scans;
  private final Connections connections;

  ScanController(Scans scans, Connections connections) {
    this.scans = scans;
    this.connections = connections;
  }

  @GetMapping("/scans")
  String page(@RequestParam(required = false) UUID registry, @RequestParam(required = false) String status,
      HtmxRequest htmx, Model model) {
    String chosen = status != null && STATUSES.contains(status) ? status : null;
    Scans.Overview overview = scans.overview(registry, chosen, 200);
    model.addAttribute("overview", overview);
    model.addAttribute("registry", registry);
    model.addAttribute("status", chosen);
    model.addAttribute("active", overview.queued() + overview.running() + overview.retrying() > 0);
    if (htmx.isHtmxRequest() && !htmx.isBoosted()) {
      return "scans/list :: jobs";
    }
    model.addAttribute("connections", connections.all());
    return "scans/list";
  }

  /** An image's scan state as a fragment, loaded by the image page and polled while its scan is active. */
  @GetMapping("/images/{imageId}/scan-status")
  String imageStatus(@PathVariable UUID imageId, Model model) {
    if (!scans.hasImage(imageId)) {
      throw new Connections.UnknownConnectionException(imageId);
    }
    var jobs = scans.ofImage(imageId, 1);
    model.addAttribute("imageId", imageId);
    model.addAttribute("job", jobs.isEmpty() ? null : jobs.get(0));
    model.addAttribute("failure", scans.failure(imageId).orElse(null));
    return "scans/status :: status";
  }

  @PostMapping("/images/{imageId}/scan")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String scanImage(@PathVariable UUID imageId, RedirectAttributes redirect) {
    if (!scans.hasImage(imageId)) {
      throw new Connections.UnknownConnectionException(imageId);
    }
    redirect.addFlashAttribute("message", scans.scanImage(imageId, "MANUAL")
        ? "Scan queued." : "A scan of this image is already queued or running.");
    return "redirect:/images/" + imageId;
  }

  @PostMapping("/registries/{id}/repositories/{repositoryId}/scan")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String scanRepository(@PathVariable UUID id, @PathVariable UUID repositoryId, RedirectAttributes redirect) {
    if (!scans.hasRepository(id, repositoryId)) {
      throw new Connections.UnknownConnectionException(repositoryId);
    }
    int queued = scans.scanRepository(repositoryId, "MANUAL");
    redirect.addFlashAttribute("message", queued == 0
        ? "Every image of this repository is already queued or running." : queued + " images queued for scanning.");
    return "redirect:/registries/" + id + "/repositories/" + repositoryId;
  }

  @PostMapping("/registries/{id}/scan")
  @PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
  String scanRegistry(@PathVariable UUID id, RedirectAttributes redirect) {
    connections.find(id).orElseThrow(() -> new Connections.UnknownConnectionException(id));
    int queued = scans.scanConnection(id, "MANUAL");
    redirect.addFlashAttribute("message", queued == 0
        ? "Every image of this registry is already queued or running." : queued + " images queued for scanning.");
    return "redirect:/scans?registry=" + id;
  }

  @org.springframework.web.bind.annotation.ExceptionHandler(Connections.UnknownConnectionException.class)
  @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
  String notFound() {
    return "error/404";
  }
}
