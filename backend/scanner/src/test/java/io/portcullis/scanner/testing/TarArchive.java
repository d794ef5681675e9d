package io.portcullis.scanner.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a POSIX ustar archive of regular files (and their parent directories), as image layers hold them. Enough for
 * test layers: no links, no long names, fixed owner and time, so the same files always give the same bytes (and the
 * same digest).
 */
final class TarArchive {

  private static final int BLOCK = 512;
  private static final long MTIME = 1_700_000_000L;

  private TarArchive() {}

  /** {@code files} maps paths relative to the root ({@code etc/os-release}) to contents, in the order given. */
  static byte[] of(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Set<String> directories = new LinkedHashSet<>();
    for (String path : files.keySet()) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        directories.add(path.substring(0, slash + 1));
      }
    }
    for (String directory : directories) {
      out.writeBytes(header(directory, 0, '5', 0755));
    }
    files.forEach(
        (path, content) -> {
          out.writeBytes(header(path, content.length, '0', 0644));
          out.writeBytes(content);
          out.writeBytes(new byte[padding(content.length)]);
        });
    out.writeBytes(new byte[2 * BLOCK]); // end of archive
    return out.toByteArray();
  }

  private static byte[] header(String name, long size, char type, int mode) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      throw new IllegalArgumentException("test archive names are limited to 100 bytes: " + name);
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0); // uid
    octal(header, 116, 8, 0); // gid
    octal(header, 124, 12, size);
    octal(header, 136, 12, MTIME);
    header[156] = (byte) type;
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    put(header, 265, "root");
    put(header, 297, "root");
    // The checksum is computed with its own field read as spaces.
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum) + "\0 ");
    return header;
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    put(header, offset, String.format("%0" + (length - 1) + "o", value) + "\0");
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }
}
