package io.portcullis.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts vectors per file, prints the pass counts ({@code dpkg: apt_compareversion_test.tsv: 64/64 vectors pass}),
 * and holds a test to its documented exceptions: what fails must be exactly the listed vectors, so a fix that makes
 * one pass, or a regression that makes another fail, both show.
 */
final class VectorTally {

  private final String scheme;
  private final Map<String, int[]> counts = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private final Set<String> failures = new TreeSet<>();
  private final List<String> failureDetails = new ArrayList<>();

  VectorTally(String scheme) {
    this.scheme = scheme;
  }

  /** Records one vector of {@code file}; {@code vector} names it in a failure (and in the exception list). */
  void check(String file, String vector, boolean passed) {
    check(file, vector, passed, "");
  }

  void check(String file, String vector, boolean passed, String detail) {
    int[] count = counts.computeIfAbsent(file, f -> new int[2]);
    count[1]++;
    if (passed) {
      count[0]++;
    } else {
      failures.add(file + ": " + vector);
      failureDetails.add(file + ": " + vector + (detail.isEmpty() ? "" : "  (" + detail + ")"));
    }
  }

  /** Runs {@code check} and counts an exception thrown by it as a failure with the exception's message. */
  void check(String file, String vector, Check check) {
    boolean passed;
    String detail = "";
    try {
      passed = check.passes();
    } catch (RuntimeException e) {
      passed = false;
      detail = e.toString();
    }
    check(file, vector, passed, detail);
  }

  /** A file that is read by the test but whose rows are outside what a version scheme does, with why. */
  void note(String file, String note) {
    counts.computeIfAbsent(file, f -> new int[2]);
    notes.put(file, note);
  }

  /**
   * Prints the counts, then checks that every file of {@code folder} was read (or is one of {@code documentation})
   * and that the failures are exactly the {@code exceptions} (vector, as {@code file: vector}, to the reason).
   */
  void verify(Path folder, Set<String> documentation, Map<String, String> exceptions) {
    int passed = 0;
    int total = 0;
    for (var entry : counts.entrySet()) {
      int[] count = entry.getValue();
      passed += count[0];
      total += count[1];
      String note = notes.containsKey(entry.getKey()) ? "; " + notes.get(entry.getKey()) : "";
      System.out.printf("%s: %s: %d/%d vectors pass%s%n", scheme, entry.getKey(), count[0], count[1], note);
    }
    System.out.printf("%s: %d/%d vectors pass (%d documented exceptions)%n", scheme, passed, total, exceptions.size());
    if (folder != null) {
      Set<String> unread = new TreeSet<>(Vectors.files(folder));
      unread.removeAll(documentation);
      // a key is a file name, or "context: file" when one file runs in several contexts (ecosystems)
      unread.removeIf(file -> counts.keySet().stream().anyMatch(key -> key.equals(file) || key.endsWith(": " + file)));
      assertThat(unread).as("files of %s no test reads", folder).isEmpty();
    }
    assertThat(total).as("vectors read").isPositive();
    assertThat(failures)
        .as("failing vectors (expected only the documented exceptions):%n%s", String.join("\n", failureDetails))
        .isEqualTo(new TreeSet<>(exceptions.keySet()));
  }

  interface Check {
    boolean passes();
  }
}
