package io.portcullis.scanner.bench;

import io.portcullis.scanner.cli.CompareCommandDriver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A benchmark command, not a test: generates a million pairs of Debian versions shaped like the archive's ({@code
 * 1:2.36-9+deb12u4}, {@code 3.0.11-1~deb12u2}, {@code 9.2p1-2+deb12u3}), runs {@code compare dpkg} over them in
 * process, and prints the pairs per second (best of the runs).
 *
 * <pre>./mvnw -q -pl backend/scanner test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.portcullis.scanner.bench.CompareBenchmark -Dexec.args="[PAIRS] [RUNS]"</pre>
 */
public final class CompareBenchmark {

  public static void main(String[] args) {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    byte[] input = pairs(pairs, new Random(7)).getBytes(StandardCharsets.UTF_8);
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    double best = Double.MAX_VALUE;
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      int exit = CompareCommandDriver.run(new ByteArrayInputStream(input), sink, new PrintStream(errors), "dpkg");
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      if (exit != 0) {
        throw new IllegalStateException("compare failed: " + errors);
      }
    }
    System.out.printf("compare dpkg: %d pairs (%.1f MiB) in %.3f s (best of %d): %.0f pairs/s%n",
        pairs, input.length / 1048576.0, best, runs, pairs / best);
  }

  /** Versions drawn from the shapes Debian's archive uses, so the parser sees what it sees in images. */
  static String pairs(int count, Random random) {
    StringBuilder out = new StringBuilder(count * 40);
    for (int i = 0; i < count; i++) {
      out.append(version(random)).append('\t').append(version(random)).append('\n');
    }
    return out.toString();
  }

  private static String version(Random random) {
    StringBuilder v = new StringBuilder();
    if (random.nextInt(10) == 0) {
      v.append(1 + random.nextInt(3)).append(':');
    }
    v.append(random.nextInt(12)).append('.').append(random.nextInt(40));
    if (random.nextBoolean()) {
      v.append('.').append(random.nextInt(30));
    }
    switch (random.nextInt(6)) {
      case 0 -> v.append("~rc").append(1 + random.nextInt(4));
      case 1 -> v.append("p").append(1 + random.nextInt(3));
      case 2 -> v.append("+dfsg");
      default -> { }
    }
    v.append('-').append(1 + random.nextInt(12));
    switch (random.nextInt(4)) {
      case 0 -> v.append("+deb12u").append(1 + random.nextInt(9));
      case 1 -> v.append("~deb12u").append(1 + random.nextInt(3));
      default -> { }
    }
    return v.toString();
  }

  private CompareBenchmark() {}
}
