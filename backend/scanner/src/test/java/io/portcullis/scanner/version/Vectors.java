package io.portcullis.scanner.version;

import io.portcullis.scanner.testing.SharedTestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the upstream version vectors under {@code versions/} of the shared corpus, in place. */
final class Vectors {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Vectors() {}

  static Path folder(String name) {
    return SharedTestData.path("versions/" + name);
  }

  /** The names of every file in the folder, sorted; a test checks it handles each one. */
  static List<String> files(Path folder) {
    try (Stream<Path> listing = Files.list(folder)) {
      return listing.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tab-separated rows after the header line, empty lines dropped; trailing empty columns kept. */
  static List<String[]> tsv(Path file) {
    return tsv(file, true);
  }

  static List<String[]> tsv(Path file, boolean header) {
    List<String[]> rows = new ArrayList<>();
    List<String> lines = lines(file);
    for (int i = header ? 1 : 0; i < lines.size(); i++) {
      if (!lines.get(i).isEmpty()) {
        rows.add(lines.get(i).split("\t", -1));
      }
    }
    return rows;
  }

  static List<JsonNode> jsonl(Path file) {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : lines(file)) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks a list the native tool sorted: shuffles it (fixed seed), sorts it with {@code order}, and counts the
   * places where the result equals the expected version or ties with it (tools list equal versions in any order).
   */
  static void checkSorted(VectorTally tally, String file, List<String> expected, Comparator<String> order) {
    List<String> sorted = new ArrayList<>(expected);
    Collections.shuffle(sorted, new Random(42));
    sorted.sort(order);
    for (int i = 0; i < expected.size(); i++) {
      String want = expected.get(i);
      String got = sorted.get(i);
      tally.check(file, "position " + i + ": " + want, () -> got.equals(want) || order.compare(got, want) == 0);
    }
  }

  /** -1, 0 or 1. */
  static int sign(int comparison) {
    return Integer.signum(comparison);
  }
}
