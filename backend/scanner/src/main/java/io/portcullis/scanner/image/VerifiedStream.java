package io.portcullis.scanner.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** A blob read from local storage, checked against its digest as it is read; a mismatch fails the read at its end. */
final class VerifiedStream extends FilterInputStream {

  private final Digest expected;
  private final MessageDigest md;
  private boolean checked;

  VerifiedStream(InputStream in, Digest expected) {
    super(in);
    this.expected = expected;
    this.md = expected.newMessageDigest();
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      check();
    } else {
      md.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      check();
    } else {
      md.update(buffer, offset, n);
    }
    return n;
  }

  private void check() throws IOException {
    if (!checked) {
      checked = true;
      if (!expected.matches(md)) {
        throw new IOException("blob " + expected + " does not match its digest");
      }
    }
  }
}
