package io.portcullis.identity;

import java.util.UUID;

/**
 * Entra ID access tokens presented to the REST API: validated as a resource server validates them (signature, time,
 * issuer of the token's own tenant, audience), then turned into a tenant and a role the same way a sign-in is.
 */
public interface EntraAccessTokens {

  /** Whether this installation accepts Entra access tokens at all (it does when Entra sign-in is configured). */
  boolean enabled();

  /**
   * The caller a valid token stands for.
   *
   * @throws org.springframework.security.core.AuthenticationException when the token is not valid, its organisation is
   *     not onboarded, or it carries no Portcullis role
   */
  Caller verify(String token);

  /**
   * The holder of a valid access token.
   *
   * @param objectId the {@code oid} claim: a user's or, for an application's own token, its service principal's
   * @param actor how the caller appears in logs
   * @param role the role that applies: an Admin's in-app override for a known user, otherwise the token's app role
   */
  record Caller(UUID tenantId, String objectId, String actor, Role role) {}
}
