package io.portcullis.web;

import io.portcullis.tenancy.TenantScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts a request id and, once the user is known, their tenant into every log line of a request. A caller's
 * {@code X-Request-Id} is kept when it looks like an id (so a trace can cross services) and echoed back.
 */
@Configuration(proxyBeanMethods = false)
class RequestLogContext {

  static final String REQUEST_ID = "requestId";
  static final String TENANT = "tenant";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  /** Before security, so that sign-in is logged with the request id. */
  @Bean
  FilterRegistrationBean<OncePerRequestFilter> requestIdFilter() {
    var registration = new FilterRegistrationBean<OncePerRequestFilter>(new RequestId());
    registration.setOrder(-200);
    return registration;
  }

  /** After security, when the principal (and so the tenant) is known. */
  @Bean
  FilterRegistrationBean<OncePerRequestFilter> tenantLogFilter() {
    var registration = new FilterRegistrationBean<OncePerRequestFilter>(new TenantOfRequest());
    registration.setOrder(100);
    return registration;
  }

  private static final class RequestId extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String given = request.getHeader("X-Request-Id");
      String id = given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
      MDC.put(REQUEST_ID, id);
      response.setHeader("X-Request-Id", id);
      try {
        chain.doFilter(request, response);
      } finally {
        MDC.remove(REQUEST_ID);
      }
    }
  }

  private static final class TenantOfRequest extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      TenantScope.current().ifPresent(tenant -> MDC.put(TENANT, tenant.toString()));
      try {
        chain.doFilter(request, response);
      } finally {
        MDC.remove(TENANT);
      }
    }
  }
}
