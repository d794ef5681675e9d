package io.portcullis.audit.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.audit.AuditEvent.Outcome;
import io.portcullis.audit.AuditLog;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/** The audit log page: filters, paging, and the chain check. One URL serves the page and, to htmx, its results. */
@Controller
class AuditController {

  static final int PAGE_SIZE = 50;

  private final AuditLog log;

  AuditController(AuditLog log) {
    this.log = log;
  }

  @GetMapping("/audit")
  String list(
      AuditFilterForm form,
      BindingResult binding,
      @RequestParam(defaultValue = "0") int page,
      HtmxRequest htmx,
      Model model) {
    AuditLog.Filter filter = form.toFilter();
    model.addAttribute("filter", form);
    model.addAttribute("actions", log.actions());
    model.addAttribute("outcomes", Outcome.values());
    model.addAttribute("result", log.search(filter, Math.max(0, Math.min(page, 100_000)), PAGE_SIZE));
    model.addAttribute("pageUrl", form.toQuery());
    return htmx.isHtmxRequest() && !htmx.isBoosted() ? "audit/list :: results" : "audit/list";
  }

  @GetMapping("/audit/verify")
  String verify(HtmxRequest htmx, Model model) {
    model.addAttribute("check", log.verify());
    return htmx.isHtmxRequest() && !htmx.isBoosted() ? "audit/verify :: check" : "audit/verify";
  }

  /**
   * The filter as submitted. A value that does not parse (an unknown outcome, a malformed date) filters nothing; the page
   * still renders, and a malformed date is shown as an error beside its field.
   */
  record AuditFilterForm(
      String action,
      String actor,
      String outcome,
      @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
      @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {

    AuditLog.Filter toFilter() {
      return new AuditLog.Filter(clip(action, 64), clip(actor, 320), parsedOutcome(), from, to);
    }

    /** The page's own URL with this filter, for the pager. */
    String toQuery() {
      var uri = UriComponentsBuilder.fromPath("/audit");
      if (action != null && !action.isBlank()) {
        uri.queryParam("action", action);
      }
      if (actor != null && !actor.isBlank()) {
        uri.queryParam("actor", actor);
      }
      if (parsedOutcome() != null) {
        uri.queryParam("outcome", parsedOutcome().name());
      }
      if (from != null) {
        uri.queryParam("from", from);
      }
      if (to != null) {
        uri.queryParam("to", to);
      }
      return uri.build().toUriString();
    }

    Outcome parsedOutcome() {
      for (Outcome value : Outcome.values()) {
        if (value.name().equals(outcome)) {
          return value;
        }
      }
      return null;
    }

    private static String clip(String value, int max) {
      return value == null ? null : value.substring(0, Math.min(value.length(), max)).trim();
    }
  }
}
