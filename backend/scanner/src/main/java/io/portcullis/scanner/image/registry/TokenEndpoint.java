package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.StrictJson;
import io.portcullis.scanner.image.Untrusted;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token service a registry names in its {@code Bearer} challenge (Docker's token authentication, which the OCI
 * distribution API leaves to registries and they all follow): {@code GET realm?service=…&scope=…}, with Basic
 * credentials when there are any, answered by {@code {"token": …, "expires_in": …}}.
 *
 * <p>The realm may be on another host (Docker Hub's is), but never over plain HTTP unless the registry itself is: a
 * challenge must not be able to send credentials in the clear.
 */
final class TokenEndpoint {

  private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  /** The specification's default lifetime when the response does not state one. */
  private static final long DEFAULT_LIFETIME_SECONDS = 60;

  private final Wire wire;
  private final boolean plainHttpAllowed;
  private final Clock clock;

  TokenEndpoint(Wire wire, boolean plainHttpAllowed, Clock clock) {
    this.wire = wire;
    this.plainHttpAllowed = plainHttpAllowed;
    this.clock = clock;
  }

  BearerToken fetch(Challenge challenge, Credentials credentials) throws RegistryException {
    URI endpoint = endpoint(challenge);
    String what = "GET " + endpoint.getScheme() + "://" + Wire.authority(endpoint) + endpoint.getRawPath();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .GET()
            .timeout(wire.requestTimeout())
            .header("Accept", "application/json")
            .header("User-Agent", Transport.USER_AGENT);
    if (credentials instanceof Credentials.Basic basic) {
      request.header("Authorization", Transport.basic(basic));
    }
    HttpResponse<InputStream> response = wire.send(request.build(), what);
    int status = response.statusCode();
    if (status != 200) {
      String codes = wire.errorCodes(response);
      throw switch (status) {
        case 401, 403 ->
            new RegistryException(
                Kind.UNAUTHORIZED,
                credentials instanceof Credentials.Basic
                    ? "the token service refused the credentials (" + status + codes + " from " + what + ")"
                    : "the registry needs credentials: its token service refused anonymous access (" + status
                        + codes + " from " + what + ")");
        case 429 -> new RegistryException(Kind.THROTTLED, "the token service is throttling (" + what + ")");
        default ->
            new RegistryException(Kind.UNAVAILABLE, "the token service answered " + status + codes + " to " + what);
      };
    }
    StrictJson json = StrictJson.parse(wire.readJson(response, MAX_RESPONSE_BYTES, what), "token response");
    // "token" per the specification, "access_token" for OAuth 2 compatibility; either may stand alone.
    Optional<String> value = json.optionalString("token").filter(token -> !token.isEmpty());
    if (value.isEmpty()) {
      value = json.optionalString("access_token").filter(token -> !token.isEmpty());
    }
    String token =
        value.orElseThrow(
            () -> new RegistryException(Kind.MALFORMED, "the token response from " + what + " has no token"));
    if (!BearerToken.isValid(token)) {
      throw new RegistryException(Kind.MALFORMED, "the token response from " + what + " holds an unusable token");
    }
    long lifetime = json.has("expires_in") ? json.integer("expires_in") : DEFAULT_LIFETIME_SECONDS;
    if (lifetime <= 0) {
      lifetime = DEFAULT_LIFETIME_SECONDS;
    }
    // Used a little before it lapses, so that no request carries a token that expires in flight.
    long margin = Math.min(10, lifetime / 2);
    return new BearerToken(token, clock.instant().plus(Duration.ofSeconds(lifetime - margin)));
  }

  private URI endpoint(Challenge challenge) throws RegistryException {
    String realm =
        challenge
            .parameter("realm")
            .orElseThrow(() -> new RegistryException(Kind.MALFORMED, "the registry's Bearer challenge names no realm"));
    URI uri;
    try {
      uri = new URI(realm);
    } catch (URISyntaxException e) {
      throw new RegistryException(Kind.MALFORMED, "the registry's token realm is not a URL: " + Untrusted.quote(realm));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean allowed = scheme.equals("https") || (scheme.equals("http") && plainHttpAllowed);
    if (!allowed || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new RegistryException(
          Kind.MALFORMED,
          "refusing the registry's token realm " + Untrusted.quote(realm)
              + ": it must be an https URL (plain http only when the registry itself is)");
    }
    List<String> parameters = new ArrayList<>();
    challenge.parameter("service").ifPresent(service -> parameters.add("service=" + encode(service)));
    challenge
        .parameter("scope")
        .ifPresent(
            scopes -> {
              for (String scope : scopes.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                  parameters.add("scope=" + encode(scope));
                }
              }
            });
    String query = uri.getRawQuery();
    if (!parameters.isEmpty()) {
      query = (query == null || query.isEmpty() ? "" : query + "&") + String.join("&", parameters);
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return URI.create(scheme + "://" + uri.getHost() + port + path + (query == null ? "" : "?" + query));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
