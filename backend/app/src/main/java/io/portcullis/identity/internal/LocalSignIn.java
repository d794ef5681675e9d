package io.portcullis.identity.internal;

import io.portcullis.identity.IdentityEvents.TenantOnboarded;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.identity.internal.LocalProperties.LocalUser;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Form sign-in for local mode: the configured users, all members of one local tenant. */
class LocalSignIn implements AuthenticationProvider {

  /** The Entra tenant id under which the local organisation is stored; never a valid Entra id, so never reachable by Entra. */
  static final String LOCAL_TENANT = "local";

  private final Map<String, LocalUser> accounts;
  private final Tenants tenants;
  private final Users users;
  private final ApplicationEventPublisher events;
  private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private final LocalProperties properties;
  private volatile UUID tenantId;

  LocalSignIn(LocalProperties properties, Tenants tenants, Users users, ApplicationEventPublisher events) {
    this.properties = properties;
    this.accounts =
        properties.users().stream().collect(Collectors.toMap(LocalUser::username, Function.identity()));
    this.tenants = tenants;
    this.users = users;
    this.events = events;
    List<String> incomplete =
        properties.users().stream()
            .filter(u -> u.username() == null || u.password() == null || u.role() == null)
            .map(LocalUser::toString)
            .toList();
    if (accounts.isEmpty() || !incomplete.isEmpty()) {
      throw new IllegalStateException(
          "local mode needs portcullis.local.users, each with username, password and role; incomplete: " + incomplete);
    }
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String username = authentication.getName();
    String password = String.valueOf(authentication.getCredentials());
    LocalUser account = accounts.get(username);
    if (account == null || !passwords.matches(password, account.password())) {
      throw new Refused(account == null ? TenantScope.PLATFORM : tenant(), username);
    }
    UUID tenant = tenant();
    String displayName = account.name() != null ? account.name() : account.username();
    User user =
        TenantScope.callAs(
            tenant, () -> users.signedIn("local:" + account.username(), displayName, account.email(), account.role()));
    SignedInUser principal =
        new SignedInUser(
            tenant, properties.organisation(), user.id(), displayName, user.actor(), user.effectiveRole(), null);
    return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  /** The local tenant, onboarded on first use. */
  UUID tenant() {
    UUID id = tenantId;
    if (id == null) {
      var onboarding = tenants.onboard(LOCAL_TENANT, properties.organisation(), "local configuration");
      id = onboarding.tenantId();
      if (onboarding.created()) {
        events.publishEvent(
            new TenantOnboarded(id, LOCAL_TENANT, properties.organisation(), "local configuration"));
      }
      tenantId = id;
    }
    return id;
  }

  /** Wrong user name or password; the same message either way. */
  static final class Refused extends BadCredentialsException implements SignInFailure {

    @Serial private static final long serialVersionUID = 1L;

    private final UUID tenantId;
    private final String actor;

    Refused(UUID tenantId, String actor) {
      super("Wrong user name or password.");
      this.tenantId = tenantId;
      this.actor = actor;
    }

    @Override
    public UUID tenantId() {
      return tenantId;
    }

    @Override
    public String actor() {
      return actor;
    }

    @Override
    public String reason() {
      return "wrong user name or password";
    }
  }
}
