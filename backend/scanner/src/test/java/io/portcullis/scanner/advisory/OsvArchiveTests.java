package io.portcullis.scanner.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.scanner.advisory.OsvArchive.ArchiveException;
import io.portcullis.scanner.advisory.OsvArchive.Entry;
import io.portcullis.scanner.advisory.OsvArchive.Json;
import io.portcullis.scanner.advisory.OsvArchive.Limits;
import io.portcullis.scanner.advisory.OsvArchive.Unreadable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export archives within limits: a damaged or oversized entry is reported and the next one read. */
class OsvArchiveTests {

  @TempDir Path dir;

  @Test
  void readsTheJsonEntriesAndPassesOverTheRest() throws IOException {
    Path zip =
        zip("all.zip", List.of(
            new Item("A-1.json", "{\"id\": \"A-1\"}"),
            new Item("docs/", null),
            new Item("README.txt", "hello"),
            new Item("B-2.json", "{\"id\": \"B-2\"}")));
    List<Entry> entries = read(zip, Limits.DEFAULT);
    assertThat(entries).extracting(Entry::name).containsExactly("'A-1.json'", "'B-2.json'");
    assertThat(new String(((Json) entries.get(1)).bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": \"B-2\"}");
  }

  @Test
  void anOversizedEntryIsReportedNotRead() throws IOException {
    Path zip =
        zip("all.zip", List.of(
            new Item("A-1.json", "{}"), new Item("BIG.json", " ".repeat(10_000)), new Item("C-3.json", "{}")));
    List<Entry> entries = read(zip, new Limits(10, 1_000, 1L << 20));
    assertThat(entries).hasSize(3);
    assertThat(entries.get(1)).isEqualTo(new Unreadable("'BIG.json'", "larger than 1000 bytes"));
    assertThat(entries.get(2)).isInstanceOf(Json.class);
  }

  @Test
  void anEntryThatLiesAboutItsSizeIsStillCutAtTheLimit() throws IOException {
    // the central directory claims 100 bytes; the entry inflates to 200,000
    Path zip = zip("all.zip", List.of(new Item("BOMB.json", "x".repeat(200_000)), new Item("OK.json", "{}")));
    forgeDeclaredSize(zip, "BOMB.json", 100);
    List<Entry> entries = read(zip, new Limits(10, 50_000, 1L << 30));
    assertThat(entries.get(0)).isEqualTo(new Unreadable("'BOMB.json'", "larger than 50000 bytes"));
    assertThat(entries.get(1)).isInstanceOf(Json.class);
  }

  @Test
  void aDamagedEntryIsReportedAndTheNextOneRead() throws IOException {
    String filler = "{\"id\": \"A-1\", \"details\": \"" + "abcdefghij".repeat(300) + "\"}";
    Path zip = zip("all.zip", List.of(new Item("A-1.json", filler), new Item("B-2.json", "{\"id\": \"B-2\"}")));
    byte[] bytes = Files.readAllBytes(zip);
    // flip bytes in the middle of the first entry's compressed data
    for (int i = 60; i < 70; i++) {
      bytes[i] ^= 0x5a;
    }
    Files.write(zip, bytes);
    List<Entry> entries = read(zip, Limits.DEFAULT);
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0)).isInstanceOf(Unreadable.class);
    assertThat(((Unreadable) entries.get(0)).reason()).startsWith("damaged: ");
    assertThat(entries.get(1)).isInstanceOf(Json.class);
  }

  @Test
  void somethingElseThanAZipIsRefusedWhole() throws IOException {
    Path notZip = dir.resolve("all.zip");
    Files.writeString(notZip, "<html>403 Forbidden</html>");
    assertThatThrownBy(() -> OsvArchive.open(notZip, Limits.DEFAULT))
        .isInstanceOf(ArchiveException.class)
        .hasMessageStartingWith("not a zip archive");
  }

  @Test
  void tooManyEntriesAreRefusedBeforeAnyIsRead() throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      items.add(new Item("R-" + i + ".json", "{}"));
    }
    Path zip = zip("all.zip", items);
    assertThatThrownBy(() -> OsvArchive.open(zip, new Limits(10, 1_000, 1_000_000)))
        .isInstanceOf(ArchiveException.class)
        .hasMessage("11 entries, more than the limit of 10");
  }

  @Test
  void readingStopsBeyondTheTotalSize() throws IOException {
    Path zip =
        zip("all.zip", List.of(
            new Item("A.json", "a".repeat(600)), new Item("B.json", "b".repeat(600)), new Item("C.json", "{}")));
    try (OsvArchive archive = OsvArchive.open(zip, new Limits(10, 1_000, 1_000))) {
      var entries = archive.entries();
      assertThat(entries.next()).isInstanceOf(Json.class);
      assertThatThrownBy(entries::next)
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(ArchiveException.class)
          .hasMessageContaining("more than 1000 bytes when inflated");
    }
  }

  record Item(String name, String content) {}

  private Path zip(String name, List<Item> items) throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream zipOut = new ZipOutputStream(out)) {
      for (Item item : items) {
        zipOut.putNextEntry(new ZipEntry(item.name()));
        if (item.content() != null) {
          zipOut.write(item.content().getBytes(StandardCharsets.UTF_8));
        }
        zipOut.closeEntry();
      }
    }
    return zip;
  }

  private static List<Entry> read(Path zip, Limits limits) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (OsvArchive archive = OsvArchive.open(zip, limits)) {
      archive.entries().forEachRemaining(entries::add);
    }
    return entries;
  }

  /** Rewrites the uncompressed size the central directory records for {@code name} (APPNOTE 4.3.12). */
  private static void forgeDeclaredSize(Path zip, String name, int size) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < bytes.length; i++) {
      if (buffer.getInt(i) == 0x02014b50 && buffer.getShort(i + 28) == wanted.length
          && Arrays.equals(Arrays.copyOfRange(bytes, i + 46, i + 46 + wanted.length), wanted)) {
        buffer.putInt(i + 24, size);
        Files.write(zip, bytes);
        return;
      }
    }
    throw new IllegalStateException("no central directory entry for " + name);
  }
}
