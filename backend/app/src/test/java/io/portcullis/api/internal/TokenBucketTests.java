package io.portcullis.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token bucket and the per-caller limits, on a clock the test moves by hand. */
class TokenBucketTests {

  static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAllowsTheBurstThenRefusesWithTheWaitForTheNextToken() {
    TokenBucket bucket = new TokenBucket(10, 50, 0);
    for (int i = 0; i < 50; i++) {
      assertThat(bucket.take(0)).as("request %d", i).isZero();
    }
    assertThat(bucket.take(0)).isEqualTo(SECOND / 10);
    // a tenth of a second later one token is back, and only one
    assertThat(bucket.take(SECOND / 10)).isZero();
    assertThat(bucket.take(SECOND / 10)).isPositive();
  }

  @ParameterizedTest(name = "{0}/s, burst {1}: after {2} ms idle, {3} requests pass")
  @CsvSource({
    "10, 50, 0, 50",
    "10, 50, 1000, 50",
    "1, 5, 0, 5",
    "2, 3, 60000, 3",
  })
  void theBucketNeverHoldsMoreThanItsBurst(double perSecond, int burst, long idleMillis, int expected) {
    TokenBucket bucket = new TokenBucket(perSecond, burst, 0);
    long now = idleMillis * 1_000_000;
    int passed = 0;
    while (bucket.take(now) == 0 && passed < 1000) {
      passed++;
    }
    assertThat(passed).isEqualTo(expected);
  }

  @Test
  void theSustainedRateIsTheRefillRate() {
    TokenBucket bucket = new TokenBucket(10, 1, 0);
    int passed = 0;
    for (long t = 0; t < 10 * SECOND; t += SECOND / 100) {
      if (bucket.take(t) == 0) {
        passed++;
      }
    }
    assertThat(passed).isBetween(100, 101);
  }

  @Test
  void eachCallerHasItsOwnBucketAndRetryAfterIsInWholeSeconds() {
    AtomicLong clock = new AtomicLong();
    RateLimits limits = new RateLimits(new ApiProperties.RateLimit(0.5, 2), clock::get);
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isZero();
    // the next token comes in 2 s
    assertThat(limits.take("a")).isEqualTo(2);
    assertThat(limits.take("b")).isZero();
    clock.addAndGet(2 * SECOND);
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isEqualTo(2);
    // never less than a second, even when the token is a moment away
    clock.addAndGet(SECOND * 19 / 10);
    assertThat(limits.take("a")).isEqualTo(1);
  }

  @Test
  void idleBucketsAreForgottenSoManyCallersCannotExhaustMemory() {
    AtomicLong clock = new AtomicLong();
    RateLimits limits = new RateLimits(new ApiProperties.RateLimit(10, 5), clock::get);
    for (int i = 0; i < RateLimits.MAX_BUCKETS; i++) {
      limits.take("caller-" + i);
    }
    assertThat(limits.size()).isEqualTo(RateLimits.MAX_BUCKETS);
    clock.addAndGet(SECOND);
    limits.take("newcomer");
    assertThat(limits.size()).isEqualTo(1);
  }
}
