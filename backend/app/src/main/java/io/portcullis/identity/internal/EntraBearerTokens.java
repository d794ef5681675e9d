package io.portcullis.identity.internal;

import io.portcullis.identity.EntraAccessTokens;
import io.portcullis.identity.Role;
import io.portcullis.identity.User;
import io.portcullis.identity.Users;
import io.portcullis.tenancy.TenantScope;
import io.portcullis.tenancy.Tenants;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Validates Entra access tokens for the REST API with the keys of the multi-tenant authority, like the ID tokens of
 * sign-in: the issuer must name the tenant of the token's own {@code tid}, and the audience must be Portcullis. Only
 * version 2 access tokens of another client are accepted (they name that client in {@code azp}): a token issued to
 * Portcullis itself, such as the ID token of a sign-in, is not. Unlike sign-in, an API call never onboards an
 * organisation or records a user; it only reads which tenant and role apply.
 */
class EntraBearerTokens implements EntraAccessTokens {

  private static final String INVALID = "invalid_token";

  private final JwtDecoder decoder;
  private final String clientId;
  private final Tenants tenants;
  private final Users users;

  EntraBearerTokens(EntraProperties entra, Tenants tenants, Users users) {
    this.tenants = tenants;
    this.users = users;
    this.clientId = entra.clientId();
    if (entra.enabled()) {
      NimbusJwtDecoder nimbus = NimbusJwtDecoder.withJwkSetUri(entra.jwkSetUri().toString()).build();
      List<String> audiences = entra.acceptedAudiences();
      nimbus.setJwtValidator(
          new DelegatingOAuth2TokenValidator<>(
              new JwtTimestampValidator(),
              new EntraSignIn.IssuerValidator(entra.issuerTemplate(), INVALID, "access token"),
              new JwtClaimValidator<List<String>>(
                  "aud", aud -> aud != null && aud.stream().anyMatch(audiences::contains))));
      this.decoder = nimbus;
    } else {
      this.decoder = null;
    }
  }

  @Override
  public boolean enabled() {
    return decoder != null;
  }

  @Override
  public Caller verify(String token) {
    if (decoder == null) {
      throw new InvalidBearerTokenException("This installation accepts Portcullis API tokens only.");
    }
    Jwt jwt;
    try {
      jwt = decoder.decode(token);
    } catch (JwtException e) {
      // the reason names the failed check (expiry, issuer, audience, signature), never anything of the token's content
      throw new InvalidBearerTokenException("The access token is not valid: " + reason(e), e);
    }
    // A v2 access token names the client that asked for it in azp. A token whose client is Portcullis itself, or that
    // names none, is a token Portcullis was issued at sign-in (an ID token carries the same audience and roles): proof
    // of a sign-in, not a grant to call the API.
    String client = jwt.getClaimAsString("azp");
    if (client == null || client.isBlank() || client.equals(clientId)) {
      throw new InvalidBearerTokenException(
          "The token is not an access token for the API: it names no client, or was issued to Portcullis itself.");
    }
    String objectId = jwt.getClaimAsString("oid");
    if (objectId == null || objectId.isBlank()) {
      throw new InvalidBearerTokenException("The access token has no oid claim.");
    }
    UUID tenant =
        tenants
            .findByEntraTenantId(jwt.getClaimAsString("tid"))
            .orElseThrow(
                () -> new InvalidBearerTokenException("The token's organisation is not onboarded to Portcullis."));
    Optional<Role> tokenRole = Role.highestOf(jwt.getClaimAsStringList("roles"));
    // an Admin's override applies to the API as it does to pages: a demoted user cannot keep writing through the API
    Optional<Role> assigned =
        TenantScope.callAs(tenant, () -> users.findByObjectId(objectId).map(User::assignedRole));
    Role role = assigned.orElse(tokenRole.orElse(null));
    if (role == null) {
      throw new InvalidBearerTokenException("The access token carries no Portcullis app role.");
    }
    return new Caller(tenant, objectId, actor(jwt), role);
  }

  /** A user's sign-in name; an application (client-credentials token) by its client id. */
  private static String actor(Jwt jwt) {
    for (String claim : List.of("preferred_username", "upn", "email")) {
      String value = jwt.getClaimAsString(claim);
      if (value != null && !value.isBlank()) {
        return clip(value);
      }
    }
    return clip("app:" + jwt.getClaimAsString("azp"));
  }

  private static String reason(JwtException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.length() <= 300 ? message : message.substring(0, 300);
  }

  private static String clip(String value) {
    return value.length() <= 320 ? value : value.substring(0, 320);
  }
}
