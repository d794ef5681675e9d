package io.portcullis.scanner.bench;

import io.portcullis.scanner.analysis.ImageAnalysis;
import io.portcullis.scanner.image.Descriptor;
import io.portcullis.scanner.image.OciLayoutImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark command, not a test: analyses the image of an OCI layout several times and compares the best time with
 * {@code gzip -dc LAYER | tar -t} over the same layers, the floor any streaming analysis has to pay. Prints the ratio
 * and the peak heap.
 *
 * <pre>./mvnw -q -pl backend/scanner test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.portcullis.scanner.bench.LayerBenchmark -Dexec.args="LAYOUT_DIR TAG [RUNS]"</pre>
 */
public final class LayerBenchmark {

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LayerBenchmark LAYOUT_DIR TAG [RUNS]");
      System.exit(2);
    }
    Path layout = Path.of(args[0]);
    String tag = args[1];
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    OciLayoutImage image = OciLayoutImage.open(layout, tag, null);
    long bytes = image.opened().manifest().layers().stream().mapToLong(Descriptor::size).sum();

    ImageAnalysis analysis = ImageAnalysis.withDefaults();
    double best = Double.MAX_VALUE;
    int packages = 0;
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      packages = analysis.analyze(OciLayoutImage.open(layout, tag, null)).packages().size();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    double floor = Double.MAX_VALUE;
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      for (Descriptor layer : image.opened().manifest().layers()) {
        Path blob = layout.resolve("blobs").resolve(layer.digest().algorithm()).resolve(layer.digest().hex());
        Process tar = new ProcessBuilder("sh", "-c", "gzip -dc \"$0\" | tar -t > /dev/null", blob.toString()).inheritIO().start();
        if (!tar.waitFor(10, TimeUnit.MINUTES) || tar.exitValue() != 0) {
          throw new IllegalStateException("gzip | tar failed on " + blob);
        }
      }
      floor = Math.min(floor, (System.nanoTime() - start) / 1e9);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "layers: %d, %.1f MiB compressed, %d packages%n"
            + "analysis (best of %d): %.2f s%n"
            + "gzip -dc | tar -t (best of %d): %.2f s%n"
            + "ratio: %.2f (target <= 1.5)%n"
            + "peak heap: %.0f MiB of %.0f MiB max (target <= 512 MiB)%n",
        image.opened().manifest().layers().size(), bytes / 1048576.0, packages, runs, best, runs, floor, best / floor,
        peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
  }

  private LayerBenchmark() {}
}
