package io.portcullis.advisories.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The mirror directory of the advisory tests ({@code target/advisory-mirror}, the source {@code @AdvisoryTest} sets):
 * the shared OSV exports linked in place, and archives built by the tests under names of their own.
 */
public final class OsvMirror {

  static final Path ROOT = Path.of("target/advisory-mirror").toAbsolutePath();

  private OsvMirror() {}

  /** The shared corpus folder. */
  static Path shared() {
    String root = System.getProperty("portcullis.testdata");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException("system property portcullis.testdata is not set; run the tests through Maven");
    }
    Path osv = Path.of(root, "osv");
    if (!Files.isDirectory(osv)) {
      throw new IllegalStateException("shared test data missing: " + osv);
    }
    return osv;
  }

  /** Links every shared export folder into the mirror (once). */
  public static void linkSharedExports() {
    try {
      Files.createDirectories(ROOT);
      try (Stream<Path> folders = Files.list(shared())) {
        for (Path folder : folders.filter(Files::isDirectory).toList()) {
          Path link = ROOT.resolve(folder.getFileName().toString());
          if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, folder.toAbsolutePath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh ecosystem name, so that tests sharing one database never see each other's runs. */
  static String ecosystem(String purpose) {
    return "Test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Writes {@code <mirror>/<ecosystem>/all.zip} with the given entries (name → content), replacing the old one. */
  static Path write(String ecosystem, Map<String, byte[]> entries) {
    try {
      Path dir = Files.createDirectories(ROOT.resolve(ecosystem));
      Path zip = dir.resolve("all.zip");
      Path next = dir.resolve("all.zip.next");
      try (OutputStream out = Files.newOutputStream(next);
          ZipOutputStream zipOut = new ZipOutputStream(out)) {
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
          zipOut.putNextEntry(new ZipEntry(entry.getKey()));
          zipOut.write(entry.getValue());
          zipOut.closeEntry();
        }
      }
      Files.move(next, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      // a rewrite within the same millisecond must still look changed to the next import
      Files.setLastModifiedTime(zip, FileTime.fromMillis(System.currentTimeMillis() + entries.size()));
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Entries of records, named {@code <id>.json}. */
  static Map<String, byte[]> records(String... json) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (String record : json) {
      String id = record.replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      entries.put(id + ".json", record.getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  /**
   * A small valid record: {@code id} affects npm package {@code pkg} from 1.0.0 until {@code fixed}, with
   * {@code summary} and {@code modified}.
   */
  static String record(String id, String modified, String summary, String pkg, String fixed) {
    return """
        {"schema_version": "1.6.0", "id": "%s", "modified": "%s", "published": "2024-01-01T00:00:00Z",
         "aliases": ["CVE-2024-%s"], "summary": "%s",
         "affected": [{"package": {"ecosystem": "npm", "name": "%s", "purl": "pkg:npm/%s"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "%s"}]}]}],
         "database_specific": {"severity": "HIGH"}}
        """
        .formatted(id, modified, Math.abs(id.hashCode() % 100000), summary, pkg, pkg, fixed);
  }
}
