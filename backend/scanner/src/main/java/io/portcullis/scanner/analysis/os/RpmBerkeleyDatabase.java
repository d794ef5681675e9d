package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads rpm's Berkeley DB database, {@code /var/lib/rpm/Packages} (CentOS 5 to 8, RHEL 7 and 8, UBI 8, older SLES and
 * Amazon Linux 2): a Berkeley DB hash file whose values are {@link RpmHeaderParser header blobs}, keyed by a 4-byte
 * header number.
 *
 * <p>Hand-written because there is no pure-Java reader for Berkeley DB's C file format (Oracle's Java Edition uses a
 * different one). The walk is the one go-rpmdb and syft use: the metadata page gives byte order, page size and the last
 * page; every hash page is visited in file order, and each value is either on the page ({@code H_KEYDATA}) or in a
 * chain of overflow pages ({@code H_OFFPAGE}). Bucket order does not matter for an inventory, so the hash function and
 * bucket chains are never followed. The file comes from an untrusted image: every page number, item offset and length
 * is checked, an overflow chain that revisits a page is refused, and values are bounded by rpm's own header maximum.
 */
public final class RpmBerkeleyDatabase {

  /** {@link OsPackage#foundBy()} for packages from a Berkeley DB {@code Packages} file. */
  public static final String BERKELEY_DB = "rpm-bdb";

  private static final int HASH_MAGIC = 0x061561;
  private static final int BTREE_MAGIC = 0x053162;
  private static final int PAGE_HEADER = 26;
  private static final int P_HASH_UNSORTED = 2;
  private static final int P_OVERFLOW = 7;
  private static final int P_HASHMETA = 8;
  private static final int P_HASH = 13;
  private static final int H_KEYDATA = 1;
  private static final int H_OFFPAGE = 3;
  private static final long MAX_HEADER = 8L + 16L * RpmHeaderParser.MAX_ENTRIES + RpmHeaderParser.MAX_DATA;

  private final ReadLimits limits;
  private final RpmHeaderParser headers;

  public RpmBerkeleyDatabase() {
    this(ReadLimits.RPM_DATABASE);
  }

  public RpmBerkeleyDatabase(ReadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.headers = new RpmHeaderParser(limits);
  }

  /**
   * Lists the installed packages, {@code gpg-pubkey} pseudo-packages left out.
   *
   * @param file the database, a local file
   * @param path the file's path in the image, recorded in each package
   */
  public PackageListing read(Path file, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(path, "path");
    return headers(file, path).toPackages(BERKELEY_DB, path);
  }

