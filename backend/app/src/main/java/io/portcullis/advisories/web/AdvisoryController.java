package io.portcullis.advisories.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.advisories.Advisories;
import io.portcullis.advisories.AdvisoryEvents.ImportRequested;
import io.portcullis.advisories.internal.AdvisoryProperties;
import io.portcullis.advisories.internal.AdvisoryStatus;
import io.portcullis.advisories.internal.AdvisoryStatus.FeedStatus;
import io.portcullis.advisories.internal.ImportRunner;
import io.portcullis.identity.SignedInUser;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The advisories page, for Admins: each feed with its last import (counts, reasons for rejected records, failures), the
 * state of EPSS and KEV, and "Import now". While an import runs, htmx polls the same URL for the status table.
 */
@Controller
@PreAuthorize("hasRole('ADMIN')")
class AdvisoryController {

  private final Advisories advisories;
  private final AdvisoryStatus status;
  private final ImportRunner runner;
  private final AdvisoryProperties properties;
  private final ApplicationEventPublisher events;

  AdvisoryController(
      Advisories advisories,
      AdvisoryStatus status,
      ImportRunner runner,
      AdvisoryProperties properties,
      ApplicationEventPublisher events) {
    this.advisories = advisories;
    this.status = status;
    this.runner = runner;
    this.properties = properties;
    this.events = events;
  }

  @GetMapping("/advisories")
  String page(HtmxRequest htmx, Model model) {
    List<FeedStatus> feeds = status.feeds();
    model.addAttribute("osv", feeds.stream().filter(f -> f.kind().equals("OSV")).toList());
    model.addAttribute("enrichment", feeds.stream().filter(f -> !f.kind().equals("OSV")).toList());
    model.addAttribute("running", feeds.stream().anyMatch(FeedStatus::running));
    // the Admins of every organisation see this page: a mirror's path on the server is none of their business
    model.addAttribute("source", properties.remoteSource() ? properties.sourceUrl().toString() : "a mirror directory");
    if (htmx.isHtmxRequest() && !htmx.isBoosted()) {
      return "advisories/list :: status";
    }
    model.addAttribute("schedule", properties.schedule());
    model.addAttribute("totals", advisories.totals());
    return "advisories/list";
  }

  @PostMapping("/advisories/import")
  String importNow(
      @RequestParam(defaultValue = "ALL") String feed,
      @AuthenticationPrincipal SignedInUser me,
      RedirectAttributes redirect) {
    String key = feed.length() > 120 ? "" : feed;
    List<String> queued = runner.request(key);
    if (queued.isEmpty()) {
      redirect.addFlashAttribute(
          "error", "Nothing was queued: the import is already waiting or running, or no such feed is configured.");
    } else {
      redirect.addFlashAttribute("message", "Import queued: " + String.join(", ", queued) + ".");
      events.publishEvent(new ImportRequested(me.tenantId(), me.actor(), String.join(", ", queued)));
    }
    return "redirect:/advisories";
  }
}
