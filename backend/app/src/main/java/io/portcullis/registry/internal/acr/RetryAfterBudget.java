package io.portcullis.registry.internal.acr;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

/**
 * The SDK's exponential backoff, narrowed in two ways.
 *
 * <p>It declines to retry when the server asks for a longer pause than we are willing to take. The SDK's retry policy
 * honours {@code Retry-After} exactly, however long it is: a registry answering 429 with an hour would hold the scan
 * for an hour. Declining hands the 429 back to the caller, who reports THROTTLED and can schedule the work again.
 *
 * <p>It retries exceptions only when the transport failed (I/O, timeouts). By default the SDK retries any exception,
 * including a refused token exchange thrown from inside the pipeline; the SDK's token cache then waits 30 seconds
 * before each new attempt, so a wrong credential took a minute and a half to report.
 */
final class RetryAfterBudget implements RetryStrategy {

  private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");

  private final RetryStrategy backoff;
  private final Duration budget;

  RetryAfterBudget(RetryStrategy backoff, Duration budget) {
    this.backoff = backoff;
    this.budget = budget;
  }

  @Override
  public int getMaxRetries() {
    return backoff.getMaxRetries();
  }

  @Override
  public Duration calculateRetryDelay(int retryAttempts) {
    return backoff.calculateRetryDelay(retryAttempts);
  }

  @Override
  public Duration calculateRetryDelay(RequestRetryCondition condition) {
    return backoff.calculateRetryDelay(condition);
  }

  @Override
  public boolean shouldRetryCondition(RequestRetryCondition condition) {
    HttpResponse response = condition.getResponse();
    if (response != null) {
      Duration asked = requestedDelay(response.getHeaders());
      if (asked != null && asked.compareTo(budget) > 0) {
        return false;
      }
      return backoff.shouldRetryCondition(condition);
    }
    // The policy asks once for each exception in the cause chain: an I/O failure anywhere in it makes the try worth
    // repeating; an HTTP answer or a refused sign-in never is.
    Throwable failure = condition.getThrowable();
    return (failure instanceof IOException || failure instanceof TimeoutException)
        && backoff.shouldRetryCondition(condition);
  }

  /** The pause a response asks for, in the headers the SDK's retry policy reads, in the same order; null if none. */
  static Duration requestedDelay(HttpHeaders headers) {
    Duration millis = millis(headers.getValue(X_MS_RETRY_AFTER_MS));
    if (millis == null) {
      millis = millis(headers.getValue(RETRY_AFTER_MS));
    }
    if (millis != null) {
      return millis;
    }
    String retryAfter = headers.getValue(HttpHeaderName.RETRY_AFTER);
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    String value = retryAfter.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      // Past nine digits (thirty years) the exact value no longer matters, and parsing it could overflow.
      return Duration.ofSeconds(value.length() > 9 ? 999_999_999L : Long.parseLong(value));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return until.isNegative() ? Duration.ZERO : until;
    } catch (DateTimeParseException notADate) {
      // An unreadable value asks for nothing we can measure; the policy then falls back to its own backoff.
      return null;
    }
  }

  private static Duration millis(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long ms = Long.parseLong(value.trim());
      return ms < 0 ? null : Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
