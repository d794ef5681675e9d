package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.Untrusted;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * GET requests to one registry, authenticated, redirected and retried as the distribution API expects:
 *
 * <ul>
 *   <li>answers a {@code 401} once per request: a {@code Bearer} challenge with a token from the named service
 *       (cached per scope), a {@code Basic} challenge with the configured user name and password;
 *   <li>follows redirects itself (registries send blobs to storage on other hosts) and sends {@code Authorization}
 *       only to the registry's own origin, so neither a password nor a token ever reaches the storage service;
 *   <li>waits as {@code Retry-After} asks when a {@link RetryBudget} allows it;
 *   <li>maps every refusal to a {@link RegistryException} kind, with the request path and the registry's error code
 *       in the message, never a credential.
 * </ul>
 */
final class Transport {

  static final String USER_AGENT = "Portcullis (OCI distribution client)";

  private static final int MAX_REDIRECTS = 5;

  private final URI origin;
  private final Credentials credentials;
  private final Wire wire;
  private final TokenEndpoint tokenEndpoint;
  private final TokenCache tokens;
  private final Clock clock;

  /** Set once the registry asked for Basic: from then on the credentials go with every request, saving a round trip. */
  private volatile boolean basicChallenged;

  Transport(URI origin, Credentials credentials, Wire wire, Clock clock) {
    this.origin = origin;
    this.credentials = credentials;
    this.wire = wire;
    this.clock = clock;
    this.tokenEndpoint = new TokenEndpoint(wire, origin.getScheme().equals("http"), clock);
    this.tokens = new TokenCache(clock);
  }

