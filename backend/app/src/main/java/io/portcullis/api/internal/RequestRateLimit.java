package io.portcullis.api.internal;

import io.portcullis.api.ApiCaller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a caller's request with 429 and {@code Retry-After} when its bucket is empty. It runs once the caller is
 * known, before authorization, so refused writes of a read token count too.
 */
final class RequestRateLimit extends OncePerRequestFilter {

  private final RateLimits limits;
  private final ProblemResponses problems;

  RequestRateLimit(RateLimits limits, ProblemResponses problems) {
    this.limits = limits;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof ApiCaller caller) {
      long retryAfter = limits.take(caller.rateKey());
      if (retryAfter > 0) {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problems.write(
            request,
            response,
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests with this token: retry after "
                + retryAfter
                + (retryAfter == 1 ? " second." : " seconds."));
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
