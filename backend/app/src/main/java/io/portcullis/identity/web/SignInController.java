package io.portcullis.identity.web;

import io.portcullis.identity.SignInMethods;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

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
}