  /**
   * Gets {@code uri} (on the registry's origin) with access to {@code scope}, and returns a {@code 2xx} response whose
   * body the caller reads and closes. {@code what} names the request in messages.
   */
  HttpResponse<InputStream> get(URI uri, String scope, String accept, RetryBudget budget, String what)
      throws RegistryException {
    boolean challengeAnswered = false;
    while (true) {
      HttpResponse<InputStream> response = followingRedirects(uri, scope, accept, what);
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return response;
      }
      if (status == 401 && !challengeAnswered && isOrigin(response.uri())) {
        Optional<Challenge> challenge = Challenge.preferred(response.headers());
        Wire.discard(response);
        answer(challenge, scope, what);
        challengeAnswered = true;
        continue;
      }
      if ((status == 429 || status == 503) && waited(response, budget, what)) {
        continue;
      }
      throw refusal(response, budget, what);
    }
  }

  /** Takes the token or the Basic decision from a challenge, or says why there is nothing to answer it with. */
  private void answer(Optional<Challenge> challenge, String scope, String what) throws RegistryException {
    if (challenge.isEmpty()) {
      throw new RegistryException(
          Kind.UNAUTHORIZED, "the registry refused " + what + " without asking for Basic or Bearer authentication");
    }
    if (credentials instanceof Credentials.Bearer) {
      throw new RegistryException(Kind.UNAUTHORIZED, "the registry refused the access token for " + what);
    }
    if (challenge.get().isBasic()) {
      if (!(credentials instanceof Credentials.Basic)) {
        throw new RegistryException(
            Kind.UNAUTHORIZED, "the registry needs a user name and password for " + what + "; none are configured");
      }
      basicChallenged = true;
      return;
    }
    tokens.remove(scope); // a token the registry just refused must not be offered again
    tokens.put(scope, tokenEndpoint.fetch(challenge.get(), credentials));
  }

  private HttpResponse<InputStream> followingRedirects(URI uri, String scope, String accept, String what)
      throws RegistryException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current).GET().timeout(wire.requestTimeout()).header("User-Agent", USER_AGENT);
      if (accept != null) {
        request.header("Accept", accept);
      }
      if (isOrigin(current)) {
        authorization(scope).ifPresent(value -> request.header("Authorization", value));
      }
      HttpResponse<InputStream> response = wire.send(request.build(), what);
      if (!isRedirect(response.statusCode())) {
        return response;
      }
      Wire.discard(response);
      current = redirectTarget(current, response, what);
    }
    throw new RegistryException(Kind.MALFORMED, what + " was redirected more than " + MAX_REDIRECTS + " times");
  }

  private URI redirectTarget(URI current, HttpResponse<?> response, String what) throws RegistryException {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new RegistryException(
                        Kind.MALFORMED, what + " was redirected (" + response.statusCode() + ") without a Location"));
    URI target;
    try {
      target = current.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new RegistryException(
          Kind.MALFORMED, what + " was redirected to something that is not a URL: " + Untrusted.quote(location));
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    // Storage elsewhere is normal; a step down from https to http is not.
    boolean allowed = scheme.equals("https") || (scheme.equals("http") && origin.getScheme().equals("http"));
    if (!allowed || target.getHost() == null) {
      throw new RegistryException(
          Kind.MALFORMED,
          what + " was redirected to " + Untrusted.quote(target.getScheme() + "://" + target.getHost())
              + ", which is not an https URL");
    }
    return target;
  }

  private Optional<String> authorization(String scope) {
    if (credentials instanceof Credentials.Bearer bearer) {
      return Optional.of("Bearer " + bearer.token());
    }
    Optional<BearerToken> token = tokens.get(scope);
    if (token.isPresent()) {
      return Optional.of("Bearer " + token.get().value());
    }
    if (basicChallenged && credentials instanceof Credentials.Basic basic) {
      return Optional.of(basic(basic));
    }
    return Optional.empty();
  }

  private boolean waited(HttpResponse<InputStream> response, RetryBudget budget, String what)
      throws RegistryException {
    Optional<Duration> wait =
        RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
    if (wait.isEmpty() || !budget.spend(wait.get())) {
      return false;
    }
    Wire.discard(response);
    try {
      Thread.sleep(wait.get().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Kind.UNAVAILABLE, what + " was interrupted while waiting to retry", e);
    }
    return true;
  }

  private RegistryException refusal(HttpResponse<InputStream> response, RetryBudget budget, String what) {
    int status = response.statusCode();
    Optional<Duration> wait =
        RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
    String codes = wire.errorCodes(response);
    return switch (status) {
      case 401 -> new RegistryException(Kind.UNAUTHORIZED, "the registry refused " + what + " (401" + codes + ")");
      case 403 ->
          new RegistryException(Kind.UNAUTHORIZED, "the registry denied access to " + what + " (403" + codes + ")");
      case 404 -> new RegistryException(Kind.NOT_FOUND, "not found: " + what + " (404" + codes + ")");
      case 429 ->
          new RegistryException(
              Kind.THROTTLED, "the registry is throttling " + what + " (429" + waiting(wait, budget) + ")");
      case 503 ->
          wait.isPresent()
              ? new RegistryException(
                  Kind.THROTTLED, "the registry is unavailable for " + what + " (503" + waiting(wait, budget) + ")")
              : new RegistryException(Kind.UNAVAILABLE, "the registry is unavailable: " + what + " (503" + codes + ")");
      default -> new RegistryException(Kind.UNAVAILABLE, "the registry answered " + status + codes + " to " + what);
    };
  }

  private static String waiting(Optional<Duration> wait, RetryBudget budget) {
    if (wait.isEmpty()) {
      return "";
    }
    if (budget.exhausted()) {
      return ", still after " + budget.retries() + " retries";
    }
    return ", asks to wait " + BodyStream.describe(wait.get()) + " but this call may wait only "
        + BodyStream.describe(budget.remaining()) + " more";
  }

  /** Whether {@code uri} is on the registry's own scheme, host and port; credentials and pagination stay there. */
  boolean isOrigin(URI uri) {
    return origin.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
        && origin.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
        && port(uri) == port(origin);
  }

  static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static String basic(Credentials.Basic basic) {
    String pair = basic.username() + ":" + basic.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
