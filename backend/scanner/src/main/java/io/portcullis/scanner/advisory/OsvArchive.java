package io.portcullis.scanner.advisory;

import io.portcullis.scanner.image.Untrusted;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An OSV export archive ({@code <ecosystem>/all.zip}: one {@code <ID>.json} per record), read entry by entry within
 * {@link Limits}. The central directory is the index, so one damaged entry is reported and the next one is read; the
 * bytes of an entry are counted as they are inflated (not taken from the sizes the archive declares) and checked
 * against the entry's CRC. Nothing is written to disk.
 */
public final class OsvArchive implements Closeable {

  /**
   * @param maxEntries entries in the archive, checked before any is read
   * @param maxEntryBytes inflated size of one entry; a larger one is reported and skipped
   * @param maxTotalBytes inflated size of all entries together; reading stops beyond it
   */
  public record Limits(int maxEntries, int maxEntryBytes, long maxTotalBytes) {

    public static final Limits DEFAULT = new Limits(2_000_000, 4 << 20, 16L << 30);

    public Limits {
      if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
        throw new IllegalArgumentException("archive limits must be positive");
      }
    }
  }

  /** One entry of the archive. */
  public sealed interface Entry permits Json, Unreadable {
    /** The entry's name, made safe to show. */
    String name();
  }

  /** A JSON entry, read whole. */
  public record Json(String name, byte[] bytes) implements Entry {}

  /** An entry that could not be read: too large, damaged, or encrypted. */
  public record Unreadable(String name, String reason) implements Entry {}

  /** The archive as a whole cannot be read (not a zip file, too many entries, too much data). */
  public static final class ArchiveException extends IOException {
    public ArchiveException(String message) {
      super(message);
    }
  }

  private final ZipFile zip;
  private final Limits limits;
  private long totalBytes;

  private OsvArchive(ZipFile zip, Limits limits) {
    this.zip = zip;
    this.limits = limits;
  }

  /** Opens {@code file}; fails when it is not a zip archive or has more entries than the limit. */
  public static OsvArchive open(Path file, Limits limits) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new ArchiveException("not a zip archive: " + Untrusted.quote(e.getMessage()));
    }
    if (zip.size() > limits.maxEntries()) {
      int size = zip.size();
      zip.close();
      throw new ArchiveException(size + " entries, more than the limit of " + limits.maxEntries());
    }
    return new OsvArchive(zip, limits);
  }

  /** How many entries the archive's directory lists, directories and other files included. */
  public int size() {
    return zip.size();
  }

  /**
   * The {@code .json} entries in archive order; directories and other files are passed over. The iterator throws an
   * unchecked {@link java.io.UncheckedIOException} wrapping an {@link ArchiveException} when the total limit is
   * passed.
   */
  public Iterator<Entry> entries() {
    Enumeration<? extends ZipEntry> all = zip.entries();
    return new Iterator<>() {
      private ZipEntry next = advance();

      private ZipEntry advance() {
        while (all.hasMoreElements()) {
          ZipEntry entry = all.nextElement();
          if (!entry.isDirectory() && entry.getName().endsWith(".json")) {
            return entry;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Entry next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        ZipEntry entry = next;
        next = advance();
        try {
          return read(entry);
        } catch (ArchiveException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  private Entry read(ZipEntry entry) throws ArchiveException {
    String name = Untrusted.quote(entry.getName());
    long declared = entry.getSize();
    if (declared > limits.maxEntryBytes()) {
      return new Unreadable(name, "larger than " + limits.maxEntryBytes() + " bytes");
    }
    // the declared size is a first guess for the buffer, never a bound: what counts is what inflates
    byte[] bytes = new byte[(int) Math.max(declared, 1024)];
    int length = 0;
    try (InputStream in = zip.getInputStream(entry)) {
      int n;
      while ((n = in.read(bytes, length, bytes.length - length)) > 0) {
        length += n;
        totalBytes += n;
        if (totalBytes > limits.maxTotalBytes()) {
          throw new ArchiveException(
              "more than " + limits.maxTotalBytes() + " bytes when inflated; stopped at entry " + name);
        }
        if (length > limits.maxEntryBytes()) {
          return new Unreadable(name, "larger than " + limits.maxEntryBytes() + " bytes");
        }
        if (length == bytes.length) {
          int next = in.read();
          if (next < 0) {
            break;
          }
          bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, limits.maxEntryBytes() + 1L));
          bytes[length++] = (byte) next;
          totalBytes++;
        }
      }
    } catch (ArchiveException e) {
      throw e;
    } catch (IOException e) {
      return new Unreadable(name, "damaged: " + Untrusted.quote(e.getMessage()));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
      return new Unreadable(name, "damaged: checksum mismatch");
    }
    return new Json(name, length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
