package io.portcullis.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The same URL answers with a whole page or, to htmx, with a fragment; caches must keep the two apart, or the back button
 * shows a bare fragment.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class VaryOnHtmx extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.addHeader("Vary", "HX-Request");
    chain.doFilter(request, response);
  }
}
