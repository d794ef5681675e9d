package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.golang.Executable.Region;
import io.portcullis.scanner.analysis.golang.ExecutableStream.Passed;
import io.portcullis.scanner.analysis.os.PackageDatabaseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds and decodes the build information blob that Go's linker (1.13 and later) writes into the data of every
 * binary. The format, as Go's {@code debug/buildinfo} reads it: a 32-byte header at a 16-byte aligned address,
 * starting with the magic {@code "\xff Go buildinf:"}, then the pointer size (byte 14) and flags (byte 15). With flag
 * bit 2 set (Go 1.18 and later) the header is followed by the toolchain version and the module information, each a
 * string preceded by its length as an unsigned varint. Without it (Go 1.17 and older), bytes 16 on hold two pointers,
 * of the given size and in the byte order of flag bit 1, to Go string headers (a pointer to the bytes, then the
 * length) for the same two strings. The module information is framed by two 16-byte sentinels, and is parsed by
 * {@link GoBuildInfo#parse}.
 */
final class GoBuildInfoReader {

  static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  static final int HEADER = 32;
  static final int ALIGN = 16;
  private static final int FLAG_BIG_ENDIAN = 0x1;
  private static final int FLAG_INLINE = 0x2;
  private static final int SCAN_CHUNK = 64 * 1024;
  private static final int MAX_VARINT = 10;

  private final int maxVersionBytes;
  private final int maxModuleInfoBytes;
  private final int maxModules;

  /**
   * @param maxVersionBytes the longest toolchain version read (real ones are under 100 bytes)
   * @param maxModuleInfoBytes the longest module information read (Terraform's, with some 220 modules, is 22 KiB)
   * @param maxModules the most module lines, and the most build lines, read
   */
  GoBuildInfoReader(int maxVersionBytes, int maxModuleInfoBytes, int maxModules) {
    this.maxVersionBytes = maxVersionBytes;
    this.maxModuleInfoBytes = maxModuleInfoBytes;
    this.maxModules = maxModules;
  }

  /**
   * The build information of {@code executable}, read forward from {@code stream}; empty when there is none, which is
   * the case of every executable not built by Go.
   *
   * @throws PackageDatabaseException when there is build information that cannot be read (cut off, lengths that point
   *     past its section, pointers to nowhere, over a limit), or when a file with a Go build ID has none
   */
  Optional<GoBuildInfo> read(Executable executable, ExecutableStream stream)
      throws IOException, PackageDatabaseException {
    try {
      Located blob = locate(executable, stream);
      if (blob == null) {
        if (executable.goBuildId()) {
          throw new PackageDatabaseException("a Go executable (" + executable.format() + ", with a Go build ID) without"
              + " Go build information: cut off, or built before Go 1.13");
        }
        return Optional.empty();
      }
      return Optional.of(decode(executable, stream, blob));
    } catch (Passed e) {
      throw new PackageDatabaseException(
          "the Go build information (Go 1.17 or older) points back to offset " + e.offset() + ", and the file was read"
              + " as a stream without keeping what it passed, because it has no Go build ID");
    }
  }

  /** Where the header is, and the end of the region it lies in (strings may not run past it). */
  private record Located(long offset, long regionEnd) {}

  private static Located locate(Executable executable, ExecutableStream stream) throws IOException, Passed {
    long scanned = 0;
    for (Region region : executable.candidates()) {
      // the magic sits at an address aligned to 16 bytes; the offset follows the address within a region
      long first = region.offset() + ((ALIGN - (region.address() & (ALIGN - 1))) & (ALIGN - 1));
      while (first < scanned) {
        first += ALIGN; // overlapping regions: what the stream passed is not read again
      }
      for (long chunk = first; chunk + MAGIC.length <= region.end(); chunk += SCAN_CHUNK) {
        int length = (int) Math.min(SCAN_CHUNK, region.end() - chunk);
        byte[] data = stream.read(chunk, length);
        scanned = chunk + length;
        for (int i = 0; i + MAGIC.length <= length; i += ALIGN) {
          if (startsWithMagic(data, i)) {
            return new Located(chunk + i, region.end());
          }
        }
      }
    }
    return null;
  }

  private GoBuildInfo decode(Executable executable, ExecutableStream stream, Located blob)
      throws IOException, Passed, PackageDatabaseException {
    if (blob.regionEnd() - blob.offset() < HEADER) {
      throw malformed("its header is cut off");
    }
    byte[] header = stream.read(blob.offset(), HEADER);
    int flags = header[15] & 0xff;
    String version;
    byte[] moduleInfo;
    if ((flags & FLAG_INLINE) != 0) {
      Inline first =
          inlineString(stream, blob.offset() + HEADER, blob.regionEnd(), maxVersionBytes, "toolchain version");
      Inline second = inlineString(stream, first.next(), blob.regionEnd(), maxModuleInfoBytes, "module information");
      version = text(first.bytes());
      moduleInfo = second.bytes();
    } else {
      int pointerSize = header[14];
      if (pointerSize != 4 && pointerSize != 8) {
        throw malformed("its pointer size is " + pointerSize + ", not 4 or 8");
      }
      ByteOrder order = (flags & FLAG_BIG_ENDIAN) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer pointers = ByteBuffer.wrap(header).order(order);
      long versionAddress = pointer(pointers, 16, pointerSize);
      long moduleAddress = pointer(pointers, 16 + pointerSize, pointerSize);
      version = text(goString(executable, stream, versionAddress, pointers, pointerSize, maxVersionBytes,
          "toolchain version"));
      moduleInfo = goString(executable, stream, moduleAddress, pointers, pointerSize, maxModuleInfoBytes,
          "module information");
    }
    if (version.isEmpty()) {
      throw malformed("it names no toolchain version");
    }
    if (!version.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw malformed("its toolchain version is not printable text");
    }
    // as debug/buildinfo: the text between the sentinels ends with a newline, else there is none (GOPATH builds)
    int n = moduleInfo.length;
    int sentinel = GoBuildInfo.SENTINEL_LENGTH;
    String framed = n > 2 * sentinel && moduleInfo[n - sentinel - 1] == '\n'
        ? new String(moduleInfo, sentinel, n - 2 * sentinel, StandardCharsets.UTF_8)
        : "";
    return GoBuildInfo.parse(version, framed, maxModules);
  }

  /** A string read inline, and the offset after it. */
  private record Inline(byte[] bytes, long next) {}

  /** A varint length, then that many bytes, all within the region. */
  private static Inline inlineString(ExecutableStream stream, long at, long end, int max, String what)
      throws IOException, Passed, PackageDatabaseException {
    if (at >= end) {
      throw malformed("its " + what + " is cut off");
    }
    byte[] varint = stream.read(at, (int) Math.min(MAX_VARINT, end - at));
    long length = 0;
    int used = 0;
    for (int shift = 0; ; shift += 7) {
      if (used == varint.length) {
        throw malformed("the length of its " + what + " is cut off");
      }
      int b = varint[used++] & 0xff;
      if (shift == 63 && b > 1) {
        throw malformed("the length of its " + what + " overflows 64 bits");
      }
      length |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        break;
      }
    }
    if (length < 0 || length > max) {
      throw malformed("its " + what + " is " + Long.toUnsignedString(length) + " bytes long, more than the " + max
          + " read");
    }
    long start = at + used;
    if (length > end - start) {
      throw malformed("its " + what + " (" + length + " bytes) runs past the end of its section or of the file");
    }
    return new Inline(stream.read(start, (int) length), start + length);
  }

  /** The Go string whose header ({@code data, len}) is at {@code address}. */
  private static byte[] goString(Executable executable, ExecutableStream stream, long address, ByteBuffer order,
      int pointerSize, int max, String what) throws IOException, Passed, PackageDatabaseException {
    byte[] header = mapped(executable, stream, address, 2 * pointerSize, what);
    ByteBuffer fields = ByteBuffer.wrap(header).order(order.order());
    long data = pointer(fields, 0, pointerSize);
    long length = pointer(fields, pointerSize, pointerSize);
    if (length < 0 || length > max) {
      throw malformed("its " + what + " is " + Long.toUnsignedString(length) + " bytes long, more than the " + max
          + " read");
    }
    return mapped(executable, stream, data, (int) length, what);
  }

  private static byte[] mapped(Executable executable, ExecutableStream stream, long address, int length, String what)
      throws IOException, Passed, PackageDatabaseException {
    for (Region region : executable.loaded()) {
      if (region.containsAddress(address)) {
        long offset = region.offsetOf(address);
        if (length > region.end() - offset) {
          throw malformed("its " + what + " runs past the end of its segment or of the file");
        }
        return stream.read(offset, length);
      }
    }
    if (length == 0) {
      return new byte[0];
    }
    throw malformed("its " + what + " is at address 0x" + Long.toHexString(address) + ", which the file does not hold");
  }

  private static long pointer(ByteBuffer buffer, int at, int size) {
    return size == 8 ? buffer.getLong(at) : Integer.toUnsignedLong(buffer.getInt(at));
  }

  private static boolean startsWithMagic(byte[] data, int at) {
    for (int j = 0; j < MAGIC.length; j++) {
      if (data[at + j] != MAGIC[j]) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static PackageDatabaseException malformed(String why) {
    return new PackageDatabaseException("the Go build information is malformed: " + why);
  }
}
