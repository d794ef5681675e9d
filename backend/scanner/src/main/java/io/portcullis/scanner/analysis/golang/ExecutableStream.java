package io.portcullis.scanner.analysis.golang;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An executable read from a layer's stream, which goes forward only. It keeps the first bytes (the headers), the bytes
 * of the latest read that went forward, and, when asked to, everything read so far in a private temporary file.
 *
 * <p>Why not always a temporary file, like the rpm database: every executable of an image is looked at, and most are
 * not Go; copying all of them to disk would cost as much again as reading the layer, and holding them in memory up to
 * the analyzer's limit is out of the question. Go 1.18 and later put their build information inline, so one pass
 * forward to the data segment is enough. Go 1.17 and older store pointers to strings that lie earlier in the file;
 * only for files that carry a Go build ID (which only Go's linker writes) are the bytes passed on the way kept, so
 * that those pointers can be followed. The copy is as large as the file at most (the analyzer's limit), readable by
 * its owner only, made only once the stream goes past the first bytes, and deleted when the stream is closed.
 */
final class ExecutableStream implements Closeable {

  private static final int COPY_BUFFER = 64 * 1024;

  private final InputStream in;
  private final long size;
  private final byte[] prefix;
  private long position;
  private long latestOffset;
  private byte[] latest = new byte[0];
  private boolean keep;
  private Path kept;
  private OutputStream keptOut;
  private RandomAccessFile keptIn;

  /**
   * @param in the file's content, already read past {@code prefix}
   * @param size the file's size
   * @param prefix the file's first bytes
   */
  ExecutableStream(InputStream in, long size, byte[] prefix) {
    this.in = in;
    this.size = size;
    this.prefix = prefix;
    this.position = prefix.length;
  }

  /** From now on, keep every byte passed, so that {@link #read} can go back. */
  void keepWhatIsPassed() {
    keep = true;
  }

  /** The private copy, made when the stream first goes past the first bytes (small files never need one). */
  private OutputStream keptOut() throws IOException {
    if (!keep) {
      return null;
    }
    if (keptOut == null) {
      try {
        kept = Files.createTempFile("portcullis-go-", ".bin", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        kept = Files.createTempFile("portcullis-go-", ".bin"); // not a POSIX file system
      }
      keptOut = Files.newOutputStream(kept);
      keptOut.write(prefix);
    }
    return keptOut;
  }

  /**
   * Bytes {@code [offset, offset + length)} of the file, which must lie within it.
   *
   * @throws Passed when some of them were passed and not kept
   * @throws EOFException when the stream ends before its stated size
   */
  byte[] read(long offset, int length) throws IOException, Passed {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IllegalArgumentException("bytes " + offset + "+" + length + " lie outside a file of " + size);
    }
    byte[] out = new byte[length];
    int filled = 0;
    boolean forward = false;
    while (filled < length) {
      long at = offset + filled;
      int want = length - filled;
      if (at < prefix.length) {
        int n = (int) Math.min(want, prefix.length - at);
        System.arraycopy(prefix, (int) at, out, filled, n);
        filled += n;
      } else if (at >= latestOffset && at < latestOffset + latest.length) {
        int n = (int) Math.min(want, latestOffset + latest.length - at);
        System.arraycopy(latest, (int) (at - latestOffset), out, filled, n);
        filled += n;
      } else if (at < position) {
        if (keptOut == null) {
          throw new Passed(at);
        }
        int n = (int) Math.min(want, position - at);
        readKept(at, out, filled, n);
        filled += n;
      } else {
        skip(at - position);
        int n = in.readNBytes(out, filled, want);
        if (n < want) {
          throw new EOFException("the file ends at " + (position + n) + ", before its stated size " + size);
        }
        OutputStream copy = keptOut();
        if (copy != null) {
          copy.write(out, filled, n);
        }
        position += n;
        filled += n;
        forward = true;
      }
    }
    if (forward) { // reads that go on from here find these bytes even when they were passed and not kept
      latest = out;
      latestOffset = offset;
    }
    return out;
  }

  private void skip(long n) throws IOException {
    if (n == 0) {
      return;
    }
    OutputStream copy = keptOut();
    if (copy == null) {
      in.skipNBytes(n);
    } else {
      byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, n)];
      long left = n;
      while (left > 0) {
        int got = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (got < 0) {
          throw new EOFException("the file ends at " + (position + n - left) + ", before its stated size " + size);
        }
        copy.write(buffer, 0, got);
        left -= got;
      }
    }
    position += n;
  }

  private void readKept(long at, byte[] out, int into, int n) throws IOException {
    keptOut.flush();
    if (keptIn == null) {
      keptIn = new RandomAccessFile(kept.toFile(), "r");
    }
    keptIn.seek(at);
    keptIn.readFully(out, into, n);
  }

  @Override
  public void close() throws IOException {
    try (OutputStream out = keptOut; RandomAccessFile file = keptIn) {
      latest = new byte[0];
    } finally {
      if (kept != null) {
        Files.deleteIfExists(kept);
      }
    }
  }

  /** The bytes at {@link #offset()} were passed on the way forward and not kept. */
  static final class Passed extends Exception {

    @Serial private static final long serialVersionUID = 1L;

    private final long offset;

    Passed(long offset) {
      super("the bytes at offset " + offset + " were passed and not kept", null, false, false);
      this.offset = offset;
    }

    long offset() {
      return offset;
    }
  }
}
