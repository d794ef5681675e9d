package io.portcullis.scanner.analysis.golang;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small executables that carry Go build information where Go's linker puts it, for tests: ELF (32 or 64 bits,
 * either byte order), PE (PE32 or PE32+) and Mach-O (32 or 64 bits), with the information inline (Go 1.18 and later)
 * or behind pointers (Go 1.13 to 1.17), with or without a Go build ID. The layout is always: headers, text (with the
 * build ID of PE and Mach-O files), read-only data (with the strings pointers lead to), then the writable data, which
 * starts with the build information. Each part lies at {@link #BASE} plus its file offset.
 */
final class GoExecutables {

  static final long BASE = 0x400000;
  static final byte[] START = hex("3077af0c9274080241e1c107e6d618e6");
  static final byte[] END = hex("f932433186182072008242104116d8f2");

  enum Format { ELF, PE, MACH_O }

  private Format format = Format.ELF;
  private boolean wide = true;
  private boolean bigEndian;
  private boolean goBuildId = true;
  private Boolean inline;
  private String goVersion = "go1.22.1";
  private String moduleInfo = "";
  private int readOnlyPadding = 0x1000;
  private Long sectionTableOffset;

  static GoExecutables elf() {
    return new GoExecutables();
  }

  static GoExecutables of(Format format) {
    GoExecutables e = new GoExecutables();
    e.format = format;
    return e;
  }

  GoExecutables bits32() {
    wide = false;
    return this;
  }

  GoExecutables bigEndian() {
    bigEndian = true;
    return this;
  }

  GoExecutables withoutBuildId() {
    goBuildId = false;
    return this;
  }

  /** The toolchain; before go1.18 the information is stored behind pointers, unless {@link #inline} says otherwise. */
  GoExecutables goVersion(String version) {
    goVersion = version;
    return this;
  }

  GoExecutables inline(boolean value) {
    inline = value;
    return this;
  }

  /** The lines between the sentinels, each ending with a newline; empty for a binary without module information. */
  GoExecutables moduleInfo(String text) {
    moduleInfo = text;
    return this;
  }

  /** Grows the read-only data, so that the build information lies this far into the file. */
  GoExecutables readOnlyBytes(int bytes) {
    readOnlyPadding = bytes;
    return this;
  }

  /** ELF only: where the header says the section table is (there is none). */
  GoExecutables sectionTableAt(long offset) {
    sectionTableOffset = offset;
    return this;
  }

  boolean pointers() {
    return inline != null ? !inline : goVersion.compareTo("go1.18") < 0 && goVersion.startsWith("go1.1");
  }

  /** The module information as stored, framed by the sentinels (or empty). */
  byte[] framedModuleInfo() {
    if (moduleInfo.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(START);
    out.writeBytes(moduleInfo.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(END);
    return out.toByteArray();
  }

  byte[] build() {
    int pointer = wide ? 8 : 4;
    ByteOrder order = bigEndian && format != Format.PE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    byte[] version = goVersion.getBytes(StandardCharsets.UTF_8);
    byte[] modules = framedModuleInfo();

    int text = 0x1000;
    int textSize = 0x1000;
    int readOnly = text + textSize;
    int readOnlySize = align(readOnlyPadding + version.length + modules.length, 0x1000);
    int data = readOnly + readOnlySize;

    ByteBuffer blob = ByteBuffer.allocate(64 + version.length + modules.length + 4 * pointer).order(order);
    blob.put(GoBuildInfoReader.MAGIC).put((byte) pointer);
    if (pointers()) {
      // header, then the two Go string headers it points to; the strings themselves are in the read-only data
      blob.put((byte) (order == ByteOrder.BIG_ENDIAN ? 1 : 0));
      long versionData = BASE + readOnly + readOnlyPadding;
      long moduleData = versionData + version.length;
      long headers = BASE + data + 32;
      putPointer(blob, 16, headers, pointer);
      putPointer(blob, 16 + pointer, headers + 2L * pointer, pointer);
      putPointer(blob, 32, versionData, pointer);
      putPointer(blob, 32 + pointer, version.length, pointer);
      putPointer(blob, 32 + 2 * pointer, moduleData, pointer);
      putPointer(blob, 32 + 3 * pointer, modules.length, pointer);
      blob.position(32 + 4 * pointer);
    } else {
      blob.put((byte) 2).position(32);
      putVarint(blob, version.length);
      blob.put(version);
      putVarint(blob, modules.length);
      blob.put(modules);
    }
    byte[] dataBytes = new byte[align(blob.position(), 16) + 64];
    System.arraycopy(blob.array(), 0, dataBytes, 0, blob.position());

    ByteBuffer file = ByteBuffer.allocate(data + dataBytes.length).order(order);
    if (pointers()) {
      file.position(readOnly + readOnlyPadding);
      file.put(version).put(modules);
    }
    file.position(data);
    file.put(dataBytes);
    int dataSize = dataBytes.length;
    switch (format) {
      case ELF -> elfHeaders(file, text, textSize, readOnly, readOnlySize, data, dataSize);
      case PE -> peHeaders(file, text, textSize, readOnly, readOnlySize, data, dataSize);
      case MACH_O -> machOHeaders(file, text, textSize, readOnly, readOnlySize, data, dataSize);
    }
    return file.array();
  }

  private void elfHeaders(
      ByteBuffer f, int text, int textSize, int readOnly, int readOnlySize, int data, int dataSize) {
    f.put(0, new byte[] {0x7f, 'E', 'L', 'F', (byte) (wide ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1});
    int headers = goBuildId ? 4 : 3;
    int phoff = wide ? 64 : 52;
    int entry = wide ? 56 : 32;
    f.putShort(16, (short) 2); // ET_EXEC
    f.putShort(18, (short) (wide ? 62 : 3));
    f.putInt(20, 1);
    if (wide) {
      f.putLong(32, phoff);
      f.putLong(40, sectionTableOffset != null ? sectionTableOffset : 0);
      f.putShort(52, (short) 64);
      f.putShort(54, (short) entry);
      f.putShort(56, (short) headers);
      f.putShort(58, (short) 64);
    } else {
      f.putInt(28, phoff);
      f.putInt(32, (int) (sectionTableOffset != null ? sectionTableOffset : 0));
      f.putShort(40, (short) 52);
      f.putShort(42, (short) entry);
      f.putShort(44, (short) headers);
      f.putShort(46, (short) 40);
    }
    int at = phoff;
    if (goBuildId) {
      int note = 0x400;
      byte[] id = "abc/def".getBytes(StandardCharsets.US_ASCII);
      f.putInt(note, 4).putInt(note + 4, id.length).putInt(note + 8, 4);
      f.put(note + 12, new byte[] {'G', 'o', 0, 0});
      f.put(note + 16, id);
      programHeader(f, at, 4, 4, note, note, 16 + align(id.length, 4));
      at += entry;
    }
    programHeader(f, at, 1, 5, text, BASE + text, textSize);
    programHeader(f, at + entry, 1, 4, readOnly, BASE + readOnly, readOnlySize);
    programHeader(f, at + 2 * entry, 1, 6, data, BASE + data, dataSize);
  }

  private void programHeader(ByteBuffer f, int at, int type, int flags, long offset, long address, long size) {
    f.putInt(at, type);
    if (wide) {
      f.putInt(at + 4, flags).putLong(at + 8, offset).putLong(at + 16, address).putLong(at + 24, address)
          .putLong(at + 32, size).putLong(at + 40, size).putLong(at + 48, 0x1000);
    } else {
      f.putInt(at + 4, (int) offset).putInt(at + 8, (int) address).putInt(at + 12, (int) address)
          .putInt(at + 16, (int) size).putInt(at + 20, (int) size).putInt(at + 24, flags).putInt(at + 28, 0x1000);
    }
  }

  private void peHeaders(
      ByteBuffer f, int text, int textSize, int readOnly, int readOnlySize, int data, int dataSize) {
    f.put(0, new byte[] {'M', 'Z'});
    int pe = 0x80;
    f.putInt(0x3c, pe);
    f.putInt(pe, 0x00004550);
    int coff = pe + 4;
    f.putShort(coff, (short) (wide ? 0x8664 : 0x14c));
    f.putShort(coff + 2, (short) 3);
    int optionalSize = wide ? 240 : 224;
    f.putShort(coff + 16, (short) optionalSize);
    int optional = coff + 20;
    if (wide) {
      f.putShort(optional, (short) 0x20b).putLong(optional + 24, BASE);
    } else {
      f.putShort(optional, (short) 0x10b).putInt(optional + 28, (int) BASE);
    }
    int table = optional + optionalSize;
    section(f, table, ".text", text, textSize, 0x60000020);
    section(f, table + 40, ".rdata", readOnly, readOnlySize, 0x40000040);
    section(f, table + 80, ".data", data, dataSize, 0xc0000040);
    if (goBuildId) {
      f.put(text, textBuildId());
    }
  }

  private static void section(ByteBuffer f, int at, String name, int offset, int size, int characteristics) {
    f.put(at, name.getBytes(StandardCharsets.US_ASCII));
    f.putInt(at + 8, size).putInt(at + 12, offset).putInt(at + 16, size).putInt(at + 20, offset)
        .putInt(at + 36, characteristics);
  }

  private void machOHeaders(
      ByteBuffer f, int text, int textSize, int readOnly, int readOnlySize, int data, int dataSize) {
    f.putInt(0, wide ? 0xfeedfacf : 0xfeedface);
    f.putInt(4, wide ? 0x01000007 : 7);
    f.putInt(12, 2); // MH_EXECUTE
    int segment = wide ? 72 : 56;
    int section = wide ? 80 : 68;
    int commandBytes = segment + (segment + 2 * section) * 2;
    f.putInt(16, 3).putInt(20, commandBytes);
    int at = wide ? 32 : 28;
    at = segment(f, at, "__PAGEZERO", 0, BASE, 0, 0, 0, new String[0], new int[0], new int[0]);
    at = segment(f, at, "__TEXT", BASE, text + textSize + readOnlySize, 0, text + textSize + readOnlySize, 5,
        new String[] {"__text", "__rodata"}, new int[] {text, readOnly}, new int[] {textSize, readOnlySize});
    segment(f, at, "__DATA", BASE + data, dataSize, data, dataSize, 3,
        new String[] {"__go_buildinfo", "__data"}, new int[] {data, data + dataSize}, new int[] {dataSize, 0});
    if (goBuildId) {
      f.put(text, textBuildId());
    }
  }

  private int segment(ByteBuffer f, int at, String name, long address, long memory, long offset, long size,
      int protection, String[] sections, int[] offsets, int[] sizes) {
    int sectionSize = wide ? 80 : 68;
    int header = wide ? 72 : 56;
    f.putInt(at, wide ? 0x19 : 0x1).putInt(at + 4, header + sections.length * sectionSize);
    f.put(at + 8, name.getBytes(StandardCharsets.US_ASCII));
    if (wide) {
      f.putLong(at + 24, address).putLong(at + 32, memory).putLong(at + 40, offset).putLong(at + 48, size)
          .putInt(at + 56, protection).putInt(at + 60, protection).putInt(at + 64, sections.length);
    } else {
      f.putInt(at + 24, (int) address).putInt(at + 28, (int) memory).putInt(at + 32, (int) offset)
          .putInt(at + 36, (int) size).putInt(at + 40, protection).putInt(at + 44, protection)
          .putInt(at + 48, sections.length);
    }
    int s = at + header;
    for (int i = 0; i < sections.length; i++, s += sectionSize) {
      f.put(s, sections[i].getBytes(StandardCharsets.US_ASCII));
      f.put(s + 16, name.getBytes(StandardCharsets.US_ASCII));
      if (wide) {
        f.putLong(s + 32, BASE + offsets[i]).putLong(s + 40, sizes[i]).putInt(s + 48, offsets[i]);
      } else {
        f.putInt(s + 32, (int) (BASE + offsets[i])).putInt(s + 36, sizes[i]).putInt(s + 40, offsets[i]);
      }
    }
    return s;
  }

  private static byte[] textBuildId() {
    return "\u00ff Go build ID: \"abc/def\"\n \u00ff".getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void putPointer(ByteBuffer b, int at, long value, int size) {
    if (size == 8) {
      b.putLong(at, value);
    } else {
      b.putInt(at, (int) value);
    }
  }

  static void putVarint(ByteBuffer b, long value) {
    while ((value & ~0x7fL) != 0) {
      b.put((byte) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    b.put((byte) value);
  }

  private static int align(int n, int to) {
    return (n + to - 1) / to * to;
  }

  static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
