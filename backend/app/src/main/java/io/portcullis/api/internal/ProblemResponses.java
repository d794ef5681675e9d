package io.portcullis.api.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details (RFC 9457) written straight to the response, for the errors the API answers before a controller
 * runs: authentication, scope, rate and size limits. Controllers' errors take the same shape through {@link
 * ApiProblems}. The type is {@code about:blank} throughout, so the title is the status's own phrase and the detail
 * says what happened.
 */
final class ProblemResponses {

  private static final URI BLANK = URI.create("about:blank");

  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  static ProblemDetail problem(HttpStatus status, String detail, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(BLANK);
    problem.setTitle(status.getReasonPhrase());
    problem.setInstance(URI.create(request.getRequestURI()));
    return problem;
  }

  void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json.writeValueAsString(problem(status, detail, request)));
    response.flushBuffer();
  }
}