  RpmHeaderListing headers(Path file, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Walk(channel, path).run();
    }
  }

  /** One pass over one file. */
  private final class Walk {
    private final FileChannel channel;
    private final String path;
    private ByteOrder order;
    private int pageSize;
    private long lastPage;
    private BitSet overflowSeen;
    private final List<RpmHeader> found = new ArrayList<>();
    private int malformed;
    private int records;

    Walk(FileChannel channel, String path) {
      this.channel = channel;
      this.path = path;
    }

    RpmHeaderListing run() throws IOException, PackageDatabaseException {
      long size = channel.size();
      if (size > limits.maxBytes()) {
        throw new PackageDatabaseException(path + " is larger than the limit of " + limits.maxBytes() + " bytes");
      }
      readMetadata(size);
      overflowSeen = new BitSet((int) lastPage + 1);
      for (long pgno = 1; pgno <= lastPage; pgno++) {
        ByteBuffer page = page(pgno);
        int type = page.get(25) & 0xff;
        if (type == P_HASH || type == P_HASH_UNSORTED) {
          readHashPage(page, pgno);
        }
      }
      return new RpmHeaderListing(found, malformed);
    }

    private void readMetadata(long size) throws IOException, PackageDatabaseException {
      if (size < 512) {
        throw new PackageDatabaseException(path + " has " + size + " bytes, too short for a Berkeley DB file");
      }
      ByteBuffer meta = read(0, 512);
      meta.order(ByteOrder.LITTLE_ENDIAN);
      int magic = meta.getInt(12);
      if (magic != HASH_MAGIC && Integer.reverseBytes(magic) == HASH_MAGIC) {
        meta.order(ByteOrder.BIG_ENDIAN);
        magic = HASH_MAGIC;
      }
      if (magic != HASH_MAGIC) {
        throw new PackageDatabaseException(path + (magic == BTREE_MAGIC || Integer.reverseBytes(magic) == BTREE_MAGIC
            ? " is a Berkeley DB btree, not the hash database rpm keeps its packages in"
            : " is not a Berkeley DB hash database"));
      }
      order = meta.order();
      if (meta.get(24) != 0) {
        throw new PackageDatabaseException(path + " is encrypted");
      }
      if ((meta.get(25) & 0xff) != P_HASHMETA) {
        throw new PackageDatabaseException(path + " has page type " + (meta.get(25) & 0xff) + " on its metadata page");
      }
      pageSize = meta.getInt(20);
      if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
        throw new PackageDatabaseException(path + " claims a page size of " + pageSize);
      }
      lastPage = Integer.toUnsignedLong(meta.getInt(32));
      long pages = size / pageSize;
      if (size % pageSize != 0 || lastPage >= pages) {
        throw new PackageDatabaseException(path + " is truncated: its last page is " + lastPage + " of " + pageSize
            + " bytes but the file has " + size + " bytes");
      }
    }

    private void readHashPage(ByteBuffer page, long pgno) throws IOException, PackageDatabaseException {
      int entries = page.getShort(20) & 0xffff;
      if (PAGE_HEADER + 2L * entries > pageSize || entries % 2 != 0) {
        throw new PackageDatabaseException(path + " page " + pgno + " claims " + entries + " items");
      }
      for (int i = 0; i < entries; i += 2) {
        int keyOffset = itemOffset(page, pgno, entries, i);
        int keyEnd = i == 0 ? pageSize : itemOffset(page, pgno, entries, i - 1);
        int dataOffset = itemOffset(page, pgno, entries, i + 1);
        int dataEnd = keyOffset;
        if (keyEnd <= keyOffset || dataEnd <= dataOffset) {
          throw new PackageDatabaseException(path + " page " + pgno + " has overlapping items at " + i);
        }
        if (++records > limits.maxRecords()) {
          throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " records");
        }
        if (isInstanceCounter(page, keyOffset, keyEnd)) {
          continue;
        }
        byte[] blob = switch (page.get(dataOffset) & 0xff) {
          case H_KEYDATA -> bytes(page, dataOffset + 1, dataEnd - dataOffset - 1);
          case H_OFFPAGE -> overflow(page, pgno, dataOffset, dataEnd);
          default -> null;
        };
        if (blob == null) {
          malformed++;
          continue;
        }
        try {
          found.add(headers.parse(blob));
        } catch (PackageDatabaseException e) {
          malformed++;
        }
      }
    }

    private int itemOffset(ByteBuffer page, long pgno, int entries, int index) throws PackageDatabaseException {
      int offset = page.getShort(PAGE_HEADER + 2 * index) & 0xffff;
      if (offset < PAGE_HEADER + 2 * entries || offset >= pageSize) {
        throw new PackageDatabaseException(path + " page " + pgno + " item " + index + " points at " + offset
            + ", outside the page");
      }
      return offset;
    }

    // rpm keeps its next header number under key 0; it is not a package
    private boolean isInstanceCounter(ByteBuffer page, int keyOffset, int keyEnd) {
      if ((page.get(keyOffset) & 0xff) != H_KEYDATA || keyEnd - keyOffset != 5) {
        return false;
      }
      return page.getInt(keyOffset + 1) == 0;
    }

    /** A value stored in a chain of overflow pages; {@code null} when the reference itself is unusable. */
    private byte[] overflow(ByteBuffer page, long pgno, int offset, int end) throws IOException, PackageDatabaseException {
      if (end - offset < 12) {
        return null;
      }
      long next = Integer.toUnsignedLong(page.getInt(offset + 4));
      long total = Integer.toUnsignedLong(page.getInt(offset + 8));
      if (total > Math.min(limits.maxBytes(), MAX_HEADER)) {
        return null;
      }
      byte[] value = new byte[(int) total];
      int filled = 0;
      while (next != 0) {
        if (next > lastPage) {
          throw new PackageDatabaseException(path + " page " + pgno + " links to overflow page " + next
              + " beyond the last page " + lastPage);
        }
        if (overflowSeen.get((int) next)) {
          throw new PackageDatabaseException(path + " overflow page " + next + " is reached twice (a cycle or a shared chain)");
        }
        overflowSeen.set((int) next);
        ByteBuffer overflow = page(next);
        if ((overflow.get(25) & 0xff) != P_OVERFLOW) {
          throw new PackageDatabaseException(path + " page " + next + " should be an overflow page but has type "
              + (overflow.get(25) & 0xff));
        }
        // on overflow pages the header's hf_offset field holds the number of bytes used
        int used = overflow.getShort(22) & 0xffff;
        if (PAGE_HEADER + used > pageSize || filled + used > total) {
          throw new PackageDatabaseException(path + " overflow page " + next + " claims " + used + " bytes");
        }
        overflow.get(PAGE_HEADER, value, filled, used);
        filled += used;
        next = Integer.toUnsignedLong(overflow.getInt(16));
      }
      if (filled != total) {
        throw new PackageDatabaseException(path + " overflow chain from page " + pgno + " holds " + filled + " of "
            + total + " bytes");
      }
      return value;
    }

    private byte[] bytes(ByteBuffer page, int offset, int length) {
      byte[] bytes = new byte[length];
      page.get(offset, bytes);
      return bytes;
    }

    private ByteBuffer page(long pgno) throws IOException, PackageDatabaseException {
      return read(pgno * pageSize, pageSize).order(order);
    }

    private ByteBuffer read(long position, int length) throws IOException, PackageDatabaseException {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          throw new PackageDatabaseException(path + " ends inside the page at " + position);
        }
      }
      return buffer.flip();
    }
  }
}
