package io.portcullis.identity.internal;

import io.portcullis.identity.IdentityEvents.SignInFailed;
import io.portcullis.identity.IdentityEvents.UserSignedIn;
import io.portcullis.identity.IdentityEvents.UserSignedOut;
import io.portcullis.identity.SignedInUser;
import io.portcullis.tenancy.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.stereotype.Component;

/** Publishes every sign-in, failed sign-in and sign-out, then sends the person where they should go next. */
@Component
class SignInEvents {

  private static final Logger log = LoggerFactory.getLogger(SignInEvents.class);

  private final ApplicationEventPublisher events;

  SignInEvents(ApplicationEventPublisher events) {
    this.events = events;
  }

  AuthenticationSuccessHandler success(String method) {
    var next = new SavedRequestAwareAuthenticationSuccessHandler();
    next.setDefaultTargetUrl("/");
    return (request, response, authentication) -> {
      if (authentication.getPrincipal() instanceof SignedInUser user) {
        events.publishEvent(new UserSignedIn(user.tenantId(), user.userId(), user.actor(), user.role(), method));
        // the request's tenant becomes known only now; later log lines of the session get it from the request filter
        try (var tenant = MDC.putCloseable("tenant", user.tenantId().toString())) {
          log.info("Signed in user {} as {} via {}", user.userId(), user.role(), method);
        }
      }
      next.onAuthenticationSuccess(request, response, authentication);
    };
  }

  AuthenticationFailureHandler failure() {
    return (request, response, exception) -> {
      SignInFailed failed = describe(exception, request.getParameter("username"));
      events.publishEvent(failed);
      log.info("Sign-in refused: {}", failed.reason());
      String target = "/login?error";
      if (exception instanceof OAuth2AuthenticationException oauth) {
        String code = oauth.getError().getErrorCode();
        if (EntraSignIn.NOT_ONBOARDED.equals(code)) {
          target = "/sign-in/not-onboarded";
        } else if (EntraSignIn.NO_ROLE.equals(code)) {
          target = "/sign-in/no-role";
        }
      }
      response.sendRedirect(request.getContextPath() + target);
    };
  }

  LogoutSuccessHandler signedOut() {
    return (request, response, authentication) -> {
      if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
        events.publishEvent(new UserSignedOut(user.tenantId(), user.userId(), user.actor()));
      }
      response.sendRedirect(request.getContextPath() + "/login?signed-out");
    };
  }

  /**
   * Who failed and why. A failure before a token was validated belongs to the platform and names nobody: the claims of
   * an invalid token are not evidence of anything.
   */
  private static SignInFailed describe(AuthenticationException exception, String username) {
    if (exception instanceof SignInFailure attributed) {
      return new SignInFailed(attributed.tenantId(), attributed.actor(), attributed.reason());
    }
    String reason =
        exception instanceof OAuth2AuthenticationException oauth
            ? oauth.getError().getErrorCode()
                + (oauth.getError().getDescription() != null ? ": " + oauth.getError().getDescription() : "")
            : exception.getClass().getSimpleName() + ": " + exception.getMessage();
    String actor = username != null && !username.isBlank() ? username : "unknown";
    return new SignInFailed(TenantScope.PLATFORM, actor, reason);
  }
}
