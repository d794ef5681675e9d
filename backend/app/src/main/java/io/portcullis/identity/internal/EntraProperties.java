package io.portcullis.identity.internal;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Portcullis app registration in Microsoft Entra ID (multi-tenant). Sign-in with Entra is on when a client id is set.
 *
 * @param clientId the application (client) id
 * @param clientSecret a client secret of the registration
 * @param authorizationUri the authorize endpoint of the {@code organizations} authority
 * @param tokenUri the token endpoint of the {@code organizations} authority
 * @param jwkSetUri the signing keys of the {@code organizations} authority
 * @param issuerTemplate the issuer every ID token (and every access token for the REST API) must carry, {@code {tid}}
 *     standing for the token's own tenant id
 * @param apiAudiences the audiences an access token for the REST API may carry; empty for the client id and
 *     {@code api://<client id>}
 */
@ConfigurationProperties("portcullis.identity.entra")
record EntraProperties(
    String clientId,
    String clientSecret,
    @DefaultValue("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize") URI authorizationUri,
    @DefaultValue("https://login.microsoftonline.com/organizations/oauth2/v2.0/token") URI tokenUri,
    @DefaultValue("https://login.microsoftonline.com/organizations/discovery/v2.0/keys") URI jwkSetUri,
    @DefaultValue("https://login.microsoftonline.com/{tid}/v2.0") String issuerTemplate,
    List<String> apiAudiences) {

  boolean enabled() {
    return clientId != null && !clientId.isBlank();
  }

  /** The audiences REST API access tokens may carry. */
  List<String> acceptedAudiences() {
    List<String> configured =
        apiAudiences == null
            ? List.of()
            : apiAudiences.stream().filter(a -> a != null && !a.isBlank()).map(String::trim).toList();
    return configured.isEmpty() ? List.of(clientId, "api://" + clientId) : configured;
  }

  @Override
  public String toString() {
    return "EntraProperties[clientId=" + clientId + ", authorizationUri=" + authorizationUri + "]";
  }
}
