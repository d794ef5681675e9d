package io.portcullis.jobs;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a failed job later, each wait twice the one before (with a little jitter, so jobs that failed together do not
 * return together), up to a number of attempts; then gives up and tells {@code onFinalFailure} why, so the reason can be
 * recorded where people look. A job that knows its failure is permanent throws {@link PermanentFailure} and is not
 * retried.
 */
public final class Backoff<T> implements FailureHandler<T> {

  private static final Logger log = LoggerFactory.getLogger(Backoff.class);

  /** What to do when a job has failed for good. */
  @FunctionalInterface
  public interface FinalFailure<T> {
    void failed(T data, Throwable cause, int attempts);
  }

  /** What to do when a job will be tried again. */
  @FunctionalInterface
  public interface Retry<T> {
    void retrying(T data, Throwable cause, int attempts, Instant next);
  }

  private final Duration first;
  private final Duration longest;
  private final int attempts;
  private final FinalFailure<T> onFinalFailure;
  private final Retry<T> onRetry;

  public Backoff(Duration first, Duration longest, int attempts, Retry<T> onRetry, FinalFailure<T> onFinalFailure) {
    if (attempts < 1) {
      throw new IllegalArgumentException("a job needs at least one attempt");
    }
    this.first = first;
    this.longest = longest;
    this.attempts = attempts;
    this.onRetry = onRetry;
    this.onFinalFailure = onFinalFailure;
  }

  /** The wait before attempt {@code failures + 1}, without jitter. */
  public Duration delayAfter(int failures) {
    long millis = first.toMillis();
    for (int i = 1; i < failures && millis < longest.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, longest.toMillis()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public void onFailure(ExecutionComplete complete, ExecutionOperations<T> operations) {
    int failures = complete.getExecution().consecutiveFailures + 1;
    T data = (T) complete.getExecution().taskInstance.getData();
    Throwable cause = complete.getCause().orElse(null);
    boolean permanent = cause instanceof PermanentFailure || (cause != null && cause.getCause() instanceof PermanentFailure);
    if (permanent || failures >= attempts) {
      try {
        onFinalFailure.failed(data, cause, failures);
      } finally {
        operations.stop();
      }
      return;
    }
    Duration delay = delayAfter(failures);
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, delay.toMillis() / 10));
    Instant next = complete.getTimeDone().plus(delay).plusMillis(jitter);
    log.info("{} failed (attempt {} of {}), next attempt at {}: {}", complete.getExecution().taskInstance,
        failures, attempts, next, cause == null ? "no reason" : cause.getMessage());
    try {
      onRetry.retrying(data, cause, failures, next);
    } finally {
      operations.reschedule(complete, next);
    }
  }

  /** A failure that another attempt cannot cure: the image is gone, its manifest is invalid. */
  public static final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
