package io.portcullis.api.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per caller, in this instance's memory. With several web replicas each has its own buckets, so a
 * caller spread over {@code n} replicas may reach {@code n} times the rate: the limit protects each instance, it is not
 * a quota.
 */
final class RateLimits {

  /** Buckets kept before idle (full) ones are forgotten: bounds memory whatever the number of callers. */
  static final int MAX_BUCKETS = 10_000;

  private final ApiProperties.RateLimit limit;
  private final LongSupplier clock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  RateLimits(ApiProperties.RateLimit limit, LongSupplier clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /**
   * Takes one request from {@code caller}'s bucket.
   *
   * @return 0 when the request may go ahead, otherwise the whole seconds (at least 1) after which it may be retried
   */
  long take(String caller) {
    long now = clock.getAsLong();
    if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(caller)) {
      buckets.values().removeIf(bucket -> bucket.full(now));
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(caller, key -> new TokenBucket(limit.requestsPerSecond(), limit.burst(), now));
    long waitNanos = bucket.take(now);
    return waitNanos == 0 ? 0 : Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
  }

  int size() {
    return buckets.size();
  }
}
