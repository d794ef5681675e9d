package io.portcullis.api.internal;

import io.portcullis.api.ApiCaller;
import io.portcullis.api.ApiScope;
import io.portcullis.api.ApiTokens;
import io.portcullis.api.ApiTokens.Presented;
import io.portcullis.identity.EntraAccessTokens;
import io.portcullis.identity.Role;
import io.portcullis.tenancy.TenantScope;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Turns a bearer token into an API caller. A token that starts with {@code pcl_} is a Portcullis API token, found by
 * its hash; anything else is taken for an Entra access token, when this installation accepts those. Every refusal is
 * an {@link InvalidBearerTokenException}, answered 401.
 */
final class BearerAuthentication implements AuthenticationManager {

  private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);
  private static final long TOUCH_INTERVAL_NANOS = 60_000_000_000L;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final ApiTokens tokens;
  private final EntraAccessTokens entra;
  /** When this instance last recorded each token's use: most requests need no write at all. */
  private final Map<UUID, Long> touched = new ConcurrentHashMap<>();

  BearerAuthentication(ApiTokens tokens, EntraAccessTokens entra) {
    this.tokens = tokens;
    this.entra = entra;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    if (token.startsWith(ApiTokens.PREFIX)) {
      return new CallerAuthentication(portcullisToken(token));
    }
    if (!entra.enabled()) {
      throw new InvalidBearerTokenException("The token is not a Portcullis API token.");
    }
    EntraAccessTokens.Caller caller = entra.verify(token);
    ApiScope scope = caller.role() == Role.VIEWER ? ApiScope.READ : ApiScope.READ_WRITE;
    return new CallerAuthentication(
        new ApiCaller(
            caller.tenantId(), null, caller.actor(), scope, "entra:" + caller.tenantId() + ":" + caller.objectId()));
  }

  private ApiCaller portcullisToken(String token) {
    Presented presented =
        tokens.lookup(token).orElseThrow(() -> new InvalidBearerTokenException("The token is not recognised."));
    if (presented.revoked()) {
      log.info("Refused revoked API token {} of tenant {}", presented.tokenId(), presented.tenantId());
      throw new InvalidBearerTokenException("The token was revoked.");
    }
    Instant now = Instant.now();
    if (presented.expired(now)) {
      log.info("Refused expired API token {} of tenant {}", presented.tokenId(), presented.tenantId());
      throw new InvalidBearerTokenException("The token expired on " + DAY.format(presented.expiresAt()) + ".");
    }
    recordUse(presented);
    String prefix = token.substring(ApiTokens.PREFIX.length(), ApiTokens.PREFIX.length() + 8);
    return new ApiCaller(
        presented.tenantId(),
        presented.tokenId(),
        "api-token:" + ApiTokens.PREFIX + prefix,
        presented.scope(),
        "token:" + presented.tokenId());
  }

  private void recordUse(Presented presented) {
    long now = System.nanoTime();
    Long last = touched.get(presented.tokenId());
    if (last != null && now - last < TOUCH_INTERVAL_NANOS) {
      return;
    }
    if (touched.size() > 100_000) {
      touched.clear();
    }
    touched.put(presented.tokenId(), now);
    TenantScope.runAs(presented.tenantId(), () -> tokens.used(presented.tokenId()));
  }
}
