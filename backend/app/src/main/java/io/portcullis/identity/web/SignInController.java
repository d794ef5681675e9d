package io.portcullis.identity.web;

import io.portcullis.identity.SignInMethods;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page and the pages that explain a refused sign-in. */
@Controller
class SignInController {

  private final SignInMethods methods;

  SignInController(SignInMethods methods) {
    this.methods = methods;
  }

  @GetMapping("/login")
  String signIn(Model model) {
    model.addAttribute("methods", methods);
    return "identity/sign-in";
  }

  @GetMapping("/sign-in/not-onboarded")
  String notOnboarded() {
    return "identity/not-onboarded";
  }

  @GetMapping("/sign-in/no-role")
  String noRole() {
    return "identity/no-role";
  }

  /**
   * Where Entra sends a customer's administrator back after the admin-consent prompt. It is not a sign-in: the page says
   * what happened and what to do next. The parameters come from the browser, so only a bounded, known part is shown.
   */
  @GetMapping("/sign-in/consented")
  String consented(
      @RequestParam(name = "admin_consent", required = false) String adminConsent,
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "error_description", required = false) String description,
      Model model) {
    model.addAttribute("granted", "true".equalsIgnoreCase(adminConsent) && error == null);
    model.addAttribute("error", error == null ? null : clip(error, 100));
    model.addAttribute("errorDescription", description == null ? null : clip(description, 500));
    return "identity/consented";
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max) + "…";
  }
}
