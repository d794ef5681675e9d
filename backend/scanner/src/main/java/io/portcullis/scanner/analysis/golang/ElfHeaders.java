package io.portcullis.scanner.analysis.golang;

import io.portcullis.scanner.analysis.golang.Executable.Region;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ELF file header and program header table (System V ABI, "Object Files"), 32 or 64 bits, either byte order. Only
 * the program headers are read: they sit right after the file header, while the section table that names {@code
 * .go.buildinfo} sits at the end of the file, past the data that a stream would have to keep to use it.
 */
final class ElfHeaders {

  private static final int PT_LOAD = 1;
  private static final int PT_NOTE = 4;
  private static final int PF_X = 1;
  private static final int PF_W = 2;
  /** The Go linker's build ID note: name "Go", type 4 (cmd/link's ELF_NOTE_GOBUILDID_TAG). */
  private static final int NOTE_GO_BUILD_ID = 4;

  private ElfHeaders() {}

  static Optional<Executable> read(byte[] prefix, long size) {
    if (prefix.length < 52) {
      return Optional.empty();
    }
    boolean wide = prefix[4] == 2;
    if (!wide && prefix[4] != 1) {
      return Optional.empty();
    }
    ByteOrder order = prefix[5] == 1 ? ByteOrder.LITTLE_ENDIAN : prefix[5] == 2 ? ByteOrder.BIG_ENDIAN : null;
    if (order == null || wide && prefix.length < 64) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(prefix).order(order);
    long tableOffset = wide ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
    int entrySize = Short.toUnsignedInt(b.getShort(wide ? 54 : 42));
    int entries = Short.toUnsignedInt(b.getShort(wide ? 56 : 44));
    if (entries == 0 || entrySize < (wide ? 56 : 32) || tableOffset < 0
        || tableOffset + (long) entries * entrySize > prefix.length) {
      return Optional.empty(); // no program headers, or not in the first bytes: nothing a stream can use
    }
    List<Region> loaded = new ArrayList<>();
    List<Region> candidates = new ArrayList<>();
    boolean goBuildId = false;
    for (int i = 0; i < entries; i++) {
      int at = (int) tableOffset + i * entrySize;
      int type = b.getInt(at);
      long offset;
      long address;
      long fileSize;
      int flags;
      if (wide) {
        flags = b.getInt(at + 4);
        offset = b.getLong(at + 8);
        address = b.getLong(at + 16);
        fileSize = b.getLong(at + 32);
      } else {
        offset = Integer.toUnsignedLong(b.getInt(at + 4));
        address = Integer.toUnsignedLong(b.getInt(at + 8));
        fileSize = Integer.toUnsignedLong(b.getInt(at + 16));
        flags = b.getInt(at + 24);
      }
      if (type == PT_LOAD) {
        Optional<Region> region = Region.within(address, offset, fileSize, size);
        region.ifPresent(loaded::add);
        if ((flags & (PF_X | PF_W)) == PF_W) {
          region.ifPresent(candidates::add);
        }
      } else if (type == PT_NOTE && !goBuildId) {
        goBuildId = hasGoNote(b, offset, fileSize);
      }
    }
    return Optional.of(new Executable("ELF", loaded, candidates, goBuildId));
  }

  /** Walks the notes of one {@code PT_NOTE} segment that lies within the first bytes. */
  private static boolean hasGoNote(ByteBuffer b, long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > b.capacity()) {
      return false;
    }
    long at = offset;
    long end = offset + length;
    while (at + 12 <= end) {
      long nameSize = Integer.toUnsignedLong(b.getInt((int) at));
      long descriptionSize = Integer.toUnsignedLong(b.getInt((int) at + 4));
      int type = b.getInt((int) at + 8);
      long name = at + 12;
      if (nameSize == 4 && type == NOTE_GO_BUILD_ID && name + 4 <= end
          && b.get((int) name) == 'G' && b.get((int) name + 1) == 'o' && b.get((int) name + 2) == 0) {
        return true;
      }
      at = name + align4(nameSize) + align4(descriptionSize);
    }
    return false;
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }
}
