package io.portcullis.scanner.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTests {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      nullValues = "none",
      value = {
        "'0',                                  PT0S",
        "' 30 ',                               PT30S",
        "'99999999999999999999999',            PT277777H46M39S",
        "'Thu, 01 Jan 2026 12:01:00 GMT',      PT1M",
        "'Thu, 01 Jan 2026 11:00:00 GMT',      PT0S",
        "'-5',                                 none",
        "'soon',                               none",
        "'',                                   none",
      })
  void parsesSecondsAndHttpDates(String header, String wait) {
    assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Optional.ofNullable(wait).map(Duration::parse));
  }
}
