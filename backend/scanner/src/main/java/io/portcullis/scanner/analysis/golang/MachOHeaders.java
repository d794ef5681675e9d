package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.golang.Executable.Region;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header and load commands of a thin Mach-O file (Apple's {@code <mach-o/loader.h>}), 32 or 64 bits, either byte
 * order. The load commands follow the header, so they are read from the first bytes. Universal ("fat") files are not
 * read: they do not occur in Linux images.
 */
final class MachOHeaders {

  private static final int LC_SEGMENT = 0x1;
  private static final int LC_SEGMENT_64 = 0x19;
  private static final int VM_PROT_WRITE = 0x2;
  private static final int VM_PROT_EXECUTE = 0x4;

  private MachOHeaders() {}

  static Optional<Executable> read(byte[] prefix, long size) {
    if (prefix.length < 32) {
      return Optional.empty();
    }
    ByteOrder order;
    if (Executable.startsWith(prefix, 0xfe, 0xed, 0xfa) && (prefix[3] & 0xfe) == 0xce) {
      order = ByteOrder.BIG_ENDIAN;
    } else if ((prefix[0] & 0xfe) == 0xce && Executable.startsWith(prefix, prefix[0] & 0xff, 0xfa, 0xed, 0xfe)) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(prefix).order(order);
    boolean wide = (b.getInt(0) & 1) == 1;
    long commands = Integer.toUnsignedLong(b.getInt(16));
    long commandBytes = Integer.toUnsignedLong(b.getInt(20));
    int start = wide ? 32 : 28;
    if (start + commandBytes > prefix.length || commands > commandBytes / 8) {
      return Optional.empty();
    }
    List<Region> loaded = new ArrayList<>();
    List<Region> buildInfoSections = new ArrayList<>();
    List<Region> writableSegments = new ArrayList<>();
    int at = start;
    int end = (int) (start + commandBytes);
    for (long i = 0; i < commands; i++) {
      if (at + 8 > end) {
        return Optional.empty();
      }
      int command = b.getInt(at);
      long commandSize = Integer.toUnsignedLong(b.getInt(at + 4));
      if (commandSize < 8 || at + commandSize > end) {
        return Optional.empty();
      }
      if (command == LC_SEGMENT_64 && commandSize >= 72 || command == LC_SEGMENT && commandSize >= 56) {
        boolean segment64 = command == LC_SEGMENT_64;
        String name = name(prefix, at + 8);
        long address = segment64 ? b.getLong(at + 24) : Integer.toUnsignedLong(b.getInt(at + 24));
        long memorySize = segment64 ? b.getLong(at + 32) : Integer.toUnsignedLong(b.getInt(at + 28));
        long fileOffset = segment64 ? b.getLong(at + 40) : Integer.toUnsignedLong(b.getInt(at + 32));
        long fileSize = segment64 ? b.getLong(at + 48) : Integer.toUnsignedLong(b.getInt(at + 36));
        int maxProtection = b.getInt(at + (segment64 ? 56 : 40));
        int protection = b.getInt(at + (segment64 ? 60 : 44));
        long sections = Integer.toUnsignedLong(b.getInt(at + (segment64 ? 64 : 48)));
        int sectionSize = segment64 ? 80 : 68;
        int firstSection = at + (segment64 ? 72 : 56);
        if (firstSection + sections * sectionSize > at + commandSize) {
          return Optional.empty();
        }
        if (!name.equals("__PAGEZERO")) {
          Optional<Region> region = Region.within(address, fileOffset, fileSize, size);
          region.ifPresent(loaded::add);
          if (address != 0 && (protection & VM_PROT_WRITE) != 0 && (protection & VM_PROT_EXECUTE) == 0
              && (maxProtection & VM_PROT_EXECUTE) == 0) {
            Region.within(address, fileOffset, Math.min(fileSize, memorySize), size).ifPresent(writableSegments::add);
          }
        }
        for (int s = 0; s < sections; s++) {
          int section = firstSection + s * sectionSize;
          if (name(prefix, section).equals("__go_buildinfo")) {
            long sectionAddress = segment64 ? b.getLong(section + 32) : Integer.toUnsignedLong(b.getInt(section + 32));
            long sectionLength = segment64 ? b.getLong(section + 40) : Integer.toUnsignedLong(b.getInt(section + 36));
            long sectionOffset = Integer.toUnsignedLong(b.getInt(section + (segment64 ? 48 : 40)));
            if (sectionOffset != 0) {
              Region.within(sectionAddress, sectionOffset, sectionLength, size).ifPresent(buildInfoSections::add);
            }
          }
        }
      }
      at += (int) commandSize;
    }
    List<Region> candidates = buildInfoSections.isEmpty() ? writableSegments : buildInfoSections;
    return Optional.of(new Executable("Mach-O", loaded, candidates, Executable.hasTextBuildId(prefix)));
  }

  /** A fixed 16-byte name, NUL-padded. */
  private static String name(byte[] bytes, int at) {
    int length = 0;
    while (length < 16 && bytes[at + length] != 0) {
      length++;
    }
    return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
  }
}
