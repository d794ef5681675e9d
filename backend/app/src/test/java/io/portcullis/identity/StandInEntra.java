package io.portcullis.identity;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points Portcullis at a real OpenID provider standing in for Entra ID's multi-tenant authority: sign-in, tokens and
 * keys under {@link #AUTHORITY}, and each organisation's issuer at {@code <base>/{tid}} where Entra's is
 * {@code https://login.microsoftonline.com/{tid}/v2.0}.
 */
public final class StandInEntra {

  public static final String AUTHORITY = "organizations";

  private StandInEntra() {}

  public static void register(DynamicPropertyRegistry registry, MockOAuth2Server entra, String clientId) {
    registry.add("portcullis.identity.entra.client-id", () -> clientId);
    registry.add("portcullis.identity.entra.client-secret", () -> "test-secret");
    registry.add("portcullis.identity.entra.authorization-uri", () -> entra.issuerUrl(AUTHORITY) + "/authorize");
    registry.add("portcullis.identity.entra.token-uri", () -> entra.issuerUrl(AUTHORITY) + "/token");
    registry.add("portcullis.identity.entra.jwk-set-uri", () -> entra.issuerUrl(AUTHORITY) + "/jwks");
    registry.add("portcullis.identity.entra.issuer-template", () -> entra.baseUrl() + "{tid}");
  }
}
