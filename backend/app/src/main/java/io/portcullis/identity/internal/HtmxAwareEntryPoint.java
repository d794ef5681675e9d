package io.portcullis.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Sends people whose session has ended back to sign-in. For an htmx request a redirect would be followed in the background
 * and the sign-in page swapped into a table cell, so htmx is told to load the sign-in page as a whole page instead.
 */
class HtmxAwareEntryPoint implements AuthenticationEntryPoint {

  private final String loginPage;
  private final LoginUrlAuthenticationEntryPoint pages;

  HtmxAwareEntryPoint(String loginPage) {
    this.loginPage = loginPage;
    this.pages = new LoginUrlAuthenticationEntryPoint(loginPage);
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException, jakarta.servlet.ServletException {
    if (isHtmx(request)) {
      redirectHtmx(request, response);
    } else {
      pages.commence(request, response, exception);
    }
  }

  /**
   * An expired session also loses its CSRF token, so an htmx POST from a stale page is refused as forged before it is
   * seen as unauthenticated: send that to sign-in too. A signed-in user who lacks the role gets a plain 403.
   */
  AccessDeniedHandler accessDeniedHandler() {
    AccessDeniedHandler forbidden = new AccessDeniedHandlerImpl();
    return (request, response, exception) -> {
      if (isHtmx(request) && (exception instanceof CsrfException || anonymous())) {
        redirectHtmx(request, response);
      } else {
        forbidden.handle(request, response, exception);
      }
    };
  }

  private void redirectHtmx(HttpServletRequest request, HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("HX-Redirect", request.getContextPath() + loginPage + "?expired");
  }

  private static boolean anonymous() {
    var authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication == null || authentication instanceof AnonymousAuthenticationToken;
  }

  private static boolean isHtmx(HttpServletRequest request) {
    return "true".equals(request.getHeader("HX-Request"));
  }

}
