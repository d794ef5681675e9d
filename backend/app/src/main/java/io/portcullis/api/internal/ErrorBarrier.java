package io.portcullis.api.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of the API chain: whatever escapes the filters and controllers behind it is logged here, with its
 * stack trace, and answered as a plain 500 problem, so that an API caller never gets an HTML error page or a trace. (An
 * I/O error is the connection failing, not the request: nothing could be answered on it.)
 */
final class ErrorBarrier extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(ErrorBarrier.class);

  private final ProblemResponses problems;

  ErrorBarrier(ProblemResponses problems) {
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException e) {
      log.error("API request {} {} failed", request.getMethod(), request.getRequestURI(), e);
      problems.write(request, response, HttpStatus.INTERNAL_SERVER_ERROR, ApiProblems.UNEXPECTED);
    }
  }
}
