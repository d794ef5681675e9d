package io.portcullis.web;

import io.portcullis.identity.SignInMethods;
import io.portcullis.identity.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the base layout shows on every page: who is signed in, for which organisation, and whether this is local mode. */
@ControllerAdvice
class LayoutAttributes {

  private final SignInMethods methods;

  LayoutAttributes(SignInMethods methods) {
    this.methods = methods;
  }

  @ModelAttribute("localMode")
  boolean localMode() {
    return methods.local();
  }

  /** The path of the page, for marking the current navigation entry. */
  @ModelAttribute("currentPath")
  String currentPath(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  @ModelAttribute("me")
  SignedInUser me(@AuthenticationPrincipal SignedInUser user) {
    return user;
  }
}
