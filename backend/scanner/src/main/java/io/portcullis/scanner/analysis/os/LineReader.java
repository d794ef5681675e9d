package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads text lines from an untrusted stream within {@link ReadLimits}: a byte budget for the whole file, and a cut-off
 * for single lines so that one huge line costs no more memory than the limit. Decodes UTF-8 leniently, because a stray
 * Latin-1 maintainer name must not cost us the package, but refuses NUL bytes: no text database contains them, so the
 * file is not what its path claims.
 */
final class LineReader {

  private final InputStream in;
  private final ReadLimits limits;
  private final String what;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int filled;
  private long consumed;
  private byte[] line = new byte[256];
  private boolean lastLineTooLong;

  LineReader(InputStream in, ReadLimits limits, String what) {
    this.in = in;
    this.limits = limits;
    this.what = what;
  }

  /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end of the stream. */
  String next() throws IOException, PackageDatabaseException {
    int length = 0;
    boolean tooLong = false;
    boolean sawAny = false;
    while (true) {
      if (position == filled && !fill()) {
        if (!sawAny) {
          return null;
        }
        break;
      }
      byte b = buffer[position++];
      consumed++;
      sawAny = true;
      if (consumed > limits.maxBytes()) {
        throw new PackageDatabaseException(what + " is larger than the limit of " + limits.maxBytes() + " bytes");
      }
      if (b == '\n') {
        break;
      }
      if (b == 0) {
        throw new PackageDatabaseException(
            what + " is not a text file: NUL byte at offset " + (consumed - 1));
      }
      if (length < limits.maxLineLength()) {
        if (length == line.length) {
          line = Arrays.copyOf(line, Math.min(line.length * 2, limits.maxLineLength()));
        }
        line[length++] = b;
      } else {
        tooLong = true;
      }
    }
    if (!tooLong && length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lastLineTooLong = tooLong;
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** Whether the line last returned was cut at {@link ReadLimits#maxLineLength()}. */
  boolean lastLineTooLong() {
    return lastLineTooLong;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    position = 0;
    filled = n;
    return true;
  }
}
