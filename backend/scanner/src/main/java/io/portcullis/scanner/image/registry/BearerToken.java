package io.portcullis.scanner.image.registry;

import java.time.Instant;

/** A token from a token endpoint, good until {@code expires}. Its value is a secret: never in messages or logs. */
record BearerToken(String value, Instant expires) {

  /** Printable ASCII without spaces: anything else could not be sent in a header, or would split it. */
  static boolean isValid(String token) {
    return !token.isEmpty() && token.length() <= 64 * 1024 && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  boolean isFresh(Instant now) {
    return now.isBefore(expires);
  }

  @Override
  public String toString() {
    return "BearerToken[(hidden), expires=" + expires + "]";
  }
}
