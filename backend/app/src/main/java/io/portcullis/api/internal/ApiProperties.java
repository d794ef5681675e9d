package io.portcullis.api.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API.
 *
 * @param maxBodySize the largest request body accepted; larger ones are refused with 413 before they are read
 * @param rateLimit how many requests each caller may make
 */
@ConfigurationProperties("portcullis.api")
record ApiProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue RateLimit rateLimit) {

  ApiProperties {
    if (maxBodySize.toBytes() < 1) {
      throw new IllegalArgumentException("portcullis.api.max-body-size must be positive");
    }
  }

  /**
   * A token bucket per caller (per API token, or per Entra identity), in each instance of Portcullis.
   *
   * @param requestsPerSecond the sustained rate: how fast the bucket refills
   * @param burst how many requests may come at once: the size of the bucket
   */
  record RateLimit(@DefaultValue("10") double requestsPerSecond, @DefaultValue("50") int burst) {

    RateLimit {
      if (!(requestsPerSecond >= 0.01 && requestsPerSecond <= 100_000) || burst < 1 || burst > 1_000_000) {
        throw new IllegalArgumentException(
            "portcullis.api.rate-limit.requests-per-second must be between 0.01 and 100000, and burst between 1 and"
                + " 1000000");
      }
    }
  }
}
