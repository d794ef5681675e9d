package io.portcullis.identity.internal;

import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies an Admin's role change to sessions that are already open, on their next request: a demoted user loses the
 * rights at once rather than at their next sign-in, and a user whose role was taken away is signed out. One indexed
 * lookup per request.
 */
class CurrentRole extends OncePerRequestFilter {

  private final Users users;
  private final SecurityContextRepository contexts;

  CurrentRole(Users users, SecurityContextRepository contexts) {
    this.users = users;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof SignedInUser signedIn) {
      Optional<Role> current =
          TenantScope.callAs(signedIn.tenantId(), () -> users.find(signedIn.userId()).map(User::effectiveRole));
      if (current.isEmpty()) {
        SecurityContextHolder.clearContext();
        if (request.getSession(false) != null) {
          request.getSession(false).invalidate();
        }
        response.sendRedirect(request.getContextPath() + "/sign-in/no-role");
        return;
      }
      if (current.get() != signedIn.role()) {
        SignedInUser updated = signedIn.withRole(current.get());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(updated, null, updated.getAuthorities()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
      }
    }
    chain.doFilter(request, response);
  }
}
