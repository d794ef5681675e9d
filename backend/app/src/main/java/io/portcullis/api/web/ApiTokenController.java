package io.portcullis.api.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.api.ApiTokens.InvalidTokenRequestException;
import io.portcullis.api.UnknownResourceException;
import io.portcullis.identity.SignedInUser;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admins make, review and revoke the organisation's API tokens. A new token is shown once, on the page the form leads
 * to; the list shows only its prefix. One URL serves the page and, to htmx, the token table.
 */
@Controller
class ApiTokenController {

  static final int DEFAULT_DAYS = 90;

  private final ApiTokens tokens;

  ApiTokenController(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @GetMapping("/settings/api-tokens")
  String list(HtmxRequest htmx, Model model) {
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", new TokenForm("", ApiScope.READ.name(), DEFAULT_DAYS));
    }
    model.addAttribute("tokens", tokens.all());
    model.addAttribute("scopes", ApiScope.values());
    model.addAttribute("maxDays", ApiTokens.MAX_DAYS);
    return htmx.isHtmxRequest() && !htmx.isBoosted() ? "api/tokens :: tokens" : "api/tokens";
  }

  @PostMapping("/settings/api-tokens")
  String create(
      TokenForm form,
      BindingResult binding,
      @AuthenticationPrincipal SignedInUser admin,
      Model model,
      RedirectAttributes redirect) {
    // a value that does not bind (days that are not a number) is left null and refused below with the reason
    try {
      int days = form.days() == null ? 0 : form.days();
      var created = tokens.create(form.name(), form.parsedScope(), days, admin.actor());
      redirect.addFlashAttribute("message", "Token " + created.token().name() + " created.");
      redirect.addFlashAttribute("createdToken", created.secret());
      return "redirect:/settings/api-tokens";
    } catch (InvalidTokenRequestException e) {
      model.addAttribute("error", e.getMessage());
      model.addAttribute("form", form);
      model.addAttribute("tokens", tokens.all());
      model.addAttribute("scopes", ApiScope.values());
      model.addAttribute("maxDays", ApiTokens.MAX_DAYS);
      return "api/tokens";
    }
  }

  @PostMapping("/settings/api-tokens/{id}/revoke")
  String revoke(@PathVariable UUID id, @AuthenticationPrincipal SignedInUser admin, RedirectAttributes redirect) {
    var token = tokens.revoke(id, admin.actor());
    redirect.addFlashAttribute("message", "Token " + token.name() + " revoked: it is refused from now on.");
    return "redirect:/settings/api-tokens";
  }

  @ExceptionHandler(UnknownResourceException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String unknownToken() {
    return "error/404";
  }

  /**
   * The new-token form as submitted.
   *
   * @param name what the token is for
   * @param scope {@code READ} or {@code READ_WRITE}
   * @param days how long it is valid
   */
  record TokenForm(String name, String scope, Integer days) {

    ApiScope parsedScope() {
      for (ApiScope value : ApiScope.values()) {
        if (value.name().equals(scope)) {
          return value;
        }
      }
      return null;
    }
  }
}
