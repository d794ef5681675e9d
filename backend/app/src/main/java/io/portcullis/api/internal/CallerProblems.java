package io.portcullis.api.internal;

import io.portcullis.api.ApiCaller;
import io.portcullis.api.ApiScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details, with the {@code WWW-Authenticate} challenge of RFC 6750: no token or a refused
 * token is 401 ({@code invalid_token} when one was sent), a read token that tries to change something is 403
 * ({@code insufficient_scope}).
 */
final class CallerProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

  private static final Logger log = LoggerFactory.getLogger(CallerProblems.class);

  private final ProblemResponses problems;

  CallerProblems(ProblemResponses problems) {
    this.problems = problems;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    String detail;
    String challenge;
    if (exception instanceof OAuth2AuthenticationException oauth) {
      String description = oauth.getError().getDescription();
      detail = description != null ? description : "The bearer token is not valid.";
      // a presented token that failed: worth a line for whoever investigates; a missing token is not
      log.info("Refused API request {} {}: {}", request.getMethod(), request.getRequestURI(), detail);
      challenge =
          "Bearer error=\"" + oauth.getError().getErrorCode() + "\", error_description=\"" + quoted(detail) + "\"";
    } else {
      detail = "Send a Portcullis API token or an Entra access token: Authorization: Bearer <token>.";
      challenge = "Bearer";
    }
    response.setHeader("WWW-Authenticate", challenge);
    problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
      throws IOException {
    var authentication = SecurityContextHolder.getContext().getAuthentication();
    String detail = "You may not do this.";
    if (authentication != null
        && authentication.getPrincipal() instanceof ApiCaller caller
        && caller.scope() == ApiScope.READ) {
      detail = "This caller may only read (GET). Changes need a read-write token, or the Analyst or Admin role.";
      response.setHeader(
          "WWW-Authenticate", "Bearer error=\"insufficient_scope\", error_description=\"" + quoted(detail) + "\"");
    }
    problems.write(request, response, HttpStatus.FORBIDDEN, detail);
  }

  /** A header's quoted string must not end early: quotes and backslashes out, and nothing but printable ASCII. */
  private static String quoted(String value) {
    return value.replaceAll("[^\\x20-\\x7e]", "?").replace("\\", "").replace("\"", "'");
  }
}
