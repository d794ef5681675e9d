package io.portcullis.scanner.analysis.os;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds rpm header blobs for tests, well-formed unless a test bends one field. */
final class RpmHeaderBlob {

  private final List<int[]> entries = new ArrayList<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  static RpmHeaderBlob of(String name, String version, String release) {
    return new RpmHeaderBlob().string(1000, name).string(1001, version).string(1002, release);
  }

  RpmHeaderBlob string(int tag, String value) {
    entries.add(new int[] {tag, 6, data.size(), 1});
    data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    data.write(0);
    return this;
  }

  RpmHeaderBlob int32(int tag, int value) {
    while (data.size() % 4 != 0) {
      data.write(0);
    }
    entries.add(new int[] {tag, 4, data.size(), 1});
    data.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
    return this;
  }

  /** An index entry with whatever type, offset and count a test wants. */
  RpmHeaderBlob entry(int tag, int type, int offset, int count) {
    entries.add(new int[] {tag, type, offset, count});
    return this;
  }

  byte[] bytes() {
    ByteBuffer out = ByteBuffer.allocate(8 + 16 * entries.size() + data.size());
    out.putInt(entries.size()).putInt(data.size());
    for (int[] e : entries) {
      out.putInt(e[0]).putInt(e[1]).putInt(e[2]).putInt(e[3]);
    }
    out.put(data.toByteArray());
    return out.array();
  }
}
