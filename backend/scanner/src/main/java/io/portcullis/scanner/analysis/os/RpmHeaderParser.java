package io.portcullis.scanner.analysis.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes one rpm header as rpm stores it in its database (every backend stores the same blob): a big-endian
 * {@code int32} index entry count and data length, then that many 16-byte index entries ({@code tag}, {@code type},
 * {@code offset}, {@code count}), then the data store the offsets point into. Unlike a header in an {@code .rpm} file,
 * the stored blob has no magic or reserved bytes in front.
 *
 * <p>Hand-written because no Java library reads rpm headers (redline-rpm and jrpm write or read package files, not
 * database blobs, and are unmaintained); the format is rpm's {@code lib/header.c} {@code hdrblobInit}/{@code hdrblobVerifyInfo}.
 * The blob comes from an untrusted image, so the entry count and data length are checked against rpm's own maxima and
 * the blob's size, and every offset, count and string end against the data store, before anything is read.
 */
public final class RpmHeaderParser {

  // rpm's HEADER_TAGS_MAX and HEADER_DATA_MAX: rpm itself refuses headers beyond these
  static final int MAX_ENTRIES = 0xffff;
  static final int MAX_DATA = 0x0fffffff;

  static final int TAG_NAME = 1000;
  static final int TAG_VERSION = 1001;
  static final int TAG_RELEASE = 1002;
  static final int TAG_EPOCH = 1003;
  static final int TAG_VENDOR = 1011;
  static final int TAG_LICENSE = 1014;
  static final int TAG_ARCH = 1022;
  static final int TAG_SOURCERPM = 1044;

  private static final int TYPE_INT32 = 4;
  private static final int TYPE_STRING = 6;
  private static final int TYPE_STRING_ARRAY = 8;
  private static final int TYPE_I18NSTRING = 9;
  private static final int ENTRY_SIZE = 16;

  private final ReadLimits limits;

  public RpmHeaderParser() {
    this(ReadLimits.RPM_DATABASE);
  }

  /** @param limits {@link ReadLimits#maxLineLength()} bounds every string read from the header */
  public RpmHeaderParser(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Decodes a header blob.
   *
   * @param blob the stored header; trailing bytes after the data store are ignored
   * @throws PackageDatabaseException when the blob is not a well-formed header or lacks a name, version or release
   */
  public RpmHeader parse(byte[] blob) throws PackageDatabaseException {
    Objects.requireNonNull(blob, "blob");
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
    if (blob.length < 8) {
      throw new PackageDatabaseException("rpm header of " + blob.length + " bytes is shorter than its preamble");
    }
    long entries = Integer.toUnsignedLong(in.getInt(0));
    long dataLength = Integer.toUnsignedLong(in.getInt(4));
    if (entries < 1 || entries > MAX_ENTRIES) {
      throw new PackageDatabaseException("rpm header claims " + entries + " index entries (allowed 1 to " + MAX_ENTRIES + ")");
    }
    if (dataLength > MAX_DATA) {
      throw new PackageDatabaseException("rpm header claims " + dataLength + " bytes of data (allowed " + MAX_DATA + ")");
    }
    long dataStart = 8 + entries * ENTRY_SIZE;
    if (dataStart + dataLength > blob.length) {
      throw new PackageDatabaseException("rpm header claims " + entries + " entries and " + dataLength
          + " bytes of data but the blob has only " + blob.length + " bytes");
    }
    Store store = new Store(in, (int) dataStart, (int) dataLength, limits.maxLineLength());

    String name = null;
    String version = null;
    String release = null;
    Integer epoch = null;
    String arch = null;
    String sourceRpm = null;
    String vendor = null;
    String license = null;
    for (int i = 0; i < entries; i++) {
      int at = 8 + i * ENTRY_SIZE;
      int tag = in.getInt(at);
      int type = in.getInt(at + 4);
      int offset = in.getInt(at + 8);
      int count = in.getInt(at + 12);
      // later entries win: rpm appends "dribble" entries after the immutable region and lets them replace it
      switch (tag) {
        case TAG_NAME -> name = store.string(tag, type, offset, count);
        case TAG_VERSION -> version = store.string(tag, type, offset, count);
        case TAG_RELEASE -> release = store.string(tag, type, offset, count);
        case TAG_EPOCH -> epoch = store.int32(tag, type, offset, count);
        case TAG_ARCH -> arch = store.string(tag, type, offset, count);
        case TAG_SOURCERPM -> sourceRpm = store.string(tag, type, offset, count);
        case TAG_VENDOR -> vendor = store.string(tag, type, offset, count);
        case TAG_LICENSE -> license = store.string(tag, type, offset, count);
        default -> { }
      }
    }
    if (name == null || name.isEmpty() || version == null || version.isEmpty() || release == null) {
      throw new PackageDatabaseException("rpm header has no name, version or release");
    }
    return new RpmHeader(name, epoch, version, release, arch, sourceRpm, vendor, license);
  }

  /** The data store, with every read checked against its bounds. */
  private static final class Store {
    private final ByteBuffer in;
    private final int start;
    private final int length;
    private final int maxString;

    Store(ByteBuffer in, int start, int length, int maxString) {
      this.in = in;
      this.start = start;
      this.length = length;
      this.maxString = maxString;
    }

    /** The first string of a STRING, STRING_ARRAY or I18NSTRING entry (the untranslated one for the latter). */
    String string(int tag, int type, int offset, int count) throws PackageDatabaseException {
      if (type != TYPE_STRING && type != TYPE_STRING_ARRAY && type != TYPE_I18NSTRING) {
        throw new PackageDatabaseException("rpm header tag " + tag + " has type " + type + ", expected a string");
      }
      if (count < 1) {
        throw new PackageDatabaseException("rpm header tag " + tag + " has count " + count);
      }
      checkOffset(tag, offset);
      int end = (int) Math.min(length, (long) offset + maxString + 1);
      for (int i = offset; i < end; i++) {
        if (in.get(start + i) == 0) {
          byte[] bytes = new byte[i - offset];
          in.get(start + offset, bytes);
          return new String(bytes, StandardCharsets.UTF_8);
        }
      }
      throw new PackageDatabaseException(end == length
          ? "rpm header tag " + tag + " has a string that runs past the data store"
          : "rpm header tag " + tag + " has a string longer than " + maxString + " bytes");
    }

    Integer int32(int tag, int type, int offset, int count) throws PackageDatabaseException {
      if (type != TYPE_INT32 || count < 1) {
        throw new PackageDatabaseException("rpm header tag " + tag + " has type " + type + " and count " + count
            + ", expected int32");
      }
      checkOffset(tag, offset);
      if ((offset & 3) != 0 || length - offset < 4) {
        throw new PackageDatabaseException("rpm header tag " + tag + " has a misaligned or truncated int32 at " + offset);
      }
      return in.getInt(start + offset);
    }

    private void checkOffset(int tag, int offset) throws PackageDatabaseException {
      if (offset < 0 || offset >= length) {
        throw new PackageDatabaseException("rpm header tag " + tag + " points at offset " + offset
            + " outside its data store of " + length + " bytes");
      }
    }
  }
}
