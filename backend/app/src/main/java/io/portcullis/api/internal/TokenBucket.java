package io.portcullis.api.internal;

/**
 * A token bucket: holds at most {@code burst} tokens, refills at {@code perSecond}, and every request takes one. Written
 * here rather than taken from a library because Bucket4j is not among the artifacts this project builds from, and a
 * single-instance bucket is a few lines. Times are {@link System#nanoTime()} readings, passed in so tests need no sleep.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updatedAt;

  TokenBucket(double perSecond, int burst, long now) {
    this.capacity = burst;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes a token at {@code now}: 0 when one was there, otherwise the nanoseconds until one will be. */
  synchronized long take(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
  }

  /** Whether the bucket has been idle long enough to be full again, so forgetting it changes nothing. */
  synchronized boolean full(long now) {
    refill(now);
    return tokens >= capacity;
  }

  private void refill(long now) {
    long elapsed = now - updatedAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      updatedAt = now;
    }
  }
}
