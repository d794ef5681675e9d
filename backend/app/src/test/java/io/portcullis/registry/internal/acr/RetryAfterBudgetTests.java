package io.portcullis.registry.internal.acr;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long a response asks us to wait, read from the headers the SDK's retry policy honours. */
class RetryAfterBudgetTests {

  @ParameterizedTest(name = "{0}: {1} -> {2} ms")
  @CsvSource(
      nullValues = "none",
      value = {
        "Retry-After, 30, 30000",
        "Retry-After, ' 5 ', 5000",
        "Retry-After, -3, none",
        "Retry-After, 99999999999999999999, 999999999000",
        "Retry-After, soon, none",
        "Retry-After, '', none",
        "retry-after-ms, 1500, 1500",
        "x-ms-retry-after-ms, 250, 250",
        "x-ms-retry-after-ms, -1, none",
      })
  void readsTheRequestedPause(String header, String value, Long millis) {
    HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.fromString(header), value);

    Duration asked = RetryAfterBudget.requestedDelay(headers);

    assertThat(asked == null ? null : asked.toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest(name = "an HTTP date {0} s ahead")
  @CsvSource({"120", "-60"})
  void readsAnHttpDate(long secondsAhead) {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(secondsAhead));
    HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, date);

    Duration asked = RetryAfterBudget.requestedDelay(headers);

    assertThat(asked).isBetween(Duration.ZERO, Duration.ofSeconds(Math.max(0, secondsAhead)));
    if (secondsAhead > 0) {
      assertThat(asked).isGreaterThan(Duration.ofSeconds(secondsAhead - 5));
    }
  }
}
