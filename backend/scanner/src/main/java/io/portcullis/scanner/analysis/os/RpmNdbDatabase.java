package io.portcullis.scanner.analysis.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads rpm's own "ndb" database, {@code /usr/lib/sysimage/rpm/Packages.db} (SUSE Linux Enterprise 15 and openSUSE):
 * a 32-byte file header ({@code RpmP}, version 0, generation, number of slot pages), then slot pages of 16-byte
 * entries ({@code Slot}, package index, block offset, block count), each pointing at a blob ({@code BlbS}, package index,
 * checksum, length) that holds one {@link RpmHeaderParser header}. Blocks are 16 bytes; everything is little-endian,
 * as rpm writes it on the machines SUSE ships.
 *
 * <p>Hand-written for the same reason as the header decoder: nothing in Java reads it. The format is rpm's {@code
 * lib/backend/ndb/rpmpkg.c}. Every slot's blob is checked against the file's end and its slot; slots that point into the
 * same bytes are refused once the bytes read exceed the file, so a hostile file cannot make the walk quadratic. The
 * blob checksum is not verified: a corrupt header still fails in the header decoder, and rpm's checksum guards
 * against torn writes, not against a hostile writer.
 */
public final class RpmNdbDatabase {

  /** {@link OsPackage#foundBy()} for packages from an ndb {@code Packages.db} file. */
  public static final String NDB = "rpm-ndb";

  private static final int FILE_MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
  private static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
  private static final int BLOB_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
  private static final int PAGE = 4096;
  private static final int SLOT = 16;
  private static final int BLOCK = 16;
  private static final int BLOB_HEADER = 16;

  private final ReadLimits limits;
  private final RpmHeaderParser headers;

  public RpmNdbDatabase() {
    this(ReadLimits.RPM_DATABASE);
  }

  public RpmNdbDatabase(ReadLimits limits) {
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
    return headers(file, path).toPackages(NDB, path);
  }

  RpmHeaderListing headers(Path file, String path) throws IOException, PackageDatabaseException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > limits.maxBytes()) {
        throw new PackageDatabaseException(path + " is larger than the limit of " + limits.maxBytes() + " bytes");
      }
      if (size < PAGE) {
        throw new PackageDatabaseException(path + " has " + size + " bytes, too short for an rpm ndb database");
      }
      ByteBuffer header = read(channel, 0, 32, path);
      if (header.getInt(0) != FILE_MAGIC || header.getInt(4) != 0) {
        throw new PackageDatabaseException(path + " is not an rpm ndb database (version 0)");
      }
      long slotPages = Integer.toUnsignedLong(header.getInt(12));
      if (slotPages < 1 || slotPages * PAGE > size) {
        throw new PackageDatabaseException(path + " claims " + slotPages + " slot pages but has " + size + " bytes");
      }
      Slots slots = new Slots(channel, path, size, slotPages);
      // slot pages are read one at a time, so memory stays at one page and one header whatever the file claims
      for (long page = 0; page < slotPages; page++) {
        ByteBuffer entries = read(channel, page * PAGE, PAGE, path);
        // the file header takes the place of the first two slots
        for (int at = page == 0 ? 32 : 0; at < PAGE; at += SLOT) {
          slots.accept(entries, page * PAGE + at, at);
        }
      }
      return new RpmHeaderListing(slots.found, slots.malformed);
    }
  }

  /** The walk over all slots of one file. */
  private final class Slots {
    private final FileChannel channel;
    private final String path;
    private final long size;
    private final long slotPages;
    private final List<RpmHeader> found = new ArrayList<>();
    private int malformed;
    private int records;
    private long blobBytes;

    Slots(FileChannel channel, String path, long size, long slotPages) {
      this.channel = channel;
      this.path = path;
      this.size = size;
      this.slotPages = slotPages;
    }

    void accept(ByteBuffer entries, long position, int at) throws IOException, PackageDatabaseException {
      if (entries.getInt(at) != SLOT_MAGIC) {
        throw new PackageDatabaseException(path + " has a bad slot at byte " + position);
      }
      int index = entries.getInt(at + 4);
      if (index == 0) {
        return; // a free slot
      }
      if (++records > limits.maxRecords()) {
        throw new PackageDatabaseException(path + " has more than " + limits.maxRecords() + " records");
      }
      long offset = Integer.toUnsignedLong(entries.getInt(at + 8)) * BLOCK;
      long length = Integer.toUnsignedLong(entries.getInt(at + 12)) * BLOCK;
      if (offset < slotPages * PAGE || length < BLOB_HEADER || offset + length > size) {
        throw new PackageDatabaseException(path + " slot for package " + Integer.toUnsignedString(index)
            + " points at " + length + " bytes at " + offset + ", outside the file's blob area");
      }
      blobBytes += length;
      if (blobBytes > size) {
        throw new PackageDatabaseException(path + " has slots whose blobs overlap");
      }
      ByteBuffer blobHeader = read(channel, offset, BLOB_HEADER, path);
      long blobLength = Integer.toUnsignedLong(blobHeader.getInt(12));
      if (blobHeader.getInt(0) != BLOB_MAGIC || blobHeader.getInt(4) != index || blobLength > length - BLOB_HEADER) {
        malformed++;
        return;
      }
      byte[] blob = new byte[(int) blobLength];
      read(channel, offset + BLOB_HEADER, (int) blobLength, path).get(blob);
      try {
        found.add(headers.parse(blob));
      } catch (PackageDatabaseException e) {
        malformed++;
      }
    }
  }

  private static ByteBuffer read(FileChannel channel, long position, int length, String path)
      throws IOException, PackageDatabaseException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new PackageDatabaseException(path + " ends inside the record at " + position);
      }
    }
    return buffer.flip();
  }
}
