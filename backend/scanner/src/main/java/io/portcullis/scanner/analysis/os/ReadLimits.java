package io.portcullis.scanner.analysis.os;

/**
 * Bounds for reading a file from an untrusted image layer.
 *
 * @param maxBytes the file is refused once more bytes than this have been read
 * @param maxRecords the file is refused once it holds more records (stanzas, or lines for os-release) than this
 * @param maxLineLength a longer line makes its record malformed; the rest of the line is read and thrown away
 */
public record ReadLimits(long maxBytes, int maxRecords, int maxLineLength) {

  /**
   * Generous for real systems: a full Debian desktop's status file is about 10 MiB with some 5,000 stanzas, and the
   * longest lines in status files are Depends lists of a few KiB.
   */
  public static final ReadLimits PACKAGE_DATABASE = new ReadLimits(64L * 1024 * 1024, 100_000, 1024 * 1024);

  /**
   * rpm databases are binary and larger than text databases: a CentOS 7 image with 500 packages has a Berkeley DB
   * {@code Packages} file of some 50 MiB. {@code maxLineLength} bounds each string inside an rpm header.
   */
  public static final ReadLimits RPM_DATABASE = new ReadLimits(512L * 1024 * 1024, 100_000, 1024 * 1024);

  /** os-release files are a few hundred bytes. */
  public static final ReadLimits OS_RELEASE = new ReadLimits(64 * 1024, 1_000, 4 * 1024);

  public ReadLimits {
    if (maxBytes < 1 || maxRecords < 1 || maxLineLength < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxRecords + ", " + maxLineLength);
    }
  }
}
