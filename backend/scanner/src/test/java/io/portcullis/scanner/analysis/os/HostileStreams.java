package io.portcullis.scanner.analysis.os;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Streams that claim to be much larger than any limit, generated on the fly so the tests hold no such buffer. */
public final class HostileStreams {

  private HostileStreams() {}

  /** {@code head} once, then {@code filler} repeated until {@code claimedBytes} have been served. */
  public static CountingStream repeating(String head, String filler, long claimedBytes) {
    return new CountingStream(
        head.getBytes(StandardCharsets.UTF_8), filler.getBytes(StandardCharsets.UTF_8), claimedBytes);
  }

  /** Counts what the parser pulled, so a test can show that reading stopped near the limit. */
  public static final class CountingStream extends InputStream {
    private final byte[] head;
    private final byte[] filler;
    private final long claimed;
    private long served;

    CountingStream(byte[] head, byte[] filler, long claimed) {
      this.head = head;
      this.filler = filler;
      this.claimed = claimed;
    }

    public long served() {
      return served;
    }

    @Override
    public int read() {
      if (served >= claimed) {
        return -1;
      }
      byte b = served < head.length ? head[(int) served] : filler[(int) ((served - head.length) % filler.length)];
      served++;
      return b & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= claimed) {
        return -1;
      }
      int n = (int) Math.min(len, claimed - served);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) read();
      }
      return n;
    }
  }
}
