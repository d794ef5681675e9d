package io.portcullis.scanner.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** Lets the benchmark in another package run {@link CompareCommand} in process, as the command line does. */
public final class CompareCommandDriver {

  private CompareCommandDriver() {}

  public static int run(InputStream in, PrintStream out, PrintStream err, String scheme) {
    return new CompareCommand(in, out, err).run(List.of(scheme));
  }
}
