package io.portcullis.scanner.image.registry;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import io.portcullis.scanner.image.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body read within limits: at most {@code limit} bytes, within a time limit, no fewer bytes than
 * {@code Content-Length} announced, and, when a digest is given, exactly the content that digest names.
 *
 * <p>The JDK client times out only while it waits for the response headers; a body that trickles or stalls would
 * block a read forever. A shared timer thread therefore watches every open body and closes the underlying stream when
 * it overruns, which wakes the blocked reader; the failure is then reported as {@link Kind#TIMEOUT}.
 *
 * <p>Failures are {@link IOException}s (this is an {@link InputStream}) whose cause is a {@link RegistryException}
 * with the kind, for callers that want it.
 */
final class BodyStream extends InputStream {

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private final InputStream raw;
  private final String what;
  private final long limit;
  private final long expectedLength;
  private final Digest digest;
  private final MessageDigest hash;
  private final boolean whole;
  private final Duration timeout;
  private final long started;
  private final byte[] single = new byte[1];

  private volatile ScheduledFuture<?> watch;
  private volatile long lastProgress;
  private volatile boolean expired;
  private long count;
  private boolean finished;
  private boolean closed;

  private BodyStream(
      InputStream raw, String what, long limit, long expectedLength, Digest digest, boolean whole, Duration timeout) {
    this.raw = raw;
    this.what = what;
    this.limit = Math.min(limit, Long.MAX_VALUE - 1);
    this.expectedLength = expectedLength;
    this.digest = digest;
    this.hash = digest == null ? null : digest.newMessageDigest();
    this.whole = whole;
    this.timeout = timeout;
    this.started = System.nanoTime();
    this.lastProgress = started;
  }

  /** A body to be read whole within {@code timeout}: a JSON document or a manifest. */
  static BodyStream whole(InputStream raw, String what, long limit, long expectedLength, Duration timeout) {
    return new BodyStream(raw, what, limit, expectedLength, null, true, timeout).watched();
  }

  /**
   * A body streamed to a caller at its own pace (a blob), failing when no byte arrives for {@code idleTimeout}, and
   * verified against {@code digest} at its end.
   */
  static BodyStream streamed(
      InputStream raw, String what, long limit, long expectedLength, Digest digest, Duration idleTimeout) {
    return new BodyStream(raw, what, limit, expectedLength, digest, false, idleTimeout).watched();
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1);
    return n < 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("the response to " + what + " was closed");
    }
    if (finished) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    // Ask for at most one byte beyond the limit: enough to know it was exceeded, never more memory than that.
    int wanted = (int) Math.min(length, limit - count + 1);
    int n;
    try {
      n = raw.read(buffer, offset, wanted);
    } catch (IOException e) {
      throw brokenOff(e);
    }
    if (n < 0) {
      finish();
      return -1;
    }
    count += n;
    lastProgress = System.nanoTime();
    if (count > limit) {
      abandon();
      throw failure(Kind.TOO_LARGE, "the response to " + what + " exceeds the limit of " + Sizes.describe(limit), null);
    }
    if (hash != null) {
      hash.update(buffer, offset, n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      stopWatching();
      raw.close();
    }
  }

  private BodyStream watched() {
    long period = Math.max(20, Math.min(1000, timeout.toMillis() / 4));
    watch = WATCHDOG.scheduleAtFixedRate(this::checkProgress, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  private void finish() throws IOException {
    finished = true;
    stopWatching();
    if (expired) {
      throw timedOut(null);
    }
    if (expectedLength >= 0 && count != expectedLength) {
      throw failure(
          Kind.MALFORMED,
          "the response to " + what + " ended after " + count + " of the " + expectedLength + " bytes it announced",
          null);
    }
    if (hash != null && !digest.matches(hash)) {
      throw failure(Kind.MALFORMED, "the content of " + what + " does not match its digest " + digest, null);
    }
  }

  private IOException brokenOff(IOException cause) {
    abandon();
    if (expired) {
      return timedOut(cause);
    }
    return failure(
        Kind.MALFORMED,
        "the response to " + what + " broke off after " + count + " bytes (" + rootMessage(cause) + ")",
        cause);
  }

  private IOException timedOut(IOException cause) {
    String message =
        whole
            ? "the response to " + what + " was not complete within " + describe(timeout)
            : "the response to " + what + " stalled: no data for " + describe(timeout);
    return failure(Kind.TIMEOUT, message, cause);
  }

  private static IOException failure(Kind kind, String message, IOException cause) {
    return new IOException(message, new RegistryException(kind, message, cause));
  }

  private void checkProgress() {
    long now = System.nanoTime();
    long quiet = whole ? now - started : now - lastProgress;
    if (quiet > timeout.toNanos()) {
      expired = true;
      abandon(); // closing wakes a reader blocked in raw.read()
    }
  }

  private void abandon() {
    stopWatching();
    try {
      raw.close();
    } catch (IOException | RuntimeException ignored) {
      // the body is being given up; there is nothing more to learn from it
    }
  }

  private void stopWatching() {
    ScheduledFuture<?> current = watch;
    if (current != null) {
      current.cancel(false);
    }
  }

  /** The JDK wraps the interesting failure ("fixed content-length: 1000, bytes received: 20") in a bare "closed". */
  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "portcullis-registry-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
