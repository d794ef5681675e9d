package io.portcullis.scanner.image;

import java.time.Duration;

/**
 * When a scan must have finished. Checked as bytes flow, so a layer that is slow to read — by its size, its number of
 * entries or a registry that trickles — stops the scan with a reason instead of holding a worker forever.
 *
 * @param limit the time the scan was given, for the message
 * @param endNanos the {@link System#nanoTime()} at which it ends
 */
public record Deadline(Duration limit, long endNanos) {

  /** No deadline at all. */
  public static final Deadline NONE = new Deadline(null, 0);

  /** A deadline {@code limit} from now. */
  public static Deadline after(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("a scan's time limit must be positive");
    }
    return new Deadline(limit, System.nanoTime() + limit.toNanos());
  }

  public boolean passed() {
    return limit != null && System.nanoTime() - endNanos > 0;
  }
}
