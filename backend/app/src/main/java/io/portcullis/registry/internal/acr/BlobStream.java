package io.portcullis.registry.internal.acr;

import io.portcullis.scanner.image.Digest;
import io.portcullis.scanner.image.RegistryException;
import io.portcullis.scanner.image.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * A blob as it arrives, chunk by chunk, never more than {@code maxBytes} of it, checked against its digest at the end.
 *
 * <p>The download runs on the SDK's event loop and is pulled from here a few buffers at a time, so a layer of gigabytes
 * streams through the scanner without sitting in memory or on disk, and closing the stream early cancels the download.
 *
 * <p>Failures while reading are {@link IOException}s (it is an {@link InputStream}); their cause is a
 * {@link RegistryException} with the kind: TOO_LARGE past {@code maxBytes}, MALFORMED for a digest mismatch, and the
 * transport kinds of {@link AcrFailure}.
 */
final class BlobStream extends InputStream {

  /** Buffers fetched ahead of the reader; each is one network read, tens of kilobytes. */
  private static final int PREFETCH = 4;

  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final Stream<ByteBuffer> source;
  private final Iterator<ByteBuffer> chunks;
  private final Digest expected;
  private final DigestAlgorithm algorithm;
  private final MessageDigest hash;
  private final long maxBytes;
  private final String doing;

  private ByteBuffer current = NOTHING;
  private long received;
  private boolean ended;
  private boolean closed;

  private BlobStream(Flux<ByteBuffer> content, Digest expected, long maxBytes, String doing) {
    this.source = content.toStream(PREFETCH);
    this.chunks = source.iterator();
    this.expected = expected;
    this.algorithm = DigestAlgorithm.of(expected);
    this.hash = algorithm.newHash();
    this.maxBytes = maxBytes;
    this.doing = doing;
  }

  /**
   * Starts the download and waits for its first bytes, so that what goes wrong at once (no such blob, no access, no
   * connection) is reported by the caller's {@code blob(...)} and not by its first {@code read()}.
   */
  static BlobStream open(Flux<ByteBuffer> content, Digest expected, long maxBytes, String doing)
      throws RegistryException {
    BlobStream stream = new BlobStream(content, expected, maxBytes, doing);
    try {
      stream.advance();
      return stream;
    } catch (IOException e) {
      stream.close();
      if (e.getCause() instanceof RegistryException known) {
        throw known;
      }
      throw AcrFailure.of(doing, e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("the blob stream is closed");
    }
    Objects.checkFromIndexSize(offset, length, into.length);
    if (length == 0) {
      return 0;
    }
    while (!current.hasRemaining()) {
      if (!advance()) {
        return -1;
      }
    }
    int n = Math.min(length, current.remaining());
    current.get(into, offset, n);
    return n;
  }

  @Override
  public int available() {
    return closed ? 0 : current.remaining();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      current = NOTHING;
      source.close(); // cancels the download if it is still running
    }
  }

  /** Takes the next chunk; false at the end, after the digest has been checked. */
  private boolean advance() throws IOException {
    if (ended) {
      return false;
    }
    ByteBuffer next;
    try {
      if (!chunks.hasNext()) {
        ended = true;
        verify();
        return false;
      }
      next = chunks.next();
    } catch (RuntimeException e) {
      throw failed(AcrFailure.of(doing, e));
    }
    received += next.remaining();
    if (received > maxBytes) {
      close();
      throw failed(
          new RegistryException(Kind.TOO_LARGE, doing + " failed: the blob is larger than " + maxBytes + " bytes"));
    }
    hash.update(next.duplicate());
    current = next;
    return true;
  }

  private void verify() throws IOException {
    Digest actual = algorithm.digest(hash);
    if (!actual.equals(expected)) {
      throw failed(
          new RegistryException(
              Kind.MALFORMED,
              doing + " failed: the bytes received have another digest (" + actual.hex().substring(0, 12) + "…)"));
    }
  }

  private static IOException failed(RegistryException cause) {
    return new IOException(cause.getMessage(), cause);
  }
}
