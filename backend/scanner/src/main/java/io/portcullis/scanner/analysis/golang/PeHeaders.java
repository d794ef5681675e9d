package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.golang.Executable.Region;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The headers and section table of a Windows PE file (Microsoft "PE Format"), PE32 or PE32+. The section table follows
 * the optional header at the start of the file, so it is read from the first bytes.
 */
final class PeHeaders {

  private static final int SCN_CNT_CODE = 0x20;
  private static final int SCN_CNT_INITIALIZED_DATA = 0x40;
  private static final int SCN_MEM_EXECUTE = 0x20000000;
  private static final int SCN_MEM_READ = 0x40000000;
  private static final int SCN_MEM_WRITE = 0x80000000;
  private static final int SECTION_HEADER = 40;

  private PeHeaders() {}

  static Optional<Executable> read(byte[] prefix, long size) {
    if (prefix.length < 64) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
    long pe = Integer.toUnsignedLong(b.getInt(0x3c));
    if (pe + 24 > prefix.length || b.getInt((int) pe) != 0x00004550) { // "PE\0\0"
      return Optional.empty();
    }
    int coff = (int) pe + 4;
    int sections = Short.toUnsignedInt(b.getShort(coff + 2));
    int optionalSize = Short.toUnsignedInt(b.getShort(coff + 16));
    int optional = coff + 20;
    if (optional + 32L > prefix.length) {
      return Optional.empty();
    }
    long imageBase =
        switch (Short.toUnsignedInt(b.getShort(optional))) {
          case 0x10b -> Integer.toUnsignedLong(b.getInt(optional + 28));
          case 0x20b -> b.getLong(optional + 24);
          default -> -1;
        };
    long table = (long) optional + optionalSize;
    if (imageBase == -1 || table + (long) sections * SECTION_HEADER > prefix.length) {
      return Optional.empty();
    }
    List<Region> loaded = new ArrayList<>();
    List<Region> candidates = new ArrayList<>();
    for (int i = 0; i < sections; i++) {
      int at = (int) table + i * SECTION_HEADER;
      long virtualSize = Integer.toUnsignedLong(b.getInt(at + 8));
      long virtualAddress = Integer.toUnsignedLong(b.getInt(at + 12));
      long rawSize = Integer.toUnsignedLong(b.getInt(at + 16));
      long rawOffset = Integer.toUnsignedLong(b.getInt(at + 20));
      int characteristics = b.getInt(at + 36);
      Optional<Region> region = Region.within(imageBase + virtualAddress, rawOffset, rawSize, size);
      region.ifPresent(loaded::add);
      int data = SCN_CNT_INITIALIZED_DATA | SCN_MEM_READ | SCN_MEM_WRITE;
      // Go's linker puts the build information at the start of .data, the first initialised writable section
      if (virtualAddress != 0 && virtualSize != 0 && (characteristics & data) == data
          && (characteristics & (SCN_CNT_CODE | SCN_MEM_EXECUTE)) == 0) {
        Region.within(imageBase + virtualAddress, rawOffset, Math.min(rawSize, virtualSize), size)
            .ifPresent(candidates::add);
      }
    }
    return Optional.of(new Executable("PE", loaded, candidates, Executable.hasTextBuildId(prefix)));
  }
}
