package io.portcullis.scanner.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Writes zip archives for the Java archive tests, in either of the two layouts real tools produce: sizes in every local
 * header (Maven's archiver, Spring Boot, Gradle) or sizes in a data descriptor after deflated data (the {@code jar}
 * tool, {@code java.util.zip}).
 */
public final class TestJar {

  /** Where the sizes of deflated entries are written. */
  public enum Layout {
    SIZES_IN_HEADERS,
    DATA_DESCRIPTORS
  }

  private record Entry(String name, byte[] content, boolean stored) {}

  private final List<Entry> entries = new ArrayList<>();
  private Layout layout = Layout.SIZES_IN_HEADERS;
  private byte[] prefix = new byte[0];

  public static TestJar jar() {
    return new TestJar();
  }

  public TestJar layout(Layout layout) {
    this.layout = layout;
    return this;
  }

  /** Bytes before the archive, as a "fully executable" jar's launch script. */
  public TestJar prefix(String script) {
    this.prefix = script.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** A deflated entry. */
  public TestJar entry(String name, byte[] content) {
    entries.add(new Entry(name, content, false));
    return this;
  }

  public TestJar entry(String name, String text) {
    return entry(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A stored entry, as Spring Boot stores the jars in {@code BOOT-INF/lib}. */
  public TestJar stored(String name, byte[] content) {
    entries.add(new Entry(name, content, true));
    return this;
  }

  /** {@code META-INF/maven/<group>/<artifact>/pom.properties}, as Maven's archiver writes it. */
  public TestJar pom(String group, String artifact, String version) {
    return entry("META-INF/maven/" + group + "/" + artifact + "/pom.properties",
        "#Created by Apache Maven 3.9.6\nversion=" + version + "\ngroupId=" + group + "\nartifactId=" + artifact
            + "\n");
  }

  public TestJar manifest(String mainSection) {
    return entry("META-INF/MANIFEST.MF", mainSection);
  }

  public byte[] bytes() {
    try {
      byte[] archive = layout == Layout.SIZES_IN_HEADERS ? withSizesInHeaders() : withDataDescriptors();
      byte[] all = Arrays.copyOf(prefix, prefix.length + archive.length);
      System.arraycopy(archive, 0, all, prefix.length, archive.length);
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] withSizesInHeaders() throws IOException {
    SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
      for (Entry entry : entries) {
        ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
        if (entry.stored()) {
          zipEntry.setMethod(ZipEntry.STORED);
          zipEntry.setSize(entry.content().length);
          zipEntry.setCrc(crc(entry.content()));
        }
        out.putArchiveEntry(zipEntry);
        out.write(entry.content());
        out.closeArchiveEntry();
      }
    }
    return Arrays.copyOf(channel.array(), (int) channel.size());
  }

  private byte[] withDataDescriptors() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Entry entry : entries) {
        ZipEntry zipEntry = new ZipEntry(entry.name());
        if (entry.stored()) {
          zipEntry.setMethod(ZipEntry.STORED);
          zipEntry.setSize(entry.content().length);
          zipEntry.setCrc(crc(entry.content()));
        }
        out.putNextEntry(zipEntry);
        out.write(entry.content());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static long crc(byte[] content) {
    CRC32 crc = new CRC32();
    crc.update(content);
    return crc.getValue();
  }

  /** {@code sha1:<hex>}, as packages carry it. */
  public static String sha1(byte[] content) {
    try {
      return "sha1:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
