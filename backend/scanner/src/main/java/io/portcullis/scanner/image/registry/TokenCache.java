package io.portcullis.scanner.image.registry;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens by scope ({@code repository:team/app:pull}), each until it expires. A scan of a large catalog asks
 * for one scope per repository, so the cache keeps only the most recently used few hundred.
 */
final class TokenCache {

  private static final int MAX_ENTRIES = 256;

  private final Clock clock;
  private final Map<String, BearerToken> tokens =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BearerToken> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  synchronized Optional<BearerToken> get(String scope) {
    BearerToken token = tokens.get(scope);
    if (token == null) {
      return Optional.empty();
    }
    if (!token.isFresh(clock.instant())) {
      tokens.remove(scope);
      return Optional.empty();
    }
    return Optional.of(token);
  }

  synchronized void put(String scope, BearerToken token) {
    tokens.put(scope, token);
  }

  synchronized void remove(String scope) {
    tokens.remove(scope);
  }
}
