package io.portcullis.identity.internal;

import io.portcullis.identity.IdentityEvents.TenantOnboarded;
import io.portcullis.identity.Role;
import io.portcullis.identity.SignedInUser;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.io.Serial;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a validated Entra ID token into a Portcullis user: maps {@code tid} to a tenant (onboarding it when an Admin of an
 * unknown organisation signs in first), records the user and works out their role.
 */
class EntraSignIn implements OAuth2UserService<OidcUserRequest, OidcUser> {

  static final String NOT_ONBOARDED = "tenant_not_onboarded";
  static final String NO_ROLE = "no_role";

  private final Tenants tenants;
  private final Users users;
  private final ApplicationEventPublisher events;

  EntraSignIn(Tenants tenants, Users users, ApplicationEventPublisher events) {
    this.tenants = tenants;
    this.users = users;
    this.events = events;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcIdToken token = request.getIdToken();
    String entraTenantId = token.getClaimAsString("tid");
    String objectId = token.getClaimAsString("oid");
    String userName = firstNonBlank(token.getClaimAsString("preferred_username"), token.getEmail(), objectId);
    String displayName = firstNonBlank(token.getClaimAsString("name"), userName);
    if (objectId == null || objectId.isBlank()) {
      throw new Refused("invalid_id_token", "the ID token has no oid claim", TenantScope.PLATFORM, userName);
    }
    Optional<Role> tokenRole = Role.highestOf(token.getClaimAsStringList("roles"));

    UUID tenantId = tenants.findByEntraTenantId(entraTenantId).orElse(null);
    if (tenantId == null) {
      if (tokenRole.orElse(null) != Role.ADMIN) {
        throw new Refused(
            NOT_ONBOARDED,
            "organisation " + entraTenantId + " is not onboarded and the user does not hold the Admin app role",
            TenantScope.PLATFORM,
            userName);
      }
      var onboarding = tenants.onboard(entraTenantId, organisationName(userName, entraTenantId), userName);
      tenantId = onboarding.tenantId();
      if (onboarding.created()) {
        events.publishEvent(
            new TenantOnboarded(tenantId, entraTenantId, organisationName(userName, entraTenantId), userName));
      }
    }

    UUID tenant = tenantId;
    User user = TenantScope.callAs(tenant, () -> users.signedIn(objectId, displayName, userName, tokenRole.orElse(null)));
    Role role = user.effectiveRole();
    if (role == null) {
      throw new Refused(NO_ROLE, "the user holds no Portcullis app role", tenant, userName);
    }
    String tenantName = TenantScope.callAs(tenant, () -> tenants.current().displayName());
    return new SignedInUser(tenant, tenantName, user.id(), displayName, userName, role, token);
  }

  /** A new tenant is named after the sign-in domain of its first administrator. */
  private static String organisationName(String userName, String entraTenantId) {
    int at = userName == null ? -1 : userName.lastIndexOf('@');
    if (at > 0 && at < userName.length() - 1) {
      return userName.substring(at + 1).toLowerCase(Locale.ROOT);
    }
    return "Organisation " + entraTenantId;
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** A sign-in refused after the token was validated, so the refusal can be attributed. */
  static final class Refused extends OAuth2AuthenticationException implements SignInFailure {

    @Serial private static final long serialVersionUID = 1L;

    private final UUID tenantId;
    private final String actor;

    Refused(String code, String description, UUID tenantId, String actor) {
      super(new OAuth2Error(code, description, null), description);
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
      return getError().getErrorCode() + ": " + getError().getDescription();
    }
  }

  /**
   * Entra's multi-tenant authority signs tokens for every organisation with the same keys; what tells them apart is the
   * issuer, which must name the very tenant the token claims in {@code tid}. Without this check a token of any
   * organisation could claim to be another's.
   */
  static final class IssuerValidator implements OAuth2TokenValidator<Jwt> {

    private static final Pattern TENANT_ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final String template;
    private final String errorCode;
    private final String tokenKind;

    IssuerValidator(String template) {
      this(template, "invalid_id_token", "ID token");
    }

    /** For another kind of token, such as an access token presented to the REST API. */
    IssuerValidator(String template, String errorCode, String tokenKind) {
      this.template = template;
      this.errorCode = errorCode;
      this.tokenKind = tokenKind;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
      String tid = token.getClaimAsString("tid");
      if (tid == null || !TENANT_ID.matcher(tid).matches()) {
        return OAuth2TokenValidatorResult.failure(
            new OAuth2Error(errorCode, "the " + tokenKind + " has no valid tid claim", null));
      }
      String expected = template.replace("{tid}", tid);
      String issuer = token.getClaimAsString("iss");
      if (!expected.equals(issuer)) {
        return OAuth2TokenValidatorResult.failure(
            new OAuth2Error(
                errorCode, "the issuer " + issuer + " does not match tenant " + tid, null));
      }
      return OAuth2TokenValidatorResult.success();
    }
  }
}
