package io.portcullis.scanner.cli;

import io.portcullis.scanner.version.InvalidVersionException;
import io.portcullis.scanner.version.VersionScheme;
import io.portcullis.scanner.version.VersionSchemes;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code compare SCHEME}: for people checking why a version did or did not match. Reads lines {@code A<TAB>B} from
 * standard input and prints, per line, {@code -1}, {@code 0} or {@code 1} as A is older than, equal to or newer than
 * B under the scheme (like {@code dpkg --compare-versions}, for a million pairs at a time). SCHEME is a scheme name
 * ({@code dpkg}, {@code rpm}, {@code npm}, ...) or an OSV ecosystem ({@code Debian:12}, {@code PyPI}).
 *
 * <p>A line whose versions the scheme does not accept ({@link VersionScheme#validate}) prints an empty line, so the
 * output stays aligned with the input, and a message with the line number on standard error; the run goes on and
 * exits with 1. Exit codes: 0 every line compared, 1 some line invalid, 2 usage error.
 */
final class CompareCommand {

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  CompareCommand(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      usage(args.contains("-h") || args.contains("--help") ? out : err);
      return args.contains("-h") || args.contains("--help") ? 0 : 2;
    }
    String name = args.get(0);
    Optional<VersionScheme> scheme = VersionSchemes.named(name).or(() -> VersionSchemes.knownEcosystem(name));
    if (scheme.isEmpty()) {
      err.println("compare: unknown scheme " + name);
      usage(err);
      return 2;
    }
    try {
      return compareLines(scheme.get());
    } catch (IOException e) {
      err.println("compare: " + e.getMessage());
      return 2;
    }
  }

  private int compareLines(VersionScheme scheme) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    Writer results = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    boolean anyInvalid = false;
    long number = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      number++;
      String problem = null;
      int tab = line.indexOf('\t');
      if (tab < 0) {
        problem = "expected two versions separated by a tab";
      } else {
        String a = line.substring(0, tab);
        String b = line.endsWith("\r") ? line.substring(tab + 1, line.length() - 1) : line.substring(tab + 1);
        try {
          scheme.validate(a);
          scheme.validate(b);
          int order = Integer.signum(scheme.compare(a, b));
          results.write(order < 0 ? "-1\n" : order == 0 ? "0\n" : "1\n");
        } catch (InvalidVersionException e) {
          problem = e.getMessage();
        }
      }
      if (problem != null) {
        anyInvalid = true;
        results.write('\n');
        results.flush(); // keeps the message next to its line when both streams go to a terminal
        err.println("compare: line " + number + ": " + problem);
      }
    }
    results.flush();
    return anyInvalid ? 1 : 0;
  }

  static void usage(PrintStream stream) {
    stream.println("usage: compare SCHEME < PAIRS");
    stream.println("  reads lines A<TAB>B and prints -1, 0 or 1 per line (A older, equal, newer than B)");
    stream.println("  SCHEME: " + VersionSchemes.ALL.stream().map(VersionScheme::name).collect(Collectors.joining(", "))
        + ", or an OSV ecosystem (Debian:12, PyPI, ...)");
  }
}
