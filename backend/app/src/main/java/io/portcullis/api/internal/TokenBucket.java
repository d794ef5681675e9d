package io.portcullis.api.internal;

/**
 * A token bucket: holds at most {@code burst} tokens, refills at {@code perSecond}, and every request takes one. It is
 * kept in its virtual-scheduling form (GCRA): the one number stored is the time at which the bucket will be full again,
 * in whole nanoseconds, so the rate does not drift with floating-point rounding however long the bucket lives.
 *
 * <p>Written here rather than taken from a library because Bucket4j is not among the artifacts this project builds
 * from, and an in-memory bucket is a few lines. Times are {@link System#nanoTime()} readings, passed in so tests need
 * no sleep.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  /** The time one token takes to come back. */
  private final long interval;
  /** How far ahead of now the full time may run: the burst less the request being let through. */
  private final long tolerance;
  /** When the bucket will be full again; at or before now, it is full. */
  private long fullAt;

  TokenBucket(double perSecond, int burst, long now) {
    this.interval = Math.max(1, Math.round(NANOS_PER_SECOND / perSecond));
    this.tolerance = interval * (burst - 1L);
    this.fullAt = now;
  }

  /** Takes a token at {@code now}: 0 when one was there, otherwise the nanoseconds until one will be. */
  synchronized long take(long now) {
    long from = Math.max(fullAt, now);
    long ahead = from - now;
    if (ahead > tolerance) {
      return ahead - tolerance;
    }
    fullAt = from + interval;
    return 0;
  }

  /** Whether the bucket has been idle long enough to be full again, so forgetting it changes nothing. */
  synchronized boolean full(long now) {
    return fullAt <= now;
  }
}
