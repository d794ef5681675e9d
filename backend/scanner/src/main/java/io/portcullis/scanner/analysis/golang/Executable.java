package io.portcullis.scanner.analysis.golang;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the headers at the start of an executable say, as far as Go build information needs it: where each loaded part
 * of the file lies in memory, where the build information may lie, and whether the file carries a Go build ID (which
 * only the Go linker writes). Read from the first bytes of the file alone, so that the rest can be streamed.
 *
 * @param format the container format ({@code ELF}, {@code PE}, {@code Mach-O})
 * @param loaded the parts of the file mapped into memory (ELF {@code PT_LOAD} segments, PE sections, Mach-O segments),
 *     used to resolve the pointers of Go 1.17 and older build information
 * @param candidates where the build information may lie, in file order: the data segments or sections in which Go's
 *     linker places it (ELF: writable, non-executable {@code PT_LOAD} segments, because the section table that names
 *     {@code .go.buildinfo} is at the end of the file; PE: initialised writable data sections; Mach-O: the {@code
 *     __go_buildinfo} section, else writable segments)
 * @param goBuildId whether the file carries a Go build ID (the ELF note {@code Go}/4, or {@code "\xff Go build ID: "}
 *     near the start of the text of PE and Mach-O files)
 */
record Executable(String format, List<Region> loaded, List<Region> candidates, boolean goBuildId) {

  static final byte[] TEXT_BUILD_ID = "\u00ff Go build ID: \"".getBytes(StandardCharsets.ISO_8859_1);

  Executable {
    loaded = List.copyOf(loaded);
    candidates = candidates.stream().sorted(Comparator.comparingLong(Region::offset)).toList();
  }

  /**
   * A part of the file that is mapped at {@code address}: bytes {@code [offset, offset + length)} of the file, already
   * cut to the file's size. Addresses are unsigned 64-bit numbers.
   */
  record Region(long address, long offset, long length) {

    long end() {
      return offset + length;
    }

    boolean containsAddress(long a) {
      return Long.compareUnsigned(a, address) >= 0 && Long.compareUnsigned(a - address, length) < 0;
    }

    long offsetOf(long a) {
      return offset + (a - address);
    }

    /** A region of {@code declaredLength} bytes at {@code offset}, cut to the file; empty when it lies outside. */
    static Optional<Region> within(long address, long offset, long declaredLength, long fileSize) {
      if (offset < 0 || declaredLength <= 0 || offset >= fileSize) {
        return Optional.empty();
      }
      return Optional.of(new Region(address, offset, Math.min(declaredLength, fileSize - offset)));
    }
  }

  /** The executable whose headers start {@code prefix}, or empty when it is none that Go builds (or is unreadable). */
  static Optional<Executable> of(byte[] prefix, long size) {
    if (startsWith(prefix, 0x7f, 'E', 'L', 'F')) {
      return ElfHeaders.read(prefix, size);
    }
    if (startsWith(prefix, 'M', 'Z')) {
      return PeHeaders.read(prefix, size);
    }
    return MachOHeaders.read(prefix, size);
  }

  /** Whether the Go linker's text build ID appears in {@code prefix} (PE and Mach-O put it first in the text). */
  static boolean hasTextBuildId(byte[] prefix) {
    outer:
    for (int i = 0; i + TEXT_BUILD_ID.length <= prefix.length; i++) {
      for (int j = 0; j < TEXT_BUILD_ID.length; j++) {
        if (prefix[i + j] != TEXT_BUILD_ID[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static boolean startsWith(byte[] bytes, int... expected) {
    if (bytes.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
