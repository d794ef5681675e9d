package io.portcullis.scanner.image.registry;

import java.time.Duration;

/**
 * How long, and how often, one call may wait when a registry asks it to ({@code 429}, {@code 503} with
 * {@code Retry-After}). Shared by all the requests of a call, so a paged listing cannot wait the maximum on every page.
 * The count matters as much as the time: {@code Retry-After: 0} forever must not loop forever.
 */
final class RetryBudget {

  private static final int MAX_RETRIES = 5;

  private Duration remaining;
  private int retries;

  RetryBudget(Duration maxWait) {
    this.remaining = maxWait;
  }

  /** Takes {@code wait} from the budget if it fits, and says whether it did. */
  boolean spend(Duration wait) {
    if (retries >= MAX_RETRIES || wait.compareTo(remaining) > 0) {
      return false;
    }
    remaining = remaining.minus(wait);
    retries++;
    return true;
  }

  Duration remaining() {
    return remaining;
  }

  int retries() {
    return retries;
  }

  boolean exhausted() {
    return retries >= MAX_RETRIES;
  }
}
